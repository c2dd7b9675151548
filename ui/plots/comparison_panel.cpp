// ComparisonPanel's frame: its state, the accessors, and rebuild(), which clears the columns
// and hands over to the image layout (comparison_images.cpp) or the tabular grid
// (comparison_tabular.cpp).
#include "ui/plots/comparison_panel.h"

#include "ui/plots/attribution_grid.h"
#include "ui/plots/bar_chart.h"
#include "ui/plots/comparison_internal.h"
#include "ui/plots/heatmap_view.h"
#include "ui/plots/plot_style.h"

#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace senn::ui {

ComparisonPanel::ComparisonPanel(QWidget* parent) : QWidget(parent)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);
    outer->setSpacing(4);
    m_header = new QLabel(this);
    QFont f = plotTitleFont();
    m_header->setFont(f);
    m_header->setAlignment(Qt::AlignCenter);
    m_header->setVisible(false);
    outer->addWidget(m_header);
    m_grid = new QGridLayout;
    m_grid->setHorizontalSpacing(8);
    m_grid->setVerticalSpacing(2);
    outer->addLayout(m_grid, 1);
    setAutoFillBackground(true);
}

void ComparisonPanel::setInput(const ExplainInput& input)
{
    m_input = input;
    rebuild();
}

void ComparisonPanel::setExplanations(const std::vector<senn::explain::Explanation>& explanations)
{
    m_explanations = explanations;
    rebuild();
}

void ComparisonPanel::clear()
{
    m_explanations.clear();
    rebuild();
}

void ComparisonPanel::setPerMethodNormalization(bool on)
{
    m_perMethod = on;
    if (m_featureGrid)
        m_featureGrid->setSharedScale(!on);
    if (m_conceptGrid)
        m_conceptGrid->setSharedScale(!on);
    applyRanges();
}

void ComparisonPanel::setTopN(int n)
{
    m_topN = n;
    rebuild();
}

void ComparisonPanel::setShowUnderlay(bool on)
{
    m_underlay = on;
    for (const Column& c : m_columns)
        if (c.heatmap)
            c.heatmap->setUnderlayVisible(on);
}

void ComparisonPanel::setOverlayOpacity(double opacity)
{
    m_opacity = std::isfinite(opacity) ? std::clamp(opacity, 0.0, 1.0) : 0.8;
    for (const Column& c : m_columns)
        if (c.heatmap)
            c.heatmap->setOverlayOpacity(m_opacity);
}

PlotFrame* ComparisonPanel::mainPlot(int column) const
{
    if (column < 0 || column >= columnCount())
        return nullptr;
    const Column& c = m_columns[static_cast<size_t>(column)];
    if (c.heatmap)
        return c.heatmap;
    return c.contribution ? c.contribution : c.bars;
}

HeatmapView* ComparisonPanel::heatmap(int column) const
{
    return column >= 0 && column < columnCount() ? m_columns[static_cast<size_t>(column)].heatmap : nullptr;
}

BarChart* ComparisonPanel::bars(int column) const
{
    return column >= 0 && column < columnCount() ? m_columns[static_cast<size_t>(column)].bars : nullptr;
}

BarChart* ComparisonPanel::conceptBars(int column) const
{
    return column >= 0 && column < columnCount() ? m_columns[static_cast<size_t>(column)].hBars : nullptr;
}

BarChart* ComparisonPanel::contributionBars(int column) const
{
    return column >= 0 && column < columnCount() ? m_columns[static_cast<size_t>(column)].contribution
                                                 : nullptr;
}

QString ComparisonPanel::columnTitle(int column) const
{
    return column >= 0 && column < columnCount() ? m_columns[static_cast<size_t>(column)].title->text()
                                                 : QString();
}

QLabel* ComparisonPanel::titleLabel(int column) const
{
    return column >= 0 && column < columnCount() ? m_columns[static_cast<size_t>(column)].title : nullptr;
}

QString ComparisonPanel::columnCaption(int column) const
{
    return column >= 0 && column < columnCount() ? m_columns[static_cast<size_t>(column)].caption->text()
                                                 : QString();
}

void ComparisonPanel::rebuild()
{
    for (Column& c : m_columns) {
        delete c.title;
        delete c.widget;
        delete c.caption;
    }
    m_columns.clear();
    for (QWidget* w : m_extra)
        delete w;
    m_extra.clear();
    for (QWidget* w : m_bodies) // emptied by now: their plots and captions went above
        delete w;
    m_bodies.clear();
    m_inputView = nullptr;
    m_cells.clear();
    m_layoutWidth = -1;
    m_featureGrid = m_conceptGrid = nullptr;
    m_agreement = nullptr;
    m_gridNote = nullptr;
    for (int r = 0; r < m_grid->rowCount(); ++r)
        m_grid->setRowStretch(r, 0);
    for (int c = 0; c < m_grid->columnCount(); ++c)
        m_grid->setColumnStretch(c, 0);
    m_header->setText(m_input.title);
    m_header->setVisible(!m_input.title.isEmpty());
    if (m_explanations.empty())
        return;
    if (!m_input.isImage && std::none_of(m_explanations.begin(), m_explanations.end(), isImageShaped))
        return rebuildTabular();
    rebuildImages();
}

void ComparisonPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    layoutImageCells(width());
}

void ComparisonPanel::showLike(const ComparisonPanel& other, const std::vector<explain::Explanation>& explanations)
{
    setInput(other.input());
    setSharedScale(other.sharedScale());
    setTopN(other.topN());
    setShowUnderlay(other.showUnderlay());
    setOverlayOpacity(other.overlayOpacity());
    setExplanations(explanations);
}

bool ComparisonPanel::exportAll(const QString& path, int width, int height, double scale,
                                QString* error)
{
    // Inside a scroll area the export's resize is undone at once (the area fits its widget to
    // the viewport), so image rows would be laid out for one width and drawn at another: a
    // top-level copy that is never on screen is laid out and drawn at the figure's size.
    if (parentWidget()) {
        ComparisonPanel copy;
        copy.setAttribute(Qt::WA_DontShowOnScreen, true);
        copy.showLike(*this, m_explanations);
        return copy.exportAll(path, width > 0 ? width : this->width(), height > 0 ? height : this->height(),
                              scale, error);
    }
    // A hidden panel gets no resize event from the export's resize: lay the columns out for
    // the figure's width here, and for the panel's own width again afterwards.
    layoutImageCells(width > 0 ? width : this->width());
    const bool ok = exportWidget(this, path, width, height, scale, error);
    layoutImageCells(this->width());
    return ok;
}

} // namespace senn::ui
