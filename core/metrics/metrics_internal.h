// Core-internal helpers of the metrics: NaN-aware quantiles, explanation vectors of many
// inputs (batched for differentiable methods), and the box used for perturbations.
#pragma once
#include "core/explain/explain_internal.h"
#include "core/metrics/metrics.h"

#include <vector>

namespace senn::metrics::detail {

// Quantile q in [0,1] with linear interpolation over the finite entries; NaN when none.
double quantile(std::vector<double> v, double q);

// Explanations (values as [n, m] float64) of the rows X [n, ...] for one target class.
torch::Tensor explainMany(explain::Method method, const models::Model& model,
                          const explain::ExplainContext& ctx, const torch::Tensor& X, int target,
                          const explain::ExplainOptions& options, const jobs::CancelToken& cancel);

int predictedClass(const models::Model& model, const float* xRaw);

// Half-widths of the box_std ball: eps·max(std_j, 1e-3) (or eps everywhere).
torch::Tensor halfWidths(const explain::ExplainContext& ctx, int64_t d, double eps, bool boxStd);

} // namespace senn::metrics::detail
