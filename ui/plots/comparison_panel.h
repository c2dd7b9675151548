// The comparison view: one column per explanation method, lined up on a grid (row 1 titles,
// row 2 the main plot, all of one height: heat maps for images, bars for SENN; row 3 captions
// with time and diagnostics). For images the input itself comes first, so every map sits next
// to what it explains. SENN's cell leads with the contributions θ·h (what pushes for or
// against the class; θ alone reads "against" whenever the concepts are negative), with the
// relevances θ and the activations h beside it, so all three are seen at once.
// Tabular data: instead of one bar chart per method, a features × methods grid
// (AttributionGrid: names once on the left, one narrow bar column per method, SENN's θ, h and
// θ·h as columns too, sorted by mean |attribution|, top K, default 15), an agreement table
// under it (per pair of methods: Spearman ρ of |attribution| and the top-5 overlap) and one
// caption line per method.
// Ranges: by default every column / map has its own symmetric scale ±max|value| with its own
// colour bar or axis numbers. The shared scale (setSharedScale) makes methods in the same
// unit share one (core's scaleGroup: additive attributions of one output, SENN's θ·h among
// them; plain gradients of one output); SENN's θ and h keep their own. Clicking a concept
// emits conceptClicked. exportAll writes the whole panel as one figure, laid out at least at
// its minimum size and scaled to the requested one.
// The class is spread over files by concept: comparison_panel.cpp (state, rebuild),
// comparison_images.cpp, comparison_tabular.cpp, comparison_scale.cpp, comparison_captions.cpp
// and comparison_export.cpp.
#pragma once
#include "core/explain/explanation.h"
#include "ui/plots/export.h" // dataCsv() users write through writeTextFileAtomic and csvField

#include <QString>
#include <QWidget>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

class QGridLayout;
class QLabel;
class QTableWidget;

namespace senn::ui {

class AttributionGrid;
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
    qint64 row = -1;                         // the dataset row explained (in every export); -1 none
};

// A method's name as the run made it: "Shapley (exact)" or "Shapley (sampled, N
// permutations)", "KernelSHAP (N coalitions)"; the plain display name for the others.
QString explanationLabel(const senn::explain::Explanation& e);

class ComparisonPanel : public QWidget {
    Q_OBJECT
public:
    explicit ComparisonPanel(QWidget* parent = nullptr);

    void setInput(const ExplainInput& input);
    const ExplainInput& input() const { return m_input; }
    void setExplanations(const std::vector<senn::explain::Explanation>& explanations);
    const std::vector<senn::explain::Explanation>& explanations() const { return m_explanations; }
    void clear();

    // Off (default): each column on its own scale. On: methods in the same unit share one.
    void setSharedScale(bool on) { setPerMethodNormalization(!on); }
    bool sharedScale() const { return !m_perMethod; }
    // The same switch, inverted (kept for callers of the earlier API).
    void setPerMethodNormalization(bool on);
    bool perMethodNormalization() const { return m_perMethod; }
    void setTopN(int n);                     // grid rows / bars: 0 = all (default 15)
    int topN() const { return m_topN; }
    // Tabular data: the features × methods grid, SENN's concept grid (concepts that are not
    // the features), and the agreement table (rows: pairs; columns: pair, ρ, top-k overlap).
    AttributionGrid* featureGrid() const { return m_featureGrid; }
    AttributionGrid* conceptGrid() const { return m_conceptGrid; }
    QTableWidget* agreementTable() const { return m_agreement; }
    // Images: the input under each heat map (overlay, default) or only beside them (the Input
    // column, "side by side"); and the overlay's opacity (0..1, default 0.8).
    void setShowUnderlay(bool on);
    bool showUnderlay() const { return m_underlay; }
    void setOverlayOpacity(double opacity);
    double overlayOpacity() const { return m_opacity; }

    int columnCount() const { return static_cast<int>(m_columns.size()); }
    // Shared range of the attribution plots (heat maps, or post-hoc bars and SENN's theta*h);
    // 0 when empty.
    double sharedRange() const { return m_sharedRange; }
    // The main plot of column i: a HeatmapView or a BarChart (theta*h for SENN).
    PlotFrame* mainPlot(int column) const;
    HeatmapView* heatmap(int column) const;  // null for bar columns
    HeatmapView* inputView() const { return m_inputView; } // images: the input, left of the maps
    BarChart* bars(int column) const;        // SENN: theta; null for heat map columns
    BarChart* conceptBars(int column) const; // SENN h bars; null otherwise
    BarChart* contributionBars(int column) const; // SENN theta*h; null otherwise
    QString columnTitle(int column) const;
    QLabel* titleLabel(int column) const;
    QString columnCaption(int column) const;

    // Shows `explanations` with other's input and display settings (scale, top N, underlay,
    // opacity): the detached copies that figures are rendered from.
    void showLike(const ComparisonPanel& other, const std::vector<senn::explain::Explanation>& explanations);
    // The whole panel as one figure (PNG/SVG/PDF by suffix); see export.h for sizes. A panel
    // inside another widget (the Explain view's scroll area) renders a detached copy.
    bool exportAll(const QString& path, int width = 0, int height = 0, double scale = 1.0,
                   QString* error = nullptr);
    // row,method,method_label,index,label,value,h,contribution (row: the dataset row)
    QString dataCsv() const;
    // {input, row, shared_range, per_method_normalization, methods: one object per
    // explanation, in the keys of `senn explain --json` (core/io/explanation_json.h)}.
    QString dataJson() const;
    // dataJson() to a .json path, dataCsv() to any other; written atomically.
    bool exportData(const QString& path, QString* error = nullptr) const;

public Q_SLOTS:
    void exportViewDialog();

Q_SIGNALS:
    void conceptClicked(int concept);
    void featureClicked(const QString& method, int index);
    void exported(const QString& path);
    void exportFailed(const QString& message);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

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
        QString group;            // core's scaleGroup (see setSharedScale)
    };
    void rebuild();        // clears the columns, then one of:
    void rebuildImages();  // comparison_images.cpp
    void rebuildTabular(); // comparison_tabular.cpp
    void applyRanges();    // comparison_scale.cpp
    void layoutImageCells(int panelWidth);
    int layoutBarCell(QWidget* cell, int mapHeight, bool sideBySide);

    ExplainInput m_input;
    std::vector<senn::explain::Explanation> m_explanations;
    std::vector<Column> m_columns;
    QLabel* m_header = nullptr;
    QGridLayout* m_grid = nullptr;
    HeatmapView* m_inputView = nullptr;
    std::vector<QWidget*> m_extra; // the input column (rebuilt with the columns)
    std::vector<std::array<QWidget*, 3>> m_cells; // images: title, plot, caption per column
    std::vector<QWidget*> m_bodies;                // images: plot and caption, one per cell
    int m_layoutWidth = -1;        // the width m_cells were last laid out for
    double m_opacity = 0.8;
    AttributionGrid* m_featureGrid = nullptr;
    AttributionGrid* m_conceptGrid = nullptr;
    QTableWidget* m_agreement = nullptr;
    QLabel* m_gridNote = nullptr;
    bool m_perMethod = true, m_underlay = true;
    int m_topN = 15;
    double m_sharedRange = 0;
};

} // namespace senn::ui
