// Training any of the app's models (SENN, MLP, CNN, FLINT) with the losses of senn.md,
// flint.md and rrr.md: Adam, seeded and deterministic on CPU, validation every epoch, the
// best model kept, progress per batch and a cancellation token (cancel = last good model).
#pragma once
#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/jobs/job.h"
#include "core/models/model.h"

#include <functional>

namespace senn::train {

struct BatchReport {
    int epoch = 0, epochs = 0;           // epoch is 1-based
    int64_t batch = 0, batches = 0;      // batch is 1-based within the epoch
    double loss = 0, ce = 0, robustness = 0, reconstruction = 0, sparsity = 0, rrr = 0;
    double batchAccuracy = 0;
    double lr = 0;                       // the learning rate of this epoch
    double elapsedSeconds = 0, etaSeconds = 0;
    bool epochEnd = false;               // true once per epoch, after validation
    // On the epoch-end report after which training ends (its maximum or early stopping): what
    // follows is the final evaluation (validation, train, test, baseline), not more epochs.
    bool lastEpoch = false;
    models::EpochRecord epochRecord;     // filled when epochEnd
};

using BatchFn = std::function<void(const BatchReport&)>;

struct TrainResult {
    models::Model model;     // the best model on validation accuracy (or the last good one)
    bool cancelled = false;
    int bestEpoch = -1;
    double bestValAccuracy = 0;
    double testAccuracy = -1; // filled when the split has a test part
    int epochsRun = 0;        // finished epochs (early stopping may end before the maximum)
    // Why training ended: "no validation improvement for 20 epochs; best epoch 84", ...
    std::string stopReason;
    // The logistic-regression baseline (baseline.h) on the test split (else validation); -1: none.
    double baselineAccuracy = -1;
    // LibTorch intra-op threads the training ran with: TrainConfig::threads, or for 0 the
    // count measured faster on one batch (1 or every core; intra_op_threads.cpp).
    int intraOpThreads = 0;
};

// Trains a new model on data (raw rows) using split. Throws senn::Error for impossible
// configurations. On cancellation returns the best model of the finished epochs (or, before
// the first epoch ends, the model as it is), with cancelled = true.
TrainResult train(const data::Dataset& data, const data::Split& split,
                  const models::ModelConfig& config, const models::TrainConfig& trainConfig,
                  const BatchFn& onBatch = {}, const jobs::CancelToken& cancel = {});

// Everything train() takes besides the data and configurations (an overload, so callers of
// the plain signature keep working).
struct TrainOptions {
    BatchFn onBatch;
    jobs::CancelToken cancel;
    // RRR annotation masks (rrr.md): rows() * featureCount() values of the whole dataset,
    // 1 where the model must NOT look. Required when config.rrrLambda > 0.
    const std::vector<float>* masks = nullptr;
    // FLINT only: a post-hoc interpreter from attachFlint() (flint_trainer.h) to train; its
    // predictor stays frozen. Invalid = joint FLINT.
    models::Model flintPostHoc;
};

TrainResult train(const data::Dataset& data, const data::Split& split,
                  const models::ModelConfig& config, const models::TrainConfig& trainConfig,
                  const TrainOptions& options);

// Builds an untrained model for data (used by train() and by tests).
models::Model buildModel(const data::Dataset& data, const data::Split& split,
                         const models::ModelConfig& config, const models::TrainConfig& trainConfig);

struct Evaluation {
    std::string split;
    int64_t n = 0;
    double accuracy = 0;
    double loss = 0; // mean cross-entropy of the logits
    std::vector<std::vector<int64_t>> confusion; // [true][predicted]
    std::vector<double> perClassAccuracy;
};

Evaluation evaluate(const models::Model& model, const data::Dataset& data,
                    const std::vector<int64_t>& rows, const std::string& splitName,
                    const jobs::CancelToken& cancel = {});

// Below this θ variation (the model card's "theta_variation": the mean distance of θ(x) from
// its average over the test rows, relative to the average) a SENN gives nearly every input the
// same relevances: it acts as a linear model, and its stability says nothing about locality.
constexpr double kLinearThetaVariation = 0.05;

// Which epoch a trained model kept and why, for the model card and `senn info`: "epoch 12 of
// 42, the lowest validation loss (0.0412; accuracy 0.982)", "epoch 42 of 42, the last (kept
// on request)". Empty for a model without a training history (an imported one).
std::string keptEpochText(const models::ModelMeta& meta);

// The one-line warning the model card, the Explain and Stability views, the report and the
// CLI show for such a SENN. Empty when the model has no θ variation or varies enough.
std::string thetaVariationWarning(const models::ModelMeta& meta);

} // namespace senn::train
