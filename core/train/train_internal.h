// Core-internal helpers shared by the trainers (trainer.cpp, flint_trainer.cpp): the model card
// fields that describe one training run, the bookkeeping of an epoch loop, and the batched row
// access and thread choice under them. Includes LibTorch.
#pragma once
#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/models/model.h"
#include "core/torch_include.h"
#include "core/train/trainer.h"

#include <chrono>
#include <string>
#include <vector>

namespace senn::models {
class TorchModel;
}

namespace senn::train::detail {

// The current UTC time, ISO 8601 (ModelMeta::createdAt).
std::string isoNow();

// Fills the card fields of a run: configurations, data kind and shape, class and feature names,
// split, source, transforms and creation time. The standardizer is left to the caller.
void describeRun(models::ModelMeta& meta, const data::Dataset& data, const data::Split& split,
                 const models::ModelConfig& config, const models::TrainConfig& trainConfig);

// The logistic-regression baseline (baseline.h) fitted on split.train and scored on the test
// split (else validation): meta.metrics["baseline_accuracy"] and result.baselineAccuracy.
void addBaseline(models::ModelMeta& meta, const data::Dataset& data, const data::Split& split,
                 TrainResult& result);

// The clock and batch counts of one training run, and the reports it sends: one helper so that
// every trainer fills the same fields (the views rely on epochEnd/lastEpoch and the ETA).
class RunClock {
public:
    RunClock(int epochs, size_t trainRows, size_t batch);
    double elapsed() const;
    int epochs() const { return m_epochs; }
    int64_t batches() const { return m_batches; }           // per epoch
    int64_t totalBatches() const { return m_batches * m_epochs; }

    // The report after batch `batch` (1-based) of `epoch`, `done` batches finished in the run;
    // the loss parts come from `losses` (this batch's values).
    BatchReport batchReport(const models::EpochRecord& losses, int epoch, int64_t batch,
                            double batchAccuracy, int64_t done) const;
    // The report once per epoch, after validation: the epoch's record, the time so far, the
    // estimate of what is left (from the batches done), and whether training ends here.
    BatchReport epochEndReport(const models::EpochRecord& rec, int epoch, int64_t done,
                               bool lastEpoch) const;

private:
    std::chrono::steady_clock::time_point m_start;
    int m_epochs;
    int64_t m_batches;
};

// Sets the learning rate of every parameter group (the schedule's rate for an epoch).
void setLearningRate(torch::optim::Adam& optimizer, double lr);

// What every trainer records once its epochs are over, in two steps around its own final
// scores: recordHistory() before them (the epochs run, the kept one, why training stopped;
// clears the metrics), finishRun() after (the training time, the baseline, the result fields).
void recordHistory(models::ModelMeta& meta, std::vector<models::EpochRecord> history, int bestEpoch,
                   const std::string& stopReason);
void finishRun(models::Model model, TrainResult& result, const data::Dataset& data,
               const data::Split& split, bool cancelled, double seconds);

// The whole dataset as one tensor without copying (rows x ...sampleShape). Read-only use.
torch::Tensor wholeData(const data::Dataset& data);

// rows[begin, end) as an index tensor for index_select.
torch::Tensor indexTensor(const std::vector<int64_t>& rows, size_t begin, size_t end);

// The intra-op thread count for TrainConfig::threads 0, chosen by timing one training batch of
// `net` (intra_op_threads.cpp); leaves the model, its gradients and the RNG as they were.
int measuredIntraOpThreads(models::TorchModel& net, const torch::Tensor& xStdAll,
                           const torch::Tensor& yAll, const std::vector<int64_t>& train, size_t batch);

// How much SENN's relevances θ(x) vary over `rows` (the model card's "theta_variation"):
// -1 for a model that is not a SENN, no rows, or θ's mean at 0.
double thetaVariation(const models::Model& model, const data::Dataset& data,
                      const std::vector<int64_t>& rows);

// Restores LibTorch's intra-op thread count on scope exit. The trainers measure or set their
// own, and a library call must not leave the setting changed for the explanations and metrics
// that run after it in the same thread.
class IntraOpThreadsScope {
public:
    IntraOpThreadsScope();
    ~IntraOpThreadsScope();
    IntraOpThreadsScope(const IntraOpThreadsScope&) = delete;
    IntraOpThreadsScope& operator=(const IntraOpThreadsScope&) = delete;

private:
    int m_saved;
};

// evaluate() with the standard error of its mean cross-entropy (the spread of the per-row
// losses / sqrt(n)), which the trainer's "se" choice of the kept epoch needs.
Evaluation evaluateWithLossSe(const models::Model& model, const data::Dataset& data,
                              const std::vector<int64_t>& rows, const std::string& splitName,
                              double& lossSe, const jobs::CancelToken& cancel = {});

} // namespace senn::train::detail
