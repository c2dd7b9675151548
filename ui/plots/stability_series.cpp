#include "ui/plots/stability_series.h"

#include "ui/plots/plot_style.h"

#include <QObject>

namespace senn::ui {

namespace {
std::vector<CurveSeries> perMethod(const std::map<std::string, metrics::Curve>& curves,
                                   const std::vector<double>& x, size_t points)
{
    std::vector<CurveSeries> out;
    for (const auto& [id, c] : curves) {
        CurveSeries s;
        s.name = methodLabel(id);
        if (c.pointsDone > 0 && size_t(c.pointsDone) < points) // streamed or cancelled run
            s.name += QObject::tr(" (%1 of %2 points)").arg(c.pointsDone).arg(points);
        s.x = x;
        s.median = c.median;
        s.q25 = c.q25;
        s.q75 = c.q75;
        s.color = methodColor(id);
        out.push_back(std::move(s));
    }
    return out;
}
} // namespace

std::vector<CurveSeries> lipschitzSeries(const metrics::StabilityResult& r)
{
    return perMethod(r.methods, r.eps, r.points.size());
}

std::vector<CurveSeries> movesSeries(const metrics::StabilityResult& r)
{
    auto out = perMethod(r.moves, r.eps, r.points.size());
    if (!r.predictionKept.empty() && !out.empty()) {
        CurveSeries kept;
        kept.name = QObject::tr("prediction kept (share)");
        kept.x = r.eps;
        kept.median = r.predictionKept;
        kept.color = QColor(60, 60, 60);
        kept.dashed = true;
        out.push_back(std::move(kept));
    }
    return out;
}

} // namespace senn::ui
