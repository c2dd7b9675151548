// The training loop of the SENN, MLP and CNN models (trainer.h): seeded Adam over shuffled
// batches, the robustness, autoencoder, L2 and RRR terms, validation and the kept epoch every
// epoch, then the model card's scores. FLINT has its own loop (flint_trainer.cpp).
#include "core/train/trainer.h"

#include "core/common/error.h"
#include "core/common/limits.h"
#include "core/common/remedy.h"
#include "core/models/flint_net.h"
#include "core/models/torch_model.h"
#include "core/train/baseline.h"
#include "core/train/flint_interpret.h"
#include "core/train/flint_trainer.h"
#include "core/train/robustness.h"
#include "core/train/schedule.h"
#include "core/train/train_internal.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace senn::train {

using models::ModelImpl;
using models::TorchModel;

namespace {

void checkTrainConfig(const models::TrainConfig& tc)
{
    if (tc.epochs < 1 || tc.batch < 1 || !(tc.lr > 0))
        throw Error("epochs, batch size and learning rate must be positive");
    if (tc.patience < 0)
        throw Error("the early-stopping patience must be 0 (off) or a positive number of epochs");
    if (!(tc.l2 >= 0) || !std::isfinite(tc.l2))
        throw Error("the L2 weight penalty must be 0 (off) or a positive finite number");
    if (!LrSchedule::isValid(tc.schedule))
        throw Error("unknown learning-rate schedule '" + tc.schedule + "'; valid: plateau, cosine, none");
    if (tc.keep != "best" && tc.keep != "last" && tc.keep != "se")
        throw Error("unknown choice of the kept epoch '" + tc.keep + "'; valid: best, se, last");
}

// Identity concepts: θ(x) starts as the constant weights of a logistic regression (without
// intercept) on the training rows, so SENN starts where a linear model ends and the
// parametrizer learns the input-dependent part (from a random start, early
// stopping on small tabular sets kept a worse model than plain logistic regression).
// An MLP with a linear skip starts as the logistic regression itself (with intercept).
void warmStart(TorchModel& net, const data::Dataset& data, const data::Split& split)
{
    const auto& cfg = net.meta().config;
    const bool isSenn = net.isSenn();
    if (!((isSenn && cfg.concepts == models::ConceptKind::Identity && !data.isImage()) ||
          (cfg.kind == models::ModelKind::Mlp && cfg.linearSkip)))
        return;
    // A SENN with a bias concept (h = [x, 1]) starts from the regression with its intercept,
    // which becomes the θ of the constant concept.
    const bool withBias = isSenn && cfg.biasConcept;
    const auto lin = logisticWeights(data, split.train, !isSenn || withBias);
    const int64_t classes = std::max<int64_t>(static_cast<int64_t>(data.classNames.size()), 2);
    auto w = torch::tensor(lin.w).view({-1, classes});
    if (withBias)
        w = torch::cat({w, torch::tensor(lin.b).view({1, classes})}, 0);
    net.warmStartLinear(w, torch::tensor(lin.b));
}

// The loss terms one batch trains on, in the order they draw random numbers: cross-entropy,
// SENN's robustness penalty and autoencoder terms, the L2 weight penalty, the RRR penalty.
struct BatchLoss {
    const models::ModelConfig& cfg;
    bool isSenn, learnedConcepts, penalty, rrr;
    std::vector<torch::Tensor> weights; // for TrainConfig::l2; empty when it is 0
    double l2 = 0;
    int64_t trainRows = 0;
    torch::Tensor invStd;               // RRR: d xStd / d xRaw

    // The total in `loss`, the logits and each term's value in `rec` (loss, ce, robustness, ...).
    torch::Tensor operator()(TorchModel& net, const torch::Tensor& xStd, const torch::Tensor& y,
                             const torch::Tensor& mask, torch::Tensor& logits,
                             models::EpochRecord& rec) const
    {
        torch::Tensor loss;
        if (isSenn) {
            auto out = net.sennStd(xStd, learnedConcepts);
            logits = out.logits;
            auto ce = torch::nn::functional::cross_entropy(out.logits, y);
            loss = ce;
            rec.ce = ce.item<double>();
            if (penalty) {
                auto r = robustnessPenalty(out, xStd, cfg.penalty, cfg.penaltySamples).mean();
                loss = loss + cfg.lambda * r;
                rec.robustness = r.item<double>();
            }
            if (learnedConcepts) {
                auto recon = torch::mse_loss(out.recon, xStd.detach());
                auto sparsity = out.h.abs().sum(1).mean();
                loss = loss + cfg.xi * (recon + cfg.zeta * sparsity);
                rec.reconstruction = recon.item<double>();
                rec.sparsity = sparsity.item<double>();
            }
        } else {
            logits = net.logitsStd(xStd);
            loss = torch::nn::functional::cross_entropy(logits, y);
            rec.ce = loss.item<double>();
        }
        if (!weights.empty()) // in the loss (and the recorded loss), not in ce
            loss = loss + weightPenalty(weights, l2, trainRows,
                                        static_cast<int64_t>(net.meta().classNames.size()));
        if (rrr) {
            auto r = rrrPenalty(logits, xStd, mask, invStd).mean();
            loss = loss + cfg.rrrLambda * r;
            rec.rrr = r.item<double>();
        }
        return loss;
    }
};

// Adds a batch's loss terms to the epoch's sums (averaged over the batches at the epoch's end).
void addLosses(models::EpochRecord& sum, const models::EpochRecord& batch)
{
    sum.loss += batch.loss;
    sum.ce += batch.ce;
    sum.robustness += batch.robustness;
    sum.reconstruction += batch.reconstruction;
    sum.sparsity += batch.sparsity;
    sum.rrr += batch.rrr;
}

void averageLosses(models::EpochRecord& rec, int64_t batches)
{
    if (batches <= 0)
        return;
    const double nb = static_cast<double>(batches);
    rec.loss /= nb;
    rec.ce /= nb;
    rec.robustness /= nb;
    rec.reconstruction /= nb;
    rec.sparsity /= nb;
    rec.rrr /= nb;
}

// The kept model's scores for the model card: accuracies on every split, and for a SENN its
// conciseness CNS(τ) measured as FLINT's (flint.md) and how much θ varies, on the test rows
// (else validation).
void scoreForCard(models::Model out, const data::Dataset& data, const data::Split& split,
                  TrainResult& result)
{
    auto& meta = out.meta();
    if (!split.val.empty())
        meta.metrics["val_accuracy"] = evaluate(out, data, split.val, "val").accuracy;
    meta.metrics["train_accuracy"] = evaluate(out, data, split.train, "train").accuracy;
    if (!split.test.empty()) {
        result.testAccuracy = evaluate(out, data, split.test, "test").accuracy;
        meta.metrics["test_accuracy"] = result.testAccuracy;
    }
    if (!out.isSenn())
        return;
    const auto& rows = split.test.empty() ? split.val : split.test;
    if (!rows.empty()) {
        const auto s = sennConciseness(out, data, rows);
        for (size_t k = 0; k < s.taus.size(); ++k)
            meta.metrics[flintConcisenessKey(s.taus[k])] = s.conciseness[k];
    }
    const double v = detail::thetaVariation(out, data, rows);
    if (v >= 0)
        meta.metrics["theta_variation"] = v;
}

} // namespace

models::Model buildModel(const data::Dataset& data, const data::Split& split,
                         const models::ModelConfig& config, const models::TrainConfig& trainConfig)
{
    if (data.rows() == 0 || data.featureCount() == 0)
        throw Error("the dataset " + data.source + " is empty; nothing to train on");
    if (split.train.empty())
        throw ErrorWithRemedy("the training split of " + data.source + " is empty; use more rows",
                              Remedy::MoreRows);
    models::ModelMeta meta;
    detail::describeRun(meta, data, split, config, trainConfig);
    meta.standardizer = data::Standardizer::fit(data, split.train);
    if (config.kind == models::ModelKind::Flint)
        return models::Model(models::createFlint(meta));
    return models::Model(models::createNetwork(meta));
}

TrainResult train(const data::Dataset& data, const data::Split& split,
                  const models::ModelConfig& config, const models::TrainConfig& trainConfig,
                  const BatchFn& onBatch, const jobs::CancelToken& cancel)
{
    TrainOptions options;
    options.onBatch = onBatch;
    options.cancel = cancel;
    return train(data, split, config, trainConfig, options);
}

TrainResult train(const data::Dataset& data, const data::Split& split,
                  const models::ModelConfig& config, const models::TrainConfig& tc,
                  const TrainOptions& options)
{
    checkTrainConfig(tc);
    detail::IntraOpThreadsScope threadsScope;
    const bool keepLast = tc.keep == "last";
    if (config.kind == models::ModelKind::Flint) {
        // FLINT has its own loss and schedule (flint.md); the input-gradient penalty is not
        // one of its terms.
        if (config.rrrLambda > 0)
            throw Error("the RRR penalty applies to SENN, MLP and CNN models, not to FLINT");
        return trainFlint(data, split, config, tc, options.onBatch, options.cancel,
                          options.flintPostHoc.impl());
    }
    if (tc.threads > 0) // never more threads than cores (1000 threads on 2 cores never finish)
        at::set_num_threads(limits::clampThreads(tc.threads));
    torch::manual_seed(tc.seed);
    std::mt19937_64 shuffleRng(tc.seed ^ 0x5e11a5eedULL);

    models::Model model = buildModel(data, split, config, tc);
    auto impl = std::dynamic_pointer_cast<TorchModel>(model.impl());
    const auto& cfg = impl->meta().config; // k resolved by the network
    BatchLoss lossOf{cfg};
    lossOf.isSenn = impl->isSenn();
    lossOf.learnedConcepts = lossOf.isSenn && cfg.concepts == models::ConceptKind::Autoencoder;
    lossOf.penalty = lossOf.isSenn && cfg.lambda > 0;
    lossOf.rrr = cfg.rrrLambda > 0;
    if (lossOf.rrr && !options.masks)
        throw ErrorWithRemedy("the RRR penalty needs annotation masks: generate the Decoy masks or "
                              "give a mask file",
                              Remedy::RrrMask);
    if (options.masks &&
        options.masks->size() != static_cast<size_t>(data.rows() * data.featureCount()))
        throw Error("the annotation mask has " + std::to_string(options.masks->size()) +
                    " values; the data needs one per input value (" +
                    std::to_string(data.rows() * data.featureCount()) + ")");
    warmStart(*impl, data, split);

    const auto device = impl->device();
    torch::Tensor xStdAll, yAll, maskAll;
    {
        torch::NoGradGuard noGrad;
        const auto xAll = detail::wholeData(data);
        xStdAll = impl->standardize(xAll).contiguous();
        yAll = torch::tensor(data.y, torch::kInt64);
        if (lossOf.rrr) {
            maskAll = torch::from_blob(const_cast<float*>(options.masks->data()), xAll.sizes(),
                                       torch::kFloat32);
            auto one = torch::ones_like(xAll.slice(0, 0, 1));
            lossOf.invStd = (impl->standardize(one) - impl->standardize(torch::zeros_like(one))).to(device);
        }
    }

    // TrainConfig::l2: the weights (not biases) L2-penalised as the baseline's C = 1 / l2.
    if (tc.l2 > 0)
        lossOf.weights = impl->parameters();
    lossOf.l2 = tc.l2;
    lossOf.trainRows = static_cast<int64_t>(split.train.size());
    torch::optim::Adam optimizer(impl->parameters(),
                                 torch::optim::AdamOptions(tc.lr).betas({0.9, 0.999}));

    TrainResult result;
    std::shared_ptr<ModelImpl> best;
    std::vector<models::EpochRecord> history;
    std::vector<int64_t> order = split.train;
    const size_t batch = static_cast<size_t>(tc.batch);
    const detail::RunClock clock(tc.epochs, order.size(), batch);
    int64_t done = 0;
    bool cancelled = false;
    EpochChoice choice(tc.keep);
    // Early stopping and "best" go by validation loss (ties: higher accuracy): on small
    // validation sets accuracy moves in coarse steps and picked noise. Which epoch is kept:
    // EpochChoice (schedule.h).
    EarlyStopping stopper(tc.patience, tc.epochs, /*byLoss=*/true);
    LrSchedule schedule(tc.schedule, tc.lr, tc.epochs, tc.patience);

    if (tc.threads <= 0) {
        const int threads = detail::measuredIntraOpThreads(*impl, xStdAll, yAll, split.train, batch);
        at::set_num_threads(threads);
        result.intraOpThreads = threads;
    } else {
        result.intraOpThreads = at::get_num_threads();
    }

    for (int epoch = 1; epoch <= tc.epochs && !cancelled; ++epoch) {
        const double epochStart = clock.elapsed();
        std::shuffle(order.begin(), order.end(), shuffleRng);
        impl->setTraining(true);
        models::EpochRecord rec;
        rec.epoch = epoch;
        rec.lr = schedule.lrFor(epoch);
        detail::setLearningRate(optimizer, rec.lr);
        int64_t correct = 0, seen = 0, batchCount = 0;

        for (int64_t b = 0; b < clock.batches(); ++b) {
            if (options.cancel.isCancelled()) {
                cancelled = true;
                break;
            }
            const size_t begin = static_cast<size_t>(b) * batch;
            const size_t end = std::min(order.size(), begin + batch);
            auto idx = detail::indexTensor(order, begin, end);
            auto xStd = xStdAll.index_select(0, idx).to(device);
            auto y = yAll.index_select(0, idx).to(device);
            if (lossOf.penalty || lossOf.rrr)
                xStd.requires_grad_(true);
            torch::Tensor mask;
            if (lossOf.rrr)
                mask = maskAll.index_select(0, idx).to(device);

            models::EpochRecord parts;
            parts.lr = rec.lr;
            torch::Tensor logits;
            auto loss = lossOf(*impl, xStd, y, mask, logits, parts);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();

            const int64_t n = static_cast<int64_t>(end - begin);
            const int64_t ok = logits.detach().argmax(1).eq(y).sum().item<int64_t>();
            correct += ok;
            seen += n;
            ++done;
            ++batchCount;
            parts.loss = loss.item<double>();
            addLosses(rec, parts);
            if (options.onBatch)
                options.onBatch(clock.batchReport(parts, epoch, b + 1,
                                                  static_cast<double>(ok) / static_cast<double>(n), done));
        }
        if (cancelled)
            break; // an unfinished epoch is neither validated nor kept

        averageLosses(rec, batchCount);
        rec.trainAccuracy = seen ? static_cast<double>(correct) / static_cast<double>(seen) : 0.0;
        // Without a validation split the training accuracy decides which epoch is kept.
        double valLoss = rec.ce, valLossSe = 0;
        if (split.val.empty()) {
            rec.valAccuracy = rec.trainAccuracy;
        } else {
            const auto ev = detail::evaluateWithLossSe(model, data, split.val, "val", valLossSe);
            rec.valAccuracy = ev.accuracy;
            valLoss = ev.loss;
            rec.valLoss = ev.loss;
        }
        rec.seconds = clock.elapsed() - epochStart;
        history.push_back(rec);
        const bool lowest = stopper.update(epoch, rec.valAccuracy, valLoss);
        if (choice.keep(lowest, valLoss, valLossSe, !split.val.empty())) {
            best = impl->clone();
            result.bestEpoch = epoch;
            result.bestValAccuracy = rec.valAccuracy;
        }
        schedule.afterEpoch(stopper.improvedLast());
        if (options.onBatch)
            options.onBatch(clock.epochEndReport(rec, epoch, done, stopper.shouldStop() || epoch == tc.epochs));
        if (stopper.shouldStop())
            break;
    }

    // The best finished epoch, or the model as it is when no epoch finished.
    std::shared_ptr<ModelImpl> chosen = best ? best : impl->clone();
    chosen->setTraining(false);
    models::Model out(chosen);
    std::string stopReason = stopper.reason(cancelled);
    if (keepLast && result.bestEpoch >= 1)
        stopReason += "; kept the last epoch, " + std::to_string(result.bestEpoch);
    else if (tc.keep == "se" && result.bestEpoch >= 1 && result.bestEpoch != stopper.bestEpoch())
        stopReason += "; kept epoch " + std::to_string(result.bestEpoch) +
                      ", the latest within one standard error of the lowest validation loss";
    detail::recordHistory(out.meta(), std::move(history), result.bestEpoch, stopReason);
    out.meta().train = tc;
    scoreForCard(out, data, split, result);
    detail::finishRun(out, result, data, split, cancelled, clock.elapsed());
    return result;
}

} // namespace senn::train
