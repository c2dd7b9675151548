// One interface for every explanation the app shows (SENN's own and the post-hoc baselines):
// given a model, a raw input x, a target class and a seed, return an Explanation with values
// over features / pixels / concepts, the method's diagnostics and the time it took.
#pragma once
#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/jobs/job.h"
#include "core/models/model.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace senn::explain {

enum class Method {
    Senn, Lime, KernelShap, Shapley, Saliency, GradInput, IntegratedGradients, SmoothGrad,
    Occlusion, Flint
};

std::string methodId(Method);            // "kernel-shap", as in cli.md
std::string methodDisplayName(Method);   // "KernelSHAP"
Method methodFromId(const std::string&); // throws senn::Error listing the valid ids
std::vector<Method> allMethods();
bool isDifferentiable(Method);           // gradient family and SENN

// The model output an explanation's values explain: the target's logit or its softmax
// probability. SENN's θ and FLINT's contributions always explain the logit.
enum class Output { Logit, Probability };
std::string outputId(Output);                // "logit" | "probability", as on the command line and in JSON
Output outputFromId(const std::string&);     // throws senn::Error listing the valid ids

struct ExplainOptions {
    int target = -1;                     // -1 = predicted class
    std::string background = "";         // mean|zeros|kmeans:K|sample:N; "" = method default
    int samples = 0;                     // 0 = method default (LIME 5000/1000, SHAP 2M+2048, ...)
    uint64_t seed = 0;
    // LIME
    bool limeDiscretize = true;
    bool limeSampleAroundInstance = false;
    int limeFeatures = 0;                // 0 = all
    std::string segmentation = "slic";   // images: slic|grid
    // Gradient family
    bool absoluteSaliency = false;
    int igSteps = 50;
    int smoothGradSamples = 50;
    double smoothGradSigma = 0.15;       // fraction of the input range
    // Occlusion window and stride in pixels; 0 = from the image's shorter side s: window
    // max(4, round(s / 7)), stride window / 2 (28x28: 4 and 2; 64x64: 9 and 4; 224x224: 32
    // and 16), so a photo gets about 170 windows, not tens of thousands. Tabular: 1 feature.
    int occlusionWindow = 0, occlusionStride = 0;
    // Shapley
    int shapKeepFeatures = 0;            // KernelSHAP: >0 keeps the top K by LARS, as shap's
                                         // l1_reg="num_features(K)" (shap >= 0.47 uses 10); 0 = all
    int exactShapleyMaxFeatures = 16;
    int permutations = 0;                // >0: antithetic permutation sampling
    // The one explained output of every method that can take it (LIME, KernelSHAP, Shapley,
    // occlusion and the gradient family): the target's logit (default; SENN's θ·h sums to it,
    // Captum explains logits) or its probability (as lime/shap users do with predict_proba;
    // the gradient family then differentiates the softmax).
    Output output = Output::Logit;
    double limeKernelWidth = 0;          // 0 = 0.75·sqrt(d) (tabular), 0.25 (image)
    int segmentSize = 0;                 // SLIC region size / grid cell in pixels; 0 = auto
    int64_t chunkRows = 0;               // rows per batched model call; 0: by input size (chunkRowsFor)
    // Bytes the job's tensors may take (perturbed rows, model activations, surrogate systems);
    // 0 = half of the memory available when the job starts (/proc/meminfo, or what RLIMIT_AS
    // and the cgroup's memory.max leave when less). Explainers and metrics chunk their model
    // calls to stay within it and refuse up front, with the figure, when even one row per call
    // would not fit.
    int64_t memoryBudget = 0;
};

struct Explanation {
    std::string method;                  // methodId()
    int target = -1;
    Output output = Output::Logit;       // what the values explain (metrics compare with the same)
    std::vector<float> values;           // attributions, shape `shape`
    std::vector<int64_t> shape;          // {d}, {C,H,W} or {k} for concepts
    std::vector<std::string> labels;     // feature / concept names (tabular and concepts)
    std::vector<float> baseline;         // the reference used (raw space), if any
    double seconds = 0;
    int64_t modelRows = 0;               // rows the model evaluated
    std::map<std::string, double> diagnostics; // r2, local_prediction, sum_phi, completeness_gap, ...
    // SENN: theta for the target (== values), the concepts h and the contributions theta*h.
    std::vector<float> h, contribution;
    // Image methods on superpixels: the segment map (one id per pixel).
    std::vector<int> segments;
    // Permutation-sampled Shapley values: standard error per feature (same shape as values).
    std::vector<float> standardError;
    // Spread over seeds of a sampling method (LIME, KernelSHAP, SmoothGrad, sampled Shapley),
    // filled only when the explanation was repeated with `seedRuns` independent seeds (run 0 is
    // `values` itself): intervalLow/High are each value's 2.5% and 97.5% quantiles over the runs
    // (shape of values); orderAgreement[j] is the share of runs in which feature j and the
    // feature ranked next below it by |value| keep that order (1 = settled; near 0.5 = a coin).
    std::vector<float> intervalLow, intervalHigh, orderAgreement;
    int seedRuns = 0;
};

struct BackgroundCache; // core-internal: backgrounds (k-means, samples) built once per context

// Training-split statistics and backgrounds that explainers need; compute once per model+data.
struct ExplainContext {
    const data::Dataset* data = nullptr;  // raw rows
    std::vector<int64_t> trainRows;
    data::FeatureStats stats;             // raw-space mean/std/min/max of the training rows
    // Backgrounds by (spec, seed), filled on first use (make() creates it; a default-made
    // context has none and recomputes). Copies of a context share it.
    std::shared_ptr<BackgroundCache> backgroundCache;
    static ExplainContext make(const data::Dataset& data, const data::Split& split);
};

// Occlusion's window and stride for an H x W image (ExplainOptions' 0 = from the image size);
// the window count is ((H - min(window, H)) / stride + 1) * ((W - min(window, W)) / stride + 1).
void occlusionGeometry(int64_t H, int64_t W, const ExplainOptions& options, int64_t& window, int64_t& stride);
// Images with more values than this explain superpixels (KernelSHAP, Shapley: the LIME
// segmentation) and remove patches (removal correlation), not single values: per-value
// KernelSHAP on a 224x224 photo needs 150,528² normal equations and 3 million model rows.
constexpr int64_t kMaxPixelPlayers = 4096;

Explanation explain(Method method, const models::Model& model, const ExplainContext& ctx,
                    const float* xRaw, const ExplainOptions& options = {},
                    const jobs::ProgressFn& progress = {}, const jobs::CancelToken& cancel = {});

} // namespace senn::explain
