// Step 1 of the Right reasons view: generate Decoy MNIST (rrr.md) from the open digits, with
// the seed that places the patches, and a line on what the open data is.
#pragma once
#include "ui/worker/results.h"

#include <QGroupBox>

class QLabel;
class QPushButton;
class QSpinBox;

namespace senn::ui {

class RrrDecoyPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit RrrDecoyPanel(QWidget* parent = nullptr);
    void showDataset(const DatasetSummary& summary);
    QPushButton* generateButton() const { return m_generate; }

signals:
    void generateRequested(quint64 seed);

private:
    QSpinBox* m_seed;
    QPushButton* m_generate;
    QLabel* m_status;
};

} // namespace senn::ui
