// Right for the Right Reasons beyond the penalty itself (rrr.md): input-gradient maps for the
// visualisation, the lambda-1 guidance (both loss terms at the start of training) and "find
// another explanation" (rounds of training with accumulated gradient masks). Torch-free.
#pragma once
#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/jobs/job.h"
#include "core/models/model.h"
#include "core/train/trainer.h"

#include <functional>
#include <string>
#include <vector>

namespace senn::train {

// What an input gradient is taken of.
enum class GradientOf {
    SumLogProb, // ∂/∂x Σ_k log p_k(x): the explanation the RRR penalty constrains
    MaxProb     // ∂/∂x max_k p_k(x): the one find-another-explanation masks (rrr.md)
};

// Input gradients in RAW input space (the space masks are drawn in), rows.size() x
// featureCount() values laid out like data rows. Any differentiable model (not TorchScript
// models without gradients: senn::Error). Works under a caller's NoGradGuard.
std::vector<float> inputGradients(const models::Model& model, const data::Dataset& data,
                                  const std::vector<int64_t>& rows,
                                  GradientOf of = GradientOf::SumLogProb,
                                  const jobs::CancelToken& cancel = {});

// The visualisation rule of rrr.md: per map of `featuresPerMap` values, keep g where
// |g| > fraction · max|g| of that map, 0 elsewhere.
std::vector<float> thresholdGradients(const std::vector<float>& gradients, int64_t featuresPerMap,
                                      double fraction = 0.1);

// Find-another-explanation's mask rule: for each row in `rows`, 1 where
// |∂ max_k p_k/∂x| > threshold · max of that row, OR-ed into `masks` (rows() x featureCount()
// of the whole dataset; resized and zero-filled when its size does not match).
void accumulateGradientMask(const models::Model& model, const data::Dataset& data,
                            const std::vector<int64_t>& rows, std::vector<float>& masks,
                            double threshold = 0.67, const jobs::CancelToken& cancel = {});

// Fraction of the input values of `rows` that the mask marks (>= 0.5).
double maskCoverage(const std::vector<float>& masks, const data::Dataset& data,
                    const std::vector<int64_t>& rows);

// rrr.md: "choose λ₁ so both terms are of the same order at the start of training". Both terms
// are taken on the first training batch (trainConfig.batch rows of split.train, in split
// order) of the untrained model that train() would start from (same seed).
struct LambdaGuidance {
    int64_t rows = 0;           // batch rows used
    double ce = 0;              // mean cross-entropy
    double penalty = 0;         // mean Σ_d (A ∂/∂x Σ log p)², i.e. the rrr term before λ₁
    double suggestedLambda = 0; // ce / penalty rounded to one significant digit (0: no penalty)
    std::string text;           // one or two sentences for a person
};
LambdaGuidance lambdaGuidance(const data::Dataset& data, const data::Split& split,
                              const models::ModelConfig& config,
                              const models::TrainConfig& trainConfig,
                              const std::vector<float>& masks);

// One round of "find another explanation".
struct ExplanationRound {
    int round = 0;                  // 1-based
    models::Model model;
    bool cancelled = false;
    double trainAccuracy = 0, testAccuracy = -1; // test: -1 when the split has no test part
    double maskCoverage = 0;        // fraction of training input values this round's mask marked
    std::vector<int64_t> rows;      // the chosen rows (FindAnotherOptions::showRows)
    std::vector<float> gradients;   // their ∂ Σ log p / ∂x, rows.size() x featureCount()
    std::vector<float> mask;        // their rows of the mask this round was trained with
};

struct FindAnotherOptions {
    int rounds = 3;
    double threshold = 0.67;             // of each example's max |∂ max_k p_k/∂x|
    std::vector<int64_t> showRows;       // rows whose gradient maps each round reports
    std::function<void(const ExplanationRound&)> onRound;
    // Batches of every round; the int is the 1-based round.
    std::function<void(int, const BatchReport&)> onBatch;
    jobs::CancelToken cancel;
};

// Round 1 trains with A = 0 (rrrLambda ignored); each later round trains config (its
// rrrLambda, which must be > 0) with the OR of the masks of all earlier rounds, computed on
// the training rows. Stops after a cancelled round (which is reported with cancelled = true).
std::vector<ExplanationRound> findAnotherExplanation(const data::Dataset& data,
                                                     const data::Split& split,
                                                     const models::ModelConfig& config,
                                                     const models::TrainConfig& trainConfig,
                                                     const FindAnotherOptions& options);

} // namespace senn::train
