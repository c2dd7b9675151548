#include "core/common/error.h"
#include "core/metrics/metrics_internal.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <numeric>

namespace senn::metrics {

using explain::Method;
namespace ed = explain::detail;

namespace {

std::vector<double> toDouble(const std::vector<float>& v) { return std::vector<double>(v.begin(), v.end()); }

torch::Tensor rowsOf(const models::Model& model, const torch::Tensor& flatRows)
{
    return flatRows.to(torch::kFloat32).reshape(ed::batchShape(*model.impl(), flatRows.size(0)));
}

// Probabilities (or logits) of all classes for flat rows [n, d]: float64 [n, C].
torch::Tensor outputs(const models::Model& model, const torch::Tensor& flatRows, bool logits)
{
    jobs::ProgressFn none;
    jobs::CancelToken token;
    ed::Run run{*model.impl(), none, token, "metric"};
    return ed::evalAll(run, rowsOf(model, flatRows), logits ? ed::Output::Logit : ed::Output::Probability);
}

bool explainsLogit(const explain::Explanation& e)
{
    auto it = e.diagnostics.find("output_logit");
    if (it != e.diagnostics.end())
        return it->second != 0;
    return e.method != "lime" && e.method != "kernel-shap" && e.method != "shapley" && e.method != "occlusion";
}

} // namespace

RemovalResult removalCorrelation(const models::Model& model, const explain::ExplainContext& ctx,
                                 const float* xRaw, const explain::Explanation& e,
                                 const std::vector<float>& baseline, bool sennTheta)
{
    auto implPtr = model.impl();
    if (!implPtr)
        throw Error("no model to measure");
    const int64_t d = model.featureCount();
    RemovalResult res;
    res.attributions = toDouble(e.values);
    const int64_t m = int64_t(e.values.size());
    // Cumulative removal in decreasing attribution order, for the removal curve.
    std::vector<int64_t> order(static_cast<size_t>(m));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return e.values[size_t(a)] > e.values[size_t(b)]; });
    const int64_t curveLen = std::min<int64_t>(m, 50);

    if (e.method == "senn" && model.isSenn()) {
        // Concepts: set h_i = 0 and re-aggregate with θ(x) unchanged (senn.md).
        auto x = ed::sampleTensor(*implPtr, xRaw, 1);
        torch::NoGradGuard noGrad;
        implPtr->setTraining(false);
        auto out = implPtr->senn(x.to(implPtr->device()));
        auto theta = out.theta[0].to(torch::kCPU, torch::kFloat64); // [k, C]
        auto h = out.h[0].to(torch::kCPU, torch::kFloat64);         // [k]
        const int64_t k = h.numel();
        if (k != m)
            throw Error("removal correlation: the SENN explanation has " + std::to_string(m) +
                        " values but the model has " + std::to_string(k) + " concepts");
        auto p0 = torch::softmax(ed::sennLogitsWithConcepts(theta, h.view({1, k})), 1)[0];
        const int64_t pred = p0.argmax().item<int64_t>();
        auto hs = h.view({1, k}).repeat({k, 1}) * (1 - torch::eye(k, torch::kFloat64));
        auto p = torch::softmax(ed::sennLogitsWithConcepts(theta, hs), 1).select(1, pred);
        auto drops = p0[pred] - p;
        res.drops.assign(drops.data_ptr<double>(), drops.data_ptr<double>() + k);
        if (!sennTheta) {
            // θ·h of the explained class (issue 12): with identity concepts h is a standardised
            // feature, often negative, so θ alone cannot tell the sign of a drop.
            const int64_t c = e.target >= 0 && e.target < theta.size(1) ? e.target : pred;
            auto contrib = (theta.select(1, c) * h).contiguous();
            res.attributions.assign(contrib.data_ptr<double>(), contrib.data_ptr<double>() + k);
            std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
                return res.attributions[size_t(a)] > res.attributions[size_t(b)];
            });
        }
        auto hc = h.clone();
        for (int64_t i = 0; i < curveLen; ++i) {
            hc[order[size_t(i)]] = 0;
            res.curve.push_back(torch::softmax(ed::sennLogitsWithConcepts(theta, hc.view({1, k})), 1)[0][pred].item<double>());
        }
    } else {
        if (m != d)
            throw Error("removal correlation: the explanation has " + std::to_string(m) +
                        " values but the input has " + std::to_string(d) + " features");
        std::vector<float> base = baseline;
        if (base.empty())
            base = ctx.stats.mean;
        if (int64_t(base.size()) != d)
            throw Error("removal correlation needs a baseline of " + std::to_string(d) + " values");
        auto x = torch::from_blob(const_cast<float*>(xRaw), {1, d}, torch::kFloat32).to(torch::kFloat64);
        auto b = torch::tensor(base, torch::kFloat32).to(torch::kFloat64).view({1, d});
        auto eye = torch::eye(d, torch::kFloat64);
        auto rows = torch::cat({x, x * (1 - eye) + b * eye}, 0);
        // The cumulative removals ride in the same batch.
        auto cum = torch::zeros({curveLen, d}, torch::kFloat64);
        auto mask = torch::zeros({d}, torch::kFloat64);
        for (int64_t i = 0; i < curveLen; ++i) {
            mask[order[size_t(i)]] = 1;
            cum[i].copy_(mask);
        }
        rows = torch::cat({rows, x * (1 - cum) + b * cum}, 0);
        auto p = outputs(model, rows, false);
        const int64_t pred = p[0].argmax().item<int64_t>();
        auto pp = p.select(1, pred);
        auto drops = pp[0] - pp.slice(0, 1, 1 + d);
        res.drops.assign(drops.data_ptr<double>(), drops.data_ptr<double>() + d);
        for (int64_t i = 0; i < curveLen; ++i)
            res.curve.push_back(pp[1 + d + i].item<double>());
    }
    res.correlation = ed::pearson(res.drops, res.attributions);
    return res;
}

double faithfulnessCorrelation(const models::Model& model, const float* xRaw,
                               const explain::Explanation& e, const std::vector<float>& baseline,
                               int subsets, double fraction, uint64_t seed)
{
    const int64_t d = model.featureCount();
    if (int64_t(e.values.size()) != d || subsets < 2)
        return std::nan(""); // concept explanations have no feature subsets to remove
    const int64_t size = std::max<int64_t>(1, std::llround(fraction * double(d)));
    auto gen = ed::makeGenerator(seed);
    auto masks = torch::zeros({subsets, d}, torch::kFloat64);
    for (int s = 0; s < subsets; ++s)
        masks[s].index_fill_(0, torch::randperm(d, gen).slice(0, 0, size), 1.0);
    auto x = torch::from_blob(const_cast<float*>(xRaw), {1, d}, torch::kFloat32).to(torch::kFloat64);
    auto b = baseline.empty() ? torch::zeros({1, d}, torch::kFloat64)
                              : torch::tensor(baseline, torch::kFloat32).to(torch::kFloat64).view({1, d});
    auto rows = torch::cat({x, x * (1 - masks) + b * masks}, 0);
    auto z = outputs(model, rows, true).select(1, e.target);
    auto drops = z[0] - z.slice(0, 1);
    auto phi = torch::tensor(toDouble(e.values), torch::kFloat64);
    auto sums = torch::matmul(masks, phi);
    std::vector<double> a(sums.data_ptr<double>(), sums.data_ptr<double>() + subsets);
    std::vector<double> c(drops.data_ptr<double>(), drops.data_ptr<double>() + subsets);
    return ed::pearson(a, c);
}

double infidelity(const models::Model& model, const float* xRaw, const explain::Explanation& e,
                  double sigma, int samples, uint64_t seed, bool normalized)
{
    const int64_t d = model.featureCount();
    if (int64_t(e.values.size()) != d || samples < 1)
        return std::nan("");
    auto gen = ed::makeGenerator(seed);
    auto I = torch::randn({samples, d}, gen, torch::kFloat64) * sigma;
    auto x = torch::from_blob(const_cast<float*>(xRaw), {1, d}, torch::kFloat32).to(torch::kFloat64);
    auto out = outputs(model, torch::cat({x, x - I}, 0), explainsLogit(e)).select(1, e.target);
    auto df = out[0] - out.slice(0, 1);
    auto phi = torch::tensor(toDouble(e.values), torch::kFloat64);
    auto pred = torch::matmul(I, phi);
    if (normalized) {
        const double den = pred.pow(2).mean().item<double>();
        const double beta = den > 0 ? (pred * df).mean().item<double>() / den : 0.0;
        pred = pred * beta;
    }
    return (pred - df).pow(2).mean().item<double>();
}

double maxSensitivity(Method method, const models::Model& model, const explain::ExplainContext& ctx,
                      const float* xRaw, const explain::ExplainOptions& explainOptions, double radius,
                      int samples, uint64_t seed)
{
    const int64_t d = model.featureCount();
    const int target = explainOptions.target >= 0 ? explainOptions.target : detail::predictedClass(model, xRaw);
    // Radius in units of the training std per feature, as the Lipschitz box (raw features
    // have unrelated scales).
    auto h = detail::halfWidths(ctx, d, radius, !ctx.stats.std.empty());
    auto gen = ed::makeGenerator(seed);
    auto delta = (torch::rand({samples, d}, gen, torch::kFloat64) * 2 - 1) * h;
    auto x = torch::from_blob(const_cast<float*>(xRaw), {1, d}, torch::kFloat32).to(torch::kFloat64);
    auto E = detail::explainMany(method, model, ctx, rowsOf(model, torch::cat({x, x + delta}, 0)),
                                 target, explainOptions, {});
    const double n0 = E[0].norm().item<double>();
    if (!(n0 > 0))
        return std::nan("");
    return ((E.slice(0, 1) - E[0]).norm(2, {1}) / n0).max().item<double>();
}

FaithfulnessResult faithfulness(const std::vector<Method>& methods, const models::Model& model,
                                const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                                const explain::ExplainOptions& explainOptions, uint64_t seed,
                                const jobs::ProgressFn& progress, const jobs::CancelToken& cancel)
{
    return faithfulness(methods, model, ctx, points, explainOptions, seed, FaithfulnessOptions{},
                        progress, cancel);
}

FaithfulnessResult faithfulness(const std::vector<Method>& methods, const models::Model& model,
                                const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                                const explain::ExplainOptions& explainOptions, uint64_t seed,
                                const FaithfulnessOptions& options, const jobs::ProgressFn& progress,
                                const jobs::CancelToken& cancel)
{
    if (!ctx.data)
        throw Error("faithfulness needs the dataset the points come from");
    cancel.throwIfCancelled();
    const auto t0 = std::chrono::steady_clock::now();
    FaithfulnessResult res;
    res.points = points;
    res.sennAttribution = options.sennTheta ? "theta" : "theta_h";
    const size_t P = points.size();
    for (auto m : methods) {
        FaithfulnessResult::PerMethod pm;
        const std::vector<double> none(P, std::nan(""));
        pm.perPoint = pm.faithfulnessCorrelation = pm.infidelity = pm.infidelityNormalized = pm.seconds = none;
        pm.median = std::nan("");
        res.methods[explain::methodId(m)] = std::move(pm);
    }
    res.threads = int(std::min<size_t>(size_t(detail::resolveThreads(options.threads)),
                                       std::max<size_t>(1, P * methods.size())));
    // Tasks (method, point), cheap methods first (the order the user sees them finish).
    std::vector<size_t> order(methods.size());
    std::iota(order.begin(), order.end(), size_t(0));
    auto rank = [](Method m) {
        return explain::isDifferentiable(m) ? 0 : m == Method::Occlusion ? 1 : m == Method::Lime ? 2 : 3;
    };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rank(methods[a]) < rank(methods[b]); });
    const double total = double(methods.size() * P);
    double done = 0;
    std::mutex mutex;
    auto runTask = [&](int64_t t) {
        const size_t mi = order[size_t(t) / std::max<size_t>(1, P)];
        const size_t i = size_t(t) % P;
        const Method m = methods[mi];
        cancel.throwIfCancelled();
        const auto ts = std::chrono::steady_clock::now();
        const float* x = ctx.data->row(points[i]);
        auto opts = explainOptions;
        opts.seed = seed + i;
        auto e = explain::explain(m, model, ctx, x, opts, {}, cancel);
        const double removal = removalCorrelation(model, ctx, x, e, {}, options.sennTheta).correlation;
        const double fc = faithfulnessCorrelation(model, x, e, ctx.stats.mean, 100, 0.2, seed + i);
        const double inf = infidelity(model, x, e, 0.003, 10, seed + i);
        const double infN = infidelity(model, x, e, 0.003, 10, seed + i, true);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - ts).count();
        std::lock_guard<std::mutex> lock(mutex);
        auto& pm = res.methods[explain::methodId(m)];
        pm.perPoint[i] = removal;
        pm.faithfulnessCorrelation[i] = fc;
        pm.infidelity[i] = inf;
        pm.infidelityNormalized[i] = infN;
        pm.seconds[i] = secs;
        pm.pointsDone += 1;
        pm.median = detail::quantile(pm.perPoint, 0.5);
        done += 1;
        jobs::report(progress, done / std::max(1.0, total), "faithfulness",
                     explain::methodDisplayName(m) + ": point " + std::to_string(i + 1));
        if (options.partial) {
            res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            options.partial(res);
        }
    };
    try {
        detail::parallelTasks(int64_t(methods.size() * P), res.threads, runTask);
    } catch (const jobs::Cancelled&) {
        if (!options.keepPartialOnCancel)
            throw;
        res.cancelled = true;
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

} // namespace senn::metrics
