// How far a sampling explainer's values would move with another seed: the explanation repeated
// over independent seeds, with an interval per value and the significance of each feature's
// rank (Explanation::intervalLow/High, orderAgreement, seedRuns). Torch-free, for every front
// end.
#pragma once
#include "core/explain/explanation.h"

#include <cstdint>
#include <vector>

namespace senn::explain {

// --seed-runs and the app's "Intervals over N seeds" take 1 (off) to this many runs.
constexpr int kMaxSeedRuns = 1000;
// An order kept in fewer runs than this share is marked "not significant".
constexpr double kOrderSignificance = 0.95;

// The seed of run r (r >= 1) of a repeated explanation: splitmix64 of the run seed plus r times
// the golden-ratio increment, so runs are independent streams whatever the base seed (0, 1, 2
// and their neighbours do not share draws). Run 0 uses the base seed itself.
uint64_t seedForRun(uint64_t seed, int run);

// Whether `method` draws random numbers with these options on an input with `players` players
// (features or superpixels; nominalPlayers before the example is seen): LIME and SmoothGrad
// always, KernelSHAP unless its coalitions enumerate all 2^M - 2, Shapley when it samples
// permutations. Front ends use it to multiply a method's cost by the runs.
bool drawsRandomly(Method method, const ExplainOptions& options, int64_t players);

// The explanation repeated with `runs` seeds (1..kMaxSeedRuns, else senn::Error). Run 0 is
// explain(method, ..., options) itself, so `values` and every other field equal a plain call
// bit for bit; runs 1..R-1 use seedForRun(options.seed, r). Then:
//   intervalLow/High[i]: the 2.5% and 97.5% quantiles of value i over the R runs, by linear
//     interpolation between order statistics (h = (R - 1) p; numpy's default "linear", Hyndman
//     and Fan's type 7); NaN where a run gave a value that is not finite;
//   orderAgreement[i]: with the features ranked by |value| in run 0, the share of the R runs in
//     which feature i has a larger |value| than the feature ranked just below it (a tie counts
//     half); NaN for the last-ranked feature, which has none below it;
//   seedRuns = R; seconds and modelRows are the totals over the runs.
// runs = 1 returns explain() untouched (seedRuns 0: not asked). A method with nothing random to
// repeat (saliency, gradient × input, IG, occlusion, exact Shapley, KernelSHAP that enumerates
// every coalition, SENN, FLINT) runs once: seedRuns 1 and no intervals. Memory: the R runs'
// values (R x values floats, 600 MB for 1000 runs of a 224x224 colour photo) beyond what one
// run needs; refused after run 0, with the figure, when that exceeds the memory budget. Cancelling
// throws jobs::Cancelled, as explain() does.
Explanation explainWithSeeds(Method method, const models::Model& model, const ExplainContext& ctx,
                             const float* xRaw, const ExplainOptions& options, int runs,
                             const jobs::ProgressFn& progress = {}, const jobs::CancelToken& cancel = {});

// The same statistics from runs already made (each of the same size as runs[0]; runs[0] ranks
// the features), for tests and tools: fills e.intervalLow/High, e.orderAgreement, e.seedRuns.
void fillSeedStatistics(Explanation& e, const std::vector<std::vector<float>>& runs);

// The q-quantile (0..1) of `sorted` (ascending, finite) by linear interpolation (type 7).
double quantileSorted(const std::vector<float>& sorted, double q);

// One figure for an explanation's intervals: the median over values of (high - low) divided by
// max |value| of run 0 (0 when every value is 0); NaN without intervals.
double medianRelativeWidth(const Explanation& e);

} // namespace senn::explain
