#include "core/train/trainer.h"
#include "core/common/limits.h"

#include "core/common/error.h"
#include "core/common/remedy.h"
#include "core/models/flint_net.h"
#include "core/models/torch_model.h"
#include "core/train/flint_interpret.h"
#include "core/train/flint_trainer.h"
#include "core/train/baseline.h"
#include "core/train/robustness.h"
#include "core/train/schedule.h"
#include "core/train/train_internal.h"

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <mutex>
#include <numeric>
#include <random>

namespace senn::train {

using models::ModelImpl;
using models::TorchModel;

namespace {

// The whole dataset as one tensor without copying (rows x ...sampleShape). Read-only use.
torch::Tensor wholeData(const data::Dataset& data)
{
    std::vector<int64_t> shape{data.rows()};
    shape.insert(shape.end(), data.sampleShape.begin(), data.sampleShape.end());
    return torch::from_blob(const_cast<float*>(data.x.data()), shape, torch::kFloat32);
}

torch::Tensor indexTensor(const std::vector<int64_t>& rows, size_t begin, size_t end)
{
    return torch::tensor(std::vector<int64_t>(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                                              rows.begin() + static_cast<std::ptrdiff_t>(end)),
                         torch::kInt64);
}

// How much SENN's relevances θ(x) vary over rows, for the model card: the mean over
// the rows of ‖θ(x) − θ̄‖_F / ‖θ̄‖_F, θ̄ their mean (k × C each). 0: the same θ everywhere (a
// linear model's global weights); 1: θ moves as far as its own size. -1: no rows or θ̄ = 0.
double thetaVariation(const std::vector<std::vector<float>>& thetas)
{
    if (thetas.empty())
        return -1;
    const size_t k = thetas.front().size();
    std::vector<double> mean(k, 0.0);
    for (const auto& t : thetas) {
        if (t.size() != k)
            throw Error("θ of different sizes cannot be compared");
        for (size_t i = 0; i < k; ++i)
            mean[i] += t[i];
    }
    double meanNorm = 0;
    for (auto& m : mean) {
        m /= static_cast<double>(thetas.size());
        meanNorm += m * m;
    }
    meanNorm = std::sqrt(meanNorm);
    if (!(meanNorm > 0))
        return -1;
    double sum = 0;
    for (const auto& t : thetas) {
        double d = 0;
        for (size_t i = 0; i < k; ++i)
            d += (t[i] - mean[i]) * (t[i] - mean[i]);
        sum += std::sqrt(d);
    }
    return sum / static_cast<double>(thetas.size()) / meanNorm;
}

double thetaVariation(const models::Model& model, const data::Dataset& data,
                      const std::vector<int64_t>& rows)
{
    if (!model.isValid() || !model.isSenn() || rows.empty())
        return -1;
    const int64_t f = data.featureCount();
    std::vector<std::vector<float>> thetas;
    thetas.reserve(rows.size());
    constexpr size_t chunk = 256;
    std::vector<float> x;
    for (size_t begin = 0; begin < rows.size(); begin += chunk) {
        const size_t end = std::min(rows.size(), begin + chunk);
        x.clear();
        for (size_t i = begin; i < end; ++i)
            x.insert(x.end(), data.row(rows[i]), data.row(rows[i]) + f);
        for (auto& o : model.senn(x.data(), static_cast<int64_t>(end - begin)))
            thetas.push_back(std::move(o.theta));
    }
    return thetaVariation(thetas);
}

// "Auto" intra-op threads (TrainConfig::threads 0): measured, not assumed. On the 2-core
// development machine two LibTorch threads made every model shipped here slower even on idle
// cores (MNIST SENN epoch, 2,000 rows: 0.60 s with one thread against 0.87 s with two, no
// penalty; 1.07 against 1.31 s with the fast penalty) and 9x slower beside other jobs (9.65 s),
// while larger layers on machines with more cores do gain. So one training batch is timed
// (forward and backward of the cross-entropy, three times after a warm-up) with every core and
// with one, and the cores are used only when that is at least 15% faster. The choice is kept
// per process and architecture, so two trainings of one model in a run use the same count;
// the RNG state is restored and the gradients cleared: the training itself is unchanged.
int measuredIntraOpThreads(TorchModel& net, const torch::Tensor& xStdAll, const torch::Tensor& yAll,
                           const std::vector<int64_t>& train, size_t batch)
{
    const int cores = limits::hardwareThreads();
    if (cores <= 1 || train.empty() || net.device() != torch::kCPU)
        return 1;
    static std::mutex mutex;
    static std::map<std::string, int> chosen;
    const std::string key = net.describe() + "|" + std::to_string(batch);
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (auto it = chosen.find(key); it != chosen.end())
            return it->second;
    }
    auto gen = at::detail::getDefaultCPUGenerator();
    torch::Tensor rngState;
    {
        std::lock_guard<std::mutex> lock(gen.mutex());
        rngState = gen.get_state();
    }
    auto idx = indexTensor(train, 0, std::min(train.size(), batch));
    auto x = xStdAll.index_select(0, idx), y = yAll.index_select(0, idx);
    net.setTraining(true);
    auto seconds = [&](int threads) {
        at::set_num_threads(threads);
        std::vector<double> t;
        for (int r = 0; r < 4; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            torch::nn::functional::cross_entropy(net.logitsStd(x), y).backward();
            t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        std::sort(t.begin() + 1, t.end()); // t[0] was the warm-up
        return t[2];
    };
    const double many = seconds(cores), one = seconds(1);
    const int threads = many < 0.85 * one ? cores : 1;
    at::set_num_threads(threads);
    for (auto& p : net.parameters())
        if (p.grad().defined())
            p.mutable_grad() = torch::Tensor();
    {
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_state(rngState);
    }
    std::lock_guard<std::mutex> lock(mutex);
    chosen.emplace(key, threads);
    return threads;
}

struct LossParts {
    torch::Tensor total;
    double ce = 0, robustness = 0, reconstruction = 0, sparsity = 0, rrr = 0;
    torch::Tensor logits;
};

} // namespace

namespace detail {

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
    meta.dataKind = data.kind;
    meta.inputShape = data.sampleShape;
    meta.classNames = data.classNames;
    meta.featureNames = data.featureNames;
    meta.splitSeed = split.seed;
    meta.trainFraction = split.trainFraction;
    meta.valFraction = split.valFraction;
    meta.limit = split.limit;
    meta.dataSource = data.source;
    meta.targetName = data.targetName;
    meta.transforms = data.transforms;
    meta.createdAt = isoNow();
}

BatchReport epochEndReport(const models::EpochRecord& rec, int epoch, int epochs, int64_t batches,
                           int64_t batchesDone, int64_t totalBatches, double elapsedSeconds,
                           bool lastEpoch)
{
    BatchReport rep;
    rep.epoch = epoch;
    rep.epochs = epochs;
    rep.batch = batches;
    rep.batches = batches;
    rep.loss = rec.loss;
    rep.ce = rec.ce;
    rep.robustness = rec.robustness;
    rep.reconstruction = rec.reconstruction;
    rep.sparsity = rec.sparsity;
    rep.rrr = rec.rrr;
    rep.batchAccuracy = rec.trainAccuracy;
    rep.lr = rec.lr;
    rep.elapsedSeconds = elapsedSeconds;
    rep.etaSeconds = batchesDone > 0 && !lastEpoch
                         ? elapsedSeconds / static_cast<double>(batchesDone) *
                               static_cast<double>(std::max<int64_t>(0, totalBatches - batchesDone))
                         : 0.0;
    rep.epochEnd = true;
    rep.lastEpoch = lastEpoch;
    rep.epochRecord = rec;
    return rep;
}

IntraOpThreadsScope::IntraOpThreadsScope() : m_saved(at::get_num_threads()) {}

IntraOpThreadsScope::~IntraOpThreadsScope()
{
    at::set_num_threads(m_saved);
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

} // namespace detail

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
    if (tc.epochs < 1 || tc.batch < 1 || !(tc.lr > 0))
        throw Error("epochs, batch size and learning rate must be positive");
    detail::IntraOpThreadsScope threadsScope;
    if (tc.patience < 0)
        throw Error("the early-stopping patience must be 0 (off) or a positive number of epochs");
    if (!(tc.l2 >= 0) || !std::isfinite(tc.l2))
        throw Error("the L2 weight penalty must be 0 (off) or a positive finite number");
    if (!LrSchedule::isValid(tc.schedule))
        throw Error("unknown learning-rate schedule '" + tc.schedule + "'; valid: plateau, cosine, none");
    if (tc.keep != "best" && tc.keep != "last")
        throw Error("unknown choice of the kept epoch '" + tc.keep + "'; valid: best, last");
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
    const bool isSenn = impl->isSenn();
    const bool learnedConcepts = isSenn && cfg.concepts == models::ConceptKind::Autoencoder;
    const bool penalty = isSenn && cfg.lambda > 0;
    const bool rrr = cfg.rrrLambda > 0;
    if (rrr && !options.masks)
        throw ErrorWithRemedy("the RRR penalty needs annotation masks: generate the Decoy masks or "
                              "give a mask file",
                              Remedy::RrrMask);
    if (options.masks &&
        options.masks->size() != static_cast<size_t>(data.rows() * data.featureCount()))
        throw Error("the annotation mask has " + std::to_string(options.masks->size()) +
                    " values; the data needs one per input value (" +
                    std::to_string(data.rows() * data.featureCount()) + ")");

    // Identity concepts: θ(x) starts as the constant weights of a logistic regression (without
    // intercept) on the training rows, so SENN starts where a linear model ends and the
    // parametrizer learns the input-dependent part (from a random start, early
    // stopping on small tabular sets kept a worse model than plain logistic regression).
    // An MLP with a linear skip starts as the logistic regression itself (with intercept).
    if ((isSenn && cfg.concepts == models::ConceptKind::Identity && !data.isImage()) ||
        (cfg.kind == models::ModelKind::Mlp && cfg.linearSkip)) {
        // A SENN with a bias concept (h = [x, 1]) starts from the regression with its intercept,
        // which becomes the θ of the constant concept.
        const bool withBias = isSenn && cfg.biasConcept;
        const auto lin = logisticWeights(data, split.train, !isSenn || withBias);
        const int64_t classes = std::max<int64_t>(static_cast<int64_t>(data.classNames.size()), 2);
        auto w = torch::tensor(lin.w).view({-1, classes});
        if (withBias)
            w = torch::cat({w, torch::tensor(lin.b).view({1, classes})}, 0);
        impl->warmStartLinear(w, torch::tensor(lin.b));
    }

    const auto device = impl->device();
    torch::Tensor xAll, xStdAll, yAll, maskAll, invStd;
    {
        torch::NoGradGuard noGrad;
        xAll = wholeData(data);
        xStdAll = impl->standardize(xAll).contiguous();
        yAll = torch::tensor(data.y, torch::kInt64);
        if (rrr) {
            std::vector<int64_t> shape{data.rows()};
            shape.insert(shape.end(), data.sampleShape.begin(), data.sampleShape.end());
            maskAll = torch::from_blob(const_cast<float*>(options.masks->data()), shape, torch::kFloat32);
            auto one = torch::ones_like(xAll.slice(0, 0, 1));
            invStd = (impl->standardize(one) - impl->standardize(torch::zeros_like(one))).to(device);
        }
    }

    // TrainConfig::l2: the weights (not biases) L2-penalised as the baseline's C = 1 / l2.
    std::vector<torch::Tensor> weights;
    if (tc.l2 > 0)
        weights = impl->parameters();
    torch::optim::Adam optimizer(impl->parameters(),
                                 torch::optim::AdamOptions(tc.lr).betas({0.9, 0.999}));

    TrainResult result;
    std::shared_ptr<ModelImpl> best;
    std::vector<models::EpochRecord> history;
    std::vector<int64_t> order = split.train;
    const size_t batch = static_cast<size_t>(tc.batch);
    const int64_t batches = static_cast<int64_t>((order.size() + batch - 1) / batch);
    const int64_t totalBatches = batches * tc.epochs;
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    int64_t done = 0;
    bool cancelled = false;
    // The kept epoch is the one with the lowest validation loss (ties: higher accuracy): on small
    // validation sets (57 rows) accuracy moves in steps of 1.75 points and picked noise.
    EarlyStopping stopper(tc.patience, tc.epochs, /*byLoss=*/true);
    LrSchedule schedule(tc.schedule, tc.lr, tc.epochs, tc.patience);

    if (tc.threads <= 0) {
        const int threads = measuredIntraOpThreads(*impl, xStdAll, yAll, split.train, batch);
        at::set_num_threads(threads);
        result.intraOpThreads = threads;
    } else {
        result.intraOpThreads = at::get_num_threads();
    }

    for (int epoch = 1; epoch <= tc.epochs && !cancelled; ++epoch) {
        const double epochStart = elapsed();
        std::shuffle(order.begin(), order.end(), shuffleRng);
        impl->setTraining(true);
        models::EpochRecord rec;
        rec.epoch = epoch;
        rec.lr = schedule.lrFor(epoch);
        for (auto& group : optimizer.param_groups())
            static_cast<torch::optim::AdamOptions&>(group.options()).lr(rec.lr);
        int64_t correct = 0, seen = 0, batchCount = 0;

        for (int64_t b = 0; b < batches; ++b) {
            if (options.cancel.isCancelled()) {
                cancelled = true;
                break;
            }
            const size_t begin = static_cast<size_t>(b) * batch;
            const size_t end = std::min(order.size(), begin + batch);
            auto idx = indexTensor(order, begin, end);
            auto xStd = xStdAll.index_select(0, idx).to(device);
            auto y = yAll.index_select(0, idx).to(device);
            if (penalty || rrr)
                xStd.requires_grad_(true);

            LossParts parts;
            torch::Tensor loss;
            if (isSenn) {
                auto out = impl->sennStd(xStd, learnedConcepts);
                parts.logits = out.logits;
                auto ce = torch::nn::functional::cross_entropy(out.logits, y);
                loss = ce;
                parts.ce = ce.item<double>();
                if (penalty) {
                    auto r = robustnessPenalty(out, xStd, cfg.penalty, cfg.penaltySamples).mean();
                    loss = loss + cfg.lambda * r;
                    parts.robustness = r.item<double>();
                }
                if (learnedConcepts) {
                    auto recon = torch::mse_loss(out.recon, xStd.detach());
                    auto sparsity = out.h.abs().sum(1).mean();
                    loss = loss + cfg.xi * (recon + cfg.zeta * sparsity);
                    parts.reconstruction = recon.item<double>();
                    parts.sparsity = sparsity.item<double>();
                }
            } else {
                parts.logits = impl->logitsStd(xStd);
                loss = torch::nn::functional::cross_entropy(parts.logits, y);
                parts.ce = loss.item<double>();
            }
            if (!weights.empty()) // in the loss (and the recorded loss), not in ce
                loss = loss + weightPenalty(weights, tc.l2, static_cast<int64_t>(split.train.size()),
                                            static_cast<int64_t>(impl->meta().classNames.size()));
            if (rrr) {
                auto mask = maskAll.index_select(0, idx).to(device);
                auto r = rrrPenalty(parts.logits, xStd, mask, invStd).mean();
                loss = loss + cfg.rrrLambda * r;
                parts.rrr = r.item<double>();
            }
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();

            const int64_t n = static_cast<int64_t>(end - begin);
            const int64_t ok = parts.logits.detach().argmax(1).eq(y).sum().item<int64_t>();
            correct += ok;
            seen += n;
            ++done;
            ++batchCount;
            const double lossValue = loss.item<double>();
            rec.loss += lossValue;
            rec.ce += parts.ce;
            rec.robustness += parts.robustness;
            rec.reconstruction += parts.reconstruction;
            rec.sparsity += parts.sparsity;
            rec.rrr += parts.rrr;

            if (options.onBatch) {
                BatchReport rep;
                rep.epoch = epoch;
                rep.epochs = tc.epochs;
                rep.batch = b + 1;
                rep.batches = batches;
                rep.loss = lossValue;
                rep.ce = parts.ce;
                rep.robustness = parts.robustness;
                rep.reconstruction = parts.reconstruction;
                rep.sparsity = parts.sparsity;
                rep.rrr = parts.rrr;
                rep.batchAccuracy = static_cast<double>(ok) / static_cast<double>(n);
                rep.lr = rec.lr;
                rep.elapsedSeconds = elapsed();
                rep.etaSeconds = rep.elapsedSeconds / static_cast<double>(done) *
                                 static_cast<double>(totalBatches - done);
                options.onBatch(rep);
            }
        }
        if (cancelled)
            break; // an unfinished epoch is neither validated nor kept

        if (batchCount > 0) {
            const double nb = static_cast<double>(batchCount);
            rec.loss /= nb;
            rec.ce /= nb;
            rec.robustness /= nb;
            rec.reconstruction /= nb;
            rec.sparsity /= nb;
            rec.rrr /= nb;
        }
        rec.trainAccuracy = seen ? static_cast<double>(correct) / static_cast<double>(seen) : 0.0;
        // Without a validation split the training accuracy decides which epoch is kept.
        double valLoss = rec.ce;
        if (split.val.empty()) {
            rec.valAccuracy = rec.trainAccuracy;
        } else {
            const auto ev = evaluate(model, data, split.val, "val");
            rec.valAccuracy = ev.accuracy;
            valLoss = ev.loss;
            rec.valLoss = ev.loss;
        }
        rec.seconds = elapsed() - epochStart;
        history.push_back(rec);
        if (stopper.update(epoch, rec.valAccuracy, valLoss) || keepLast) {
            best = impl->clone();
            result.bestEpoch = epoch;
            result.bestValAccuracy = rec.valAccuracy;
        }
        schedule.afterEpoch(stopper.improvedLast());
        if (options.onBatch)
            options.onBatch(detail::epochEndReport(rec, epoch, tc.epochs, batches, done, totalBatches,
                                                   elapsed(), stopper.shouldStop() || epoch == tc.epochs));
        if (stopper.shouldStop())
            break;
    }

    // The best finished epoch, or the model as it is when no epoch finished.
    std::shared_ptr<ModelImpl> chosen = best ? best : impl->clone();
    chosen->setTraining(false);
    models::Model out(chosen);
    auto& meta = out.meta();
    meta.history = history;
    meta.bestEpoch = result.bestEpoch;
    meta.stopReason = stopper.reason(cancelled);
    if (keepLast && result.bestEpoch >= 1)
        meta.stopReason += "; kept the last epoch, " + std::to_string(result.bestEpoch);
    meta.train = tc;
    meta.metrics.clear();
    if (!split.val.empty())
        meta.metrics["val_accuracy"] = evaluate(out, data, split.val, "val").accuracy;
    meta.metrics["train_accuracy"] = evaluate(out, data, split.train, "train").accuracy;
    if (!split.test.empty()) {
        result.testAccuracy = evaluate(out, data, split.test, "test").accuracy;
        meta.metrics["test_accuracy"] = result.testAccuracy;
    }
    // SENN's conciseness CNS(τ), measured as FLINT's (flint.md), for the model card.
    if (isSenn) {
        const auto& cnsRows = split.test.empty() ? split.val : split.test;
        if (!cnsRows.empty()) {
            const auto s = sennConciseness(out, data, cnsRows);
            for (size_t k = 0; k < s.taus.size(); ++k)
                meta.metrics[flintConcisenessKey(s.taus[k])] = s.conciseness[k];
        }
    }
    if (isSenn) {
        const auto& rows = split.test.empty() ? split.val : split.test;
        const double v = thetaVariation(out, data, rows);
        if (v >= 0)
            meta.metrics["theta_variation"] = v;
    }
    meta.metrics["train_seconds"] = elapsed();
    detail::addBaseline(meta, data, split, result);
    result.model = out;
    result.cancelled = cancelled;
    result.epochsRun = static_cast<int>(history.size());
    result.stopReason = meta.stopReason;
    return result;
}

std::string keptEpochText(const models::ModelMeta& meta)
{
    if (meta.history.empty() || meta.bestEpoch < 1)
        return {};
    const auto it = std::find_if(meta.history.begin(), meta.history.end(),
                                 [&](const models::EpochRecord& r) { return r.epoch == meta.bestEpoch; });
    std::string text = "epoch " + std::to_string(meta.bestEpoch) + " of " +
                       std::to_string(meta.history.back().epoch);
    if (meta.train.keep == "last")
        return text + ", the last (kept on request)";
    if (it == meta.history.end())
        return text;
    char figures[96];
    if (it->valLoss > 0) {
        std::snprintf(figures, sizeof figures, " (%.4g; accuracy %.3f)", it->valLoss, it->valAccuracy);
        return text + ", the lowest validation loss" + figures;
    }
    // Without a validation split the training loss decided.
    std::snprintf(figures, sizeof figures, " (%.4g)", it->ce);
    return text + ", the lowest training loss" + figures;
}

std::string thetaVariationWarning(const models::ModelMeta& meta)
{
    const auto it = meta.metrics.find("theta_variation");
    if (it == meta.metrics.end() || !(it->second >= 0) || it->second >= kLinearThetaVariation)
        return {};
    char figure[32];
    std::snprintf(figure, sizeof figure, "%.3f", it->second);
    return std::string("θ barely changes between inputs (θ variation ") + figure +
           ", below 0.05): this SENN acts as a linear model here, and its stability says little";
}

Evaluation evaluate(const models::Model& model, const data::Dataset& data,
                    const std::vector<int64_t>& rows, const std::string& splitName,
                    const jobs::CancelToken& cancel)
{
    auto impl = model.impl();
    if (!impl)
        throw Error("no model to evaluate");
    const int64_t classes = model.numClasses();
    if (data.featureCount() != model.featureCount())
        throw Error("the data has " + std::to_string(data.featureCount()) +
                    " input values per row; the model expects " + std::to_string(model.featureCount()));
    Evaluation ev;
    ev.split = splitName;
    ev.n = static_cast<int64_t>(rows.size());
    ev.confusion.assign(static_cast<size_t>(classes), std::vector<int64_t>(static_cast<size_t>(classes), 0));
    torch::NoGradGuard noGrad;
    impl->setTraining(false);
    const auto xAll = wholeData(data);
    constexpr size_t chunk = 512;
    int64_t correct = 0;
    double lossSum = 0;
    for (size_t begin = 0; begin < rows.size(); begin += chunk) {
        cancel.throwIfCancelled();
        const size_t end = std::min(rows.size(), begin + chunk);
        auto idx = indexTensor(rows, begin, end);
        auto z = impl->logits(xAll.index_select(0, idx).to(impl->device()));
        std::vector<int64_t> labels;
        labels.reserve(end - begin);
        for (size_t i = begin; i < end; ++i)
            labels.push_back(data.y[static_cast<size_t>(rows[i])]);
        auto target = torch::tensor(labels, torch::kInt64).to(z.device());
        lossSum += torch::nn::functional::cross_entropy(
                       z, target, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                       .item<double>();
        auto pred = z.argmax(1).to(torch::kCPU).contiguous();
        const int64_t* p = pred.data_ptr<int64_t>();
        for (size_t i = begin; i < end; ++i) {
            const int64_t t = data.y[static_cast<size_t>(rows[i])];
            const int64_t q = p[i - begin];
            if (t >= 0 && t < classes && q >= 0 && q < classes)
                ++ev.confusion[static_cast<size_t>(t)][static_cast<size_t>(q)];
            correct += (t == q);
        }
    }
    ev.accuracy = ev.n ? static_cast<double>(correct) / static_cast<double>(ev.n) : 0.0;
    ev.loss = ev.n ? lossSum / static_cast<double>(ev.n) : 0.0;
    for (int64_t c = 0; c < classes; ++c) {
        const auto& row = ev.confusion[static_cast<size_t>(c)];
        const int64_t total = std::accumulate(row.begin(), row.end(), int64_t{0});
        ev.perClassAccuracy.push_back(total ? static_cast<double>(row[static_cast<size_t>(c)]) /
                                                  static_cast<double>(total)
                                            : 0.0);
    }
    return ev;
}

} // namespace senn::train
