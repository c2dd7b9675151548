// Core-internal helpers of the metrics: NaN-aware quantiles, explanation vectors of many
// inputs (batched for differentiable methods), and the box used for perturbations.
#pragma once
#include "core/explain/explain_internal.h"
#include "core/metrics/metrics.h"

#include <functional>
#include <string>
#include <vector>

namespace senn::metrics::detail {

// Quantile q in [0,1] with linear interpolation over the finite entries; NaN when none.
double quantile(std::vector<double> v, double q);

// Explanations (values as [n, m] float64) of the rows X [n, ...] for one target class.
// seeds: empty = every row explained with options.seed (the same draws); else one seed per
// row for the sampling methods (independent draws). Deterministic methods ignore them.
torch::Tensor explainMany(explain::Method method, const models::Model& model,
                          const explain::ExplainContext& ctx, const torch::Tensor& X, int target,
                          const explain::ExplainOptions& options, const jobs::CancelToken& cancel,
                          const std::vector<uint64_t>& seeds = {});

// True for the methods whose explanation depends on the seed (random draws).
bool usesDraws(explain::Method method);
// A seed derived from a base seed and up to three indices (splitmix64 chain): distinct,
// well-mixed streams for each (point, ε, input) of a run.
uint64_t deriveSeed(uint64_t base, uint64_t a, uint64_t b = 0, uint64_t c = 0);

// Pool size: `requested` > 0, else LibTorch's intra-op thread count (at least 1).
int resolveThreads(int requested);
// Runs task(i) for i in [0, n), in order of i, on `threads` workers (1: inline, in the calling
// thread). Pool workers run their LibTorch ops on one intra-op thread each, so T workers use
// T cores. The first exception (jobs::Cancelled included) stops handing out tasks and is
// rethrown once every worker has finished its current task.
void parallelTasks(int64_t n, int threads, const std::function<void(int64_t)>& task);

// The options every point of a parallel run explains with: the run's memory budget
// (memoryBudgetFor) split over the `threads` points in flight. Throws requireMemory's error,
// naming `what`, when a share cannot hold one model row.
explain::ExplainOptions perPointOptions(models::ModelImpl& impl, const explain::ExplainOptions& run,
                                        int threads, const std::string& what,
                                        const jobs::CancelToken& cancel);

int predictedClass(const models::Model& model, const float* xRaw);

// Half-widths of the box_std ball: eps·max(std_j, 1e-3) (or eps everywhere).
torch::Tensor halfWidths(const explain::ExplainContext& ctx, int64_t d, double eps, bool boxStd);

} // namespace senn::metrics::detail
