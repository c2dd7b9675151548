// The per-row exports of the stability curves: the curve plot's own CSV/JSON, extended with one
// value per test point read from the view's StabilityResult.
#include "ui/views/stability_curve_plot.h"

#include "ui/plots/export.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace senn::ui {

const std::map<std::string, metrics::Curve>& StabilityCurvePlot::curves() const
{
    return m_moves ? m_result->moves : m_result->methods;
}

QString StabilityCurvePlot::dataCsv() const
{
    const auto& curves = this->curves();
    QString out = QStringLiteral("series,x,median,q25,q75");
    for (int64_t r : m_result->points)
        out += QStringLiteral(",row_%1").arg(r);
    out += QLatin1Char('\n');
    auto num = [](const std::vector<double>& v, size_t i) {
        return i < v.size() && std::isfinite(v[i]) ? QString::number(v[i], 'g', 9) : QString();
    };
    // The method curves come first, in the order of the result's map (lipschitzSeries,
    // movesSeries), then the dashed share of kept predictions, which has no per-point values.
    auto it = curves.begin();
    for (const CurveSeries& c : series()) {
        const metrics::Curve* curve = it != curves.end() ? &(it++)->second : nullptr;
        const size_t n = std::min(c.x.size(), c.median.size());
        for (size_t i = 0; i < n; ++i) {
            out += QStringLiteral("%1,%2,%3,%4,%5").arg(csvField(c.name), num(c.x, i), num(c.median, i),
                                                       num(c.q25, i), num(c.q75, i));
            for (size_t p = 0; p < m_result->points.size(); ++p)
                out += QLatin1Char(',') + (curve && i < curve->perPoint.size() ? num(curve->perPoint[i], p) : QString());
            out += QLatin1Char('\n');
        }
    }
    return out;
}

QString StabilityCurvePlot::dataJson() const
{
    auto doc = QJsonDocument::fromJson(CurvePlot::dataJson().toUtf8()).object();
    QJsonArray points;
    for (int64_t r : m_result->points)
        points.append(double(r));
    doc[QStringLiteral("points")] = points;
    auto series = doc[QStringLiteral("series")].toArray();
    int i = 0;
    for (const auto& [id, c] : curves()) {
        if (i >= series.size())
            break;
        auto o = series[i].toObject();
        QJsonArray perEps;
        for (const auto& v : c.perPoint) {
            QJsonArray a;
            for (double x : v)
                a.append(std::isfinite(x) ? QJsonValue(x) : QJsonValue());
            perEps.append(a);
        }
        o[QStringLiteral("method")] = QString::fromStdString(id);
        o[QStringLiteral("per_point")] = perEps;
        series[i++] = o;
    }
    doc[QStringLiteral("series")] = series;
    return QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
