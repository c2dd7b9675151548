// Measuring explanations (metrics.md): stability (local Lipschitz estimates and
// perturbation-stability curves) and faithfulness (removal correlation, faithfulness
// correlation, infidelity, max-sensitivity). Batched, seeded, cancellable.
#pragma once
#include "core/explain/explanation.h"
#include "core/metrics/perturbation_curves.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace senn::metrics {

struct StabilityRecord;   // point_records.h
struct FaithfulnessRecord;

// The rows a stability or faithfulness run measures: the test split, or the validation split
// when the file has none. The app and `senn stability|faithfulness` both take their points
// from here through pickPoints, so the same N gives the same rows.
const std::vector<int64_t>& metricRows(const data::Split& split);

// N evenly spaced rows of `rows`: rows[i·size/N] for i < N, in order. Deterministic, and on a
// file sorted by class the points cover every class. n <= 0 or n >= size: all rows.
std::vector<int64_t> pickPoints(const std::vector<int64_t>& rows, int n);

// The defaults of a run per kind of data. ε is in units of each feature's training std (the
// box of localLipschitz), so one grid fits every tabular scale: half decades 0.001 .. 1
// (0.01, the usual tabular radius, among them). Images: fifth decades 0.1 .. 1 (pixels
// move visibly only from a tenth of their spread). Fewer points on images, whose
// explanations cost hundreds of model rows each.
struct MetricDefaults {
    std::vector<double> eps;
    int stabilityPoints = 20;
    int faithfulnessPoints = 50;
};
MetricDefaults metricDefaults(bool image);

// The search's seed is explainOptions.seed, the run's one seed; point (the ROW of x in the
// data) and epsIndex say which of a run's searches this is, so a search called alone draws
// what stabilityCurves draws for that row and ε, wherever the row sits in the run's points
// (the box draws from the seed and the row, independent draws from both indices).
struct LipschitzOptions {
    double eps = 0.01;
    bool boxStd = true;         // box x ± eps·max(std, 1e-3), clipped to training min/max
    int draws = 50;             // random search
    int ascentSteps = 5;        // projected gradient ascent (differentiable explainers)
    // Sampling methods (LIME, KernelSHAP, Shapley permutations, SmoothGrad): false explains x
    // and every x' with the same draws (explainOptions.seed), measuring the explanation
    // function alone; true gives each explained input its own draws, derived from the seed,
    // the indices and the input's index (the sampling noise a user meets is part of L̂).
    bool independentDraws = false;
    uint64_t point = 0;
    uint64_t epsIndex = 0;
};

struct LipschitzResult {
    double value = 0;           // best ratio found
    std::vector<float> argmax;  // the x' that attained it (raw space)
    int evaluations = 0;
};

LipschitzResult localLipschitz(explain::Method method, const models::Model& model,
                               const explain::ExplainContext& ctx, const float* xRaw,
                               const explain::ExplainOptions& explainOptions,
                               const LipschitzOptions& options,
                               const jobs::CancelToken& cancel = {});

struct Curve {
    std::vector<double> median, q25, q75;
    std::vector<std::vector<double>> perPoint; // [eps][point]; NaN where not (yet) computed
    int pointsDone = 0;                        // points finished (streamed or cancelled runs)
};

// How sampling methods draw at the perturbed inputs of a stability estimate.
enum class Draws { Independent, Shared };
std::string toString(Draws);          // "independent" | "shared"
Draws drawsFromString(const std::string&); // throws senn::Error naming the valid values

struct StabilityResult {
    std::vector<double> eps;
    std::vector<int64_t> points;                 // row indices (in the data) used
    std::map<std::string, Curve> methods;        // by methodId
    std::vector<double> perturbedAccuracy;       // per eps: accuracy on the argmax points
    // "How much the explanation moves" (metrics.md) at Gaussian noise of σ = eps (in units
    // of the training std per feature, as the box): per point, the mean over `noiseDraws`
    // draws of ||e(x') − e(x)|| / ||e(x)||. Every σ uses the same standard-normal draws
    // per point (common random numbers), so the curves are smooth in σ.
    std::map<std::string, Curve> moves;          // by methodId
    std::vector<double> predictionKept;          // per σ: share of noisy points whose prediction is x's
    std::vector<double> noisyAccuracy;           // per σ: accuracy on the noisy points
    int noiseDraws = 0;
    double seconds = 0;
    std::string draws = "independent";  // toString(Draws) of the run
    int threads = 1;                     // points explained in parallel
    bool cancelled = false;              // a cancelled run kept its finished points
    // Seconds per (method, point): the L̂ searches at every ε plus the moves batch; NaN = not done.
    std::map<std::string, std::vector<double>> pointSeconds;
};

struct StabilityOptions {
    Draws draws = Draws::Independent;
    int threads = 0;        // points in parallel; 0 = LibTorch's intra-op thread count (the
                            // Threads setting); pool workers run their LibTorch ops on one thread
    int noiseDraws = 4;
    bool keepPartialOnCancel = false; // return the finished points (cancelled = true) instead of throwing
    // Called after every finished (method, point) with the result so far (curves over the
    // finished points). Calls are serialised but may come from pool threads.
    std::function<void(const StabilityResult&)> partial;
    // Runs only the (method index, point index) tasks for which skip is false (a resumed run
    // skips its finished ones); empty = every task.
    std::function<bool(size_t method, size_t point)> skip;
    // Called, serialised, with the values of every finished (method, point) (point_records.h).
    std::function<void(const StabilityRecord&)> record;
};

// One seed per run: explainOptions.seed. Every random draw of the run (the search boxes,
// the noise of the moves curve, the sampling methods' draws) is derived from it and the
// point's ROW in the data (never its position in `points` or the thread), so a point's
// values are the same in any run, shard or thread count with the same seed and settings.
// explainOptions.memoryBudget (0 = the default budget) is the run's: the points explained in
// parallel share it, each explanation getting budget / threads, and a budget that cannot hold
// one model row per point is refused up front with requireMemory's message.
StabilityResult stabilityCurves(const std::vector<explain::Method>& methods,
                                const models::Model& model, const explain::ExplainContext& ctx,
                                const std::vector<int64_t>& points, const std::vector<double>& eps,
                                const explain::ExplainOptions& explainOptions,
                                const StabilityOptions& options,
                                const jobs::ProgressFn& progress = {},
                                const jobs::CancelToken& cancel = {});

StabilityResult stabilityCurves(const std::vector<explain::Method>& methods,
                                const models::Model& model, const explain::ExplainContext& ctx,
                                const std::vector<int64_t>& points, const std::vector<double>& eps,
                                const explain::ExplainOptions& explainOptions,
                                const jobs::ProgressFn& progress = {},
                                const jobs::CancelToken& cancel = {}, int noiseDraws = 4);

// Discrete estimate over dataset neighbours within radius r (same Euclidean norm both sides).
double discreteLipschitz(explain::Method method, const models::Model& model,
                         const explain::ExplainContext& ctx, int64_t row,
                         const std::vector<int64_t>& candidates, double radius,
                         const explain::ExplainOptions& explainOptions,
                         const jobs::CancelToken& cancel = {});

// Removal correlation: drops of the predicted class probability when each feature (concept
// for SENN) is set to the baseline, Pearson-correlated with the attributions.
struct RemovalResult {
    double correlation = 0;
    std::vector<double> drops;       // per feature / concept
    std::vector<double> attributions;
    std::vector<double> curve;       // probability after removing the top-1..m features by attribution
    // Images above 4,096 values are removed in square patches (side `patch` pixels, a seventh of
    // the image's side, through all channels): drops, attributions (sums over the patch) and the
    // curve are then per patch, and groups gives each value's patch. Empty / 0: per feature.
    std::vector<int64_t> groups;
    int64_t patch = 0;
    // Deletion, insertion and ROAD curves (removal_curves.h), when asked for (the removal job).
    PerturbationCurves perturbation;
};
// SENN: the drops are correlated with the contributions θ_i·h_i of the explained class
// (they sum to its logit, comparable with additive methods), or with θ_i alone, as
// the paper does, when sennTheta. memoryBudget (bytes, 0 = the default budget) bounds the
// model calls as ExplainOptions::memoryBudget does; the same for faithfulnessCorrelation and
// infidelity.
RemovalResult removalCorrelation(const models::Model& model, const explain::ExplainContext& ctx,
                                 const float* xRaw, const explain::Explanation& e,
                                 const std::vector<float>& baseline, bool sennTheta = false,
                                 int64_t memoryBudget = 0);

double faithfulnessCorrelation(const models::Model& model, const float* xRaw,
                               const explain::Explanation& e, const std::vector<float>& baseline,
                               int subsets = 100, double fraction = 0.2, uint64_t seed = 0,
                               int64_t memoryBudget = 0);
// Infidelity (Yeh et al. 2019, Captum): mean over I ~ N(0, σ²) of (Iᵀφ − (f(x) − f(x − I)))².
// `normalized` first rescales φ by the optimal β = E[Iᵀφ·Δf] / E[(Iᵀφ)²] (Captum's
// normalize=True), so an explanation that is right up to a scale scores 0.
double infidelity(const models::Model& model, const float* xRaw, const explain::Explanation& e,
                  double sigma = 0.003, int samples = 10, uint64_t seed = 0, bool normalized = false,
                  int64_t memoryBudget = 0);
// Max-sensitivity: the largest change of the explanation over `samples` points drawn within
// `radius`; the draws and the explainer's come from explainOptions.seed.
double maxSensitivity(explain::Method method, const models::Model& model,
                      const explain::ExplainContext& ctx, const float* xRaw,
                      const explain::ExplainOptions& explainOptions, double radius = 0.02,
                      int samples = 10);

struct FaithfulnessResult {
    std::vector<int64_t> points;
    struct PerMethod {
        std::vector<double> perPoint;   // removal correlation per point
        double median = 0;
        std::vector<double> faithfulnessCorrelation, infidelity, infidelityNormalized;
        std::vector<double> seconds;    // per point; NaN = not done
        int pointsDone = 0;
        // Every measure the run computed (measures.h ids, the three above included) -> per
        // point value; NaN = not done or not defined for this point.
        std::map<std::string, std::vector<double>> measures;
    };
    std::map<std::string, PerMethod> methods;
    double seconds = 0;
    int threads = 1;
    bool cancelled = false;
    std::string sennAttribution = "theta_h"; // what SENN's removal correlation used: "theta_h" | "theta"
};

struct FaithfulnessOptions {
    int threads = 0;                  // as StabilityOptions::threads
    bool sennTheta = false;           // SENN: correlate with θ (the paper) instead of θ·h
    bool keepPartialOnCancel = false;
    std::function<void(const FaithfulnessResult&)> partial; // after each finished (method, point)
    std::function<bool(size_t method, size_t point)> skip;  // as StabilityOptions::skip
    std::function<void(const FaithfulnessRecord&)> record;  // as StabilityOptions::record
    // The measure groups to compute (measures.h: "removal", "deletion", "road", "ris", ...);
    // empty = defaultMeasureGroups().
    std::vector<std::string> measures;
};
// Seed and memory budget as stabilityCurves: every draw of a point (its explanation's, the
// measures') derives from explainOptions.seed and the point's row, and the points run in
// parallel share explainOptions.memoryBudget.
FaithfulnessResult faithfulness(const std::vector<explain::Method>& methods,
                                const models::Model& model, const explain::ExplainContext& ctx,
                                const std::vector<int64_t>& points,
                                const explain::ExplainOptions& explainOptions,
                                const FaithfulnessOptions& options,
                                const jobs::ProgressFn& progress = {},
                                const jobs::CancelToken& cancel = {});

FaithfulnessResult faithfulness(const std::vector<explain::Method>& methods,
                                const models::Model& model, const explain::ExplainContext& ctx,
                                const std::vector<int64_t>& points,
                                const explain::ExplainOptions& explainOptions,
                                const jobs::ProgressFn& progress = {},
                                const jobs::CancelToken& cancel = {});

// SENN concept prototypes: top-l and bottom-l training rows by h_i.
struct Prototypes {
    int64_t k = 0;
    std::vector<std::vector<int64_t>> top, bottom;        // [concept][rank] -> row index
    std::vector<std::vector<float>> topValue, bottomValue; // h_i at those rows
};
Prototypes conceptPrototypes(const models::Model& model, const data::Dataset& data,
                             const std::vector<int64_t>& rows, int l = 8,
                             const jobs::CancelToken& cancel = {});

} // namespace senn::metrics
