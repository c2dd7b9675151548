// Results from records (run_records.h), summarised as stabilityCurves and faithfulness do.
#include "core/metrics/run_records.h"

#include "core/common/error.h"
#include "core/metrics/metrics_internal.h"

#include <cmath>

namespace senn::metrics {

namespace {

const double kNan = std::nan("");

void summarize(Curve& c)
{
    c.median.clear();
    c.q25.clear();
    c.q75.clear();
    for (const auto& v : c.perPoint) {
        c.median.push_back(detail::quantile(v, 0.5));
        c.q25.push_back(detail::quantile(v, 0.25));
        c.q75.push_back(detail::quantile(v, 0.75));
    }
}

template <class R>
void checkRecord(const R& r, const std::vector<int64_t>& points)
{
    if (r.point >= points.size() || points[r.point] != r.row)
        throw Error("a record of " + r.method + " names point " + std::to_string(r.point + 1) + " (row " +
                    std::to_string(r.row) + "), which is not that point of this run");
}

} // namespace

StabilityResult stabilityFromRecords(const std::vector<std::string>& methodIds, const std::vector<int64_t>& points,
                                     const std::vector<double>& eps, int noiseDraws, const std::string& draws,
                                     const std::vector<StabilityRecord>& records)
{
    const size_t E = eps.size(), P = points.size();
    const bool noise = noiseDraws > 0;
    StabilityResult res;
    res.eps = eps;
    res.points = points;
    res.noiseDraws = noise ? noiseDraws : 0;
    res.draws = draws;
    for (const auto& id : methodIds) {
        Curve c;
        c.perPoint.assign(E, std::vector<double>(P, kNan));
        res.methods[id] = c;
        if (noise)
            res.moves[id] = c;
        res.pointSeconds[id].assign(P, kNan);
    }
    std::vector<double> correct(E, 0), kept(E, 0), noisyCorrect(E, 0);
    double tasks = 0;
    std::vector<bool> noisyPoint(P, false);
    for (const auto& r : records) {
        checkRecord(r, points);
        auto it = res.methods.find(r.method);
        if (it == res.methods.end())
            throw Error("a record names the method " + r.method + ", which this run does not measure");
        if (r.lhat.size() != E || r.argmaxCorrect.size() != E ||
            (noise && (r.moved.size() != E || r.kept.size() != E || r.noisyCorrect.size() != E)))
            throw Error("a record of " + r.method + " at point " + std::to_string(r.point + 1) +
                        " does not have one value per ε");
        for (size_t e = 0; e < E; ++e) {
            it->second.perPoint[e][r.point] = r.lhat[e];
            correct[e] += r.argmaxCorrect[e];
        }
        it->second.pointsDone += 1;
        tasks += 1;
        if (noise) {
            auto& mv = res.moves[r.method];
            for (size_t e = 0; e < E; ++e)
                mv.perPoint[e][r.point] = r.moved[e];
            mv.pointsDone += 1;
            // The noise of a point is the same for every method: counted once per point.
            if (!noisyPoint[r.point]) {
                noisyPoint[r.point] = true;
                for (size_t e = 0; e < E; ++e) {
                    kept[e] += r.kept[e];
                    noisyCorrect[e] += r.noisyCorrect[e];
                }
            }
        }
        res.pointSeconds[r.method][r.point] = r.seconds;
    }
    res.perturbedAccuracy.assign(E, kNan);
    for (size_t e = 0; e < E && tasks > 0; ++e)
        res.perturbedAccuracy[e] = correct[e] / tasks;
    double noisyRows = 0;
    for (bool b : noisyPoint)
        noisyRows += b ? double(noiseDraws) : 0.0;
    for (size_t e = 0; e < E && noise; ++e) {
        res.predictionKept.push_back(noisyRows > 0 ? kept[e] / noisyRows : kNan);
        res.noisyAccuracy.push_back(noisyRows > 0 ? noisyCorrect[e] / noisyRows : kNan);
    }
    for (auto& [id, c] : res.methods)
        summarize(c);
    for (auto& [id, c] : res.moves)
        summarize(c);
    return res;
}

FaithfulnessResult faithfulnessFromRecords(const std::vector<std::string>& methodIds,
                                           const std::vector<int64_t>& points, const std::string& sennAttribution,
                                           const std::vector<FaithfulnessRecord>& records)
{
    const size_t P = points.size();
    FaithfulnessResult res;
    res.points = points;
    res.sennAttribution = sennAttribution;
    const std::vector<double> none(P, kNan);
    for (const auto& id : methodIds) {
        FaithfulnessResult::PerMethod pm;
        pm.perPoint = pm.faithfulnessCorrelation = pm.infidelity = pm.infidelityNormalized = pm.seconds = none;
        pm.median = kNan;
        res.methods[id] = std::move(pm);
    }
    for (const auto& r : records) {
        checkRecord(r, points);
        auto it = res.methods.find(r.method);
        if (it == res.methods.end())
            throw Error("a record names the method " + r.method + ", which this run does not measure");
        auto& pm = it->second;
        auto value = [&](const char* id) {
            auto v = r.measures.find(id);
            return v == r.measures.end() ? kNan : v->second;
        };
        pm.perPoint[r.point] = value("removal_correlation");
        pm.faithfulnessCorrelation[r.point] = value("faithfulness_correlation");
        pm.infidelity[r.point] = value("infidelity");
        pm.infidelityNormalized[r.point] = value("infidelity_normalized");
        for (const auto& [mid, v] : r.measures) {
            auto& values = pm.measures[mid];
            if (values.empty())
                values = none;
            values[r.point] = v;
        }
        pm.seconds[r.point] = r.seconds;
        pm.pointsDone += 1;
    }
    for (auto& [id, pm] : res.methods)
        pm.median = detail::quantile(pm.perPoint, 0.5);
    return res;
}

} // namespace senn::metrics
