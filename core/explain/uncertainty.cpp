#include "core/explain/uncertainty.h"

#include "core/common/error.h"
#include "core/explain/cost.h"
#include "core/explain/memory_budget.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace senn::explain {

namespace {

constexpr double kLowQuantile = 0.025, kHighQuantile = 0.975;

double diagnostic(const Explanation& e, const char* key, double otherwise)
{
    const auto it = e.diagnostics.find(key);
    return it == e.diagnostics.end() ? otherwise : it->second;
}

// Decided on run 0 itself, which knows the players that actually vary (values equal to every
// background row drop out) and whether Shapley enumerated.
bool runDrewRandomly(Method method, const Explanation& e)
{
    switch (method) {
    case Method::Lime:
    case Method::SmoothGrad:
        return true;
    case Method::KernelShap: // M <= 1 has no coalitions to draw
        return e.diagnostics.count("full_enumeration") > 0 && diagnostic(e, "full_enumeration", 1) == 0;
    case Method::Shapley:
        return diagnostic(e, "exact", 1) == 0;
    default:
        return false;
    }
}

std::string megabytes(double bytes)
{
    return std::to_string(int64_t(std::ceil(bytes / double(1 << 20)))) + " MB";
}

} // namespace

uint64_t seedForRun(uint64_t seed, int run)
{
    if (run == 0)
        return seed;
    uint64_t z = seed + uint64_t(run) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

bool drawsRandomly(Method method, const ExplainOptions& options, int64_t players)
{
    switch (method) {
    case Method::Lime:
    case Method::SmoothGrad:
        return true;
    case Method::KernelShap: {
        if (players <= 1)
            return false;
        const double all = players >= 62 ? std::numeric_limits<double>::infinity()
                                         : std::ldexp(1.0, int(players)) - 2;
        return double(kernelShapCoalitions(options, players)) < all;
    }
    case Method::Shapley:
        return players > 0 && !shapleyIsExact(options, players);
    default:
        return false;
    }
}

double quantileSorted(const std::vector<float>& sorted, double q)
{
    if (sorted.empty())
        return std::nan("");
    const double h = double(sorted.size() - 1) * q;
    const size_t lo = size_t(std::floor(h));
    const size_t hi = std::min(sorted.size() - 1, lo + 1);
    return double(sorted[lo]) + (h - double(lo)) * (double(sorted[hi]) - double(sorted[lo]));
}

void fillSeedStatistics(Explanation& e, const std::vector<std::vector<float>>& runs)
{
    const size_t R = runs.size();
    const size_t n = R ? runs[0].size() : 0;
    for (const auto& r : runs)
        if (r.size() != n)
            throw Error("seed runs of different sizes: " + std::to_string(r.size()) + " values against " +
                        std::to_string(n));
    const float nan = std::numeric_limits<float>::quiet_NaN();
    e.seedRuns = int(R);
    e.intervalLow.assign(n, nan);
    e.intervalHigh.assign(n, nan);
    e.orderAgreement.assign(n, nan);
    std::vector<float> column(R);
    for (size_t i = 0; i < n; ++i) {
        bool finite = true;
        for (size_t r = 0; r < R; ++r) {
            column[r] = runs[r][i];
            finite = finite && std::isfinite(column[r]);
        }
        if (!finite)
            continue;
        std::sort(column.begin(), column.end());
        e.intervalLow[i] = float(quantileSorted(column, kLowQuantile));
        e.intervalHigh[i] = float(quantileSorted(column, kHighQuantile));
    }
    // Run 0's ranking by |value| (ties by index, so it is the one a reader sorting stably sees).
    if (n < 2)
        return;
    std::vector<size_t> rank(n);
    std::iota(rank.begin(), rank.end(), size_t(0));
    const auto& first = runs[0];
    auto magnitude = [](float v) { return std::isfinite(v) ? std::fabs(v) : -1.0f; };
    std::stable_sort(rank.begin(), rank.end(),
                     [&](size_t a, size_t b) { return magnitude(first[a]) > magnitude(first[b]); });
    for (size_t k = 0; k + 1 < n; ++k) {
        const size_t above = rank[k], below = rank[k + 1];
        double kept = 0;
        for (size_t r = 0; r < R; ++r) {
            const float a = magnitude(runs[r][above]), b = magnitude(runs[r][below]);
            kept += a > b ? 1.0 : a == b ? 0.5 : 0.0;
        }
        e.orderAgreement[above] = float(kept / double(R));
    }
}

double medianRelativeWidth(const Explanation& e)
{
    if (e.intervalLow.empty() || e.intervalLow.size() != e.values.size() ||
        e.intervalHigh.size() != e.values.size())
        return std::nan("");
    double scale = 0;
    for (float v : e.values)
        if (std::isfinite(v))
            scale = std::max(scale, std::fabs(double(v)));
    std::vector<float> widths;
    widths.reserve(e.values.size());
    for (size_t i = 0; i < e.values.size(); ++i) {
        const double w = double(e.intervalHigh[i]) - double(e.intervalLow[i]);
        if (std::isfinite(w))
            widths.push_back(float(w));
    }
    if (widths.empty())
        return std::nan("");
    if (!(scale > 0))
        return 0.0;
    std::sort(widths.begin(), widths.end());
    return quantileSorted(widths, 0.5) / scale;
}

Explanation explainWithSeeds(Method method, const models::Model& model, const ExplainContext& ctx,
                             const float* xRaw, const ExplainOptions& options, int runs,
                             const jobs::ProgressFn& progress, const jobs::CancelToken& cancel)
{
    if (runs < 1 || runs > kMaxSeedRuns)
        throw Error("seed runs must be from 1 to " + std::to_string(kMaxSeedRuns) + ", not " +
                    std::to_string(runs));
    if (runs == 1)
        return explain(method, model, ctx, xRaw, options, progress, cancel);
    const std::string name = methodDisplayName(method);
    // Each run's progress as its share of the whole, its message prefixed with the run.
    auto runProgress = [&](int r) -> jobs::ProgressFn {
        if (!progress)
            return {};
        return [&progress, r, runs](const jobs::Progress& p) {
            progress({(double(r) + p.fraction) / double(runs), p.stage,
                      "seed " + std::to_string(r + 1) + " of " + std::to_string(runs) + ": " + p.message});
        };
    };
    Explanation e = explain(method, model, ctx, xRaw, options, runProgress(0), cancel);
    if (!runDrewRandomly(method, e)) {
        e.seedRuns = 1; // nothing random to repeat: the one run is the answer
        return e;
    }
    const size_t n = e.values.size();
    const int64_t budget = options.memoryBudget > 0 ? options.memoryBudget : automaticMemoryBudget();
    const double bytes = double(runs) * double(n) * double(sizeof(float));
    if (budget > 0 && bytes > double(budget))
        throw Error(name + " over " + std::to_string(runs) + " seeds keeps " + std::to_string(runs) + " x " +
                    std::to_string(n) + " values (" + megabytes(bytes) + "), more than the memory budget of " +
                    megabytes(double(budget)) + ": ask for fewer seeds");
    std::vector<std::vector<float>> values;
    values.reserve(size_t(runs));
    values.push_back(e.values);
    ExplainOptions o = options;
    o.target = e.target; // the same class in every run, without a forward pass to find it again
    double seconds = e.seconds;
    int64_t rows = e.modelRows;
    for (int r = 1; r < runs; ++r) {
        cancel.throwIfCancelled();
        o.seed = seedForRun(options.seed, r);
        Explanation again = explain(method, model, ctx, xRaw, o, runProgress(r), cancel);
        if (again.values.size() != n)
            throw Error(name + ": seed run " + std::to_string(r + 1) + " gave " + std::to_string(again.values.size()) +
                        " values, the first " + std::to_string(n));
        seconds += again.seconds;
        rows += again.modelRows;
        values.push_back(std::move(again.values));
    }
    fillSeedStatistics(e, values);
    e.seconds = seconds;
    e.modelRows = rows;
    return e;
}

} // namespace senn::explain
