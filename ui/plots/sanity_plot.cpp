// SanityPlot (sanity_plot.h): one median line and quartile band per method over the steps,
// the extra tests as points with quartile bars, and the numbers behind them as CSV and JSON.
#include "ui/plots/sanity_plot.h"

#include "ui/plots/export.h"
#include "ui/plots/plot_style.h"

#include "core/metrics/similarity.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace senn::ui {

namespace {

double median(std::vector<double> v, double q)
{
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.empty())
        return std::nan("");
    std::sort(v.begin(), v.end());
    const double pos = q * double(v.size() - 1);
    const size_t lo = size_t(std::floor(pos)), hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

QJsonArray toJson(const std::vector<double>& v)
{
    QJsonArray a;
    for (double d : v)
        a.append(std::isfinite(d) ? QJsonValue(d) : QJsonValue());
    return a;
}

// The extra categories after the steps: (label, per-point values of a method).
std::vector<std::pair<QString, const std::vector<double>*>> extras(const metrics::SanityResult& r,
                                                                   const metrics::SanityMethodResult& m,
                                                                   const std::string& measure)
{
    std::vector<std::pair<QString, const std::vector<double>*>> out;
    if (r.randomLogit) {
        auto it = m.randomLogit.find(measure);
        out.emplace_back(QObject::tr("random logit"), it == m.randomLogit.end() ? nullptr : &it->second);
    }
    if (r.dataRandomisation) {
        auto it = m.dataRandomisation.find(measure);
        out.emplace_back(QObject::tr("permuted labels"), it == m.dataRandomisation.end() ? nullptr : &it->second);
    }
    return out;
}

} // namespace

QColor sanityMethodColor(const std::string& id)
{
    return id == metrics::kEdgeDetectorId ? QColor(150, 150, 150) : methodColor(id);
}

SanityPlot::SanityPlot(QWidget* parent) : PlotFrame(parent)
{
    setExportName(QStringLiteral("sanity"));
    QCustomPlot* p = plot();
    placeLegendBelow(p, 3);
    rebuild();
}

void SanityPlot::setResult(const metrics::SanityResult& result, const std::string& measure)
{
    m_result = result;
    m_measure = measure;
    m_have = true;
    rebuild();
}

void SanityPlot::clear()
{
    m_result = {};
    m_have = false;
    rebuild();
}

QStringList SanityPlot::categories() const
{
    QStringList c;
    for (const auto& s : m_result.steps)
        c << QString::fromStdString(s);
    if (m_result.randomLogit)
        c << tr("random logit");
    if (m_result.dataRandomisation)
        c << tr("permuted labels");
    return c;
}

void SanityPlot::rebuild()
{
    QCustomPlot* p = plot();
    p->clearGraphs();
    p->clearPlottables();
    p->clearItems();
    m_lines = 0;
    const QStringList cats = categories();
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < cats.size(); ++i)
        ticker->addTick(i, cats[i]);
    p->xAxis->setTicker(ticker);
    p->xAxis->setTickLabelRotation(cats.size() > 6 ? -30 : 0); // each label ends at its tick: none runs off the right edge
    p->xAxis->setLabel(m_result.mode == "independent" ? tr("layer re-drawn alone (output layer first)")
                                                      : tr("layers re-drawn, cumulative from the output layer"));
    // The title says "similarity to the original"; the axis names the measure, short enough
    // not to be elided beside a plot a few hundred pixels high.
    p->yAxis->setLabel(QString::fromStdString(metrics::similarityDisplayName(m_measure)));
    const size_t steps = m_result.steps.size();
    const int nSteps = m_result.stepsDone;
    double ymin = 0;
    for (const auto& id : m_result.methods) {
        auto it = m_result.results.find(id);
        if (it == m_result.results.end())
            continue;
        const auto& mr = it->second;
        auto sit = mr.steps.find(m_measure);
        if (sit == mr.steps.end())
            continue;
        const auto& s = sit->second;
        const QColor color = sanityMethodColor(id);
        const bool control = id == metrics::kEdgeDetectorId;
        QVector<double> x, med, lo, hi;
        for (size_t k = 0; k < steps && int(k) < std::max(nSteps, 1) && k < s.median.size(); ++k) {
            if (!std::isfinite(s.median[k]))
                continue;
            x << double(k);
            med << s.median[k];
            lo << s.q25[k];
            hi << s.q75[k];
            ymin = std::min({ymin, s.median[k], s.q25[k]});
        }
        QCPGraph* g25 = p->addGraph();
        QCPGraph* g75 = p->addGraph();
        g25->setData(x, lo, true);
        g75->setData(x, hi, true);
        QColor fill = color;
        fill.setAlpha(40);
        g25->setPen(Qt::NoPen);
        g75->setPen(Qt::NoPen);
        g25->setBrush(fill);
        g25->setChannelFillGraph(g75);
        g25->removeFromLegend();
        g75->removeFromLegend();
        QCPGraph* g = p->addGraph();
        g->setData(x, med, true);
        g->setPen(QPen(color, 2.0, control ? Qt::DashLine : Qt::SolidLine));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, Qt::white, 5));
        g->setName(QString::fromStdString(metrics::sanityMethodDisplayName(id)));
        ++m_lines;
        // The tests after the steps: the median with a quartile bar, no line to the steps.
        int k = int(steps);
        for (const auto& [label, values] : extras(m_result, mr, m_measure)) {
            if (values) {
                const double m = median(*values, 0.5);
                if (std::isfinite(m)) {
                    const double q25 = median(*values, 0.25), q75 = median(*values, 0.75);
                    ymin = std::min({ymin, m, q25});
                    QCPGraph* dot = p->addGraph();
                    dot->setData(QVector<double>{double(k)}, QVector<double>{m});
                    dot->setLineStyle(QCPGraph::lsNone);
                    dot->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, color, color, 8));
                    dot->removeFromLegend();
                    auto* bars = new QCPErrorBars(p->xAxis, p->yAxis);
                    bars->setDataPlottable(dot);
                    bars->setData(QVector<double>{q75 - m}, QVector<double>{m - q25});
                    bars->setPen(QPen(color, 1.5));
                    bars->removeFromLegend();
                }
            }
            ++k;
        }
    }
    p->xAxis->setRange(-0.3, std::max(1.0, double(cats.size()) - 0.7));
    p->yAxis->setRange(std::max(-1.05, std::min(-0.05, ymin - 0.05)), 1.05);
    auto* zero = new QCPItemStraightLine(p);
    zero->point1->setCoords(0, 0);
    zero->point2->setCoords(1, 0);
    zero->setPen(QPen(QColor(150, 150, 150), 1, Qt::DotLine));
    p->legend->setVisible(m_lines > 0);
    refreshTheme();
}

QString SanityPlot::dataCsv() const
{
    QString s = QStringLiteral("method,step,median,q25,q75,points\n");
    for (const auto& id : m_result.methods) {
        auto it = m_result.results.find(id);
        if (it == m_result.results.end())
            continue;
        auto sit = it->second.steps.find(m_measure);
        if (sit == it->second.steps.end())
            continue;
        const auto& ser = sit->second;
        auto row = [&](const QString& step, double m, double q25, double q75, size_t n) {
            s += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                     .arg(QString::fromStdString(id), csvField(step))
                     .arg(m, 0, 'g', 9).arg(q25, 0, 'g', 9).arg(q75, 0, 'g', 9).arg(n);
        };
        for (size_t k = 0; k < m_result.steps.size() && k < ser.median.size(); ++k)
            row(QString::fromStdString(m_result.steps[k]), ser.median[k], ser.q25[k], ser.q75[k],
                ser.perPoint.size() > k ? ser.perPoint[k].size() : 0);
        for (const auto& [label, values] : extras(m_result, it->second, m_measure))
            if (values)
                row(label, median(*values, 0.5), median(*values, 0.25), median(*values, 0.75), values->size());
    }
    return s;
}

QString SanityPlot::dataJson() const
{
    QJsonObject o;
    o["measure"] = QString::fromStdString(m_measure);
    o["mode"] = QString::fromStdString(m_result.mode);
    QJsonArray steps, points;
    for (const auto& s : m_result.steps)
        steps.append(QString::fromStdString(s));
    for (auto r : m_result.points)
        points.append(double(r));
    o["steps"] = steps;
    o["points"] = points;
    QJsonObject methods;
    for (const auto& id : m_result.methods) {
        auto it = m_result.results.find(id);
        if (it == m_result.results.end())
            continue;
        auto sit = it->second.steps.find(m_measure);
        if (sit == it->second.steps.end())
            continue;
        QJsonObject m;
        m["median"] = toJson(sit->second.median);
        m["q25"] = toJson(sit->second.q25);
        m["q75"] = toJson(sit->second.q75);
        QJsonArray per;
        for (const auto& v : sit->second.perPoint)
            per.append(toJson(v));
        m["per_point"] = per;
        for (const auto& [label, values] : extras(m_result, it->second, m_measure))
            if (values)
                m[label == tr("random logit") ? "random_logit" : "data_randomisation"] = toJson(*values);
        methods[QString::fromStdString(id)] = m;
    }
    o["methods"] = methods;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
