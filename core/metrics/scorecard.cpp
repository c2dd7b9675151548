// The scorecard run (scorecard.h): one explanation per (method, point), every chosen measure on
// it, in parallel over points as faithfulness(); then the statistics of rank_statistics.h.
#include "core/metrics/scorecard.h"

#include "core/common/error.h"
#include "core/metrics/complexity.h"
#include "core/metrics/external_attributions.h"
#include "core/metrics/metrics_internal.h"
#include "core/metrics/point_measures.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <numeric>

namespace senn::metrics {

using explain::Method;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A stable 64-bit tag of a name (FNV-1a), so seeds follow ids, not positions in a list.
uint64_t tagOf(const std::string& s)
{
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

// The faithfulness run's stream tags (faithfulness.cpp): the scorecard explains a point and
// draws its measures' subsets and noise as that run does, so a point scores the same in both
// (test_metrics_scorecard checks it).
constexpr uint64_t kExplainTag = 0x6578706cULL;
constexpr uint64_t kFcTag = 0x6663ULL;
constexpr uint64_t kInfidelityTag = 0x696e66ULL;

// What a measure sees of one (method, point).
struct PointInput {
    Method method;
    const models::Model& model;
    const explain::ExplainContext& ctx;
    const float* x;
    const explain::Explanation& e;
    explain::ExplainOptions options; // the explanation's, memory budget included
    uint64_t seed;                   // the run's seed: every draw derives from it and the row
    int64_t row;
    const jobs::CancelToken& cancel;
};

using MeasureFn = double (*)(const PointInput&);

// A measure the scorecard computes itself (fn), or one of pointMeasures' groups (fn null),
// computed once per (method, point) for all the group's ids.
struct Entry {
    std::string id;
    MeasureFn fn;
    bool byDefault;
    ScorecardMeasure own; // for the ids the shared catalogue (measures.h) does not list
};

double removal(const PointInput& p)
{
    return removalCorrelation(p.model, p.ctx, p.x, p.e, {}, false, p.options.memoryBudget).correlation;
}
double faithCorr(const PointInput& p)
{
    return faithfulnessCorrelation(p.model, p.x, p.e, p.ctx.stats.mean, 100, 0.2,
                                   detail::deriveSeed(p.seed, uint64_t(p.row), kFcTag), p.options.memoryBudget);
}
double infid(const PointInput& p)
{
    return infidelity(p.model, p.x, p.e, 0.003, 10, detail::deriveSeed(p.seed, uint64_t(p.row), kInfidelityTag),
                      false, p.options.memoryBudget);
}
double infidNormalized(const PointInput& p)
{
    return infidelity(p.model, p.x, p.e, 0.003, 10, detail::deriveSeed(p.seed, uint64_t(p.row), kInfidelityTag),
                      true, p.options.memoryBudget);
}
double sparseness(const PointInput& p) { return giniSparseness(p.e.values); }
double entropy(const PointInput& p) { return attributionEntropy(p.e.values); }
double lipschitz(const PointInput& p)
{
    auto o = p.options;
    o.seed = detail::deriveSeed(p.seed, uint64_t(p.row), 0x6c6970ULL);
    o.target = p.e.target; // the explained class, not the prediction at each neighbour
    LipschitzOptions lo;
    lo.eps = 0.01; // the usual tabular radius of the stability grid
    return localLipschitz(p.method, p.model, p.ctx, p.x, o, lo, p.cancel).value;
}

const std::vector<Entry>& catalogue()
{
    static const std::vector<Entry> entries = [] {
        const std::vector<std::string> defaults = {"removal_correlation", "faithfulness_correlation", "infidelity",
                                                   "deletion_aopc", "max_sensitivity"};
        std::vector<Entry> v;
        for (const auto& m : measureCatalogue()) {
            const bool byDefault = std::find(defaults.begin(), defaults.end(), m.id) != defaults.end();
            if (m.id == "removal_correlation")
                v.push_back({m.id, removal, byDefault, {}});
            else if (m.id == "faithfulness_correlation")
                v.push_back({m.id, faithCorr, byDefault, {}});
            else if (m.id == "infidelity")
                v.push_back({m.id, infid, byDefault, {}});
            else if (m.id == "infidelity_normalized")
                v.push_back({m.id, infidNormalized, byDefault, {}});
            else if (hasPointMeasures({m.group}))
                v.push_back({m.id, nullptr, byDefault, {}});
        }
        v.push_back({"sparseness", sparseness, true, {"sparseness", "Sparseness (Gini)", true, ""}});
        v.push_back({"complexity", entropy, false, {"complexity", "Complexity (entropy)", false, ""}});
        v.push_back({"local_lipschitz", lipschitz, false, {"local_lipschitz", "Local Lipschitz L̂ (ε = 0.01)", false, ""}});
        return v;
    }();
    return entries;
}

const ScorecardMeasure& infoOf(const Entry& e)
{
    const MeasureInfo* shared = findMeasure(e.id);
    return shared ? *shared : e.own;
}

const Entry& entryOf(const std::string& id)
{
    for (const auto& e : catalogue())
        if (e.id == id)
            return e;
    std::string valid;
    for (const auto& e : catalogue())
        valid += (valid.empty() ? "" : ", ") + e.id;
    throw Error("unknown scorecard measure '" + id + "'; the measures are " + valid);
}

} // namespace

const std::vector<ScorecardMeasure>& scorecardMeasures()
{
    static const std::vector<ScorecardMeasure> all = [] {
        std::vector<ScorecardMeasure> v;
        for (const auto& e : catalogue())
            v.push_back(infoOf(e));
        return v;
    }();
    return all;
}

std::vector<std::string> defaultScorecardMeasures()
{
    std::vector<std::string> ids;
    for (const auto& e : catalogue())
        if (e.byDefault)
            ids.push_back(e.id);
    return ids;
}

const ScorecardMeasure& scorecardMeasure(const std::string& id) { return infoOf(entryOf(id)); }

std::vector<std::string> parseScorecardMeasures(const std::string& list)
{
    std::vector<std::string> ids;
    std::string item;
    for (size_t i = 0; i <= list.size(); ++i) {
        if (i == list.size() || list[i] == ',') {
            if (!item.empty()) {
                entryOf(item);
                if (std::find(ids.begin(), ids.end(), item) == ids.end())
                    ids.push_back(item);
            }
            item.clear();
        } else if (list[i] != ' ') {
            item += list[i];
        }
    }
    return ids.empty() ? defaultScorecardMeasures() : ids;
}

void summarizeScorecard(ScorecardResult& r)
{
    const size_t M = r.methods.size(), K = r.measures.size();
    r.cells.assign(M, std::vector<MedianInterval>(K));
    r.ranks.assign(M, std::vector<double>(K, kNaN));
    for (size_t m = 0; m < M; ++m)
        for (size_t k = 0; k < K; ++k)
            r.cells[m][k] = bootstrapMedian(r.values[m][k], r.bootstrap,
                                            detail::deriveSeed(r.seed, tagOf(r.methods[m]), tagOf(r.measures[k].id)),
                                            r.level);
    // Ranks per measure; a measure is a judge for W when it ranks every method.
    std::vector<std::vector<double>> byMeasure(K), judges;
    r.agreementMeasures.clear();
    for (size_t k = 0; k < K; ++k) {
        std::vector<double> medians(M);
        for (size_t m = 0; m < M; ++m)
            medians[m] = r.cells[m][k].median;
        byMeasure[k] = rankScores(medians, r.measures[k].higherIsBetter);
        for (size_t m = 0; m < M; ++m)
            r.ranks[m][k] = byMeasure[k][m];
        if (std::none_of(byMeasure[k].begin(), byMeasure[k].end(), [](double v) { return std::isnan(v); })) {
            judges.push_back(byMeasure[k]);
            r.agreementMeasures.push_back(r.measures[k].id);
        }
    }
    r.kendallW = kendallW(judges);
    r.tau.assign(K, std::vector<double>(K, kNaN));
    for (size_t a = 0; a < K; ++a)
        for (size_t b = 0; b < K; ++b)
            r.tau[a][b] = kendallTau(byMeasure[a], byMeasure[b]);
}

std::string agreementSentence(double w)
{
    if (std::isnan(w))
        return "Agreement needs two measures that rank at least two methods.";
    char num[32];
    std::snprintf(num, sizeof num, "%.2f", w);
    const std::string v = std::string("W = ") + num;
    if (w >= 0.7)
        return "Measures agree strongly (" + v + "): the ranking holds across measures.";
    if (w >= 0.5)
        return "Measures agree moderately (" + v + "): read the ranking together with each measure.";
    if (w >= 0.2)
        return "Measures agree weakly (" + v + "): a ranking by one measure cannot be trusted.";
    return "Measures hardly agree (" + v + "): each measure ranks the methods its own way.";
}

ScorecardResult scorecard(const std::vector<Method>& methods, const models::Model& model,
                          const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                          const explain::ExplainOptions& runOptions, const ScorecardOptions& options,
                          const jobs::ProgressFn& progress, const jobs::CancelToken& cancel)
{
    if (!ctx.data)
        throw Error("the scorecard needs the dataset the points come from");
    auto implPtr = model.impl();
    if (!implPtr)
        throw Error("no model to measure");
    if (methods.empty() && options.external.empty())
        throw Error("the scorecard needs at least one method or file of attributions");
    // A file's missing row or NaN is refused now, not after the methods' hours of work.
    for (const auto& ext : options.external)
        ext->check(points);
    cancel.throwIfCancelled();
    const auto t0 = std::chrono::steady_clock::now();
    ScorecardResult res;
    res.points = points;
    res.seed = runOptions.seed;
    res.bootstrap = std::max(0, options.bootstrap);
    res.level = options.level;
    std::vector<const Entry*> entries;
    for (const auto& id : options.measures.empty() ? defaultScorecardMeasures() : options.measures) {
        const Entry& e = entryOf(id);
        if (std::find(entries.begin(), entries.end(), &e) == entries.end())
            entries.push_back(&e);
    }
    for (const auto* e : entries)
        res.measures.push_back(infoOf(*e));
    const size_t P = points.size(), K = entries.size();
    const size_t ours = methods.size(), R = ours + options.external.size();
    for (auto m : methods) {
        res.methods.push_back(explain::methodId(m));
        res.sources.emplace_back();
        res.reasons.emplace_back(K);
    }
    for (const auto& ext : options.external) {
        res.methods.push_back(ext->name());
        res.sources.push_back(ext->path());
        std::vector<std::string> why(K);
        for (size_t k = 0; k < K; ++k)
            why[k] = externalUnavailableReason(entries[k]->id);
        res.reasons.push_back(why);
    }
    res.values.assign(R, std::vector<std::vector<double>>(K, std::vector<double>(P, kNaN)));
    res.pointsDone.assign(R, 0);
    res.measureSeconds.assign(K, 0.0);
    res.threads = int(std::min<size_t>(size_t(detail::resolveThreads(options.threads)), std::max<size_t>(1, P * R)));
    const auto explainOptions = detail::perPointOptions(*implPtr, runOptions, res.threads, "The scorecard", cancel);
    // Cheap methods first, as in faithfulness(): the finished points come in early. A file's
    // rows are read, not explained, so they come first of all.
    std::vector<size_t> order(R);
    std::iota(order.begin(), order.end(), size_t(0));
    auto rank = [&](size_t r) {
        if (r >= ours)
            return -1;
        const Method m = methods[r];
        return explain::isDifferentiable(m) ? 0 : m == Method::Occlusion ? 1 : m == Method::Lime ? 2 : 3;
    };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rank(a) < rank(b); });
    std::vector<std::pair<size_t, size_t>> tasks; // those `skip` names are done (another shard, a resumed run)
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
        const bool external = mi >= ours;
        // A file's row passes no method to the measures it gets: only those that re-explain
        // (robustness, L̂) use it, and they are not computed for a file.
        const Method m = external ? Method::Saliency : methods[mi];
        const std::string display = external ? res.methods[mi] : explain::methodDisplayName(m);
        const int64_t row = points[i];
        cancel.throwIfCancelled();
        const float* x = ctx.data->row(row);
        auto opts = explainOptions;
        opts.seed = detail::deriveSeed(runOptions.seed, uint64_t(row), kExplainTag);
        auto ts = std::chrono::steady_clock::now();
        explain::Explanation e;
        if (external) {
            // The explained class and output as ours would have them: the file does not say.
            e = options.external[mi - ours]->at(row);
            e.target = runOptions.target >= 0 ? runOptions.target : detail::predictedClass(model, x);
            e.output = runOptions.output;
        } else {
            e = explain::explain(m, model, ctx, x, opts, {}, cancel);
        }
        const double explainSecs = std::chrono::duration<double>(std::chrono::steady_clock::now() - ts).count();
        std::vector<double> values(K, kNaN), secs(K, 0.0);
        std::map<std::string, double> grouped; // pointMeasures' values, one call per group
        std::vector<std::string> groupsDone;
        const PointInput in{m, model, ctx, x, e, opts, runOptions.seed, row, cancel};
        for (size_t k = 0; k < K; ++k) {
            cancel.throwIfCancelled();
            ts = std::chrono::steady_clock::now();
            if (!res.reasons[mi][k].empty())
                continue;
            try {
                if (entries[k]->fn) {
                    values[k] = entries[k]->fn(in);
                } else {
                    const std::string& group = res.measures[k].group;
                    if (std::find(groupsDone.begin(), groupsDone.end(), group) == groupsDone.end()) {
                        // A file's row asks only for the groups that need no method (the
                        // curves); the reasons above skip the others.
                        for (auto& [id, v] : pointMeasures({group}, m, model, ctx, x, e, opts, runOptions.seed, row, cancel))
                            grouped[id] = v;
                        groupsDone.push_back(group);
                    }
                    auto it = grouped.find(entries[k]->id);
                    values[k] = it != grouped.end() ? it->second : kNaN;
                }
            } catch (const Error& err) {
                throw Error(res.measures[k].name + " of " + display + " on row " +
                            std::to_string(row) + ": " + err.what());
            }
            secs[k] = std::chrono::duration<double>(std::chrono::steady_clock::now() - ts).count();
        }
        std::lock_guard<std::mutex> lock(mutex);
        for (size_t k = 0; k < K; ++k) {
            res.values[mi][k][i] = values[k];
            res.measureSeconds[k] += secs[k];
        }
        res.explainSeconds += explainSecs;
        res.pointsDone[mi] += 1;
        if (options.record)
            options.record(ScorecardRecord{res.methods[mi], i, row, values, secs, explainSecs});
        done += 1;
        jobs::report(progress, done / std::max(1.0, total), "scorecard", display + ": point " + std::to_string(i + 1));
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
    summarizeScorecard(res);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

} // namespace senn::metrics
