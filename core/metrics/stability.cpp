#include "core/common/error.h"
#include "core/metrics/metrics_internal.h"
#include "core/metrics/point_records.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>

namespace senn::metrics {

using explain::Method;
namespace ed = explain::detail;

namespace {

// Tags of the run's random streams, mixed with the seed and the point's row (deriveSeed).
constexpr uint64_t kBoxTag = 0x626f78ULL;        // the search box's uniform draws
constexpr uint64_t kNoiseTag = 0x6e6f697365ULL;  // the moves curve's Gaussian noise
constexpr uint64_t kMovesTag = 0x6d6f766573ULL;  // sampling methods' draws on the noisy inputs

double ratio(const torch::Tensor& e0, const torch::Tensor& e1, const torch::Tensor& x0,
             const torch::Tensor& x1)
{
    const double dx = (x1 - x0).norm().item<double>();
    if (!(dx > 0))
        return std::nan("");
    return (e1 - e0).norm().item<double>() / dx;
}

} // namespace

LipschitzResult localLipschitz(Method method, const models::Model& model,
                               const explain::ExplainContext& ctx, const float* xRaw,
                               const explain::ExplainOptions& explainOptions,
                               const LipschitzOptions& options, const jobs::CancelToken& cancel)
{
    auto implPtr = model.impl();
    if (!implPtr)
        throw Error("no model to measure");
    auto& impl = *implPtr;
    const int64_t d = ed::featureCount(impl);
    const int target = explainOptions.target >= 0 ? explainOptions.target
                                                  : detail::predictedClass(model, xRaw);
    auto x = torch::from_blob(const_cast<float*>(xRaw), {d}, torch::kFloat32).to(torch::kFloat64);
    auto h = detail::halfWidths(ctx, d, options.eps, options.boxStd);
    auto lo = x - h, hi = x + h;
    if (options.boxStd && int64_t(ctx.stats.min.size()) == d) {
        // Clip to the training range, but never so far that x itself leaves the box.
        auto mn = torch::tensor(ctx.stats.min, torch::kFloat32).to(torch::kFloat64);
        auto mx = torch::tensor(ctx.stats.max, torch::kFloat32).to(torch::kFloat64);
        lo = torch::min(torch::max(lo, mn), x);
        hi = torch::max(torch::min(hi, mx), x);
    }
    const uint64_t seed = explainOptions.seed;
    const uint64_t drawSeed = detail::deriveSeed(seed, 1 + options.point, 1 + options.epsIndex);
    auto gen = ed::makeGenerator(detail::deriveSeed(seed, options.point, kBoxTag));
    const int64_t n = std::max(1, options.draws);
    auto u = torch::rand({n, d}, gen, torch::kFloat64);
    auto draws = lo + u * (hi - lo);
    auto X = torch::cat({x.view({1, d}), draws}, 0).to(torch::kFloat32).reshape(ed::batchShape(impl, n + 1));
    const bool own = options.independentDraws && detail::usesDraws(method);
    std::vector<uint64_t> seeds;
    if (own)
        for (int64_t i = 0; i <= n; ++i)
            seeds.push_back(detail::deriveSeed(drawSeed, uint64_t(i)));
    auto E = detail::explainMany(method, model, ctx, X, target, explainOptions, cancel, seeds);
    auto e0 = E[0];

    LipschitzResult result;
    result.evaluations = int(n + 1);
    int64_t bestIdx = -1;
    for (int64_t i = 0; i < n; ++i) {
        const double r = ratio(e0, E[i + 1], x, draws[i]);
        if (std::isfinite(r) && (bestIdx < 0 || r > result.value)) {
            result.value = r;
            bestIdx = i;
        }
    }
    torch::Tensor best = bestIdx >= 0 ? draws[bestIdx].clone() : x.clone();

    // Projected gradient ascent on the ratio from the best draw (differentiable methods):
    // steps of a fraction of the box along the scaled gradient, projected back to the box.
    // The gradient of ‖e(x′) − e(x)‖ / ‖x′ − x‖ needs the explanation differentiated once more;
    // explanationVjp does it a chunk of rows at a time (IG's steps, SmoothGrad's samples), with
    // chunks sized from a third of the budget, since a double-backward graph holds about three
    // times a row's activations. Where even one row would not fit, L̂ is the random search's.
    const int64_t budget = ed::memoryBudgetFor(explainOptions);
    const bool ascentFits = 3 * ed::rowBytes(impl) <= budget;
    if (explain::isDifferentiable(method) && options.ascentSteps > 0 && bestIdx >= 0 && ascentFits) {
        jobs::ProgressFn none;
        ed::Run run{impl, none, cancel, "lipschitz"};
        run.chunk = ed::chunkRowsFor(impl, explainOptions.chunkRows, budget / 3);
        auto opts = explainOptions;
        opts.target = target;
        if (own)
            opts.seed = detail::deriveSeed(drawSeed, uint64_t(n + 1));
        auto e0f = e0.to(torch::kFloat64);
        auto cur = best.clone();
        double step = 0.5;
        for (int s = 0; s < options.ascentSteps; ++s) {
            cancel.throwIfCancelled();
            auto xp = cur.to(torch::kFloat32).reshape(ed::batchShape(impl, 1));
            torch::Tensor g;
            {
                auto e = ed::explainBatchDifferentiable(method, run, ctx, xp.to(impl.device()), {target}, opts, false)[0]
                             .to(torch::kCPU, torch::kFloat64);
                const auto diff = e - e0f, dx = cur.to(torch::kFloat64) - x.to(torch::kFloat64);
                const double num = diff.norm().item<double>(), den = dx.norm().item<double>();
                if (!(num > 0) || !(den > 0))
                    break; // no direction to follow from here
                // ∂(num/den)/∂x′ = Jₑᵀ(e − e₀)/(num·den) − num·(x′ − x)/den³
                auto jv = ed::explanationVjp(method, run, ctx, xp, target, opts, diff / num)
                              .to(torch::kCPU, torch::kFloat64);
                g = jv / den - dx * (num / (den * den * den));
            }
            if (!g.defined())
                break;
            g = g.reshape({d}).to(torch::kCPU, torch::kFloat64) * (hi - lo);
            const double gmax = g.abs().max().item<double>();
            if (!(gmax > 0) || !std::isfinite(gmax))
                break;
            auto next = torch::min(torch::max(cur + step * (hi - lo) / 2 * g / gmax, lo), hi);
            std::vector<uint64_t> stepSeed;
            if (own)
                stepSeed.push_back(detail::deriveSeed(drawSeed, uint64_t(n + 2 + s)));
            auto en = detail::explainMany(method, model, ctx,
                                          next.to(torch::kFloat32).reshape(ed::batchShape(impl, 1)),
                                          target, explainOptions, cancel, stepSeed)[0];
            ++result.evaluations;
            const double r = ratio(e0, en, x, next);
            if (std::isfinite(r) && r > result.value) {
                result.value = r;
                best = next.clone();
                cur = next;
            } else {
                step *= 0.5; // overshoot: shorter steps from the same point
            }
        }
    }
    auto bf = best.to(torch::kFloat32).contiguous();
    result.argmax.assign(bf.data_ptr<float>(), bf.data_ptr<float>() + d);
    return result;
}

std::string toString(Draws d) { return d == Draws::Shared ? "shared" : "independent"; }

Draws drawsFromString(const std::string& s)
{
    if (s == "independent")
        return Draws::Independent;
    if (s == "shared")
        return Draws::Shared;
    throw Error("unknown draws '" + s + "'; valid values: independent, shared");
}

namespace {

// Rough cost rank: cheap methods run (and show) first.
int costRank(Method m)
{
    switch (m) {
    case Method::Senn: return 0;
    case Method::Flint: return 0;
    case Method::Saliency: return 1;
    case Method::GradInput: return 1;
    case Method::IntegratedGradients: return 2;
    case Method::SmoothGrad: return 2;
    case Method::Occlusion: return 3;
    case Method::Lime: return 4;
    case Method::KernelShap: return 5;
    case Method::Shapley: return 6;
    }
    return 7;
}

void summarize(Curve& c)
{
    c.median.clear();
    c.q25.clear();
    c.q75.clear();
    for (const auto& v : c.perPoint) {
        c.median.push_back(detail::quantile(v, 0.5));
        c.q25.push_back(detail::quantile(v, 0.25));
        c.q75.push_back(detail::quantile(v, 0.75));
    }
}

} // namespace

StabilityResult stabilityCurves(const std::vector<Method>& methods, const models::Model& model,
                                const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                                const std::vector<double>& eps,
                                const explain::ExplainOptions& explainOptions,
                                const jobs::ProgressFn& progress, const jobs::CancelToken& cancel,
                                int noiseDraws)
{
    StabilityOptions o;
    o.noiseDraws = noiseDraws;
    return stabilityCurves(methods, model, ctx, points, eps, explainOptions, o, progress, cancel);
}

StabilityResult stabilityCurves(const std::vector<Method>& methods, const models::Model& model,
                                const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                                const std::vector<double>& eps,
                                const explain::ExplainOptions& runOptions,
                                const StabilityOptions& options, const jobs::ProgressFn& progress,
                                const jobs::CancelToken& cancel)
{
    if (!ctx.data)
        throw Error("stability curves need the dataset the points come from");
    auto implPtr = model.impl();
    if (!implPtr)
        throw Error("no model to measure");
    cancel.throwIfCancelled();
    const auto t0 = std::chrono::steady_clock::now();
    const int64_t d = ed::featureCount(*implPtr);
    const int64_t R = std::max(0, options.noiseDraws);
    const int64_t E = int64_t(eps.size());
    const size_t P = points.size();
    const bool independent = options.draws == Draws::Independent;
    const uint64_t seed = runOptions.seed;
    // Tasks: (method, point), cheap methods first, points in order; those `skip` names are
    // already done (a resumed run).
    std::vector<size_t> order(methods.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return costRank(methods[a]) < costRank(methods[b]); });
    std::vector<std::pair<size_t, size_t>> tasks;
    for (size_t mi : order)
        for (size_t pi = 0; pi < P; ++pi)
            if (!options.skip || !options.skip(mi, pi))
                tasks.emplace_back(mi, pi);
    const int threads = int(std::min<size_t>(size_t(detail::resolveThreads(options.threads)),
                                             std::max<size_t>(1, tasks.size())));
    const auto explainOptions = detail::perPointOptions(*implPtr, runOptions, threads, "Stability", cancel);

    StabilityResult res;
    res.eps = eps;
    res.points = points;
    res.noiseDraws = int(R);
    res.draws = toString(options.draws);
    res.threads = threads;
    for (auto m : methods) {
        const auto id = explain::methodId(m);
        Curve c;
        c.perPoint.assign(eps.size(), std::vector<double>(P, std::nan("")));
        summarize(c);
        res.methods[id] = c;
        if (R > 0)
            res.moves[id] = c;
        res.pointSeconds[id].assign(P, std::nan(""));
    }
    // Perturbed accuracy per ε: counted per (method, point) at the L̂ argmax, so kept per task
    // and summed over the finished ones. The noise counts are per point (every method of a
    // point draws the same noise), summed over the points measured.
    std::vector<std::vector<double>> correct(methods.size() * P);
    std::vector<std::vector<double>> keptOf(P), noisyCorrectOf(P);
    auto summarizeAll = [&] {
        res.perturbedAccuracy.assign(eps.size(), std::nan(""));
        for (size_t ei = 0; ei < eps.size(); ++ei) {
            double c = 0, n = 0;
            for (const auto& v : correct)
                if (!v.empty()) {
                    c += v[ei];
                    n += 1;
                }
            if (n > 0)
                res.perturbedAccuracy[ei] = c / n;
        }
        res.predictionKept.clear();
        res.noisyAccuracy.clear();
        for (size_t ei = 0; ei < eps.size() && R > 0; ++ei) {
            double k = 0, c = 0, rows = 0;
            for (size_t pi = 0; pi < P; ++pi)
                if (!keptOf[pi].empty()) {
                    k += keptOf[pi][ei];
                    c += noisyCorrectOf[pi][ei];
                    rows += double(R);
                }
            res.predictionKept.push_back(rows > 0 ? k / rows : std::nan(""));
            res.noisyAccuracy.push_back(rows > 0 ? c / rows : std::nan(""));
        }
        for (auto& [id, c] : res.methods)
            summarize(c);
        for (auto& [id, c] : res.moves)
            summarize(c);
    };
    summarizeAll();

    const double total = double(tasks.size() * (eps.size() + (R > 0 ? 1 : 0)));
    double done = 0;
    std::mutex mutex;
    const auto unit = R > 0 ? detail::halfWidths(ctx, d, 1.0, !ctx.stats.std.empty()) : torch::Tensor(); // σ = 1 in std units

    auto runTask = [&](std::pair<size_t, size_t> task) {
        const size_t mi = task.first, pi = task.second;
        const Method m = methods[mi];
        const auto id = explain::methodId(m);
        const uint64_t row = uint64_t(points[pi]);
        const auto ts = std::chrono::steady_clock::now();
        const float* x = ctx.data->row(points[pi]);
        const int label = ctx.data->y[size_t(points[pi])];
        std::vector<double> lhat(eps.size(), std::nan("")), right(eps.size(), 0);
        for (size_t ei = 0; ei < eps.size(); ++ei) {
            cancel.throwIfCancelled();
            LipschitzOptions lo;
            lo.eps = eps[ei];
            lo.independentDraws = independent;
            lo.point = row;
            lo.epsIndex = ei;
            auto r = localLipschitz(m, model, ctx, x, explainOptions, lo, cancel);
            lhat[ei] = r.value;
            right[ei] = model.predict(r.argmax.data(), 1)[0] == label ? 1 : 0;
            std::lock_guard<std::mutex> lock(mutex);
            done += 1;
            jobs::report(progress, done / std::max(1.0, total), "stability",
                         explain::methodDisplayName(m) + ", ε = " + std::to_string(eps[ei]));
        }
        std::vector<double> moved, kept, noisyRight;
        if (R > 0) {
            cancel.throwIfCancelled();
            // The noisy inputs of the "explanation moves" curve, the same for every method of
            // the point: rows [ei·R, (ei+1)·R) are x + σ_ei·scale·z_r with the same z_r for
            // every σ. Made here, per point, so memory does not grow with the points.
            auto xd = torch::from_blob(const_cast<float*>(x), {d}, torch::kFloat32).to(torch::kFloat64);
            auto gen = ed::makeGenerator(detail::deriveSeed(seed, row, kNoiseTag));
            auto z = torch::randn({R, d}, gen, torch::kFloat64);
            std::vector<torch::Tensor> blocks;
            for (int64_t ei = 0; ei < E; ++ei)
                blocks.push_back(xd + eps[size_t(ei)] * z * unit);
            auto noisy = torch::cat(blocks, 0).to(torch::kFloat32).contiguous();
            const int pred0 = detail::predictedClass(model, x);
            const int target = explainOptions.target >= 0 ? explainOptions.target : pred0;
            const auto preds = model.predict(noisy.data_ptr<float>(), E * R);
            kept.assign(eps.size(), 0);
            noisyRight.assign(eps.size(), 0);
            for (int64_t ei = 0; ei < E; ++ei)
                for (int64_t r = 0; r < R; ++r) {
                    const int p = preds[size_t(ei * R + r)];
                    kept[size_t(ei)] += p == pred0 ? 1 : 0;
                    noisyRight[size_t(ei)] += p == label ? 1 : 0;
                }
            moved.assign(eps.size(), std::nan(""));
            auto xt = torch::from_blob(const_cast<float*>(x), {1, d}, torch::kFloat32);
            auto X = torch::cat({xt, noisy}, 0).reshape(ed::batchShape(*implPtr, 1 + E * R));
            std::vector<uint64_t> seeds;
            if (independent && detail::usesDraws(m))
                for (int64_t i = 0; i < 1 + E * R; ++i)
                    seeds.push_back(detail::deriveSeed(seed, 1 + row, kMovesTag, uint64_t(i)));
            auto ex = detail::explainMany(m, model, ctx, X, target, explainOptions, cancel, seeds);
            const double n0 = ex[0].norm().item<double>();
            if (n0 > 0) { // a zero explanation has no relative change
                auto rel = (ex.slice(0, 1) - ex[0]).norm(2, {1}) / n0; // [E·R]
                for (int64_t ei = 0; ei < E; ++ei)
                    moved[size_t(ei)] = rel.slice(0, ei * R, (ei + 1) * R).mean().item<double>();
            }
        }
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - ts).count();
        std::lock_guard<std::mutex> lock(mutex);
        auto& c = res.methods[id];
        for (size_t ei = 0; ei < eps.size(); ++ei)
            c.perPoint[ei][pi] = lhat[ei];
        c.pointsDone += 1;
        if (R > 0) {
            auto& mv = res.moves[id];
            for (size_t ei = 0; ei < eps.size(); ++ei)
                mv.perPoint[ei][pi] = moved[ei];
            mv.pointsDone += 1;
            keptOf[pi] = kept;
            noisyCorrectOf[pi] = noisyRight;
            done += 1;
            jobs::report(progress, done / std::max(1.0, total), "stability",
                         explain::methodDisplayName(m) + ": explanation moves");
        }
        correct[mi * P + pi] = right;
        res.pointSeconds[id][pi] = secs;
        if (options.record) {
            StabilityRecord rec;
            rec.method = id;
            rec.point = pi;
            rec.row = points[pi];
            rec.lhat = lhat;
            rec.argmaxCorrect = right;
            rec.moved = moved;
            rec.kept = kept;
            rec.noisyCorrect = noisyRight;
            rec.seconds = secs;
            options.record(rec);
        }
        if (options.partial) {
            // The summaries over every finished point are only needed by a live view.
            summarizeAll();
            res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            options.partial(res);
        }
    };

    try {
        detail::parallelTasks(int64_t(tasks.size()), res.threads, [&](int64_t t) { runTask(tasks[size_t(t)]); });
    } catch (const jobs::Cancelled&) {
        if (!options.keepPartialOnCancel)
            throw;
        res.cancelled = true;
    }
    summarizeAll();
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

double discreteLipschitz(Method method, const models::Model& model, const explain::ExplainContext& ctx,
                         int64_t row, const std::vector<int64_t>& candidates, double radius,
                         const explain::ExplainOptions& explainOptions, const jobs::CancelToken& cancel)
{
    if (!ctx.data)
        throw Error("the discrete Lipschitz estimate needs the dataset");
    const auto& data = *ctx.data;
    const int64_t d = data.featureCount();
    auto x = torch::from_blob(const_cast<float*>(data.row(row)), {d}, torch::kFloat32).to(torch::kFloat64);
    std::vector<int64_t> near;
    for (auto c : candidates) {
        if (c == row)
            continue;
        auto xc = torch::from_blob(const_cast<float*>(data.row(c)), {d}, torch::kFloat32).to(torch::kFloat64);
        const double dist = (xc - x).norm().item<double>();
        if (dist > 0 && dist <= radius)
            near.push_back(c);
    }
    if (near.empty())
        return std::nan("");
    const int target = explainOptions.target >= 0 ? explainOptions.target
                                                  : detail::predictedClass(model, data.row(row));
    auto X = torch::empty({int64_t(near.size()) + 1, d}, torch::kFloat32);
    X[0].copy_(x);
    for (size_t i = 0; i < near.size(); ++i)
        X[int64_t(i) + 1].copy_(torch::from_blob(const_cast<float*>(data.row(near[i])), {d}, torch::kFloat32));
    auto E = detail::explainMany(method, model, ctx, X.reshape(ed::batchShape(*model.impl(), X.size(0))),
                                 target, explainOptions, cancel);
    double best = 0;
    for (size_t i = 0; i < near.size(); ++i) {
        const double r = ratio(E[0], E[int64_t(i) + 1], x, X[int64_t(i) + 1].to(torch::kFloat64));
        if (std::isfinite(r))
            best = std::max(best, r);
    }
    return best;
}

} // namespace senn::metrics
