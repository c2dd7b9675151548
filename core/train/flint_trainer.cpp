#include "core/train/flint_trainer.h"
#include "core/common/limits.h"

#include "core/common/error.h"
#include "core/common/remedy.h"
#include "core/io/model_file.h"
#include "core/models/flint_net.h"
#include "core/models/torch_model.h"
#include "core/train/flint_metrics.h"
#include "core/train/schedule.h"
#include "core/train/train_internal.h"

#include <algorithm>
#include <filesystem>
#include <random>

namespace senn::train {

using models::FlintModel;

namespace {

// Fisher-Yates by hand: std::shuffle differs between standard libraries, and a seed must give
// the same run everywhere.
void shuffleRows(std::vector<int64_t>& v, std::mt19937_64& rng)
{
    for (size_t i = v.size(); i > 1; --i)
        std::swap(v[i - 1], v[static_cast<size_t>(rng() % i)]);
}

// The model card of this run (train_internal.h), as a FLINT model.
void describeTraining(models::ModelMeta& meta, const data::Dataset& data, const data::Split& split,
                      const models::ModelConfig& config, const models::TrainConfig& tc)
{
    detail::describeRun(meta, data, split, config, tc);
    meta.config.kind = models::ModelKind::Flint;
}

void checkFits(const models::ModelImpl& f, const data::Dataset& data)
{
    if (f.meta().inputShape != data.sampleShape || f.meta().classNames.size() != data.classNames.size())
        throw Error("the frozen predictor takes inputs " + models::shapeString(f.meta().inputShape) +
                    " with " + std::to_string(f.meta().classNames.size()) +
                    " classes; it does not fit this dataset (" + models::shapeString(data.sampleShape) +
                    ", " + std::to_string(data.classNames.size()) +
                    " classes). Open the data it was trained on");
}

// "" = the app's MLP/CNN last hidden layer when it has one, else the logits (the one layer
// every model exposes).
std::string defaultLayer(const std::shared_ptr<models::ModelImpl>& f, const data::Dataset& data,
                         const data::Split& split)
{
    auto net = std::dynamic_pointer_cast<models::TorchModel>(f);
    if (!net || net->isSenn())
        return "logits";
    try {
        torch::NoGradGuard probe;
        net->hiddenStd(net->standardize(gatherRows(data, split.train, 0, 1, net->device())));
        return "hidden";
    } catch (const Error&) {
        return "logits";
    }
}

std::shared_ptr<FlintModel> attachTo(const std::shared_ptr<models::ModelImpl>& f, std::string layer,
                                     const data::Dataset& data, const data::Split& split,
                                     const models::ModelConfig& config, const models::TrainConfig& tc,
                                     const std::string& predictorFile)
{
    checkFits(*f, data);
    if (layer.empty())
        layer = defaultLayer(f, data, split);
    models::ModelMeta meta = f->meta();
    describeTraining(meta, data, split, config, tc);
    meta.standardizer = data::Standardizer::fit(data, split.train);
    meta.torchScriptPath.clear();
    meta.flintHiddenLayer = layer;
    meta.flintPredictor.clear();
    meta.flintPredictorCrc = 0;
    std::string file = predictorFile;
    if (file.empty() && f->meta().config.kind == models::ModelKind::TorchScript)
        file = f->meta().torchScriptPath;
    if (!file.empty()) {
        std::error_code ec;
        const auto abs = std::filesystem::absolute(file, ec);
        try {
            const std::string where = ec ? file : abs.lexically_normal().string();
            meta.flintPredictorCrc = io::fileCrc32(where);
            meta.flintPredictor = where;
        } catch (const Error&) {
            // The file is gone: the interpreter still trains, it just cannot be saved.
        }
    }
    return FlintModel::attachPostHoc(meta, f, models::predictorLayer(f, layer));
}

std::shared_ptr<FlintModel> makeModel(const data::Dataset& data, const data::Split& split,
                                      const models::ModelConfig& config,
                                      const models::TrainConfig& tc,
                                      const std::shared_ptr<models::ModelImpl>& frozen)
{
    models::ModelMeta meta;
    if (!frozen) {
        describeTraining(meta, data, split, config, tc);
        meta.standardizer = data::Standardizer::fit(data, split.train);
        return std::make_shared<FlintModel>(meta);
    }
    checkFits(*frozen, data);
    std::shared_ptr<FlintModel> model;
    if (auto fl = std::dynamic_pointer_cast<FlintModel>(frozen)) {
        if (fl->isPostHoc())
            model = std::dynamic_pointer_cast<FlintModel>(fl->clone());
        else
            model = FlintModel::postHocFrom(*fl, config.attributes);
    } else {
        model = attachTo(frozen, "", data, split, config, tc, {});
    }
    // A copied f keeps the standardizer it was trained with; everything else describes this run.
    auto standardizer = model->meta().standardizer;
    const int attributes = static_cast<int>(model->attributeCount());
    describeTraining(model->meta(), data, split, config, tc);
    model->meta().config.attributes = attributes;
    model->meta().standardizer = standardizer;
    return model;
}

} // namespace

std::vector<HiddenLayerChoice> flintHiddenLayers(const models::Model& predictor,
                                                 const data::Dataset& data, int64_t row)
{
    if (!predictor.isValid())
        throw Error("no predictor to list the hidden layers of");
    const auto* module = models::torchScriptModule(*predictor.impl());
    if (!module)
        throw Error("choosing FLINT's hidden layer by name is for TorchScript models; the app's "
                    "MLP and CNN give their last hidden layer ('hidden') or their logits ('logits')");
    checkFits(*predictor.impl(), data);
    if (row < 0 || row >= data.rows())
        throw Error("row " + std::to_string(row) + " is not in the dataset (" +
                    std::to_string(data.rows()) + " rows)");
    const auto sample = gatherRows(data, {row}, 0, 1, predictor.impl()->device());
    std::vector<HiddenLayerChoice> out;
    for (const auto& l : models::torchScriptLayers(*module, sample))
        out.push_back({l.name, l.shape, l.problem});
    return out;
}

models::Model attachFlint(const models::Model& predictor, const std::string& hiddenLayer,
                          const data::Dataset& data, const data::Split& split, int attributes,
                          const std::string& predictorFile, uint64_t seed)
{
    if (!predictor.isValid())
        throw Error("no predictor to attach FLINT to");
    if (split.train.empty())
        throw Error("the training split of " + data.source + " is empty; post-hoc FLINT needs rows to train on");
    if (train::isFlint(predictor))
        throw Error("the predictor is already a FLINT model: train post-hoc FLINT on it directly "
                    "(its own predictor is frozen and read at its hidden layer)");
    const auto f = predictor.impl();
    if (models::torchScriptModule(*f)) {
        // Lists the children (checks the model is sequential) and names the bad choices.
        const auto layers = flintHiddenLayers(predictor, data, split.train.front());
        std::string names;
        const HiddenLayerChoice* chosen = nullptr;
        for (const auto& l : layers) {
            names += (names.empty() ? "" : ", ") + l.name;
            if (l.name == hiddenLayer)
                chosen = &l;
        }
        if (hiddenLayer.empty())
            throw ErrorWithRemedy("post-hoc FLINT on a TorchScript model reads the hidden layer "
                                  "you name; name one of its child modules: " + names,
                                  Remedy::HiddenLayer);
        if (!chosen && hiddenLayer != "logits")
            throw Error("the TorchScript model has no child module '" + hiddenLayer +
                        "'; its children are: " + names);
        if (chosen && !chosen->problem.empty())
            throw Error("FLINT cannot read the layer '" + hiddenLayer + "': " + chosen->problem);
    }
    models::ModelConfig config;
    config.kind = models::ModelKind::Flint;
    config.attributes = attributes;
    torch::manual_seed(seed);
    return models::Model(attachTo(f, hiddenLayer, data, split, config, models::TrainConfig{}, predictorFile));
}

TrainResult trainFlint(const data::Dataset& data, const data::Split& split,
                       const models::ModelConfig& config, const models::TrainConfig& tc,
                       const BatchFn& onBatch, const jobs::CancelToken& cancel,
                       std::shared_ptr<models::ModelImpl> frozenPredictor,
                       const FlintLossWeights& weights)
{
    if (data.rows() == 0 || data.featureCount() == 0)
        throw Error("the dataset " + data.source + " is empty; nothing to train on");
    if (split.train.empty())
        throw ErrorWithRemedy("the training split of " + data.source + " is empty; use more rows",
                              Remedy::MoreRows);
    if (tc.epochs < 1 || tc.batch < 1 || !(tc.lr > 0))
        throw Error("FLINT training needs epochs >= 1, batch >= 1 and a positive learning rate");
    detail::IntraOpThreadsScope threadsScope;
    if (tc.threads > 0) // never more threads than cores (1000 threads on 2 cores never finish)
        at::set_num_threads(limits::clampThreads(tc.threads));
    torch::manual_seed(tc.seed);
    std::mt19937_64 shuffleRng(tc.seed ^ 0xf11a7f11a7ULL);
    const size_t batch = static_cast<size_t>(tc.batch);
    const detail::RunClock clock(tc.epochs, split.train.size(), batch);

    auto model = makeModel(data, split, config, tc, frozenPredictor);
    const bool postHoc = model->isPostHoc();
    const torch::Device device = model->device();
    torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(tc.lr));

    std::vector<int64_t> order = split.train;
    const int64_t batches = clock.batches();
    const int64_t totalBatches = clock.totalBatches();

    TrainResult result;
    std::shared_ptr<models::ModelImpl> best;
    std::vector<models::EpochRecord> history;
    bool cancelled = false;
    if (tc.patience < 0)
        throw Error("the early-stopping patience must be 0 (off) or a positive number of epochs");
    // The score (validation accuracy of f, or fidelity post hoc) must rise strictly to count.
    EarlyStopping stopper(tc.patience, tc.epochs);
    LrSchedule schedule(tc.schedule, tc.lr, tc.epochs, tc.patience);

    for (int epoch = 1; epoch <= tc.epochs && !cancelled; ++epoch) {
        shuffleRows(order, shuffleRng);
        model->setTraining(true);
        models::EpochRecord rec;
        rec.epoch = epoch;
        rec.lr = schedule.lrFor(epoch);
        detail::setLearningRate(opt, rec.lr);
        const double epochStart = clock.elapsed();
        double correct = 0, seen = 0;
        for (int64_t b = 0; b < batches; ++b) {
            if (cancel.isCancelled()) {
                cancelled = true;
                break;
            }
            const size_t lo = static_cast<size_t>(b) * batch, hi = std::min(order.size(), lo + batch);
            auto x = gatherRows(data, order, lo, hi, device);
            auto y = gatherLabels(data, order, lo, hi).to(device);
            const int64_t done = static_cast<int64_t>(epoch - 1) * batches + b;
            const auto w = weights.at(static_cast<double>(done) / static_cast<double>(totalBatches));

            auto t = model->forward(x, w.gamma > 0);
            auto loss = flintLoss(t, y, w, !postHoc);
            opt.zero_grad();
            loss.total.backward();
            opt.step();

            const auto& shown = postHoc ? t.gLogits : t.logits;
            const double ok = shown.argmax(1).eq(y).sum().item<double>();
            const double n = static_cast<double>(hi - lo);
            correct += ok;
            seen += n;
            models::EpochRecord parts;
            parts.loss = loss.total.item<double>();
            parts.ce = loss.ce;
            parts.reconstruction = w.gamma * loss.mse;
            parts.sparsity = w.lambda1 * loss.l1;
            parts.lr = rec.lr;
            // Weighted by the batch's rows: the epoch's figures are per-row means.
            rec.loss += parts.loss * n;
            rec.ce += parts.ce * n;
            rec.reconstruction += parts.reconstruction * n;
            rec.sparsity += parts.sparsity * n;
            if (onBatch)
                onBatch(clock.batchReport(parts, epoch, b + 1, ok / n, done + 1));
        }
        if (cancelled)
            break;
        rec.loss /= seen;
        rec.ce /= seen;
        rec.reconstruction /= seen;
        rec.sparsity /= seen;
        rec.trainAccuracy = correct / seen;
        double score = rec.trainAccuracy;
        if (!split.val.empty()) {
            const auto s = scoreFlint(*model, data, split.val);
            rec.valAccuracy = postHoc ? s.accuracyG : s.accuracyF;
            // Joint FLINT is a model and its interpreter: keep the epoch best at both (f's
            // accuracy + fidelity; by f's accuracy alone an early epoch whose interpreter had not
            // caught up with f won).
            score = postHoc ? s.fidelity : s.accuracyF + s.fidelity;
        }
        rec.seconds = clock.elapsed() - epochStart;
        history.push_back(rec);
        if (stopper.update(epoch, score, 0.0)) {
            best = model->clone();
            result.bestEpoch = epoch;
            result.bestValAccuracy = rec.valAccuracy;
        }
        schedule.afterEpoch(stopper.improvedLast());
        if (onBatch)
            onBatch(clock.epochEndReport(rec, epoch, int64_t(epoch) * batches,
                                         stopper.shouldStop() || epoch == tc.epochs));
        if (stopper.shouldStop())
            break;
    }

    auto chosen = std::dynamic_pointer_cast<FlintModel>(best ? best : model->clone());
    chosen->setTraining(false);
    auto& meta = chosen->meta();
    detail::recordHistory(meta, std::move(history), result.bestEpoch, stopper.reason(cancelled));
    // Final scores are not cancellable: cancel means "stop training, keep the last good model".
    if (!split.val.empty())
        meta.metrics["val_accuracy"] = scoreFlint(*chosen, data, split.val).accuracyF;
    meta.metrics["train_accuracy"] = scoreFlint(*chosen, data, split.train).accuracyF;
    const auto& evalRows = split.test.empty() ? split.val : split.test;
    if (!evalRows.empty()) {
        const auto s = scoreFlint(*chosen, data, evalRows);
        if (!split.test.empty()) {
            result.testAccuracy = s.accuracyF;
            meta.metrics["test_accuracy"] = s.accuracyF;
        }
        meta.metrics["interpreter_accuracy"] = s.accuracyG;
        meta.metrics["fidelity"] = s.fidelity;
        for (size_t k = 0; k < s.taus.size(); ++k)
            meta.metrics[flintConcisenessKey(s.taus[k])] = s.conciseness[k];
    }
    detail::finishRun(models::Model(chosen), result, data, split, cancelled, clock.elapsed());
    return result;
}

} // namespace senn::train
