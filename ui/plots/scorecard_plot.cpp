// ScorecardPlot and AgreementPlot (scorecard_plot.h): colour maps with one text item per cell,
// the names on text tickers; their data exports are core's CSV and JSON of the scorecard.
#include "ui/plots/scorecard_plot.h"

#include "ui/plots/plot_style.h"

#include "core/metrics/scorecard_export.h"

#include <qcustomplot.h>

#include <QToolTip>

#include <cmath>

namespace senn::ui {

namespace {

// Cells without a value (a measure undefined for a method, a point not yet done) in light grey,
// not in the colour of the lowest value.
QCPColorGradient withNanGrey(QCPColorGradient g)
{
    g.setNanHandling(QCPColorGradient::nhNanColor);
    g.setNanColor(QColor(232, 232, 232));
    return g;
}

// Light ends so black text stays readable: green for the best rank, purple for the worst
// (PRGn, readable for red-green colour-blind viewers through its lightness and hue).
QCPColorGradient rankGradient()
{
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(90, 174, 97));
    g.setColorStopAt(0.5, QColor(247, 247, 247));
    g.setColorStopAt(1.0, QColor(175, 141, 195));
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(256);
    return withNanGrey(g);
}

QString measureLabel(const metrics::ScorecardMeasure& m)
{
    return QString::fromStdString(m.name) + (m.higherIsBetter ? QStringLiteral(" ↑") : QStringLiteral(" ↓"));
}

QString num(double v) { return QString::fromStdString(metrics::formatScore(v)); }

// A colour map filling the axis rect, with a colour scale to its right.
QCPColorMap* addMap(QCustomPlot* p, const QCPColorGradient& gradient, const QCPRange& range,
                    const QString& scaleLabel, QCPColorScale** scaleOut)
{
    QCPAxisRect* rect = p->axisRect();
    auto* map = new QCPColorMap(p->xAxis, p->yAxis);
    map->setGradient(gradient);
    map->setInterpolate(false);
    map->setTightBoundary(false);
    map->setDataRange(range);
    auto* scale = new QCPColorScale(p);
    scale->setType(QCPAxis::atRight);
    scale->setGradient(gradient);
    scale->setDataRange(range);
    scale->setBarWidth(12);
    scale->axis()->setLabel(scaleLabel);
    map->setColorScale(scale);
    QCPLayoutGrid* top = p->plotLayout();
    top->take(rect);
    top->simplify();
    auto* inner = new QCPLayoutGrid;
    top->addElement(top->rowCount(), 0, inner);
    inner->addElement(0, 0, rect);
    inner->addElement(0, 1, scale);
    inner->setColumnStretchFactor(1, 0.01);
    auto* group = new QCPMarginGroup(p);
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    scale->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    p->yAxis->setRangeReversed(true);
    if (scaleOut)
        *scaleOut = scale;
    return map;
}

void setGridTicks(QCustomPlot* p, const QStringList& columns, const QStringList& rows)
{
    QSharedPointer<QCPAxisTickerText> tx(new QCPAxisTickerText), ty(new QCPAxisTickerText);
    for (int c = 0; c < columns.size(); ++c)
        tx->addTick(c, columns[c]);
    for (int r = 0; r < rows.size(); ++r)
        ty->addTick(r, rows[r]);
    p->xAxis->setTicker(tx);
    p->yAxis->setTicker(ty);
    for (QCPAxis* a : {p->xAxis, p->yAxis}) {
        a->setSubTicks(false);
        a->grid()->setVisible(false);
    }
    p->xAxis->setTickLabelRotation(columns.size() > 4 ? 20 : 0);
    p->xAxis->setRange(-0.5, std::max<int>(int(columns.size()), 1) - 0.5);
    p->yAxis->setRange(-0.5, std::max<int>(int(rows.size()), 1) - 0.5);
}

QStringList methodNames(const metrics::ScorecardResult& r)
{
    QStringList out;
    for (size_t m = 0; m < r.methods.size(); ++m)
        out << (m < r.sources.size() && !r.sources[m].empty()
                    ? QObject::tr("%1 (file)").arg(QString::fromStdString(r.methods[m]))
                    : methodLabel(r.methods[m]));
    return out;
}

} // namespace

ScorecardPlot::ScorecardPlot(QWidget* parent) : PlotFrame(parent)
{
    setExportName(QStringLiteral("scorecard"));
    QCustomPlot* p = plot();
    m_map = addMap(p, rankGradient(), QCPRange(1, 2), tr("rank (1 = best)"), &m_scale);
    m_agreement = new QCPTextElement(p, QString(), plotLabelFont());
    m_agreement->setProperty("senn_fixed_color", false);
    p->plotLayout()->insertRow(p->plotLayout()->rowCount() - 1);
    p->plotLayout()->addElement(p->plotLayout()->rowCount() - 2, 0, m_agreement);
    p->xAxis->setLabel(tr("measure (↑ higher is better, ↓ lower is better)"));
    p->yAxis->setLabel(tr("method"));
    setTitle(tr("Scorecard"));
    // The reason of an n/a cell under the pointer.
    connect(p, &QCustomPlot::mouseMove, this, [this, p](QMouseEvent* e) {
        const int k = int(std::lround(p->xAxis->pixelToCoord(e->position().x())));
        const int m = int(std::lround(p->yAxis->pixelToCoord(e->position().y())));
        const QString tip = cellToolTip(m, k);
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(e->globalPosition().toPoint(), tip, p);
    });
    rebuild();
}

void ScorecardPlot::setResult(const metrics::ScorecardResult& result)
{
    m_result = result;
    rebuild();
}

void ScorecardPlot::clear()
{
    m_result = {};
    rebuild();
}

QString ScorecardPlot::cellText(int m, int k) const
{
    if (m < 0 || k < 0 || size_t(m) >= m_result.cells.size() || size_t(k) >= m_result.measures.size())
        return {};
    const auto& c = m_result.cells[size_t(m)][size_t(k)];
    if (!cellToolTip(m, k).isEmpty())
        return QStringLiteral("n/a");
    if (!std::isfinite(c.median))
        return QStringLiteral("–");
    return QStringLiteral("%1\n[%2, %3]\n(%4)")
        .arg(num(c.median), num(c.lo), num(c.hi),
             QString::fromStdString(metrics::formatRank(m_result.ranks[size_t(m)][size_t(k)])));
}

QString ScorecardPlot::cellToolTip(int m, int k) const
{
    if (m < 0 || k < 0 || size_t(m) >= m_result.reasons.size() || size_t(k) >= m_result.reasons[size_t(m)].size())
        return {};
    const auto& why = m_result.reasons[size_t(m)][size_t(k)];
    if (why.empty())
        return {};
    return tr("%1 of %2: %3")
        .arg(QString::fromStdString(m_result.measures[size_t(k)].name), QString::fromStdString(m_result.methods[size_t(m)]),
             QString::fromStdString(why));
}

void ScorecardPlot::rebuild()
{
    QCustomPlot* p = plot();
    p->clearItems();
    const int M = int(m_result.methods.size()), K = int(m_result.measures.size());
    QStringList columns;
    for (const auto& m : m_result.measures)
        columns << measureLabel(m);
    m_map->data()->setSize(std::max(K, 1), std::max(M, 1));
    m_map->data()->setRange(QCPRange(0, std::max(K - 1, 0)), QCPRange(0, std::max(M - 1, 0)));
    m_map->data()->fill(std::nan(""));
    const double worst = std::max(2, M);
    m_map->setDataRange(QCPRange(1, worst));
    m_scale->setDataRange(QCPRange(1, worst));
    QFont cellFont = plotTickFont();
    if (K > 5 || M > 6)
        cellFont.setPointSizeF(8);
    for (int m = 0; m < M; ++m)
        for (int k = 0; k < K; ++k) {
            const double rank = m_result.ranks[size_t(m)][size_t(k)];
            m_map->data()->setCell(k, m, rank);
            auto* text = new QCPItemText(p);
            text->setProperty("senn_fixed_color", true);
            text->position->setCoords(k, m);
            text->setText(cellText(m, k));
            text->setTextAlignment(Qt::AlignCenter);
            QFont f = cellFont;
            f.setBold(metrics::isBestInColumn(m_result, size_t(m), size_t(k)));
            text->setFont(f);
            text->setColor(QColor(20, 20, 20));
        }
    setGridTicks(p, columns, methodNames(m_result));
    if (M > 0) {
        const int level = int(std::lround(m_result.level * 100));
        setTitle(tr("Scorecard: median over %1 points [%2% bootstrap interval] (rank)")
                     .arg(m_result.points.size()).arg(level));
        m_agreement->setText(QString::fromStdString(metrics::agreementSentence(m_result.kendallW)));
    } else {
        setTitle(tr("Scorecard"));
        m_agreement->setText(tr("Choose methods and measures, then Run."));
    }
    refreshTheme();
}

QString ScorecardPlot::dataCsv() const { return QString::fromStdString(metrics::scorecardCsv(m_result)); }

QString ScorecardPlot::dataJson() const
{
    return QString::fromStdString(metrics::scorecardToJson(m_result).dump(2)) + QLatin1Char('\n');
}

AgreementPlot::AgreementPlot(QWidget* parent) : PlotFrame(parent)
{
    setExportName(QStringLiteral("scorecard-agreement"));
    QCustomPlot* p = plot();
    m_map = addMap(p, withNanGrey(divergingGradient()), QCPRange(-1, 1), tr("Kendall's τ"), nullptr);
    p->xAxis->setLabel(tr("measure"));
    p->yAxis->setLabel(tr("measure"));
    setTitle(tr("Agreement between measures: Kendall's τ of their method rankings"));
    rebuild();
}

void AgreementPlot::setResult(const metrics::ScorecardResult& result)
{
    m_result = result;
    rebuild();
}

void AgreementPlot::clear()
{
    m_result = {};
    rebuild();
}

void AgreementPlot::rebuild()
{
    QCustomPlot* p = plot();
    p->clearItems();
    const int K = int(m_result.measures.size());
    QStringList names;
    for (const auto& m : m_result.measures)
        names << QString::fromStdString(m.name);
    m_map->data()->setSize(std::max(K, 1), std::max(K, 1));
    m_map->data()->setRange(QCPRange(0, std::max(K - 1, 0)), QCPRange(0, std::max(K - 1, 0)));
    m_map->data()->fill(std::nan(""));
    for (int a = 0; a < K && size_t(a) < m_result.tau.size(); ++a)
        for (int b = 0; b < K; ++b) {
            const double t = m_result.tau[size_t(a)][size_t(b)];
            m_map->data()->setCell(b, a, t);
            auto* text = new QCPItemText(p);
            text->setProperty("senn_fixed_color", true);
            text->position->setCoords(b, a);
            text->setText(std::isfinite(t) ? QString::number(t, 'f', 2) : QStringLiteral("–"));
            text->setFont(plotTickFont());
            text->setColor(std::isfinite(t) && std::abs(t) > 0.6 ? Qt::white : QColor(20, 20, 20));
        }
    setGridTicks(p, names, names);
    refreshTheme();
}

QString AgreementPlot::dataCsv() const
{
    QString s = QStringLiteral("measure");
    for (const auto& m : m_result.measures)
        s += QLatin1Char(',') + QString::fromStdString(m.id);
    s += QLatin1Char('\n');
    for (size_t a = 0; a < m_result.measures.size() && a < m_result.tau.size(); ++a) {
        s += QString::fromStdString(m_result.measures[a].id);
        for (double t : m_result.tau[a])
            s += QLatin1Char(',') + (std::isfinite(t) ? QString::number(t, 'g', 10) : QString());
        s += QLatin1Char('\n');
    }
    return s;
}

QString AgreementPlot::dataJson() const
{
    auto j = metrics::scorecardToJson(m_result);
    return QString::fromStdString(j["agreement"].dump(2)) + QLatin1Char('\n');
}

} // namespace senn::ui
