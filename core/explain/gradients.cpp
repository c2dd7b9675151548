#include "core/common/error.h"
#include "core/explain/cost.h"
#include "core/explain/explain_internal.h"

#include <functional>

namespace senn::explain::detail {

namespace {
torch::Tensor flat(const torch::Tensor& t) { return t.reshape({t.size(0), -1}); }

// SmoothGrad's σ is a fraction of the input range: per feature for tabular data (features
// have unrelated scales), the whole training range for images (a per-pixel range is 0 at
// MNIST's always-black corners).
torch::Tensor smoothGradSigma(const models::ModelImpl& impl, const ExplainContext& ctx,
                              const ExplainOptions& options, int64_t d)
{
    const bool image = impl.meta().inputShape.size() == 3;
    auto mn = torch::tensor(ctx.stats.min, torch::kFloat32);
    auto mx = torch::tensor(ctx.stats.max, torch::kFloat32);
    if (mn.numel() != d || mx.numel() != d)
        throw Error("SmoothGrad needs the training min and max of every feature");
    torch::Tensor range = image ? (mx.max() - mn.min()).expand({d}).clone() : (mx - mn);
    range = torch::where(range > 0, range, torch::ones_like(range));
    return range * float(options.smoothGradSigma);
}

// SmoothGrad's noise [samples, d]: the same seeded draws for every input, so the explanation
// is a deterministic function of x and stability metrics measure the method, not the noise.
torch::Tensor smoothGradNoise(const models::ModelImpl& impl, const ExplainContext& ctx,
                              const ExplainOptions& options, int64_t d)
{
    const int samples = std::max(1, options.smoothGradSamples);
    auto sigma = smoothGradSigma(impl, ctx, options, d);
    auto gen = makeGenerator(options.seed ^ 0x5300074ULL);
    return (torch::randn({samples, d}, gen, torch::kFloat32) * sigma).to(impl.device());
}

std::vector<int> repeatTargets(const std::vector<int>& targets, int64_t n, int64_t times)
{
    if (targets.size() == 1)
        return targets;
    std::vector<int> out;
    out.reserve(size_t(n * times));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t s = 0; s < times; ++s)
            out.push_back(targets[size_t(i)]);
    return out;
}
// Σ_s weights[s] · ∇f(row(i, s)) for each input i of n: the rows (IG's path points,
// SmoothGrad's noisy copies) are built one chunk at a time, so n·S rows never exist at once.
torch::Tensor pathGradients(Run& run, int64_t n, int64_t S, const std::vector<int>& targets,
                            const std::function<torch::Tensor(int64_t, int64_t)>& row,
                            const std::vector<double>& weights)
{
    const int64_t d = featureCount(run.impl);
    auto acc = torch::zeros({n, d}, torch::kFloat32).to(run.impl.device());
    const int64_t total = n * S;
    for (int64_t r0 = 0; r0 < total; r0 += run.chunk) {
        const int64_t r1 = std::min(total, r0 + run.chunk);
        std::vector<torch::Tensor> rows;
        std::vector<int> tg;
        for (int64_t r = r0; r < r1; ++r) {
            rows.push_back(row(r / S, r % S));
            tg.push_back(targets.size() == 1 ? targets[0] : targets[size_t(r / S)]);
        }
        auto g = flat(logitGradient(run, torch::stack(rows, 0).reshape(batchShape(run.impl, r1 - r0)), tg));
        for (int64_t r = r0; r < r1; ++r)
            acc[r / S].add_(g[r - r0], weights[size_t(r % S)]);
    }
    return acc;
}
} // namespace

// endLogits (single explanations only): [z(x), z(baseline)] for IG, [z(x)] otherwise, taken
// from the same batched forward as the gradients (the extra rows ride along).
torch::Tensor gradientBatch(Method method, Run& run, const ExplainContext& ctx,
                            const torch::Tensor& X, const std::vector<int>& targets,
                            const ExplainOptions& options, bool createGraph,
                            torch::Tensor* endLogits = nullptr)
{
    const int64_t n = X.size(0);
    const int64_t d = featureCount(run.impl);
    auto inShape = run.impl.meta().inputShape;
    run.output = options.output; // logit (default) or the target's probability
    switch (method) {
    case Method::Saliency: {
        auto g = flat(logitGradient(run, X, targets, createGraph, endLogits));
        return options.absoluteSaliency ? g.abs() : g;
    }
    case Method::GradInput:
        return flat(logitGradient(run, X, targets, createGraph, endLogits)) * flat(X).to(run.impl.device());
    case Method::IntegratedGradients: {
        const int steps = std::max(1, options.igSteps);
        std::vector<double> t, w;
        gaussLegendre01(steps, t, w);
        auto dev = run.impl.device();
        auto b = baselineRow(ctx, options, d).to(dev).view({1, 1, d});
        auto xf = flat(X).to(dev).unsqueeze(1);                               // [n,1,d]
        if (!createGraph) {
            auto acc = pathGradients(run, n, steps, targets, [&](int64_t i, int64_t s) {
                return b[0][0] + float(t[size_t(s)]) * (xf[i][0] - b[0][0]);
            }, w);
            if (endLogits) {
                auto ends = torch::cat({xf.view({1, d}), b.view({1, d})}, 0).reshape(batchShape(run.impl, 2));
                *endLogits = evalOutput(run, ends, targets[0], run.output);
            }
            return (xf - b).squeeze(1) * acc;
        }
        auto tt = torch::tensor(t, torch::kFloat64).to(torch::kFloat32).to(dev).view({1, steps, 1});
        auto path = (b + tt * (xf - b)).reshape(batchShape(run.impl, n * steps)); // [n*S,...]
        auto g = flat(logitGradient(run, path, repeatTargets(targets, n, steps), createGraph))
                     .view({n, steps, d});
        auto ww = torch::tensor(w, torch::kFloat64).to(torch::kFloat32).to(dev).view({1, steps, 1});
        return (xf - b).squeeze(1) * (g * ww).sum(1);
    }
    case Method::SmoothGrad: {
        const int samples = std::max(1, options.smoothGradSamples);
        auto dev = run.impl.device();
        auto noise = smoothGradNoise(run.impl, ctx, options, d);
        if (!createGraph) {
            auto xf = flat(X).to(dev);
            auto acc = pathGradients(run, n, samples, targets, [&](int64_t i, int64_t s) { return xf[i] + noise[s]; },
                                     std::vector<double>(size_t(samples), 1.0 / samples));
            if (endLogits)
                *endLogits = evalOutput(run, X.to(dev), targets[0], run.output);
            return acc;
        }
        auto noisy = (flat(X).to(dev).unsqueeze(1) + noise.unsqueeze(0))
                         .reshape(batchShape(run.impl, n * samples));
        auto g = flat(logitGradient(run, noisy, repeatTargets(targets, n, samples), createGraph))
                     .view({n, samples, d});
        return g.mean(1);
    }
    default:
        throw Error("internal: " + methodId(method) + " is not a gradient method");
    }
}

torch::Tensor sennBatch(Run& run, const torch::Tensor& X, const std::vector<int>& targets,
                        bool createGraph, torch::Tensor* hOut = nullptr);

torch::Tensor explainBatchDifferentiable(Method method, Run& run, const ExplainContext& ctx,
                                         const torch::Tensor& X, const std::vector<int>& targets,
                                         const ExplainOptions& options, bool createGraph)
{
    if (method == Method::Senn)
        return sennBatch(run, X, targets, createGraph);
    return gradientBatch(method, run, ctx, X, targets, options, createGraph);
}

torch::Tensor explanationVjp(Method method, Run& run, const ExplainContext& ctx, const torch::Tensor& x,
                             int target, const ExplainOptions& options, const torch::Tensor& v)
{
    const int64_t d = featureCount(run.impl);
    auto dev = run.impl.device();
    run.output = options.output;
    torch::AutoGradMode enable(true);
    auto xr = x.detach().to(dev, torch::kFloat32).reshape({d}).requires_grad_(true);
    auto vv = v.detach().to(dev, torch::kFloat32).reshape({-1});
    auto grad = [&](const torch::Tensor& loss) {
        // An explanation that does not depend on x (a linear model's gradient) has no graph.
        return loss.requires_grad() ? torch::autograd::grad({loss}, {xr}, {}, false, false, true)[0]
                                    : torch::Tensor();
    };
    auto acc = torch::zeros({d}, torch::kFloat32).to(dev);
    auto add = [&](const torch::Tensor& g) {
        if (g.defined())
            acc.add_(g.detach());
    };
    if (method != Method::IntegratedGradients && method != Method::SmoothGrad) {
        auto e = explainBatchDifferentiable(method, run, ctx, xr.view(batchShape(run.impl, 1)), {target},
                                            options, true);
        add(grad((e.reshape({-1}) * vv).sum()));
        return acc;
    }
    // e·v = Σ_s w_s · (the row's gradient, weighted as the method weighs it) · v: a sum over
    // rows, so the chunks' gradients add up to the whole one.
    const bool ig = method == Method::IntegratedGradients;
    const int S = ig ? std::max(1, options.igSteps) : std::max(1, options.smoothGradSamples);
    std::vector<double> t, w;
    torch::Tensor b, noise;
    if (ig) {
        gaussLegendre01(S, t, w);
        b = baselineRow(ctx, options, d).to(dev);
    } else {
        noise = smoothGradNoise(run.impl, ctx, options, d);
    }
    for (int64_t s0 = 0; s0 < S; s0 += run.chunk) {
        run.cancel.throwIfCancelled();
        const int64_t s1 = std::min<int64_t>(S, s0 + run.chunk), k = s1 - s0;
        torch::Tensor rows, weights;
        if (ig) {
            auto tt = torch::tensor(std::vector<double>(t.begin() + s0, t.begin() + s1), torch::kFloat64)
                          .to(dev, torch::kFloat32).view({k, 1});
            weights = torch::tensor(std::vector<double>(w.begin() + s0, w.begin() + s1), torch::kFloat64)
                          .to(dev, torch::kFloat32).view({k, 1});
            rows = b + tt * (xr - b);
        } else {
            rows = xr + noise.slice(0, s0, s1);
            weights = torch::full({k, 1}, 1.0f / float(S), torch::TensorOptions().device(dev));
        }
        auto g = flat(logitGradient(run, rows.reshape(batchShape(run.impl, k)), {target}, true));
        auto share = (g * weights).sum(0); // this chunk's part of the attribution's gradient factor
        add(grad(ig ? (share * (xr - b) * vv).sum() : (share * vv).sum()));
    }
    return acc;
}

Explanation explainGradient(Method method, Run& run, const ExplainContext& ctx,
                            const torch::Tensor& x, int target, const ExplainOptions& options)
{
    const int64_t d = featureCount(run.impl);
    const int steps = method == Method::IntegratedGradients ? std::max(1, options.igSteps)
                      : method == Method::SmoothGrad       ? std::max(1, options.smoothGradSamples)
                                                           : 1;
    run.plannedRows = plannedModelRows(method, options, run.impl.meta().inputShape, d, 0);
    torch::Tensor ends;
    auto attr = gradientBatch(method, run, ctx, x, {target}, options, false, &ends)
                    .to(torch::kCPU, torch::kFloat64).view({d});
    Explanation e;
    e.values = models::toVector(attr.to(torch::kFloat32));
    e.shape = run.impl.meta().inputShape;
    if (method == Method::IntegratedGradients) {
        auto b = baselineRow(ctx, options, d);
        e.baseline = models::toVector(b);
        const double zx = ends[0].item<double>(), zb = ends[1].item<double>();
        const double sum = attr.sum().item<double>();
        const std::string out = outputId(run.output);
        e.diagnostics[out] = zx;
        e.diagnostics[out + "_baseline"] = zb;
        e.diagnostics["sum_attributions"] = sum;
        e.diagnostics["completeness_gap"] = sum - (zx - zb);
        e.diagnostics["steps"] = steps;
    } else {
        e.diagnostics[outputId(run.output)] = ends[0].item<double>();
        if (method == Method::SmoothGrad) {
            e.diagnostics["samples"] = steps;
            e.diagnostics["sigma_fraction"] = options.smoothGradSigma;
        }
    }
    return e;
}

} // namespace senn::explain::detail
