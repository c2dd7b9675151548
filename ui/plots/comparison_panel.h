// The comparison view: one column per explanation method, lined up on a grid (row 1 titles,
// row 2 the main plot, all of one height: heat maps for images, bars for tabular data or
// SENN's relevance theta; row 3 captions with time and diagnostics). For images the input
// itself comes first, so every map sits next to what it explains. SENN's concept activations
// h and contributions theta*h follow in a row of their own under the grid.
// Ranges: heat maps share ONE symmetric colour scale; post-hoc attribution bars share one bar
// range with SENN's contributions theta*h (both are additive parts of the model output);
// SENN's theta (a coefficient per concept, in other units) and h each get their own range.
// Per-method normalisation gives every plot its own range. Clicking a concept emits
// conceptClicked. exportAll writes the whole panel as one figure.
#pragma once
#include "core/explain/explanation.h"

#include <QString>
#include <QWidget>

#include <cstdint>
#include <string>
#include <vector>

class QGridLayout;
class QLabel;

namespace senn::ui {

class BarChart;
class HeatmapView;
class PlotFrame;

// What the panel needs to know about the explained input.
struct ExplainInput {
    std::vector<float> values;               // raw input (images in [0,1])
    std::vector<int64_t> shape;              // {d} or {C,H,W}
    bool isImage = false;
    std::vector<std::string> featureNames;   // tabular
    QString title;                           // e.g. "Test row 12 - true 7, predicted 7 (98%)"
};

class ComparisonPanel : public QWidget {
    Q_OBJECT
public:
    explicit ComparisonPanel(QWidget* parent = nullptr);

    void setInput(const ExplainInput& input);
    const ExplainInput& input() const { return m_input; }
    void setExplanations(const std::vector<senn::explain::Explanation>& explanations);
    const std::vector<senn::explain::Explanation>& explanations() const { return m_explanations; }
    void clear();

    // Off (default): plots of the same kind share max |value| over all methods (see above).
    // On: each plot is scaled to its own max |value|.
    void setPerMethodNormalization(bool on);
    bool perMethodNormalization() const { return m_perMethod; }
    void setTopN(int n);                     // bar charts: 0 = all
    void setShowUnderlay(bool on);           // images: grayscale input under the heat map

    int columnCount() const { return static_cast<int>(m_columns.size()); }
    // Shared range of the attribution plots (heat maps, or post-hoc bars and SENN's theta*h);
    // 0 when empty.
    double sharedRange() const { return m_sharedRange; }
    // The main plot of column i: a HeatmapView or a BarChart (theta for SENN).
    PlotFrame* mainPlot(int column) const;
    HeatmapView* heatmap(int column) const;  // null for bar columns
    HeatmapView* inputView() const { return m_inputView; } // images: the input, left of the maps
    BarChart* bars(int column) const;        // null for heat map columns
    BarChart* conceptBars(int column) const; // SENN h bars; null otherwise
    BarChart* contributionBars(int column) const; // SENN theta*h; null otherwise
    QString columnTitle(int column) const;
    QString columnCaption(int column) const;

    // The whole panel as one figure (PNG/SVG/PDF by suffix); see export.h for sizes.
    bool exportAll(const QString& path, int width = 0, int height = 0, double scale = 1.0,
                   QString* error = nullptr);
    QString dataCsv() const;   // method,index,label,value[,h,contribution]
    QString dataJson() const;

public Q_SLOTS:
    void exportViewDialog();

Q_SIGNALS:
    void conceptClicked(int concept);
    void featureClicked(const QString& method, int index);
    void exported(const QString& path);
    void exportFailed(const QString& message);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    struct Column {
        QWidget* widget = nullptr;
        QLabel* title = nullptr;
        QLabel* caption = nullptr;
        HeatmapView* heatmap = nullptr;
        BarChart* bars = nullptr;
        BarChart* hBars = nullptr;
        BarChart* contribution = nullptr;
        QString baseCaption;      // captionFor(); applyRanges() may add a scale note
    };
    void rebuild();
    void applyRanges();
    QString captionFor(const senn::explain::Explanation& e) const;

    ExplainInput m_input;
    std::vector<senn::explain::Explanation> m_explanations;
    std::vector<Column> m_columns;
    QLabel* m_header = nullptr;
    QGridLayout* m_grid = nullptr;
    HeatmapView* m_inputView = nullptr;
    std::vector<QWidget*> m_extra; // input column and SENN detail row (rebuilt with the columns)
    bool m_perMethod = false, m_underlay = true;
    int m_topN = 0;
    double m_sharedRange = 0;
};

} // namespace senn::ui
