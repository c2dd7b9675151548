// The scorecard (metrics.md): methods × measures, each cell the median over points with a
// bootstrap interval and the method's rank under the measure's direction, and how far the
// measures agree on ranking the methods (Kendall's W, pairwise τ). Torch-free, as metrics.h.
#pragma once
#include "core/explain/explanation.h"
#include "core/metrics/measures.h"
#include "core/metrics/rank_statistics.h"

#include <functional>
#include <string>
#include <vector>

namespace senn::metrics {

// One column of the scorecard: the measure catalogue's entry (measures.h) for the measures the
// faithfulness run shares, the scorecard's own for complexity and L̂ (group empty).
using ScorecardMeasure = MeasureInfo;

// Every measure a scorecard can compute, in table order, and the default selection.
const std::vector<ScorecardMeasure>& scorecardMeasures();
std::vector<std::string> defaultScorecardMeasures();
// The catalogue entry of an id; throws senn::Error naming the valid ids.
const ScorecardMeasure& scorecardMeasure(const std::string& id);
// A comma-separated list of ids, checked (scorecardMeasure's error); empty = the default.
std::vector<std::string> parseScorecardMeasures(const std::string& list);

struct ScorecardResult {
    std::vector<int64_t> points;              // row ids in the data
    std::vector<std::string> methods;         // method ids: the table's rows
    std::vector<ScorecardMeasure> measures;   // the table's columns
    // values[method][measure][point]; NaN = not done, or undefined for this explanation
    // (faithfulness correlation of SENN's concepts, sensitivity of an all-zero explanation).
    std::vector<std::vector<std::vector<double>>> values;
    std::vector<int> pointsDone;              // per method
    // Filled by summarizeScorecard (the run ends with it): [method][measure].
    std::vector<std::vector<MedianInterval>> cells;
    std::vector<std::vector<double>> ranks;   // 1 = best; ties averaged; NaN without a median
    // Kendall's W over the measures that rank every method (agreementMeasures, their ids) as
    // judges; tau[a][b]: Kendall's τ-b between the ranks of measures a and b.
    double kendallW = 0;
    std::vector<std::string> agreementMeasures;
    std::vector<std::vector<double>> tau;
    int bootstrap = 1000;
    double level = 0.95;
    uint64_t seed = 0;
    double seconds = 0;
    int threads = 1;
    bool cancelled = false;
    // Seconds spent per measure (columns) and on the explanations, summed over (method, point).
    std::vector<double> measureSeconds;
    double explainSeconds = 0;
};

struct ScorecardOptions {
    std::vector<std::string> measures;  // ids; empty = defaultScorecardMeasures()
    int threads = 0;                    // points in parallel, as FaithfulnessOptions::threads
    int bootstrap = 1000;               // resamples per cell
    double level = 0.95;                // of the bootstrap interval
    bool keepPartialOnCancel = false;   // return the finished points (cancelled = true)
    // After every finished (method, point): the values so far, not yet summarised (call
    // summarizeScorecard on a copy to show it). Serialised; may come from pool threads.
    std::function<void(const ScorecardResult&)> partial;
};

// Explains every point with every method once and computes each measure on that explanation.
// Every draw derives from (explainOptions.seed, the point's row id, a tag of the measure) with
// deriveSeed, so a point scores the same in any run, list or thread. The memory budget is
// shared by the points in flight, as in faithfulness().
ScorecardResult scorecard(const std::vector<explain::Method>& methods, const models::Model& model,
                          const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                          const explain::ExplainOptions& explainOptions,
                          const ScorecardOptions& options, const jobs::ProgressFn& progress = {},
                          const jobs::CancelToken& cancel = {});

// Cells, ranks, W and τ from `values` (bootstrap seeds from result.seed and the method and
// measure ids, so a cell's interval does not depend on the table's order).
void summarizeScorecard(ScorecardResult& result);

// A sentence on what W means for this table, e.g. "Measures agree weakly (W = 0.31): a ranking
// by one measure cannot be trusted."
std::string agreementSentence(double w);

} // namespace senn::metrics
