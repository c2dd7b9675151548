// Deletion and insertion curves (pixel flipping, Samek et al. 2017) and ROAD (Rong et al.
// 2022) of one explanation: remove the features in the order of the attributions, most
// relevant first (MoRF) and least relevant first (LeRF), and follow the explained output.
#pragma once
#include "core/explain/explanation.h"
#include "core/metrics/perturbation_curves.h"

#include <vector>

namespace senn::metrics {

struct CurveOptions {
    bool deletion = true;   // the baseline replaces features
    bool insertion = true;  // from the baseline, the features come back
    bool road = true;       // ROAD: removed features are imputed (road.h)
    // Fractions 0, 1/steps, ..., 1 of the features (or patches, or SENN concepts); every
    // feature when there are no more than `steps`.
    int steps = 20;
    // ROAD's noise σ in units of each value's training std (at least 1e-3 of it).
    double roadNoise = 0.01;
    // ROAD's draws derive from (seed, row, step) with detail::deriveSeed: the row id of the
    // point in the data, so a point draws alike in every run that contains it.
    uint64_t seed = 0;
    int64_t row = 0;
    int64_t memoryBudget = 0; // bytes for the batched model calls; 0 = the default budget
};

// The curves of e at x (raw values). Features are ordered by their attribution (signed:
// most positive first for MoRF), on images above 4,096 values by the sum over each patch of
// removalCorrelation; a SENN explanation removes concepts (h_i = 0, θ unchanged) and has no
// ROAD. The curves show e's output (logit or probability) of e's target. `baseline` is the
// value a deleted feature takes and insertion starts from (empty: the training mean).
// Scores: "deletion_aopc", "deletion_lerf_aopc", "deletion_aopc_diff", "insertion_auc",
// "road_morf_aopc", "road_lerf_aopc" (measures.h) for the curves computed.
PerturbationCurves perturbationCurves(const models::Model& model, const explain::ExplainContext& ctx,
                                      const float* xRaw, const explain::Explanation& e,
                                      const std::vector<float>& baseline, const CurveOptions& options,
                                      const jobs::CancelToken& cancel = {});

// Features removed at each step for `count` features: 0..count when count <= steps, else
// round(k·count/steps) for k = 0..steps.
std::vector<int64_t> removalCounts(int64_t count, int steps);
// AOPC (Samek et al. 2017): the mean over the steps k = 0..L of f(x⁽⁰⁾) − f(x⁽ᵏ⁾).
double aopc(const std::vector<double>& curve);
// Area under a curve over its fractions (trapezoids); NaN when there are fewer than 2 points.
double areaUnder(const std::vector<double>& fractions, const std::vector<double>& curve);

} // namespace senn::metrics
