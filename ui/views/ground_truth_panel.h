// The Explain view's ground-truth lab: when the open model knows which inputs matter (a unit
// model) or the data marks them (the Decoy MNIST patch), a small table scores each shown
// method on the current example: irrelevant mass, mass and rank accuracy, pointing game. With
// any data, "Score a painted mask" opens a brush over the example (painted_mask_panel.h) whose
// mask scores the methods the same way.
#pragma once
#include "ui/worker/results.h"

#include "core/data/decoy.h"

#include <QWidget>

#include <cstdint>
#include <memory>
#include <vector>

class QCheckBox;
class QLabel;
class QTableWidget;

namespace senn::ui {

class PaintedMaskPanel;

class GroundTruthPanel : public QWidget {
    Q_OBJECT
public:
    explicit GroundTruthPanel(QWidget* parent = nullptr);
    void setDataset(const DatasetSummary& summary);
    void setModel(const ModelSummary& summary);
    void setResult(const ExplainResult& result);
    // The truth for one row of the open data: the model's (the same for every row), else the
    // row's Decoy patch; empty when there is none.
    std::vector<uint8_t> maskForRow(int64_t row) const;
    QString truthText() const;
    QTableWidget* table() const { return m_table; }
    // Whether the model or the data knows the truth (the known-truth table is shown).
    bool hasKnownTruth() const;
    PaintedMaskPanel* paintedMask() const { return m_painted; }
    // Opens or closes the painted-mask scoring (closed by default).
    void setPaintingShown(bool shown);

private:
    void refresh();
    std::shared_ptr<const data::Dataset> m_data;
    std::vector<data::DecoyPatch> m_patches; // Decoy data: each row's patch
    std::vector<uint8_t> m_modelMask;
    QString m_modelText;
    ExplainResult m_last;
    QLabel* m_title;
    QCheckBox *m_absolute, *m_paint;
    QTableWidget* m_table;
    PaintedMaskPanel* m_painted;
};

} // namespace senn::ui
