// The scorecard (metrics.md): methods × measures, each cell the median over points with a
// bootstrap interval and the method's rank under the measure's direction, and how far the
// measures agree on ranking the methods (Kendall's W, pairwise τ). Torch-free, as metrics.h.
#pragma once
#include "core/explain/explanation.h"
#include "core/metrics/measures.h"
#include "core/metrics/rank_statistics.h"

#include <functional>
#include <memory>
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
    // Per row: the .npy of attributions from elsewhere (external_attributions.h), "" for ours.
    std::vector<std::string> sources;
    // [method][measure]: why a cell has no values ("" when it has): a file's row cannot have the
    // measures that explain perturbed inputs again (externalUnavailableReason).
    std::vector<std::vector<std::string>> reasons;
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

class ExternalAttributions;

// One finished (row, point) of a scorecard run, as a run in shards records it.
struct ScorecardRecord {
    std::string method;          // the row's id: a method id or a file's name
    size_t point = 0;            // position in the run's points
    int64_t row = -1;            // row id in the data
    std::vector<double> values;  // one per measure, in the result's order; NaN = undefined
    std::vector<double> seconds; // per measure
    double explainSeconds = 0;
};

struct ScorecardOptions {
    std::vector<std::string> measures;  // ids; empty = defaultScorecardMeasures()
    // Attributions from files, one row each after the methods', named by their names; their
    // points are read from the files, not explained (external_attributions.h).
    std::vector<std::shared_ptr<const ExternalAttributions>> external;
    int threads = 0;                    // points in parallel, as FaithfulnessOptions::threads
    int bootstrap = 1000;               // resamples per cell
    double level = 0.95;                // of the bootstrap interval
    bool keepPartialOnCancel = false;   // return the finished points (cancelled = true)
    // After every finished (method, point): the values so far, not yet summarised (call
    // summarizeScorecard on a copy to show it). Serialised; may come from pool threads.
    std::function<void(const ScorecardResult&)> partial;
    // As FaithfulnessOptions::skip and ::record: (row, point) pairs already done elsewhere are
    // not run (row indexes the methods, then the files); each finished pair is handed over.
    // record may come from pool threads, one call at a time.
    std::function<bool(size_t row, size_t point)> skip;
    std::function<void(const ScorecardRecord&)> record;
};

// Explains every point with every method once and computes each measure on that explanation;
// the files of options.external give their explanation at the point instead (checked for
// every point before the run starts), and their cells of the measures that need the method
// itself are NaN with the reason in `reasons`.
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
