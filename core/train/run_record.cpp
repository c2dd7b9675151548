// The bookkeeping every trainer shares (train_internal.h): the model card fields of a run, the
// clock and reports of its epoch loop, and what it records once the epochs are over.
#include "core/models/data_description.h"
#include "core/train/baseline.h"
#include "core/train/train_internal.h"

#include <algorithm>
#include <ctime>

namespace senn::train::detail {

std::string isoNow()
{
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void describeRun(models::ModelMeta& meta, const data::Dataset& data, const data::Split& split,
                 const models::ModelConfig& config, const models::TrainConfig& trainConfig)
{
    meta.config = config;
    meta.train = trainConfig;
    models::describeData(meta, data);
    meta.splitSeed = split.seed;
    meta.trainFraction = split.trainFraction;
    meta.valFraction = split.valFraction;
    meta.limit = split.limit;
    meta.createdAt = isoNow();
}

void addBaseline(models::ModelMeta& meta, const data::Dataset& data, const data::Split& split,
                 TrainResult& result)
{
    const auto& rows = split.test.empty() ? split.val : split.test;
    if (rows.empty() || split.train.empty())
        return;
    const auto b = logisticBaseline(data, split.train, rows);
    result.baselineAccuracy = b.accuracy;
    meta.metrics["baseline_accuracy"] = b.accuracy;
}

RunClock::RunClock(int epochs, size_t trainRows, size_t batch)
    : m_start(std::chrono::steady_clock::now()), m_epochs(epochs),
      m_batches(static_cast<int64_t>((trainRows + batch - 1) / batch))
{
}

double RunClock::elapsed() const
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

BatchReport RunClock::batchReport(const models::EpochRecord& losses, int epoch, int64_t batch,
                                  double batchAccuracy, int64_t done) const
{
    BatchReport rep;
    rep.epoch = epoch;
    rep.epochs = m_epochs;
    rep.batch = batch;
    rep.batches = m_batches;
    rep.loss = losses.loss;
    rep.ce = losses.ce;
    rep.robustness = losses.robustness;
    rep.reconstruction = losses.reconstruction;
    rep.sparsity = losses.sparsity;
    rep.rrr = losses.rrr;
    rep.batchAccuracy = batchAccuracy;
    rep.lr = losses.lr;
    rep.elapsedSeconds = elapsed();
    rep.etaSeconds = done > 0 ? rep.elapsedSeconds / static_cast<double>(done) *
                                    static_cast<double>(std::max<int64_t>(0, totalBatches() - done))
                              : 0.0;
    return rep;
}

BatchReport RunClock::epochEndReport(const models::EpochRecord& rec, int epoch, int64_t done,
                                     bool lastEpoch) const
{
    BatchReport rep = batchReport(rec, epoch, m_batches, rec.trainAccuracy, done);
    if (lastEpoch)
        rep.etaSeconds = 0.0;
    rep.epochEnd = true;
    rep.lastEpoch = lastEpoch;
    rep.epochRecord = rec;
    return rep;
}

void setLearningRate(torch::optim::Adam& optimizer, double lr)
{
    for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

void recordHistory(models::ModelMeta& meta, std::vector<models::EpochRecord> history, int bestEpoch,
                   const std::string& stopReason)
{
    meta.history = std::move(history);
    meta.bestEpoch = bestEpoch;
    meta.stopReason = stopReason;
    meta.metrics.clear();
}

void finishRun(models::Model model, TrainResult& result, const data::Dataset& data,
               const data::Split& split, bool cancelled, double seconds)
{
    auto& meta = model.meta();
    meta.metrics["train_seconds"] = seconds;
    addBaseline(meta, data, split, result);
    result.model = model;
    result.cancelled = cancelled;
    result.epochsRun = static_cast<int>(meta.history.size());
    result.stopReason = meta.stopReason;
}

} // namespace senn::train::detail
