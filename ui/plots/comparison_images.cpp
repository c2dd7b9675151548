// The comparison of image explanations: the input first, then one heat map per method (SENN's
// cell of three bar charts where its concepts are not the pixels), laid out in as many rows as
// the panel's width needs.
#include "ui/plots/comparison_panel.h"

#include "core/explain/scale_group.h"
#include "ui/plots/bar_chart.h"
#include "ui/plots/comparison_internal.h"
#include "ui/plots/heatmap_view.h"
#include "ui/plots/plot_style.h"

#include <QBoxLayout>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace senn::ui {

void ComparisonPanel::rebuildImages()
{
    auto titleLabel = [this](const QString& text) {
        auto* l = new QLabel(text, this);
        QFont tf = plotTitleFont();
        l->setFont(tf);
        l->setAlignment(Qt::AlignCenter);
        l->setWordWrap(true); // a long method name must not widen its column
        return l;
    };
    auto captionLabel = [this](const QString& text) {
        auto* l = new QLabel(text, this);
        l->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
        l->setWordWrap(true);
        QFont cf = plotTickFont();
        l->setFont(cf);
        return l;
    };

    // Images: the input first, at the size of the maps, so every map sits next to its input.
    const bool anyHeatmap = std::any_of(m_explanations.begin(), m_explanations.end(), [](const auto& e) {
        return isImageShaped(e);
    });
    if (m_input.isImage && anyHeatmap && !m_input.values.empty()) {
        QLabel* t = titleLabel(tr("Input"));
        m_inputView = new HeatmapView(this);
        m_inputView->setExportName(QStringLiteral("input"));
        m_inputView->setValues(std::vector<float>(m_input.values.size(), 0.0f), m_input.shape);
        m_inputView->setUnderlay(m_input.values, m_input.shape);
        m_inputView->setUnderlayVisible(true);
        m_inputView->setOverlayOpacity(0.0); // the image alone
        m_inputView->setColorBarVisible(false);
        QLabel* cap = captionLabel(QString());
        m_extra = {t, m_inputView, cap};
        m_cells.push_back({t, m_inputView, cap});
    }

    for (size_t i = 0; i < m_explanations.size(); ++i) {
        const senn::explain::Explanation& e = m_explanations[i];
        Column col;
        col.title = titleLabel(explanationLabel(e));

        std::vector<std::string> labels = e.labels;
        if (labels.size() != e.values.size() && m_input.featureNames.size() == e.values.size())
            labels = m_input.featureNames;

        // SENN with the pixels as its concepts: a map of the contributions θ·h, as the other
        // SENN cells lead with them (h is the input, shown in the Input column).
        const bool sennPixels = isImageShaped(e) && isSennColumn(e) && e.contribution.size() == e.values.size();
        if (isImageShaped(e) && (!isSennColumn(e) || sennPixels)) {
            col.heatmap = new HeatmapView(this);
            col.heatmap->setExportName(QString::fromStdString(e.method));
            col.heatmap->setValues(sennPixels ? e.contribution : e.values, e.shape);
            if (sennPixels)
                col.title->setText(tr("SENN: contribution θ·h"));
            if (m_input.isImage && !m_input.values.empty())
                col.heatmap->setUnderlay(m_input.values, m_input.shape);
            col.heatmap->setUnderlayVisible(m_underlay);
            col.heatmap->setOverlayOpacity(m_opacity);
            col.heatmap->setColorBarLabel(QString()); // the column title says what it is; the map gets the width
            col.widget = col.heatmap;
        } else {
            const bool senn = isSennColumn(e);
            const QString method = QString::fromStdString(e.method);
            if (senn) {
                // One cell, three compact charts of the same concepts: the contributions θ·h
                // first (they sum to the logit: what argues for the class), then the
                // relevances θ and the activations h that make them.
                auto* cell = new QWidget(this);
                auto* v = new QVBoxLayout(cell);
                v->setContentsMargins(0, 0, 0, 0);
                v->setSpacing(2);
                auto chart = [&](const QString& name, const QString& title, const QString& unit,
                                 const std::vector<float>& values) {
                    auto* b = new BarChart(cell);
                    b->setExportName(name);
                    b->setTitle(title);
                    b->setValueLabel(unit);
                    b->setData(values, labels);
                    b->setTopN(m_topN);
                    b->setMinimumSize(0, 0);
                    passWheelToParent(b->plot());
                    v->addWidget(b);
                    return b;
                };
                // Short chart titles: side by side, a title that wraps in one chart and not in
                // the others would shift its rows off the others'. The column title names them.
                if (e.contribution.size() == e.values.size())
                    col.contribution = chart(QStringLiteral("senn-contribution"), tr("θ·h"), QString(), e.contribution);
                col.bars = chart(QStringLiteral("senn-theta"), tr("θ"), QString(), e.values);
                col.hBars = chart(QStringLiteral("senn-h"), tr("h"), QString(), e.h);
                col.widget = cell;
                col.title->setText(col.contribution ? tr("SENN: contribution θ·h = relevance θ × concept h")
                                                    : tr("SENN: relevance θ and concept h"));
                // The three charts list the same concepts: the top N by |theta*h| (or |theta|).
                const std::vector<float>& key = e.contribution.size() == e.values.size() ? e.contribution : e.values;
                std::vector<int> order(key.size());
                for (size_t k = 0; k < order.size(); ++k)
                    order[k] = static_cast<int>(k);
                if (m_topN > 0 && m_topN < static_cast<int>(order.size())) {
                    std::stable_sort(order.begin(), order.end(), [&key](int a, int b) {
                        return std::fabs(key[static_cast<size_t>(a)]) > std::fabs(key[static_cast<size_t>(b)]);
                    });
                    order.resize(static_cast<size_t>(m_topN));
                }
                const std::array<BarChart*, 3> trio{col.contribution, col.bars, col.hBars};
                for (BarChart* b : trio)
                    if (b)
                        b->setDisplayOrder(order);
                for (BarChart* b : trio)
                    if (b)
                        connect(b, &BarChart::barClicked, this, [this, trio](int idx) {
                            for (BarChart* o : trio)
                                if (o)
                                    o->setHighlighted(idx);
                            Q_EMIT conceptClicked(idx);
                        });
            } else {
                col.bars = new BarChart(this);
                col.bars->setExportName(QString::fromStdString(e.method));
                col.bars->setData(e.values, labels);
                col.bars->setTopN(m_topN);
                col.bars->setValueLabel(tr("attribution"));
                passWheelToParent(col.bars->plot());
                col.widget = col.bars;
                connect(col.bars, &BarChart::barClicked, this,
                        [this, method](int idx) { Q_EMIT featureClicked(method, idx); });
            }
        }

        col.group = QString::fromStdString(sennPixels ? senn::explain::contributionScaleGroup(e)
                                                      : senn::explain::scaleGroup(e));
        col.baseCaption = captionFor(e);
        col.caption = captionLabel(col.baseCaption);
        col.caption->setToolTip(diagnosticsTooltip(e));
        m_cells.push_back({col.title, col.widget, col.caption});
        m_columns.push_back(col);
    }
    // Each plot with its caption right under it, in one body, so a taller cell in the same
    // row (SENN's three charts) leaves its space under the caption, not between the two.
    for (const auto& cell : m_cells) {
        auto* body = new QWidget(this);
        auto* v = new QVBoxLayout(body);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(2);
        v->addWidget(cell[1]);
        v->addWidget(cell[2]);
        v->addStretch(1);
        m_bodies.push_back(body);
    }
    applyRanges();
    layoutImageCells(width());
}

// Image columns, all of one width, in as many rows as the width needs: a column never gets
// narrower than kMinColumn (a map of kMinSide and its colour bar), so nothing runs off the
// panel's right edge and no map is too small to read. Every map is given the same height
// (the column width less a colour bar, at most kMaxSide), so the images are drawn at one
// size whether or not a column shows its colour bar. SENN's cell takes two columns when the
// row has them, its three charts side by side at the maps' height (one row of names, on
// θ·h); in a single column they are stacked.
void ComparisonPanel::layoutImageCells(int panelWidth)
{
    if (m_cells.empty() || panelWidth <= 0)
        return;
    constexpr int kBarWidth = 92, kMinSide = 120, kMinColumn = kMinSide + kBarWidth, kMaxSide = 420,
                  kMapPad = 28;
    auto isStack = [](const QWidget* w) { return !qobject_cast<const PlotFrame*>(w); }; // SENN's three charts
    int slotCount = 0;
    for (const auto& cell : m_cells)
        slotCount += isStack(cell[1]) ? 2 : 1;
    const QMargins cm = layout()->contentsMargins();
    const int sp = std::max(0, m_grid->horizontalSpacing());
    const int avail = std::max(kMinColumn, panelWidth - cm.left() - cm.right());
    const int perRow = std::clamp((avail + sp) / (kMinColumn + sp), 1, slotCount);
    const int colW = (avail - sp * (perRow - 1)) / perRow;
    const int side = std::clamp(colW - kBarWidth, 60, kMaxSide);
    if (panelWidth == m_layoutWidth)
        return;
    m_layoutWidth = panelWidth;
    for (size_t i = 0; i < m_cells.size(); ++i) {
        m_grid->removeWidget(m_cells[i][0]);
        m_grid->removeWidget(m_bodies[i]);
    }
    for (int r = 0; r < m_grid->rowCount(); ++r)
        m_grid->setRowStretch(r, 0);
    for (int c = 0; c < std::max(m_grid->columnCount(), perRow); ++c)
        m_grid->setColumnStretch(c, c < perRow ? 1 : 0);
    int row = 0, slot = 0;
    for (size_t i = 0; i < m_cells.size(); ++i) {
        QWidget* plotWidget = m_cells[i][1];
        const int span = isStack(plotWidget) ? std::min(2, perRow) : 1;
        if (slot + span > perRow)
            slot = 0, ++row;
        plotWidget->setMinimumWidth(std::min(colW, kMinColumn) / 2);
        if (auto* map = qobject_cast<HeatmapView*>(plotWidget)) {
            const double aspect = map->mapWidth() > 0 ? double(map->mapHeight()) / map->mapWidth() : 1.0;
            map->setFixedHeight(static_cast<int>(std::lround(side * std::clamp(aspect, 0.05, 4.0))) + kMapPad);
        } else {
            plotWidget->setFixedHeight(layoutBarCell(plotWidget, side + kMapPad, span > 1));
        }
        m_grid->addWidget(m_cells[i][0], 2 * row, slot, 1, span);
        m_grid->addWidget(m_bodies[i], 2 * row + 1, slot, 1, span);
        slot += span;
    }
    m_grid->setRowStretch(2 * (row + 1), 1); // spare height below, not between the rows
}

// A bar cell's height: one chart with room for the names of the bars it lists, at least as
// tall as the maps beside it; SENN's three charts side by side (at the maps' height) or
// stacked, the names on the first only when side by side (the rows line up).
int ComparisonPanel::layoutBarCell(QWidget* cell, int mapHeight, bool sideBySide)
{
    static constexpr int kChartBase = 56, kPerBar = 15, kMinChart = 110, kMaxChart = 240;
    auto chartHeight = [](const BarChart* b) {
        return std::clamp(kChartBase + kPerBar * b->barCount(), kMinChart, kMaxChart);
    };
    if (auto* one = qobject_cast<BarChart*>(cell))
        return std::max({mapHeight, 220, chartHeight(one)});
    const QList<BarChart*> charts = cell->findChildren<BarChart*>(QString(), Qt::FindDirectChildrenOnly);
    auto* box = qobject_cast<QBoxLayout*>(cell->layout());
    if (charts.isEmpty() || !box)
        return std::max(mapHeight, 220);
    box->setDirection(sideBySide ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
    const QStringList names = charts.front()->labels();
    int h = 0;
    for (int i = 0; i < charts.size(); ++i) {
        BarChart* b = charts[i];
        if (i > 0) {
            QStringList shown = names;
            if (sideBySide)
                shown.fill(QString());
            if (b->labels() != shown)
                b->setData(b->values(), shown);
        }
        box->setStretch(i, sideBySide ? (i == 0 ? 4 : 3) : 0);
        const int ch = chartHeight(b);
        h = sideBySide ? std::max(h, ch) : h + ch;
        if (!sideBySide)
            b->setFixedHeight(ch);
    }
    if (sideBySide) {
        h = std::max(h, mapHeight);
        for (BarChart* b : charts)
            b->setFixedHeight(h);
        return h;
    }
    return h + box->spacing() * int(charts.size() - 1);
}

} // namespace senn::ui
