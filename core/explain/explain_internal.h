// Core-internal helpers shared by the explainers and the metrics: batched, cancellable model
// calls on the target output, seeded generators, backgrounds, the weighted ridge surrogate,
// and batched explanations of many inputs for the differentiable methods. Includes LibTorch,
// so nothing outside core/ includes it.
#pragma once
#include "core/explain/explanation.h"
#include "core/models/model_impl.h"
#include "core/torch_include.h"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace senn::explain::detail {

// One running explanation: counts model rows, reports progress per chunk, checks the token.
struct Run {
    models::ModelImpl& impl;
    const jobs::ProgressFn& progress;
    const jobs::CancelToken& cancel;
    std::string stage;
    int64_t chunk = 8192;
    int64_t rows = 0;        // rows evaluated so far
    int64_t plannedRows = 0; // for the progress fraction (0 = unknown)
    Output output = Output::Logit; // what logitGradient differentiates (the gradient family)
    int64_t budget = 0;            // memory budget in bytes (memoryBudgetFor); 0 = not checked
    void afterChunk(int64_t n);
};

// X: [N, ...inputShape] float on any device. Returns [N] float64 on CPU: the target's
// probability or logit, computed in chunks of run.chunk rows without autograd.
torch::Tensor evalOutput(Run& run, const torch::Tensor& X, int target, Output output);
// Same for all classes: [N, C] float64 (probabilities or logits).
torch::Tensor evalAll(Run& run, const torch::Tensor& X, Output output);
// Gradient of the target logit(s) with respect to X (same shape as X). targets: one per row
// (or a single entry for all rows). createGraph keeps the graph so metrics can differentiate
// the explanation itself; then X must require grad and no chunking takes place.
// logitsOut (optional, no-graph mode): the target logits of the rows from the same forward.
torch::Tensor logitGradient(Run& run, const torch::Tensor& X, const std::vector<int>& targets,
                            bool createGraph = false, torch::Tensor* logitsOut = nullptr);

torch::Tensor sampleTensor(const models::ModelImpl& impl, const float* x, int64_t n = 1);
std::vector<int64_t> batchShape(const models::ModelImpl& impl, int64_t n);
int64_t featureCount(const models::ModelImpl& impl);
// Rows per batched model call: `requested` when positive, else as many rows as fit in a fixed
// budget of input bytes (at most 8,192), so a convolutional model's activations stay within a
// few tens of MB per call.
// Large inputs (a photo) get fewer rows: at least 8 rows per call, and never more than the
// memory budget holds at rowBytes() each.
int64_t chunkRowsFor(const models::ModelImpl& impl, int64_t requested, int64_t budget = 0);

// The memory budget: ExplainOptions::memoryBudget when positive, else defaultMemoryBudget().
int64_t memoryBudgetFor(const ExplainOptions& options);
// Half of MemAvailable (/proc/meminfo; sysconf's available pages where that is missing), or of
// the room left under RLIMIT_AS or the cgroup's memory.max when those are smaller.
int64_t defaultMemoryBudget();
// What one row of a model call may cost: its input and the activations a backward pass keeps,
// taken as 64 times the input (a ResNet-18 on a 224x224 photo keeps about 60 times).
int64_t rowBytes(const models::ModelImpl& impl);
// Throws senn::Error when `fixedBytes` (the job's own tensors) plus one model row exceed the
// budget: "<what> needs about X MB ... the memory budget is Y MB", with `hint`.
void requireMemory(const Run& run, int64_t fixedBytes, const std::string& what, const std::string& hint = {});
std::string megabytes(int64_t bytes);
// A Run for `impl` with its chunk and budget set from the options.
void configureRun(Run& run, const ExplainOptions& options);

at::Generator makeGenerator(uint64_t seed);

// Weighted rows in raw space; weights are normalised to sum to 1.
struct Background {
    torch::Tensor rows;    // [B, d] float32, CPU
    torch::Tensor weights; // [B] float64, CPU
    std::string spec;
    torch::Tensor mean() const; // [d] weighted mean (float32)
};
// spec: mean | zeros | kmeans:K | sample:N (K-means: cv::kmeans, centres snapped to the nearest
// real value per column, weights = cluster sizes, as shap.kmeans does). Part of the explainer's
// configuration, not of its draws: built once per context with a fixed seed, as shap.kmeans and
// shap.sample use random_state=0, whatever seed an explanation has. (With the explanation's
// seed, a stability run re-clustered the training split for each of its 441 perturbed inputs
// per point, and KernelSHAP's L̂ measured the background's changes.)
Background makeBackground(const ExplainContext& ctx, const std::string& spec, int64_t d);

} // namespace senn::explain::detail

namespace senn::explain {
// LIME's quartile-bin tables of the training rows (lime_tabular.cpp), per feature padded to
// 4 bins, feature-major: cumulative frequencies (feature j's bin b at j * 3 + b; the 4th is 1),
// the cut points that give x's bin (j * 3 + k, +inf padding), and each bin (j * 4 + b): its
// bounds, mean and sd, and the bounds in sd units from the mean.
struct LimeBin {
    double lo = 0, hi = 0, mean = 0, sd = 1, zlo = 0, zhi = 0;
};
struct LimeBinTables {
    // Within-bin draws invert the truncated normal's CDF by linear interpolation between its
    // quantiles at t / kKnots (t = 0..kKnots), per bin: one random word and one table lookup per
    // draw. The interpolated CDF is within 1e-3 of the exact one (test_explain_lime).
    static constexpr int kKnots = 256;
    std::vector<double> cum, cuts;
    std::vector<LimeBin> bins;
    std::vector<float> quantiles; // bins.size() x (kKnots + 1); fillBinQuantiles
};
struct BackgroundCache {
    std::mutex mutex;
    std::map<std::string, detail::Background> entries;
    std::map<int64_t, std::shared_ptr<const LimeBinTables>> limeBins; // by feature count, built once per context
};
} // namespace senn::explain

namespace senn::explain::detail {

// Weighted ridge with an unpenalised intercept (sklearn Ridge with sample_weight).
struct RidgeFit {
    torch::Tensor coef; // [p] float64
    double intercept = 0, r2 = 0;
};
RidgeFit weightedRidge(const torch::Tensor& X, const torch::Tensor& y, const torch::Tensor& w,
                       double alpha);
// The same fit for an indicator matrix (every entry 0 or 1: LIME's interpretable rows, tabular
// bins and image segments), from weighted moments gathered in one pass over each row's ones.
RidgeFit weightedRidgeIndicators(const torch::Tensor& X, const torch::Tensor& y, const torch::Tensor& w,
                                 double alpha);
double predictRidge(const RidgeFit& fit, const torch::Tensor& x); // x [p]
// lime's 'auto' feature selection: forward selection for k ≤ 6, else highest weights.
std::vector<int64_t> limeSelectFeatures(const torch::Tensor& X, const torch::Tensor& y,
                                        const torch::Tensor& w, int64_t k);

// Pearson correlation; NaN when either vector is constant (or fewer than 2 entries).
double pearson(const std::vector<double>& a, const std::vector<double>& b);

// Gauss-Legendre nodes and weights on [0, 1].
void gaussLegendre01(int n, std::vector<double>& nodes, std::vector<double>& weights);

int resolveTarget(Run& run, const torch::Tensor& x, int requested);

double secondsSince(std::chrono::steady_clock::time_point t0);

// --- per-method explainers (one file each) -----------------------------------------------
Explanation explainSenn(Run&, const ExplainContext&, const torch::Tensor& x, int target,
                        const ExplainOptions&);
Explanation explainLimeTabular(Run&, const ExplainContext&, const torch::Tensor& x, int target,
                               const ExplainOptions&);
// LIME tabular for the rows X [n, d] at once (stability metrics): input i is explained with
// seeds[i] (empty: options.seed for all), its draws exactly those of explainLimeTabular with
// that seed; the perturbed rows of as many inputs as fit in maxRows (at least one input) go
// through the model in one call.
std::vector<Explanation> explainLimeTabularMany(Run&, const ExplainContext&, const torch::Tensor& X,
                                                int target, const ExplainOptions&,
                                                const std::vector<uint64_t>& seeds, int64_t maxRows);
Explanation explainLimeImage(Run&, const ExplainContext&, const torch::Tensor& x, int target,
                             const ExplainOptions&);
// lime's sampling with its QuartileDiscretizer (lime_tabular.cpp): row 0 is x; every other
// row draws, per feature, a bin with the training frequencies and a value from N(bin mean,
// bin sd) truncated to the bin (scipy's truncnorm). Writes the model rows (float [N, d]),
// the interpretable rows (double [N, d], 1 where the draw's bin is x's bin) and each row's
// count of features outside x's bin. Reproducible from `seed`.
// The quantile tables of every bin with hi > lo (point bins draw their point).
void fillBinQuantiles(LimeBinTables& tables);
void sampleQuartileBins(const LimeBinTables& tables, const std::vector<int>& xBin, const float* x, int64_t N,
                        int64_t d, uint64_t seed, float* inverse, double* interp, std::vector<int>& outside);

// Least angle regression without intercept (scikit-learn's lars_path, method "lar"): the
// first `keep` columns of X [n, p] in the order they join the active set (float64).
std::vector<int64_t> larsEntryOrder(const torch::Tensor& X, const torch::Tensor& y, int64_t keep);

Explanation explainKernelShap(Run&, const ExplainContext&, const torch::Tensor& x, int target,
                              const ExplainOptions&);
Explanation explainShapley(Run&, const ExplainContext&, const torch::Tensor& x, int target,
                           const ExplainOptions&);
Explanation explainGradient(Method, Run&, const ExplainContext&, const torch::Tensor& x,
                            int target, const ExplainOptions&);
Explanation explainOcclusion(Run&, const ExplainContext&, const torch::Tensor& x, int target,
                             const ExplainOptions&);

// Batched explanations of n inputs X [n, ...] for SENN and the gradient family: [n, m] with
// m = k (SENN) or d. Differentiable with respect to X when createGraph (X requires grad).
torch::Tensor explainBatchDifferentiable(Method method, Run& run, const ExplainContext& ctx,
                                         const torch::Tensor& X, const std::vector<int>& targets,
                                         const ExplainOptions& options, bool createGraph);

// ∂(e(x)·v)/∂x for one input x [1, ...] of SENN or the gradient family, v with e's size: the
// gradient a search for the explanation's largest change needs. IG and SmoothGrad are sums over
// rows (path points, noisy copies), so each chunk of run.chunk rows is differentiated twice and
// freed before the next: the double-backward graph never holds more than one chunk. [m] float32.
torch::Tensor explanationVjp(Method method, Run& run, const ExplainContext& ctx, const torch::Tensor& x,
                             int target, const ExplainOptions& options, const torch::Tensor& v);

// Baseline row for the gradient family and occlusion: the background's weighted mean
// (default "mean": the raw training mean). [d] float32.
torch::Tensor baselineRow(const ExplainContext& ctx, const ExplainOptions& options, int64_t d);

// SENN aggregator with modified concepts: logits = Σ_i θ_i h'_i for θ [k, C], h' [n, k].
torch::Tensor sennLogitsWithConcepts(const torch::Tensor& theta, const torch::Tensor& hPrime);

} // namespace senn::explain::detail

namespace senn::explain::detail {

// The Shapley value function shared by KernelSHAP and exact / permutation Shapley:
// v(S) = Σ_b w_b f(x on S, b elsewhere), f the target's probability or logit.
struct CoalitionGame {
    torch::Tensor x;                 // [d] float32 CPU
    Background bg;
    std::vector<int64_t> varying;    // the players (M): features that differ from some background
                                     // row, or on large images superpixels (imageGroups)
    // Per player: the input values it moves (a single feature, or every value of a superpixel).
    std::vector<std::vector<int64_t>> members;
    int64_t groups = 0;              // superpixels used as players; 0 = players are features
    int target = 0;
    Output output = Output::Probability;
    double fx = 0, fnull = 0;        // f(x) and E_b f(b)
    // masks [S, M] (nonzero = feature from x, else the background's) -> [S] float64, batched
    // over coalitions × background.
    torch::Tensor values(Run& run, const torch::Tensor& masks) const;
};
CoalitionGame makeGame(Run& run, const ExplainContext& ctx, const torch::Tensor& x, int target,
                       const ExplainOptions& options, const std::string& defaultBackground);
using explain::kMaxPixelPlayers;
// Whether segmentImage uses SLIC for this setting and channel count (else the grid).
bool usesSlic(const std::string& method, int64_t channels);
// One segment id per pixel (H*W), ids 0..count-1 (lime_image.cpp). x: [C, H, W] CPU.
std::vector<int> segmentImage(const torch::Tensor& x, const std::string& method, int size, int& count);
// Fills the shared parts of a Shapley-type explanation (full-length values, diagnostics); a
// superpixel's value is spread evenly over its values, so the values still sum to Σφ.
void fillShapleyExplanation(Explanation& e, const CoalitionGame& game, const torch::Tensor& phiM,
                            int64_t d);

} // namespace senn::explain::detail
