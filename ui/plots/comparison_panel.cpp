#include "ui/plots/comparison_panel.h"

#include "ui/plots/attribution_grid.h"
#include "ui/plots/bar_chart.h"
#include "ui/plots/export.h"
#include "ui/plots/heatmap_view.h"
#include "ui/plots/plot_style.h"

#include <QContextMenuEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QTableWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace senn::ui {

static bool isSennColumn(const senn::explain::Explanation& e)
{
    return e.method == "senn" && !e.h.empty() && e.h.size() == e.values.size();
}

static bool isImageShaped(const senn::explain::Explanation& e)
{
    return e.shape.size() == 3 || e.shape.size() == 2;
}

// The unit a method's values are in, for the shared scale: additive attributions of the same
// output share one, plain gradients of the same output another; "" = only its own.
static QString scaleGroup(const senn::explain::Explanation& e)
{
    const auto it = e.diagnostics.find("output_logit");
    const QString output = it == e.diagnostics.end() || it->second > 0.5 ? QStringLiteral("logit")
                                                                         : QStringLiteral("probability");
    if (e.method == "saliency" || e.method == "smoothgrad")
        return QStringLiteral("gradient:") + output;
    if (e.method == "lime" || e.method == "kernel-shap" || e.method == "shapley" || e.method == "grad-input"
        || e.method == "integrated-gradients" || e.method == "occlusion")
        return QStringLiteral("additive:") + output;
    return {};
}

QString explanationLabel(const senn::explain::Explanation& e)
{
    const auto& d = e.diagnostics;
    auto get = [&d](const char* k) {
        const auto it = d.find(k);
        return it != d.end() && std::isfinite(it->second) ? it->second : -1.0;
    };
    // Shapley is enumerated only up to the exact limit; above it, permutations are sampled.
    if (e.method == "shapley") {
        if (get("exact") == 1.0)
            return QObject::tr("Shapley (exact)");
        if (get("exact") == 0.0)
            return get("permutations") > 0
                ? QObject::tr("Shapley (sampled, %1 permutations)").arg(qint64(get("permutations")))
                : QObject::tr("Shapley (sampled)");
    }
    if (e.method == "kernel-shap" && get("coalitions") > 0)
        return get("full_enumeration") == 1.0
            ? QObject::tr("KernelSHAP (all %1 coalitions)").arg(qint64(get("coalitions")))
            : QObject::tr("KernelSHAP (%1 coalitions)").arg(qint64(get("coalitions")));
    return methodLabel(e.method);
}

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

static QString num(double v)
{
    return QString::number(v, 'g', 3);
}

QString ComparisonPanel::captionFor(const senn::explain::Explanation& e) const
{
    const auto& d = e.diagnostics;
    auto has = [&](const char* k) { return d.count(k) > 0 && std::isfinite(d.at(k)); };
    QStringList parts;
    const double ms = e.seconds * 1000.0;
    parts << (ms >= 1000 ? tr("%1 s").arg(e.seconds, 0, 'f', 2) : tr("%1 ms").arg(ms, 0, 'f', ms < 10 ? 1 : 0));
    if (has("r2"))
        parts << QStringLiteral("R² %1").arg(d.at("r2"), 0, 'f', 3);
    if (has("sum_phi")) {
        QString s = QStringLiteral("Σφ %1").arg(num(d.at("sum_phi")));
        if (has("fx") && has("expected_value"))
            s += QStringLiteral(" (f−E f %1)").arg(num(d.at("fx") - d.at("expected_value")));
        parts << s;
    } else if (has("sum_attributions")) {
        parts << QStringLiteral("Σφ %1").arg(num(d.at("sum_attributions")));
    }
    if (has("completeness_gap"))
        parts << tr("gap %1").arg(num(d.at("completeness_gap")));
    else if (has("efficiency_gap"))
        parts << tr("gap %1").arg(num(d.at("efficiency_gap")));
    if (e.modelRows > 0)
        parts << tr("%L1 model rows").arg(e.modelRows);
    // Which output the values explain: LIME and SHAP the probability (cli.md), the gradient
    // family the logit, so their magnitudes differ on the shared scale.
    if (has("output_logit") && e.method != "senn" && e.method != "flint")
        parts << (d.at("output_logit") > 0.5 ? tr("explains the logit") : tr("explains the probability"));
    return parts.join(QStringLiteral(" · "));
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

        col.group = sennPixels ? QStringLiteral("additive:logit") : scaleGroup(e);
        col.baseCaption = captionFor(e);
        col.caption = captionLabel(col.baseCaption);
        QStringList tip;
        for (const auto& [k, val] : e.diagnostics)
            tip << QStringLiteral("%1 = %2").arg(QString::fromStdString(k)).arg(val, 0, 'g', 6);
        col.caption->setToolTip(tip.join(QLatin1Char('\n')));
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

void ComparisonPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    layoutImageCells(width());
}

void ComparisonPanel::applyRanges()
{
    if (m_featureGrid || m_conceptGrid) { // tabular: the grids scale themselves
        if (m_gridNote && m_featureGrid)
            m_gridNote->setText(
                tr("%1 of %2 features, sorted by mean |attribution| (each column normalised to its max). "
                   "%3")
                    .arg(m_featureGrid->shownRows().size()).arg(m_featureGrid->rowCount())
                    .arg(m_perMethod ? tr("Each column has its own symmetric scale: ±max |value| over the "
                                          "features shown, under its title.")
                                     : tr("Shared scale: additive attributions of the same output share one "
                                          "bound (max |value| over the features shown); SENN's θ and h keep "
                                          "their own.")));
        return;
    }
    // One R per scale group (heat maps), and per kind of bar: additive attributions (post-hoc
    // bars and SENN's theta*h); SENN's theta; SENN's h.
    auto groupRange = [this](const Column& of) {
        double r = of.heatmap ? of.heatmap->maxAbsValue() : 0.0;
        if (!of.group.isEmpty())
            for (const Column& c : m_columns)
                if (c.heatmap && c.group == of.group)
                    r = std::max(r, c.heatmap->maxAbsValue());
        return r;
    };
    double heatR = 0, barR = 0, thetaR = 0, hR = 0;
    for (const Column& c : m_columns) {
        if (c.heatmap)
            heatR = std::max(heatR, c.heatmap->maxAbsValue());
        if (c.bars && c.hBars)
            thetaR = std::max(thetaR, c.bars->maxAbsValue());
        else if (c.bars)
            barR = std::max(barR, c.bars->maxAbsValue());
        if (c.contribution)
            barR = std::max(barR, c.contribution->maxAbsValue());
        if (c.hBars)
            hR = std::max(hR, c.hBars->maxAbsValue());
    }
    m_sharedRange = heatR > 0 ? heatR : barR;
    for (int i = 0; i < columnCount(); ++i) {
        const Column& c = m_columns[static_cast<size_t>(i)];
        if (c.heatmap) {
            const double r = groupRange(c);
            c.heatmap->setRange(m_perMethod || !(r > 0) ? 0.0 : r);
            // Its own scale: its own colour bar; a shared one: one bar, on the group's last map.
            bool lastOfGroup = true;
            for (int j = i + 1; j < columnCount(); ++j)
                if (m_columns[size_t(j)].heatmap && !c.group.isEmpty() && m_columns[size_t(j)].group == c.group)
                    lastOfGroup = false;
            const bool bar = m_perMethod || c.group.isEmpty() || lastOfGroup;
            c.heatmap->setColorBarVisible(bar);
        }
        if (c.bars) {
            const double r = c.hBars ? thetaR : barR;
            c.bars->setRange(m_perMethod || !(r > 0) ? 0.0 : r);
        }
        if (c.contribution)
            c.contribution->setRange(m_perMethod || !(barR > 0) ? 0.0 : barR);
        if (c.hBars)
            c.hBars->setRange(m_perMethod || !(hR > 0) ? 0.0 : hR);
        // On a shared scale a method far smaller than the largest of its group looks blank:
        // say how faint it is.
        if (c.caption) {
            QString text = c.baseCaption;
            const double own = c.heatmap ? c.heatmap->maxAbsValue() : (c.bars && !c.hBars ? c.bars->maxAbsValue() : -1.0);
            const double shared = c.heatmap ? groupRange(c) : barR;
            if (!m_perMethod && own >= 0 && shared > 0 && own < 0.1 * shared)
                text += tr(" · peak %1% of the shared scale (turn Shared scale off to see it)")
                            .arg(100.0 * own / shared, 0, own < 0.01 * shared ? 'g' : 'f', own < 0.01 * shared ? 2 : 0);
            c.caption->setText(text);
        }
    }
}

void ComparisonPanel::rebuildTabular()
{
    const size_t d = !m_input.featureNames.empty() ? m_input.featureNames.size()
                                                   : m_explanations.front().values.size();
    QStringList names;
    for (size_t j = 0; j < d; ++j)
        names << (j < m_input.featureNames.size() ? QString::fromStdString(m_input.featureNames[j])
                                                  : QStringLiteral("x%1").arg(j));
    std::vector<GridColumn> features, concepts;
    QStringList conceptNames;
    struct Attr { QString name; std::vector<float> values; };
    std::vector<Attr> attrs; // for the agreement table: one attribution per method
    for (const auto& e : m_explanations) {
        const QString title = explanationLabel(e);
        if (isSennColumn(e)) {
            const bool onFeatures = e.values.size() == d;
            auto& to = onFeatures ? features : concepts;
            to.push_back({tr("SENN θ"), e.method, e.values, QString()});
            to.push_back({tr("SENN h"), e.method, e.h, QString()});
            const bool hasContribution = e.contribution.size() == e.values.size();
            if (hasContribution)
                to.push_back({tr("SENN θ·h"), e.method, e.contribution, QStringLiteral("additive:logit")});
            if (!onFeatures && conceptNames.isEmpty())
                for (size_t k = 0; k < e.values.size(); ++k)
                    conceptNames << (k < e.labels.size() ? QString::fromStdString(e.labels[k])
                                                         : QStringLiteral("h%1").arg(k + 1));
            if (onFeatures)
                attrs.push_back({hasContribution ? tr("SENN θ·h") : tr("SENN θ"),
                                 hasContribution ? e.contribution : e.values});
        } else if (e.values.size() == d) {
            features.push_back({title, e.method, e.values, scaleGroup(e)});
            attrs.push_back({title, e.values});
        } else {
            concepts.push_back({title, e.method, e.values, QString()});
            if (conceptNames.isEmpty())
                for (size_t k = 0; k < e.values.size(); ++k)
                    conceptNames << (k < e.labels.size() ? QString::fromStdString(e.labels[k])
                                                         : QStringLiteral("%1").arg(k + 1));
        }
    }
    int row = 0;
    auto sectionLabel = [this](const QString& text) {
        auto* l = new QLabel(text, this);
        l->setFont(plotLabelFont());
        l->setWordWrap(true);
        m_extra.push_back(l);
        return l;
    };
    if (!features.empty()) {
        m_featureGrid = new AttributionGrid(this);
        m_featureGrid->setTopK(m_topN);
        m_featureGrid->setSharedScale(!m_perMethod);
        m_featureGrid->setData(names, features);
        connect(m_featureGrid, &AttributionGrid::rowClicked, this, [this](int idx) {
            for (const auto& e : m_explanations)
                if (isSennColumn(e) && int(e.values.size()) == m_featureGrid->rowCount()) {
                    Q_EMIT conceptClicked(idx); // identity concepts: the feature is the concept
                    return;
                }
            Q_EMIT featureClicked(QString(), idx);
        });
        m_extra.push_back(m_featureGrid);
        m_grid->addWidget(m_featureGrid, row++, 0, 1, 2);
        m_gridNote = sectionLabel(QString());
        QFont nf = plotTickFont();
        m_gridNote->setFont(nf);
        m_grid->addWidget(m_gridNote, row++, 0, 1, 2);
    }
    if (!concepts.empty()) {
        m_grid->addWidget(sectionLabel(tr("<b>SENN concepts</b> (learned concepts, not the features)")), row++, 0, 1, 2);
        m_conceptGrid = new AttributionGrid(this);
        m_conceptGrid->setObjectName("conceptGrid");
        m_conceptGrid->setTopK(0);
        m_conceptGrid->setSharedScale(!m_perMethod);
        m_conceptGrid->setData(conceptNames, concepts);
        connect(m_conceptGrid, &AttributionGrid::rowClicked, this, &ComparisonPanel::conceptClicked);
        m_extra.push_back(m_conceptGrid);
        m_grid->addWidget(m_conceptGrid, row++, 0, 1, 2);
    }
    if (attrs.size() >= 2) {
        const int k = std::min<int>(5, int(d));
        m_grid->addWidget(sectionLabel(tr("<b>Agreement</b> between methods on this example: rank correlation "
                                          "of |attribution| and overlap of the top %1 features").arg(k)),
                          row++, 0, 1, 2);
        m_agreement = new QTableWidget(this);
        m_agreement->setObjectName("agreementTable");
        m_agreement->setColumnCount(3);
        m_agreement->setHorizontalHeaderLabels({tr("Methods"), tr("Spearman ρ"), tr("Top-%1 overlap").arg(k)});
        m_agreement->verticalHeader()->setVisible(false);
        m_agreement->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_agreement->setSelectionMode(QAbstractItemView::NoSelection);
        m_agreement->setFocusPolicy(Qt::NoFocus);
        m_agreement->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        m_agreement->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        for (size_t a = 0; a < attrs.size(); ++a)
            for (size_t b = a + 1; b < attrs.size(); ++b) {
                const int r = m_agreement->rowCount();
                m_agreement->insertRow(r);
                const double rho = spearmanAbs(attrs[a].values, attrs[b].values);
                const double ov = topKOverlap(attrs[a].values, attrs[b].values, k);
                auto* pair = new QTableWidgetItem(attrs[a].name + QStringLiteral(" – ") + attrs[b].name);
                auto* rc = new QTableWidgetItem(std::isfinite(rho) ? QString::number(rho, 'f', 2) : QStringLiteral("–"));
                auto* oc = new QTableWidgetItem(std::isfinite(ov) ? QStringLiteral("%1/%2").arg(int(std::lround(ov * k))).arg(k)
                                                                  : QStringLiteral("–"));
                rc->setData(Qt::UserRole, rho);
                oc->setData(Qt::UserRole, ov);
                rc->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                oc->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_agreement->setItem(r, 0, pair);
                m_agreement->setItem(r, 1, rc);
                m_agreement->setItem(r, 2, oc);
            }
        m_agreement->resizeColumnsToContents();
        m_agreement->resizeRowsToContents();
        m_agreement->horizontalHeader()->setStretchLastSection(false);
        int w = 2 * m_agreement->frameWidth() + 4, h = 2 * m_agreement->frameWidth() + m_agreement->horizontalHeader()->sizeHint().height();
        for (int c = 0; c < 3; ++c)
            w += m_agreement->columnWidth(c) + 12;
        for (int r = 0; r < m_agreement->rowCount(); ++r)
            h += m_agreement->rowHeight(r);
        for (int c = 0; c < 3; ++c)
            m_agreement->setColumnWidth(c, m_agreement->columnWidth(c) + 12);
        m_agreement->setFixedSize(w, h);
        m_extra.push_back(m_agreement);
        m_grid->addWidget(m_agreement, row++, 0, 1, 2, Qt::AlignLeft);
    }
    // One caption per method: time and diagnostics (R², Σφ, completeness gap).
    auto titleLabel = [this](const QString& text) {
        auto* l = new QLabel(text, this);
        QFont tf = plotTickFont();
        tf.setBold(true);
        l->setFont(tf);
        l->setAlignment(Qt::AlignRight | Qt::AlignTop);
        return l;
    };
    for (const auto& e : m_explanations) {
        Column col;
        col.title = titleLabel(explanationLabel(e));
        col.baseCaption = captionFor(e);
        col.caption = new QLabel(col.baseCaption, this);
        col.caption->setWordWrap(true);
        QFont cf = plotTickFont();
        col.caption->setFont(cf);
        QStringList tip;
        for (const auto& [key, val] : e.diagnostics)
            tip << QStringLiteral("%1 = %2").arg(QString::fromStdString(key)).arg(val, 0, 'g', 6);
        col.caption->setToolTip(tip.join(QLatin1Char('\n')));
        col.group = scaleGroup(e);
        m_grid->addWidget(col.title, row, 0);
        m_grid->addWidget(col.caption, row++, 1);
        m_columns.push_back(col);
    }
    m_grid->setColumnStretch(1, 1);
    m_grid->setRowStretch(row, 1);
    applyRanges();
}

bool ComparisonPanel::exportAll(const QString& path, int width, int height, double scale,
                                QString* error)
{
    // A hidden panel gets no resize event from the export's resize: lay the columns out for
    // the figure's width here, and for the panel's own width again afterwards.
    layoutImageCells(width > 0 ? width : this->width());
    const bool ok = exportWidget(this, path, width, height, scale, error);
    layoutImageCells(this->width());
    return ok;
}

QString ComparisonPanel::dataCsv() const
{
    // The row first, so that a figure's numbers lead back to the input they explain.
    const QString row = m_input.row >= 0 ? QString::number(m_input.row) : QString();
    QString s = QStringLiteral("row,method,method_label,index,label,value,h,contribution\n");
    for (const auto& e : m_explanations) {
        const QString method = csvField(explanationLabel(e));
        for (size_t i = 0; i < e.values.size(); ++i) {
            QString label = i < e.labels.size() ? QString::fromStdString(e.labels[i])
                            : (i < m_input.featureNames.size() && m_input.featureNames.size() == e.values.size()
                                   ? QString::fromStdString(m_input.featureNames[i]) : QString());
            s += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8\n")
                     .arg(row, QString::fromStdString(e.method), method)
                     .arg(i)
                     .arg(csvField(label))
                     .arg(e.values[i], 0, 'g', 9)
                     .arg(i < e.h.size() ? QString::number(e.h[i], 'g', 9) : QString())
                     .arg(i < e.contribution.size() ? QString::number(e.contribution[i], 'g', 9) : QString());
        }
    }
    return s;
}

static QJsonArray floats(const std::vector<float>& v)
{
    QJsonArray a;
    for (float f : v)
        a.append(static_cast<double>(f));
    return a;
}

QString ComparisonPanel::dataJson() const
{
    QJsonArray methods;
    for (const auto& e : m_explanations) {
        QJsonObject o;
        o[QStringLiteral("method")] = QString::fromStdString(e.method);
        o[QStringLiteral("label")] = explanationLabel(e);
        o[QStringLiteral("target")] = e.target;
        QJsonArray shape, labels;
        for (int64_t s : e.shape)
            shape.append(static_cast<qint64>(s));
        for (const auto& l : e.labels)
            labels.append(QString::fromStdString(l));
        o[QStringLiteral("shape")] = shape;
        o[QStringLiteral("labels")] = labels;
        o[QStringLiteral("values")] = floats(e.values);
        if (!e.h.empty())
            o[QStringLiteral("h")] = floats(e.h);
        if (!e.contribution.empty())
            o[QStringLiteral("contribution")] = floats(e.contribution);
        o[QStringLiteral("seconds")] = e.seconds;
        o[QStringLiteral("model_rows")] = static_cast<qint64>(e.modelRows);
        QJsonObject diag;
        for (const auto& [k, v] : e.diagnostics)
            diag[QString::fromStdString(k)] = v;
        o[QStringLiteral("diagnostics")] = diag;
        methods.append(o);
    }
    QJsonObject o;
    o[QStringLiteral("input")] = m_input.title;
    if (m_input.row >= 0)
        o[QStringLiteral("row")] = m_input.row;
    else
        o[QStringLiteral("row")] = QJsonValue::Null;
    o[QStringLiteral("shared_range")] = m_sharedRange;
    o[QStringLiteral("per_method_normalization")] = m_perMethod;
    o[QStringLiteral("methods")] = methods;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

bool ComparisonPanel::exportData(const QString& path, QString* error) const
{
    const bool json = path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive);
    return writeTextFileAtomic(path, json ? dataJson() : dataCsv(), error);
}

void ComparisonPanel::exportViewDialog()
{
    FigureExportChoice choice;
    if (!askFigureExport(this, QStringLiteral("comparison"), size(), &choice))
        return;
    QString error;
    if (exportAll(choice.path, choice.width, choice.height, choice.scale, &error))
        Q_EMIT exported(choice.path);
    else
        Q_EMIT exportFailed(error);
}

void ComparisonPanel::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.addAction(tr("Export view…"), this, &ComparisonPanel::exportViewDialog);
    auto saveText = [this](const QString& what, const QString& suffix, const QString& text) {
        const QString path = QFileDialog::getSaveFileName(
            this, what, QStringLiteral("comparison.") + suffix,
            QStringLiteral("%1 (*.%2)").arg(suffix.toUpper(), suffix));
        if (path.isEmpty())
            return;
        QString error;
        if (writeTextFileAtomic(path, text, &error))
            Q_EMIT exported(path);
        else
            Q_EMIT exportFailed(error);
    };
    menu.addAction(tr("Export data as CSV…"), this,
                   [=] { saveText(tr("Export data as CSV"), QStringLiteral("csv"), dataCsv()); });
    menu.addAction(tr("Export data as JSON…"), this,
                   [=] { saveText(tr("Export data as JSON"), QStringLiteral("json"), dataJson()); });
    menu.exec(event->globalPos());
}

} // namespace senn::ui
