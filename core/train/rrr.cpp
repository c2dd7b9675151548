#include "core/train/rrr.h"

#include "core/common/error.h"
#include "core/models/torch_model.h"
#include "core/train/robustness.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace senn::train {

namespace {

torch::Tensor rowsTensor(const data::Dataset& data, const std::vector<int64_t>& rows, size_t begin,
                         size_t end, torch::Device device)
{
    const int64_t d = data.featureCount();
    std::vector<int64_t> shape{static_cast<int64_t>(end - begin)};
    shape.insert(shape.end(), data.sampleShape.begin(), data.sampleShape.end());
    auto x = torch::empty(shape, torch::kFloat32);
    float* dst = x.data_ptr<float>();
    for (size_t i = begin; i < end; ++i) {
        const int64_t r = rows[i];
        if (r < 0 || r >= data.rows())
            throw Error("row " + std::to_string(r) + " is outside the dataset (" +
                        std::to_string(data.rows()) + " rows)");
        std::copy(data.row(r), data.row(r) + d, dst + static_cast<int64_t>(i - begin) * d);
    }
    return x.to(device);
}

void checkModelFits(const models::Model& model, const data::Dataset& data)
{
    if (!model.isValid())
        throw Error("no model: train or open one first");
    if (model.featureCount() != data.featureCount())
        throw Error("the data has " + std::to_string(data.featureCount()) +
                    " input values per row; the model expects " + std::to_string(model.featureCount()));
}

std::string oneDigit(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1g", v);
    return buf;
}

std::string number(double v, int digits)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

double roundToOneDigit(double v)
{
    if (!(v > 0) || !std::isfinite(v))
        return 0;
    return std::stod(oneDigit(v));
}

} // namespace

std::vector<float> inputGradients(const models::Model& model, const data::Dataset& data,
                                  const std::vector<int64_t>& rows, GradientOf of,
                                  const jobs::CancelToken& cancel)
{
    checkModelFits(model, data);
    auto impl = model.impl();
    torch::AutoGradMode gradOn(true); // the worker slots run under NoGradGuard
    impl->setTraining(false);
    const int64_t d = data.featureCount();
    std::vector<float> out;
    out.reserve(rows.size() * static_cast<size_t>(d));
    constexpr size_t chunk = 256;
    for (size_t begin = 0; begin < rows.size(); begin += chunk) {
        cancel.throwIfCancelled();
        const size_t end = std::min(rows.size(), begin + chunk);
        auto x = rowsTensor(data, rows, begin, end, impl->device()).requires_grad_(true);
        auto z = impl->logits(x);
        // Rows are independent (eval mode), so the gradient of the batch sum is per row.
        torch::Tensor target = of == GradientOf::SumLogProb
                                   ? torch::log_softmax(z, 1).sum()
                                   : std::get<0>(torch::softmax(z, 1).max(1)).sum();
        if (!target.requires_grad())
            throw Error("this model gives no input gradients (a frozen or TorchScript model "
                        "without autograd); RRR needs a differentiable model");
        auto g = torch::autograd::grad({target}, {x}, {}, false, false, true)[0];
        if (!g.defined())
            g = torch::zeros_like(x);
        auto v = models::toVector(g.detach().reshape({static_cast<int64_t>(end - begin), d}));
        out.insert(out.end(), v.begin(), v.end());
    }
    return out;
}

std::vector<float> thresholdGradients(const std::vector<float>& gradients, int64_t featuresPerMap,
                                      double fraction)
{
    if (featuresPerMap <= 0 || gradients.size() % static_cast<size_t>(featuresPerMap) != 0)
        throw Error("the gradient maps do not divide into maps of " + std::to_string(featuresPerMap) +
                    " values");
    std::vector<float> out(gradients.size(), 0.0f);
    const size_t d = static_cast<size_t>(featuresPerMap);
    for (size_t m = 0; m < gradients.size(); m += d) {
        float mx = 0;
        for (size_t j = 0; j < d; ++j)
            mx = std::max(mx, std::abs(gradients[m + j]));
        const double bar = fraction * mx;
        for (size_t j = 0; j < d; ++j)
            if (std::abs(gradients[m + j]) > bar)
                out[m + j] = gradients[m + j];
    }
    return out;
}

void accumulateGradientMask(const models::Model& model, const data::Dataset& data,
                            const std::vector<int64_t>& rows, std::vector<float>& masks,
                            double threshold, const jobs::CancelToken& cancel)
{
    if (!(threshold > 0 && threshold <= 1))
        throw Error("the mask threshold must lie in (0, 1]; got " + std::to_string(threshold));
    const size_t d = static_cast<size_t>(data.featureCount());
    const size_t all = d * static_cast<size_t>(data.rows());
    if (masks.size() != all)
        masks.assign(all, 0.0f);
    const auto g = inputGradients(model, data, rows, GradientOf::MaxProb, cancel);
    for (size_t i = 0; i < rows.size(); ++i) {
        const float* gi = g.data() + i * d;
        float mx = 0;
        for (size_t j = 0; j < d; ++j)
            mx = std::max(mx, std::abs(gi[j]));
        if (!(mx > 0))
            continue; // a flat example marks nothing
        const double bar = threshold * mx;
        float* mi = masks.data() + static_cast<size_t>(rows[i]) * d;
        for (size_t j = 0; j < d; ++j)
            if (std::abs(gi[j]) > bar)
                mi[j] = 1.0f;
    }
}

double maskCoverage(const std::vector<float>& masks, const data::Dataset& data,
                    const std::vector<int64_t>& rows)
{
    const size_t d = static_cast<size_t>(data.featureCount());
    if (masks.size() != d * static_cast<size_t>(data.rows()) || rows.empty() || d == 0)
        return 0;
    size_t on = 0;
    for (int64_t r : rows)
        for (size_t j = 0; j < d; ++j)
            on += masks[static_cast<size_t>(r) * d + j] >= 0.5f;
    return static_cast<double>(on) / static_cast<double>(rows.size() * d);
}

LambdaGuidance lambdaGuidance(const data::Dataset& data, const data::Split& split,
                              const models::ModelConfig& config, const models::TrainConfig& tc,
                              const std::vector<float>& masks)
{
    if (config.kind == models::ModelKind::Flint || config.kind == models::ModelKind::TorchScript)
        throw Error("the RRR penalty applies to SENN, MLP and CNN models");
    if (masks.size() != static_cast<size_t>(data.rows() * data.featureCount()))
        throw Error("the annotation mask has " + std::to_string(masks.size()) +
                    " values; the data needs one per input value (" +
                    std::to_string(data.rows() * data.featureCount()) + ")");
    if (tc.batch < 1)
        throw Error("the batch size must be positive");
    torch::manual_seed(tc.seed); // the same initial weights as train() starts from
    auto model = buildModel(data, split, config, tc);
    auto impl = std::dynamic_pointer_cast<models::TorchModel>(model.impl());
    if (!impl)
        throw Error("the RRR penalty needs a model built by this app");
    torch::AutoGradMode gradOn(true);
    impl->setTraining(true);

    std::vector<int64_t> rows(split.train.begin(),
                              split.train.begin() + std::min<std::ptrdiff_t>(
                                  tc.batch, static_cast<std::ptrdiff_t>(split.train.size())));
    const auto device = impl->device();
    auto x = rowsTensor(data, rows, 0, rows.size(), device);
    std::vector<int64_t> labels;
    std::vector<float> maskRows;
    const size_t d = static_cast<size_t>(data.featureCount());
    for (int64_t r : rows) {
        labels.push_back(data.y[static_cast<size_t>(r)]);
        maskRows.insert(maskRows.end(), masks.begin() + static_cast<std::ptrdiff_t>(r * d),
                        masks.begin() + static_cast<std::ptrdiff_t>((r + 1) * d));
    }
    auto y = torch::tensor(labels, torch::kInt64).to(device);
    auto mask = torch::tensor(maskRows, torch::kFloat32).to(device).view(x.sizes());
    torch::Tensor invStd;
    {
        torch::NoGradGuard noGrad;
        auto one = torch::ones_like(x.slice(0, 0, 1));
        invStd = impl->standardize(one) - impl->standardize(torch::zeros_like(one));
    }
    auto xStd = impl->standardize(x).detach().requires_grad_(true);
    auto logits = impl->isSenn() ? impl->sennStd(xStd, false).logits : impl->logitsStd(xStd);

    LambdaGuidance g;
    g.rows = static_cast<int64_t>(rows.size());
    g.ce = torch::nn::functional::cross_entropy(logits, y).item<double>();
    g.penalty = rrrPenalty(logits, xStd, mask, invStd, false).mean().item<double>();
    impl->setTraining(false);
    if (g.penalty > 0) {
        g.suggestedLambda = roundToOneDigit(g.ce / g.penalty);
        g.text = "At the start of training the cross-entropy is " + number(g.ce, 3) +
                 " and the RRR term before λ₁ is " + number(g.penalty, 2) + ", so λ₁ ≈ " +
                 number(g.suggestedLambda, 6) +
                 " makes them the same order (the paper's rule). Input gradients grow as the "
                 "model learns, so a smaller λ₁ is often enough: on Decoy MNIST every λ₁ from 1 "
                 "to 1000 recovered the clean accuracy and this balance point over-regularised. "
                 "Watch both curves while training.";
    } else {
        g.text = "The mask marks nothing the model looks at on the first batch (the RRR term is "
                 "0): paint or generate a mask first.";
    }
    return g;
}

std::vector<ExplanationRound> findAnotherExplanation(const data::Dataset& data,
                                                     const data::Split& split,
                                                     const models::ModelConfig& config,
                                                     const models::TrainConfig& tc,
                                                     const FindAnotherOptions& options)
{
    if (options.rounds < 1)
        throw Error("find another explanation needs at least one round");
    if (options.rounds > 1 && !(config.rrrLambda > 0))
        throw Error("rounds after the first train with the RRR penalty: set λ₁ (rrrLambda) > 0");
    if (!(options.threshold > 0 && options.threshold <= 1))
        throw Error("the mask threshold must lie in (0, 1]; got " + std::to_string(options.threshold));
    const size_t d = static_cast<size_t>(data.featureCount());
    for (int64_t r : options.showRows)
        if (r < 0 || r >= data.rows())
            throw Error("row " + std::to_string(r) + " is outside the dataset (" +
                        std::to_string(data.rows()) + " rows)");

    std::vector<float> masks(d * static_cast<size_t>(data.rows()), 0.0f);
    std::vector<ExplanationRound> rounds;
    for (int round = 1; round <= options.rounds; ++round) {
        options.cancel.throwIfCancelled();
        models::ModelConfig cfg = config;
        TrainOptions to;
        to.cancel = options.cancel;
        if (options.onBatch)
            to.onBatch = [&, round](const BatchReport& r) { options.onBatch(round, r); };
        if (round == 1) {
            cfg.rrrLambda = 0;
            cfg.rrrMask.clear();
        } else {
            cfg.rrrMask = "find-another:round=" + std::to_string(round);
            to.masks = &masks;
        }
        auto result = train(data, split, cfg, tc, to);

        ExplanationRound er;
        er.round = round;
        er.model = result.model;
        er.cancelled = result.cancelled;
        er.maskCoverage = round == 1 ? 0.0 : maskCoverage(masks, data, split.train);
        const auto& metrics = result.model.meta().metrics;
        if (auto it = metrics.find("train_accuracy"); it != metrics.end())
            er.trainAccuracy = it->second;
        er.testAccuracy = result.testAccuracy;
        er.rows = options.showRows;
        er.gradients = inputGradients(result.model, data, options.showRows, GradientOf::SumLogProb);
        for (int64_t r : options.showRows)
            er.mask.insert(er.mask.end(), masks.begin() + static_cast<std::ptrdiff_t>(r * d),
                           masks.begin() + static_cast<std::ptrdiff_t>((r + 1) * d));
        rounds.push_back(er);
        if (options.onRound)
            options.onRound(rounds.back());
        if (result.cancelled)
            break;
        if (round < options.rounds)
            accumulateGradientMask(result.model, data, split.train, masks, options.threshold,
                                   options.cancel);
    }
    return rounds;
}

} // namespace senn::train
