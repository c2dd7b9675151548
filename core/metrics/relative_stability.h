// Robustness of an explanation to small input changes, from one set of perturbed inputs:
// relative input and output stability (RIS, ROS; Agarwal et al. 2022) and the average and
// maximum sensitivity (Yeh et al. 2019; max-sensitivity as Captum).
#pragma once
#include "core/explain/explanation.h"

namespace senn::metrics {

struct RelativeStabilityOptions {
    // x' = x + δ, δ uniform in the box ±radius·max(std_j, 1e-3) (training std per feature,
    // as maxSensitivity), `samples` draws from deriveSeed(seed, row, tag): the row id of the
    // point in the data, so a point draws alike in every run that contains it.
    double radius = 0.02;
    int samples = 10;
    double epsMin = 1e-6; // ε_min: floor of RIS/ROS's denominators and of the elementwise divisors
    uint64_t seed = 0;
    int64_t row = 0;
};

struct RelativeStability {
    // max over x' of ||(e − e')/e|| / max(||(x − x')/x||, ε_min), elementwise divisions with
    // each divisor's magnitude floored at ε_min.
    double ris = 0;
    // The same with the model's logits of every class in place of x.
    double ros = 0;
    // Mean and max over x' of ||e' − e|| / ||e||; NaN when e is all zero.
    double avgSensitivity = 0, maxSensitivity = 0;
    int samples = 0;
};

// The explanation of `method` at x and at every x' (explained for explainOptions.target, or
// the class predicted at x; sampling methods with explainOptions.seed's draws at every
// input, so the measures see the explanation function, not the sampling noise).
RelativeStability relativeStability(explain::Method method, const models::Model& model,
                                    const explain::ExplainContext& ctx, const float* xRaw,
                                    const explain::ExplainOptions& explainOptions,
                                    const RelativeStabilityOptions& options,
                                    const jobs::CancelToken& cancel = {});

// ||(a − b)/a||₂ with each |a_j| floored at epsMin (the relative change RIS and ROS use).
double relativeChange(const double* a, const double* b, int64_t n, double epsMin);

} // namespace senn::metrics
