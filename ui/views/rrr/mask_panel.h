// Step 2 of the Right reasons view: how a stroke on the example paints the annotation mask
// (brush radius, this example / its class / all examples, erase) and what the mask covers.
#pragma once
#include "ui/worker/rrr_results.h"

#include <QGroupBox>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace senn::ui {

class RrrMaskPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit RrrMaskPanel(QWidget* parent = nullptr);
    int brush() const;
    RrrScope scope() const;
    void setScope(RrrScope scope);
    void showMaskState(const RrrMaskState& state);
    QPushButton* clearButton() const { return m_clear; }

signals:
    void brushChanged(int radius);
    void eraseToggled(bool erase);
    void clearRequested();

private:
    QSpinBox* m_brush;
    QComboBox* m_scope;
    QPushButton *m_erase, *m_clear;
    QLabel* m_status;
};

} // namespace senn::ui
