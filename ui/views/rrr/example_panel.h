// The Right reasons view's example: pick a train or test row, paint its mask on the image, and
// see the current model's input gradient beside it, so a stroke and its effect on training
// sit side by side.
#pragma once
#include "ui/worker/results.h"
#include "ui/worker/rrr_results.h"

#include <QGroupBox>

class QComboBox;
class QLabel;
class QSpinBox;

namespace senn::ui {

class HeatmapView;
class MaskPainter;

class RrrExamplePanel : public QGroupBox {
    Q_OBJECT
public:
    explicit RrrExamplePanel(QWidget* parent = nullptr);
    void setDataset(const DatasetSummary& summary);
    int64_t currentRow() const;       // dataset row shown, -1 none
    void setExampleIndex(int index);  // index into the chosen split
    void setGradients(const RrrGradients& gradients);
    void showNoModel();
    MaskPainter* painter() const { return m_painter; }

signals:
    // The example shown changed (another split, index or dataset); row -1 when there is none.
    void exampleShown(qint64 row);

private:
    const std::vector<int64_t>& splitRows() const;
    QString maskShareText(const std::vector<float>& gradient) const;
    void showExample();

    DatasetSummary m_data;
    QComboBox* m_split;
    QSpinBox* m_example;
    QLabel *m_label, *m_gradientLabel;
    MaskPainter* m_painter;
    HeatmapView* m_gradient;
};

} // namespace senn::ui
