#include "core/common/error.h"
#include "core/metrics/external_attributions.h"
#include "core/metrics/measures.h"
#include "core/metrics/metrics_internal.h"
#include "core/metrics/point_records.h"
#include "core/metrics/perturbation_internal.h"
#include "core/metrics/point_measures.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <mutex>
#include <numeric>

namespace senn::metrics {

using explain::Method;
namespace ed = explain::detail;

namespace {
// Tags of a point's random streams, mixed with the run's seed and the point's row (deriveSeed).
constexpr uint64_t kExplainTag = 0x6578706cULL;    // the explainer's own draws
constexpr uint64_t kFcTag = 0x6663ULL;              // faithfulness correlation's subsets
constexpr uint64_t kInfidelityTag = 0x696e66ULL;    // infidelity's perturbations (both variants)
} // namespace

namespace {

std::vector<double> toDouble(const std::vector<float>& v) { return std::vector<double>(v.begin(), v.end()); }

torch::Tensor rowsOf(const models::Model& model, const torch::Tensor& flatRows)
{
    return flatRows.to(torch::kFloat32).reshape(ed::batchShape(*model.impl(), flatRows.size(0)));
}

// Probabilities (or logits) of all classes for n rows [n, d] that fill(i, row) writes, one
// chunk of rows at a time (chunkRowsFor within the memory budget; 0 = the default budget):
// float64 [n, C]. A photo's d values per row make n rows at once too much (removal over
// 150,528 values).
torch::Tensor outputsOf(const models::Model& model, int64_t n, const std::function<void(int64_t, float*)>& fill,
                        bool logits, int64_t budget)
{
    jobs::ProgressFn none;
    jobs::CancelToken token;
    ed::Run run{*model.impl(), none, token, "metric"};
    run.budget = budget > 0 ? budget : ed::defaultMemoryBudget();
    run.chunk = ed::chunkRowsFor(*model.impl(), 0, run.budget);
    ed::requireMemory(run, 0, "the metric");
    const int64_t d = model.featureCount();
    std::vector<torch::Tensor> parts;
    for (int64_t b = 0; b < n; b += run.chunk) {
        const int64_t e = std::min(n, b + run.chunk);
        auto rows = torch::empty({e - b, d}, torch::kFloat32);
        float* pr = rows.data_ptr<float>();
        for (int64_t i = b; i < e; ++i)
            fill(i, pr + (i - b) * d);
        parts.push_back(ed::evalAll(run, rowsOf(model, rows), logits ? explain::Output::Logit : explain::Output::Probability));
    }
    return torch::cat(parts, 0);
}

// Runs f, turning LibTorch's errors (whose text carries a C++ backtrace) into senn::Error.
template <class F>
auto withoutBacktrace(const std::string& what, F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const c10::Error& err) {
        throw Error(what + " failed: " + err.what_without_backtrace());
    } catch (const std::bad_alloc&) {
        throw Error(what + " ran out of memory");
    }
}

} // namespace

namespace {
RemovalResult removalCorrelationImpl(const models::Model& model, const explain::ExplainContext& ctx,
                                     const float* xRaw, const explain::Explanation& e,
                                     const std::vector<float>& baseline, bool sennTheta,
                                     int64_t budget)
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
            // θ·h of the explained class: with identity concepts h is a standardised
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
        int64_t G = 0, patch = 0;
        const auto group = detail::removalGroupsOf(*implPtr, d, G, patch);
        std::vector<std::vector<int64_t>> members(static_cast<size_t>(G));
        for (int64_t j = 0; j < d; ++j)
            members[size_t(group[size_t(j)])].push_back(j);
        if (patch > 0) {
            // A patch's attribution is the sum over its values; the drops are per patch.
            res.groups.assign(group.begin(), group.end());
            res.patch = patch;
            res.attributions.assign(size_t(G), 0.0);
            for (int64_t j = 0; j < d; ++j)
                res.attributions[size_t(group[size_t(j)])] += double(e.values[size_t(j)]);
            order.resize(size_t(G));
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
                return res.attributions[size_t(a)] > res.attributions[size_t(b)];
            });
        }
        const int64_t curveN = std::min<int64_t>(G, 50);
        // Rows: x, each group set to the baseline, then the cumulative removals of the top
        // groups by attribution (in one series of model calls).
        auto p = outputsOf(model, 1 + G + curveN, [&](int64_t i, float* row) {
            std::copy(xRaw, xRaw + d, row);
            if (i == 0)
                return;
            if (i <= G) {
                for (auto j : members[size_t(i - 1)])
                    row[j] = base[size_t(j)];
                return;
            }
            for (int64_t k = 0; k <= i - 1 - G; ++k)
                for (auto j : members[size_t(order[size_t(k)])])
                    row[j] = base[size_t(j)];
        }, false, budget);
        const int64_t pred = p[0].argmax().item<int64_t>();
        auto pp = p.select(1, pred).contiguous();
        const double* pv = pp.data_ptr<double>();
        res.drops.resize(size_t(G));
        for (int64_t g = 0; g < G; ++g)
            res.drops[size_t(g)] = pv[0] - pv[1 + g];
        for (int64_t i = 0; i < curveN; ++i)
            res.curve.push_back(pv[1 + G + i]);
    }
    res.correlation = ed::pearson(res.drops, res.attributions);
    return res;
}
} // namespace

RemovalResult removalCorrelation(const models::Model& model, const explain::ExplainContext& ctx,
                                 const float* xRaw, const explain::Explanation& e,
                                 const std::vector<float>& baseline, bool sennTheta,
                                 int64_t memoryBudget)
{
    return withoutBacktrace("removal correlation", [&] {
        return removalCorrelationImpl(model, ctx, xRaw, e, baseline, sennTheta, memoryBudget);
    });
}

double faithfulnessCorrelation(const models::Model& model, const float* xRaw,
                               const explain::Explanation& e, const std::vector<float>& baseline,
                               int subsets, double fraction, uint64_t seed, int64_t memoryBudget)
{
    const int64_t d = model.featureCount();
    if (int64_t(e.values.size()) != d || subsets < 2)
        return std::nan(""); // concept explanations have no feature subsets to remove
    return withoutBacktrace("faithfulness correlation", [&] {
        const int64_t size = std::max<int64_t>(1, std::llround(fraction * double(d)));
        auto gen = ed::makeGenerator(seed);
        // The subsets as index lists (rows are written per chunk, not as subsets x d masks).
        std::vector<torch::Tensor> idx;
        std::vector<double> a(static_cast<size_t>(subsets));
        for (int s = 0; s < subsets; ++s) {
            idx.push_back(torch::randperm(d, gen).slice(0, 0, size).contiguous());
            const int64_t* pi = idx.back().data_ptr<int64_t>();
            double sum = 0;
            for (int64_t k = 0; k < size; ++k)
                sum += double(e.values[size_t(pi[k])]);
            a[size_t(s)] = sum;
        }
        auto z = outputsOf(model, 1 + subsets, [&](int64_t i, float* row) {
            std::copy(xRaw, xRaw + d, row);
            if (i == 0)
                return;
            const int64_t* pi = idx[size_t(i - 1)].data_ptr<int64_t>();
            for (int64_t k = 0; k < size; ++k)
                row[pi[k]] = baseline.empty() ? 0.0f : baseline[size_t(pi[k])];
        }, true, memoryBudget).select(1, e.target).contiguous();
        const double* pz = z.data_ptr<double>();
        std::vector<double> c(static_cast<size_t>(subsets));
        for (int s = 0; s < subsets; ++s)
            c[size_t(s)] = pz[0] - pz[1 + s];
        return ed::pearson(a, c);
    });
}

double infidelity(const models::Model& model, const float* xRaw, const explain::Explanation& e,
                  double sigma, int samples, uint64_t seed, bool normalized, int64_t memoryBudget)
{
    const int64_t d = model.featureCount();
    if (int64_t(e.values.size()) != d || samples < 1)
        return std::nan("");
    return withoutBacktrace("infidelity", [&] {
        auto gen = ed::makeGenerator(seed);
        auto I = (torch::randn({samples, d}, gen, torch::kFloat64) * sigma).contiguous();
        const double* pI = I.data_ptr<double>();
        auto out = outputsOf(model, 1 + samples, [&](int64_t i, float* row) {
            for (int64_t j = 0; j < d; ++j)
                row[j] = i == 0 ? xRaw[j] : float(double(xRaw[j]) - pI[(i - 1) * d + j]);
        }, e.output == explain::Output::Logit, memoryBudget).select(1, e.target);
        auto df = out[0] - out.slice(0, 1);
        auto phi = torch::tensor(toDouble(e.values), torch::kFloat64);
        auto pred = torch::matmul(I, phi);
        if (normalized) {
            const double den = pred.pow(2).mean().item<double>();
            const double beta = den > 0 ? (pred * df).mean().item<double>() / den : 0.0;
            pred = pred * beta;
        }
        return (pred - df).pow(2).mean().item<double>();
    });
}

double maxSensitivity(Method method, const models::Model& model, const explain::ExplainContext& ctx,
                      const float* xRaw, const explain::ExplainOptions& explainOptions, double radius,
                      int samples)
{
    const int64_t d = model.featureCount();
    const int target = explainOptions.target >= 0 ? explainOptions.target : detail::predictedClass(model, xRaw);
    // Radius in units of the training std per feature, as the Lipschitz box (raw features
    // have unrelated scales).
    auto h = detail::halfWidths(ctx, d, radius, !ctx.stats.std.empty());
    auto gen = ed::makeGenerator(explainOptions.seed);
    auto delta = (torch::rand({samples, d}, gen, torch::kFloat64) * 2 - 1) * h;
    auto x = torch::from_blob(const_cast<float*>(xRaw), {1, d}, torch::kFloat32).to(torch::kFloat64);
    auto E = withoutBacktrace("max-sensitivity", [&] {
        return detail::explainMany(method, model, ctx, rowsOf(model, torch::cat({x, x + delta}, 0)), target,
                                   explainOptions, {});
    });
    const double n0 = E[0].norm().item<double>();
    if (!(n0 > 0))
        return std::nan("");
    return ((E.slice(0, 1) - E[0]).norm(2, {1}) / n0).max().item<double>();
}

FaithfulnessResult faithfulness(const std::vector<Method>& methods, const models::Model& model,
                                const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                                const explain::ExplainOptions& explainOptions,
                                const jobs::ProgressFn& progress, const jobs::CancelToken& cancel)
{
    return faithfulness(methods, model, ctx, points, explainOptions, FaithfulnessOptions{},
                        progress, cancel);
}

FaithfulnessResult faithfulness(const std::vector<Method>& methods, const models::Model& model,
                                const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                                const explain::ExplainOptions& runOptions,
                                const FaithfulnessOptions& options, const jobs::ProgressFn& progress,
                                const jobs::CancelToken& cancel)
{
    return faithfulness(methods, ExternalList{}, model, ctx, points, runOptions, options, progress, cancel);
}

FaithfulnessResult faithfulness(const std::vector<Method>& methods, const ExternalList& external,
                                const models::Model& model, const explain::ExplainContext& ctx,
                                const std::vector<int64_t>& points, const explain::ExplainOptions& runOptions,
                                const FaithfulnessOptions& options, const jobs::ProgressFn& progress,
                                const jobs::CancelToken& cancel)
{
    if (!ctx.data)
        throw Error("faithfulness needs the dataset the points come from");
    auto implPtr = model.impl();
    if (!implPtr)
        throw Error("no model to measure");
    cancel.throwIfCancelled();
    const uint64_t seed = runOptions.seed;
    const auto t0 = std::chrono::steady_clock::now();
    FaithfulnessResult res;
    res.points = points;
    res.sennAttribution = options.sennTheta ? "theta" : "theta_h";
    const size_t P = points.size();
    const auto groups = options.measures.empty() ? defaultMeasureGroups() : options.measures;
    auto asked = [&](const char* g) { return std::find(groups.begin(), groups.end(), g) != groups.end(); };
    const bool removalAsked = asked("removal"), fcAsked = asked("faithfulness-correlation"), infAsked = asked("infidelity");
    // A file's explanation gets the groups that need no method; the robustness groups explain
    // perturbed inputs again and stay NaN for it.
    std::vector<std::string> fileGroups;
    for (const auto& g : groups) {
        const auto groupIds = measureIdsOf(g);
        if (std::none_of(groupIds.begin(), groupIds.end(), [](const std::string& id) { return !externalUnavailableReason(id).empty(); }))
            fileGroups.push_back(g);
    }
    // A file's missing row or NaN is refused now, not after the methods' work.
    for (const auto& ext : external)
        ext->check(points);
    const size_t ours = methods.size(), R = ours + external.size();
    std::vector<std::string> ids;
    for (auto m : methods)
        ids.push_back(explain::methodId(m));
    for (const auto& ext : external)
        ids.push_back(ext->name());
    for (const auto& name : ids) {
        FaithfulnessResult::PerMethod pm;
        const std::vector<double> none(P, std::nan(""));
        pm.perPoint = pm.faithfulnessCorrelation = pm.infidelity = pm.infidelityNormalized = pm.seconds = none;
        pm.median = std::nan("");
        for (const auto& g : groups)
            for (const auto& id : measureIdsOf(g))
                pm.measures[id] = none;
        res.methods[name] = std::move(pm);
    }
    res.threads = int(std::min<size_t>(size_t(detail::resolveThreads(options.threads)), std::max<size_t>(1, P * R)));
    const auto explainOptions = detail::perPointOptions(*implPtr, runOptions, res.threads, "Faithfulness", cancel);
    const int64_t budget = explainOptions.memoryBudget;
    // Tasks (method, point), cheap methods first (the order the user sees them finish); a
    // file's rows are read, not explained, so they come first of all.
    std::vector<size_t> order(R);
    std::iota(order.begin(), order.end(), size_t(0));
    auto rank = [&](size_t r) {
        if (r >= ours)
            return -1;
        const Method m = methods[r];
        return explain::isDifferentiable(m) ? 0 : m == Method::Occlusion ? 1 : m == Method::Lime ? 2 : 3;
    };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rank(a) < rank(b); });
    std::vector<std::pair<size_t, size_t>> tasks; // those `skip` names are done (a resumed run)
    for (size_t mi : order)
        for (size_t pi = 0; pi < P; ++pi)
            if (!options.skip || !options.skip(mi, pi))
                tasks.emplace_back(mi, pi);
    const double total = double(tasks.size());
    double done = 0;
    std::mutex mutex;
    auto runTask = [&](int64_t t) {
        const size_t mi = tasks[size_t(t)].first;
        const size_t i = tasks[size_t(t)].second;
        const bool file = mi >= ours;
        // A file passes no method on: only the robustness groups use it, and a file skips them.
        const Method m = file ? Method::Saliency : methods[mi];
        const std::string display = file ? ids[mi] : explain::methodDisplayName(m);
        cancel.throwIfCancelled();
        const auto ts = std::chrono::steady_clock::now();
        const float* x = ctx.data->row(points[i]);
        const uint64_t row = uint64_t(points[i]); // draws follow the row, not the position
        auto opts = explainOptions;
        opts.seed = detail::deriveSeed(seed, row, kExplainTag);
        explain::Explanation e;
        if (file) {
            // The explained class and output as ours would have them: the file does not say.
            e = external[mi - ours]->at(points[i]);
            e.target = runOptions.target >= 0 ? runOptions.target : detail::predictedClass(model, x);
            e.output = runOptions.output;
        } else {
            e = explain::explain(m, model, ctx, x, opts, {}, cancel);
        }
        const double nan = std::nan("");
        double removal = nan, fc = nan, inf = nan, infN = nan;
        std::map<std::string, double> more; // the measures of point_measures.h, by id
        withoutBacktrace(display + " faithfulness on point " + std::to_string(i + 1), [&] {
            if (removalAsked)
                removal = removalCorrelation(model, ctx, x, e, {}, options.sennTheta, budget).correlation;
            if (fcAsked)
                fc = faithfulnessCorrelation(model, x, e, ctx.stats.mean, 100, 0.2, detail::deriveSeed(seed, row, kFcTag), budget);
            if (infAsked) {
                inf = infidelity(model, x, e, 0.003, 10, detail::deriveSeed(seed, row, kInfidelityTag), false, budget);
                infN = infidelity(model, x, e, 0.003, 10, detail::deriveSeed(seed, row, kInfidelityTag), true, budget);
            }
            const auto& pointGroups = file ? fileGroups : groups;
            if (hasPointMeasures(pointGroups))
                more = pointMeasures(pointGroups, m, model, ctx, x, e, opts, seed, points[i], cancel);
        });
        more["removal_correlation"] = removal;
        more["faithfulness_correlation"] = fc;
        more["infidelity"] = inf;
        more["infidelity_normalized"] = infN;
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - ts).count();
        std::lock_guard<std::mutex> lock(mutex);
        auto& pm = res.methods[ids[mi]];
        pm.perPoint[i] = removal;
        pm.faithfulnessCorrelation[i] = fc;
        pm.infidelity[i] = inf;
        pm.infidelityNormalized[i] = infN;
        for (auto& [id, values] : pm.measures)
            if (auto it = more.find(id); it != more.end())
                values[i] = it->second;
        pm.seconds[i] = secs;
        pm.pointsDone += 1;
        if (options.partial) // the median over the finished points is for a live view
            pm.median = detail::quantile(pm.perPoint, 0.5);
        if (options.record) {
            FaithfulnessRecord rec;
            rec.method = ids[mi];
            rec.point = i;
            rec.row = points[i];
            rec.seconds = secs;
            rec.measures = {{"removal_correlation", removal}, {"faithfulness_correlation", fc},
                            {"infidelity", inf}, {"infidelity_normalized", infN}};
            for (const auto& [id, values] : pm.measures)
                rec.measures[id] = values[i];
            options.record(rec);
        }
        done += 1;
        jobs::report(progress, done / std::max(1.0, total), "faithfulness", display + ": point " + std::to_string(i + 1));
        if (options.partial) {
            res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            options.partial(res);
        }
    };
    try {
        detail::parallelTasks(int64_t(tasks.size()), res.threads, runTask);
    } catch (const jobs::Cancelled&) {
        if (!options.keepPartialOnCancel)
            throw;
        res.cancelled = true;
    }
    for (auto& [id, pm] : res.methods)
        pm.median = detail::quantile(pm.perPoint, 0.5);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

} // namespace senn::metrics
