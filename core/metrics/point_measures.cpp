// pointMeasures (point_measures.h): one call of the curves for the deletion, insertion and
// ROAD groups, one set of perturbed explanations for the four robustness measures.
#include "core/metrics/point_measures.h"

#include "core/metrics/measures.h"
#include "core/metrics/relative_stability.h"
#include "core/metrics/removal_curves.h"

#include <algorithm>
#include <cmath>

namespace senn::metrics {

namespace {
bool has(const std::vector<std::string>& groups, const char* g)
{
    return std::find(groups.begin(), groups.end(), g) != groups.end();
}
const char* const kCurveGroups[] = {"deletion", "insertion", "road"};
const char* const kRobustGroups[] = {"ris", "ros", "avg-sensitivity", "max-sensitivity"};
} // namespace

bool hasPointMeasures(const std::vector<std::string>& groups)
{
    for (auto g : kCurveGroups)
        if (has(groups, g))
            return true;
    for (auto g : kRobustGroups)
        if (has(groups, g))
            return true;
    return false;
}

std::map<std::string, double> pointMeasures(const std::vector<std::string>& groups, explain::Method method,
                                            const models::Model& model, const explain::ExplainContext& ctx,
                                            const float* xRaw, const explain::Explanation& e,
                                            const explain::ExplainOptions& explainOptions, uint64_t seed,
                                            int64_t row, const jobs::CancelToken& cancel)
{
    std::map<std::string, double> out;
    auto put = [&](const char* group, const std::map<std::string, double>& scores) {
        for (const auto& id : measureIdsOf(group)) {
            auto it = scores.find(id);
            out[id] = it != scores.end() ? it->second : std::nan("");
        }
    };
    CurveOptions co;
    co.deletion = has(groups, "deletion");
    co.insertion = has(groups, "insertion");
    co.road = has(groups, "road");
    co.seed = seed;
    co.row = row;
    co.memoryBudget = explainOptions.memoryBudget;
    if (co.deletion || co.insertion || co.road) {
        const auto curves = perturbationCurves(model, ctx, xRaw, e, ctx.stats.mean, co, cancel);
        for (auto g : kCurveGroups)
            if (has(groups, g))
                put(g, curves.scores);
    }
    bool robust = false;
    for (auto g : kRobustGroups)
        robust = robust || has(groups, g);
    if (robust) {
        RelativeStabilityOptions ro;
        ro.seed = seed;
        ro.row = row;
        auto opts = explainOptions;
        opts.target = e.target;
        const auto r = relativeStability(method, model, ctx, xRaw, opts, ro, cancel);
        const std::map<std::string, double> scores = {{"ris", r.ris}, {"ros", r.ros},
                                                      {"avg_sensitivity", r.avgSensitivity},
                                                      {"max_sensitivity", r.maxSensitivity}};
        for (auto g : kRobustGroups)
            if (has(groups, g))
                put(g, scores);
    }
    return out;
}

} // namespace senn::metrics
