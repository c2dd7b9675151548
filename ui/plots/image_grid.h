// A grid of thumbnails drawn from float images in [0,1] (C,H,W; 1 or 3 channels) with row
// labels on the left, column headers on top and an optional caption under each cell; drawn
// inside QCustomPlot so it exports like every other plot. Cells without pixels show text.
#pragma once
#include "ui/plots/plot_frame.h"

#include <QImage>

#include <cstdint>
#include <vector>

namespace senn::ui {

struct GridCell {
    std::vector<float> pixels;      // C*H*W in [0,1]; empty: a text-only cell
    std::vector<int64_t> shape;     // {C,H,W} or {H,W}
    QString caption;                // under the thumbnail, or the cell text
};

// Float image in [0,1] -> QImage (gray for C=1, RGB for C=3). Values are clamped.
QImage floatImageToQImage(const std::vector<float>& pixels, const std::vector<int64_t>& shape);

class ImageGrid : public PlotFrame {
    Q_OBJECT
public:
    explicit ImageGrid(QWidget* parent = nullptr);

    // cells[row][col]; rows may have different lengths.
    void setCells(const std::vector<std::vector<GridCell>>& cells,
                  const QStringList& rowLabels = {}, const QStringList& columnLabels = {});
    // Header spans above groups of columns, e.g. {"top", 8}, {"bottom", 8}.
    void setColumnGroups(const std::vector<std::pair<QString, int>>& groups);
    void clear();
    void setHighlightedRow(int row);     // -1 none

    int rowCount() const { return static_cast<int>(m_cells.size()); }
    int columnCount() const;

    QString dataCsv() const override;    // row,col,row_label,caption
    QString dataJson() const override;

Q_SIGNALS:
    void cellClicked(int row, int column);

private:
    void rebuild();

    std::vector<std::vector<GridCell>> m_cells;
    QStringList m_rowLabels, m_columnLabels;
    std::vector<std::pair<QString, int>> m_groups;
    int m_highlightedRow = -1;
};

} // namespace senn::ui
