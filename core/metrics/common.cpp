#include "core/common/error.h"
#include "core/metrics/metrics_internal.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

namespace senn::metrics::detail {

double quantile(std::vector<double> v, double q)
{
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.empty())
        return std::nan("");
    std::sort(v.begin(), v.end());
    const double pos = q * double(v.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

bool usesDraws(explain::Method method)
{
    using explain::Method;
    return method == Method::Lime || method == Method::KernelShap || method == Method::Shapley ||
           method == Method::SmoothGrad;
}

uint64_t deriveSeed(uint64_t base, uint64_t a, uint64_t b, uint64_t c)
{
    auto mix = [](uint64_t z) {
        z += 0x9E3779B97F4A7C15ULL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    };
    uint64_t h = mix(base);
    h = mix(h ^ a);
    h = mix(h ^ b);
    h = mix(h ^ c);
    return h >> 1; // LibTorch generators take the seed as uint64, keep it well inside int64 too
}

int resolveThreads(int requested)
{
    if (requested > 0)
        return requested;
    return std::max(1, at::get_num_threads());
}

void parallelTasks(int64_t n, int threads, const std::function<void(int64_t)>& task)
{
    threads = int(std::min<int64_t>(std::max(1, threads), std::max<int64_t>(1, n)));
    if (threads <= 1) {
        for (int64_t i = 0; i < n; ++i)
            task(i);
        return;
    }
    const int saved = at::get_num_threads();
    std::atomic<int64_t> next{0};
    std::atomic<bool> stop{false};
    std::exception_ptr first;
    std::mutex errorMutex;
    auto worker = [&] {
        // One intra-op thread per worker (OpenMP's thread count is per calling thread): the
        // pool, not LibTorch, spreads the work over the cores.
        at::set_num_threads(1);
        while (!stop.load()) {
            const int64_t i = next.fetch_add(1);
            if (i >= n)
                break;
            try {
                task(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(errorMutex);
                if (!first)
                    first = std::current_exception();
                stop.store(true);
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back(worker);
    for (auto& t : pool)
        t.join();
    at::set_num_threads(saved); // the workers changed LibTorch's default for new threads
    if (first)
        std::rethrow_exception(first);
}

torch::Tensor explainMany(explain::Method method, const models::Model& model,
                          const explain::ExplainContext& ctx, const torch::Tensor& X, int target,
                          const explain::ExplainOptions& options, const jobs::CancelToken& cancel,
                          const std::vector<uint64_t>& seeds)
{
    const int64_t n = X.size(0);
    auto opts = options;
    opts.target = target;
    const bool perRowSeeds = !seeds.empty() && usesDraws(method);
    if (perRowSeeds && int64_t(seeds.size()) != n)
        throw Error("internal: explainMany got " + std::to_string(seeds.size()) + " seeds for " +
                    std::to_string(n) + " inputs");
    if (perRowSeeds && explain::isDifferentiable(method)) {
        // SmoothGrad shares its noise within a batch: one batch per input, each with its seed.
        jobs::ProgressFn none;
        explain::detail::Run run{*model.impl(), none, cancel, explain::methodId(method)};
        explain::detail::configureRun(run, options);
        std::vector<torch::Tensor> rows;
        for (int64_t i = 0; i < n; ++i) {
            cancel.throwIfCancelled();
            auto o = opts;
            o.seed = seeds[size_t(i)];
            rows.push_back(explain::detail::explainBatchDifferentiable(method, run, ctx, X.slice(0, i, i + 1),
                                                                       {target}, o, false)
                               .to(torch::kCPU, torch::kFloat64));
        }
        return torch::cat(rows, 0);
    }
    if (explain::isDifferentiable(method)) {
        jobs::ProgressFn none;
        explain::detail::Run run{*model.impl(), none, cancel, explain::methodId(method)};
        explain::detail::configureRun(run, options);
        return explain::detail::explainBatchDifferentiable(method, run, ctx, X, {target}, opts, false)
            .to(torch::kCPU, torch::kFloat64);
    }
    auto Xc = X.to(torch::kCPU, torch::kFloat32).contiguous();
    const int64_t d = Xc.numel() / std::max<int64_t>(1, n);
    const auto& impl = *model.impl();
    const bool image = impl.meta().dataKind == data::DataKind::Image || impl.meta().inputShape.size() == 3;
    if (method == explain::Method::Lime && !image && n > 0) {
        // LIME tabular: every input's draws generated as explain() would (its own seed), the
        // perturbed rows of several inputs evaluated in one model call (64k rows at most).
        jobs::ProgressFn none;
        explain::detail::Run run{*model.impl(), none, cancel, explain::methodId(method)};
        explain::detail::configureRun(run, options);
        std::vector<uint64_t> rowSeeds = perRowSeeds ? seeds : std::vector<uint64_t>{};
        const auto es = explain::detail::explainLimeTabularMany(run, ctx, Xc, target, opts, rowSeeds, 65536);
        auto out = torch::empty({n, int64_t(es.front().values.size())}, torch::kFloat64);
        auto a = out.accessor<double, 2>();
        for (int64_t i = 0; i < n; ++i)
            for (size_t j = 0; j < es[size_t(i)].values.size(); ++j)
                a[i][int64_t(j)] = double(es[size_t(i)].values[j]);
        return out;
    }
    std::vector<torch::Tensor> rows;
    for (int64_t i = 0; i < n; ++i) {
        cancel.throwIfCancelled();
        if (perRowSeeds)
            opts.seed = seeds[size_t(i)];
        auto e = explain::explain(method, model, ctx, Xc.data_ptr<float>() + i * d, opts, {}, cancel);
        rows.push_back(torch::tensor(std::vector<double>(e.values.begin(), e.values.end()), torch::kFloat64));
    }
    return torch::stack(rows, 0);
}

explain::ExplainOptions perPointOptions(models::ModelImpl& impl, const explain::ExplainOptions& run,
                                        int threads, const std::string& what,
                                        const jobs::CancelToken& cancel)
{
    threads = std::max(1, threads);
    auto o = run;
    o.memoryBudget = std::max<int64_t>(1, explain::detail::memoryBudgetFor(run) / threads);
    jobs::ProgressFn none;
    explain::detail::Run check{impl, none, cancel, what};
    check.budget = o.memoryBudget;
    explain::detail::requireMemory(
        check, 0,
        threads > 1 ? what + " with " + std::to_string(threads) + " points in parallel (each its share of the budget)"
                    : what,
        threads > 1 ? "Raise the memory budget or run fewer points in parallel." : "Raise the memory budget.");
    return o;
}

int predictedClass(const models::Model& model, const float* xRaw)
{
    return int(model.predict(xRaw, 1)[0]);
}

torch::Tensor halfWidths(const explain::ExplainContext& ctx, int64_t d, double eps, bool boxStd)
{
    if (!boxStd)
        return torch::full({d}, eps, torch::kFloat64);
    if (int64_t(ctx.stats.std.size()) != d)
        throw Error("the box_std ball needs the training std of all " + std::to_string(d) +
                    " features; build the ExplainContext from the training split");
    auto sd = torch::tensor(ctx.stats.std, torch::kFloat32).to(torch::kFloat64);
    return eps * sd.clamp_min(1e-3);
}

} // namespace senn::metrics::detail

namespace senn::metrics {

const std::vector<int64_t>& metricRows(const data::Split& split)
{
    return split.test.empty() ? split.val : split.test;
}

std::vector<int64_t> pickPoints(const std::vector<int64_t>& rows, int n)
{
    if (n <= 0 || size_t(n) >= rows.size())
        return rows;
    // Evenly spaced, not the first n: a file sorted by class gives points of every class.
    std::vector<int64_t> out;
    out.reserve(size_t(n));
    for (size_t i = 0; i < size_t(n); ++i)
        out.push_back(rows[i * rows.size() / size_t(n)]);
    return out;
}

MetricDefaults metricDefaults(bool image)
{
    MetricDefaults d;
    if (image) {
        for (int i = 0; i <= 5; ++i)
            d.eps.push_back(std::pow(10.0, -1.0 + i / 5.0));
        d.stabilityPoints = 10;
        d.faithfulnessPoints = 20;
    } else {
        for (int i = 0; i <= 6; ++i)
            d.eps.push_back(std::pow(10.0, -3.0 + i / 2.0));
        d.stabilityPoints = 20;
        d.faithfulnessPoints = 50;
    }
    // Six decimals: the decades exact (0.01, not pow's neighbour of it) and the grid short
    // enough to read back from the app's ε field and the JSON.
    for (auto& e : d.eps)
        e = std::round(e * 1e6) / 1e6;
    return d;
}

} // namespace senn::metrics
