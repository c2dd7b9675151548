// Core-internal helpers shared by the trainers (trainer.cpp, flint_trainer.cpp): the model
// card fields that describe one training run.
#pragma once
#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/models/model.h"
#include "core/train/trainer.h"

#include <string>

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

// The report a trainer sends once per epoch, after validation: the epoch's record, the time so
// far and the estimate of what is left (from the batches done), and whether training ends here.
// One helper so that every trainer fills the same fields (the views rely on epochEnd/lastEpoch).
BatchReport epochEndReport(const models::EpochRecord& rec, int epoch, int epochs, int64_t batches,
                           int64_t batchesDone, int64_t totalBatches, double elapsedSeconds,
                           bool lastEpoch);

// Restores LibTorch's intra-op thread count on scope exit. The trainers measure or set their
// own, and a library call must not leave the setting changed for the explanations and metrics
// that run after it in the same thread (bench_explainers ran its post-training cases on the
// trainer's 2 threads although it had asked for 1).
class IntraOpThreadsScope {
public:
    IntraOpThreadsScope();
    ~IntraOpThreadsScope();
    IntraOpThreadsScope(const IntraOpThreadsScope&) = delete;
    IntraOpThreadsScope& operator=(const IntraOpThreadsScope&) = delete;

private:
    int m_saved;
};

} // namespace senn::train::detail
