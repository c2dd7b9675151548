#include "ui/plots/curve_plot.h"

#include "ui/plots/export.h"
#include "ui/plots/plot_style.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <qcustomplot.h>

#include <cmath>
#include <limits>

namespace senn::ui {

CurvePlot::CurvePlot(QWidget* parent)
    : PlotFrame(parent), m_marker(std::numeric_limits<double>::quiet_NaN())
{
    setExportName(QStringLiteral("curves"));
    QCustomPlot* p = plot();
    placeLegendBelow(p, 2);
    p->legend->setRowSpacing(0);
    rebuild();
}

void CurvePlot::setSeries(const std::vector<CurveSeries>& series)
{
    m_series = series;
    rebuild();
}

void CurvePlot::addSeries(const CurveSeries& series)
{
    m_series.push_back(series);
    rebuild();
}

void CurvePlot::clear()
{
    m_series.clear();
    rebuild();
}

void CurvePlot::setAxisLabels(const QString& x, const QString& y)
{
    m_xLabel = x;
    m_yLabel = y;
    rebuild();
}

void CurvePlot::setLogX(bool log)
{
    m_logX = log;
    rebuild();
}

void CurvePlot::setLogY(bool log)
{
    m_logY = log;
    rebuild();
}

void CurvePlot::setMarker(double x)
{
    m_marker = x;
    rebuild();
}

static void setLog(QCPAxis* axis, bool log)
{
    if (log) {
        axis->setScaleType(QCPAxis::stLogarithmic);
        QSharedPointer<QCPAxisTickerLog> t(new QCPAxisTickerLog);
        axis->setTicker(t);
        axis->setNumberFormat(QStringLiteral("gb"));
        axis->setNumberPrecision(0);
    } else {
        axis->setScaleType(QCPAxis::stLinear);
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        axis->setNumberFormat(QStringLiteral("g"));
        axis->setNumberPrecision(6);
    }
}

// Log axis ticks at 1-2-5 × 10^k (decades only when that would crowd), each labelled once;
// the range is snapped outward to ticks so that both ends carry a label.
static void setLogRange(QCPAxis* axis, double lo, double hi)
{
    // Any range may arrive (a stored result, a typed ε of 1e308): bounds are clamped into
    // 1e-290..1e290 so every tick below is a finite number and the tick list is never empty.
    constexpr double kLo = 1e-290, kHi = 1e290;
    lo = std::isfinite(lo) ? std::clamp(lo, kLo, kHi) : kLo;
    hi = std::isfinite(hi) ? std::clamp(hi, kLo, kHi) : kHi;
    if (!(hi > lo))
        hi = std::min(kHi, lo * 10);
    if (!(hi > lo))
        lo = hi / 10;
    std::vector<double> all;
    const int k0 = std::clamp(int(std::floor(std::log10(lo))) - 1, -300, 300);
    const int k1 = std::clamp(int(std::ceil(std::log10(hi))) + 1, -300, 300);
    for (int k = k0; k <= k1; ++k)
        for (double m : {1.0, 2.0, 5.0})
            all.push_back(m * std::pow(10.0, k));
    if (all.empty())
        return axis->setRange(lo, hi);
    double a = all.front(), b = all.back();
    for (double v : all)
        if (v <= lo * (1 + 1e-9))
            a = v;
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if (*it >= hi * (1 - 1e-9))
            b = *it;
    std::vector<double> ticks;
    for (double v : all)
        if (v >= a * (1 - 1e-9) && v <= b * (1 + 1e-9))
            ticks.push_back(v);
    if (ticks.size() > 9) { // decades and the two ends
        std::vector<double> fewer;
        for (double v : ticks) {
            const double e = std::log10(v);
            if (v == ticks.front() || v == ticks.back() || std::fabs(e - std::round(e)) < 1e-9)
                fewer.push_back(v);
        }
        // An end right next to a decade would crowd it: keep the decade.
        ticks = fewer;
    }
    QSharedPointer<QCPAxisTickerText> t(new QCPAxisTickerText);
    t->setSubTickCount(0);
    QStringList seen;
    for (double v : ticks) {
        const QString label = QString::number(v, 'g', 3);
        if (!seen.contains(label)) {
            t->addTick(v, label);
            seen << label;
        }
    }
    axis->setTicker(t);
    axis->setRange(a, b);
}

void CurvePlot::rebuild()
{
    QCustomPlot* p = plot();
    p->clearGraphs();
    p->clearItems();
    setLog(p->xAxis, m_logX);
    setLog(p->yAxis, m_logY);
    p->xAxis->setLabel(m_xLabel);
    p->yAxis->setLabel(m_yLabel);

    double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin;
    double ymin = xmin, ymax = -xmin;
    auto usable = [](double v, bool log) { return std::isfinite(v) && (!log || v > 0); };
    for (size_t s = 0; s < m_series.size(); ++s) {
        const CurveSeries& c = m_series[s];
        const QColor color = c.color.isValid() ? c.color : seriesColor(static_cast<int>(s));
        const size_t n = std::min(c.x.size(), c.median.size());
        const bool band = c.q25.size() >= n && c.q75.size() >= n && n > 0;
        QVector<double> x, med, lo, hi;
        for (size_t i = 0; i < n; ++i) {
            if (!usable(c.x[i], m_logX))
                continue;
            x << c.x[i];
            med << c.median[i];
            if (band)
                lo << c.q25[i], hi << c.q75[i];
            xmin = std::min(xmin, c.x[i]);
            xmax = std::max(xmax, c.x[i]);
            for (double v : {c.median[i], band ? c.q25[i] : c.median[i], band ? c.q75[i] : c.median[i]})
                if (usable(v, m_logY))
                    ymin = std::min(ymin, v), ymax = std::max(ymax, v);
        }
        if (band) {
            QCPGraph* g25 = p->addGraph();
            QCPGraph* g75 = p->addGraph();
            g25->setData(x, lo, true);
            g75->setData(x, hi, true);
            QColor edge = color;
            edge.setAlpha(90);
            QColor fill = color;
            fill.setAlpha(45);
            g25->setPen(QPen(edge, 0.8));
            g75->setPen(QPen(edge, 0.8));
            g25->setBrush(fill);
            g25->setChannelFillGraph(g75);
            g25->removeFromLegend();
            g75->removeFromLegend();
        }
        QCPGraph* g = p->addGraph();
        g->setData(x, med, true);
        g->setPen(QPen(color, 2.0, c.dashed ? Qt::DashLine : Qt::SolidLine));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, Qt::white, 5));
        g->setName(c.name); // titles say "median, quartile band" once for all series
    }
    if (!std::isfinite(xmin)) {
        xmin = m_logX ? 1e-3 : 0;
        xmax = 1;
        ymin = m_logY ? 1e-3 : 0;
        ymax = 1;
    }
    // Linear axes: values near the double's limit would overflow the padding; QCustomPlot
    // draws ranges up to about 1e250 at most.
    const auto linear = [](QCPAxis* axis, double lo, double hi, double padShare, double minPad) {
        constexpr double kMax = 1e249;
        lo = std::clamp(lo, -kMax, kMax);
        hi = std::clamp(hi, -kMax, kMax);
        const double pad = hi > lo ? padShare * (hi - lo) : std::max(minPad, std::fabs(hi) * 0.1);
        axis->setRange(std::max(-kMax * 1.2, lo - pad), std::min(kMax * 1.2, hi + pad));
    };
    if (m_logX)
        setLogRange(p->xAxis, xmin / 1.15, xmax * 1.15);
    else
        linear(p->xAxis, xmin, xmax, 0.04, 0.5);
    if (m_logY)
        setLogRange(p->yAxis, ymin / 1.15, ymax * 1.15);
    else
        linear(p->yAxis, ymin, ymax, 0.08, 0.5);
    if (std::isfinite(m_marker)) {
        auto* line = new QCPItemStraightLine(p);
        line->point1->setCoords(m_marker, 0);
        line->point2->setCoords(m_marker, 1);
        line->setPen(QPen(QColor(120, 120, 120), 1.2, Qt::DashLine));
    }
    p->legend->setVisible(!m_series.empty());
    refreshTheme();
}

QString CurvePlot::dataCsv() const
{
    QString s = QStringLiteral("series,x,median,q25,q75\n");
    for (const CurveSeries& c : m_series) {
        const size_t n = std::min(c.x.size(), c.median.size());
        for (size_t i = 0; i < n; ++i) {
            s += QStringLiteral("%1,%2,%3,%4,%5\n")
                     .arg(csvField(c.name))
                     .arg(c.x[i], 0, 'g', 9)
                     .arg(c.median[i], 0, 'g', 9)
                     .arg(i < c.q25.size() ? QString::number(c.q25[i], 'g', 9) : QString())
                     .arg(i < c.q75.size() ? QString::number(c.q75[i], 'g', 9) : QString());
        }
    }
    return s;
}

static QJsonArray toJson(const std::vector<double>& v)
{
    QJsonArray a;
    for (double d : v)
        a.append(d);
    return a;
}

QString CurvePlot::dataJson() const
{
    QJsonArray series;
    for (const CurveSeries& c : m_series) {
        QJsonObject o;
        o[QStringLiteral("name")] = c.name;
        o[QStringLiteral("x")] = toJson(c.x);
        o[QStringLiteral("median")] = toJson(c.median);
        o[QStringLiteral("q25")] = toJson(c.q25);
        o[QStringLiteral("q75")] = toJson(c.q75);
        series.append(o);
    }
    QJsonObject o;
    o[QStringLiteral("title")] = title();
    o[QStringLiteral("x_label")] = m_xLabel;
    o[QStringLiteral("y_label")] = m_yLabel;
    o[QStringLiteral("series")] = series;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
