// Sanity checks of explanations (Adebayo et al. 2018; metrics.md "Sanity checks"): does an
// explanation change when the model's weights are re-drawn layer by layer, when another class
// is explained, or when the model was trained on permuted labels? Torch-free.
#pragma once
#include "core/explain/explanation.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace senn::metrics {

// The control "method" of the checks: the input's edges, which ignore the model (Sobel
// magnitude of each channel for images, |x − training mean| for tables). Its similarity stays
// 1 at every step: what a method that fails the checks looks like. Only sanity runs know it.
inline const std::string kEdgeDetectorId = "edge-detector";
std::string sanityMethodDisplayName(const std::string& id); // explain's names, "Edge detector"
// Throws senn::Error naming the valid ids (the explainers' and the edge detector's).
void checkSanityMethod(const std::string& id);
explain::Explanation edgeDetector(const explain::ExplainContext& ctx, const float* xRaw,
                                  const std::vector<int64_t>& shape);

// Cascading: step s re-draws the s layers nearest the output; independent: step s re-draws
// layer s alone.
enum class SanityMode { Cascading, Independent };
std::string toString(SanityMode);                  // "cascading" | "independent"
SanityMode sanityModeFromString(const std::string&); // throws senn::Error

// One measure of one method: per step, per point, and the median and quartiles per step.
struct SimilaritySeries {
    std::vector<std::vector<double>> perPoint; // [step][point]; NaN where not computed
    std::vector<double> median, q25, q75;      // per step
};

struct SanityMethodResult {
    std::map<std::string, SimilaritySeries> steps; // by measure id (similarity.h)
    // The explanation of the example point (points[0]) at each step, step 0 the original one.
    std::vector<std::vector<float>> example;
    std::vector<int64_t> shape;
    // Per point, by measure: the explanation of another class against the original one.
    std::map<std::string, std::vector<double>> randomLogit;
    // Per point, by measure: the model trained on permuted labels against the original.
    std::map<std::string, std::vector<double>> dataRandomisation;
};

struct SanityResult {
    std::string mode = "cascading";
    std::vector<int64_t> points;          // row indices in the data
    std::vector<int> targets;             // the explained class per point (the original prediction)
    std::vector<int> randomTargets;       // random-logit test: the other class explained; empty if not run
    std::vector<std::string> layers;      // from the output down
    std::vector<std::string> steps;       // "original", then the layer each step re-draws
    std::vector<std::string> methods;     // ids, in the order asked
    std::map<std::string, SanityMethodResult> results; // by method id
    int stepsDone = 0;                    // finished steps, "original" included
    bool randomLogit = false, dataRandomisation = false;
    // Data randomisation: epochs trained on permuted labels and that model's test accuracy.
    int randomisedEpochs = 0;
    double randomisedAccuracy = 0;
    uint64_t seed = 0;
    int threads = 1;
    double seconds = 0;
    bool cancelled = false;               // a cancelled run kept its finished steps
};

struct SanityOptions {
    SanityMode mode = SanityMode::Cascading;
    bool modelRandomisation = true;       // false: no layer steps (only "original" and the tests below)
    bool randomLogit = false;
    // Retrains the architecture on permuted training labels, at most `epochs` epochs, with the
    // model's own training settings otherwise. Needs `split` (the model's) and a network the
    // app trains (not TorchScript).
    bool dataRandomisation = false;
    int epochs = 5;
    const data::Split* split = nullptr;
    int threads = 0;                      // as StabilityOptions::threads
    bool keepPartialOnCancel = false;
    std::function<void(const SanityResult&)> partial; // after each finished step or test
};

// Every random draw derives from explainOptions.seed: the layers' weights from (seed, layer),
// each point's explainer draws and random class from (seed, row id), the permutation of the
// labels from the seed; so the same seed gives the same result wherever it runs. Each point is
// explained for its original predicted class (explainOptions.target when >= 0) at every step.
SanityResult sanityChecks(const std::vector<std::string>& methods, const models::Model& model,
                          const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                          const explain::ExplainOptions& explainOptions, const SanityOptions& options,
                          const jobs::ProgressFn& progress = {}, const jobs::CancelToken& cancel = {});

} // namespace senn::metrics
