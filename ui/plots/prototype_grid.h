// SENN concept prototypes: one row per concept, the top-l and bottom-l activating training
// examples (labelled halves). Images show thumbnails; tabular rows show row index, h value
// and the label as a small text table in the same grid.
#pragma once
#include "ui/plots/image_grid.h"
#include "core/data/dataset.h"
#include "core/metrics/metrics.h"

namespace senn::ui {

class PrototypeGrid : public ImageGrid {
    Q_OBJECT
public:
    explicit PrototypeGrid(QWidget* parent = nullptr);

    // data must be the dataset whose row indices prototypes refer to.
    void setPrototypes(const senn::metrics::Prototypes& prototypes, const senn::data::Dataset& data,
                       const std::vector<std::string>& conceptNames = {});
    // Shows only concept `concept` (-1: all rows again); ComparisonPanel's conceptClicked.
    void showConcept(int concept);
    int shownConcept() const { return m_only; }

    QString dataCsv() const override;  // concept,half,rank,row,h,label
    QString dataJson() const override;

private:
    void rebuildGrid();

    senn::metrics::Prototypes m_protos;
    std::vector<std::string> m_conceptNames;
    // Cells are copied at setPrototypes time so the dataset may go away afterwards.
    std::vector<std::vector<GridCell>> m_allCells;
    std::vector<std::vector<QString>> m_cellLabels;  // class name per cell, for CSV
    bool m_image = false;
    int m_only = -1;
};

} // namespace senn::ui
