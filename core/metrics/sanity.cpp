// Sanity checks (sanity.h): the cascading or independent model randomisation, the random-logit
// test and the data randomisation test, over the points of a metric run, in parallel points.
#include "core/metrics/sanity.h"
#include "core/metrics/sanity_records.h"

#include "core/common/error.h"
#include "core/metrics/metrics_internal.h"
#include "core/metrics/similarity.h"
#include "core/models/randomise.h"
#include "core/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <numeric>
#include <random>

namespace senn::metrics {

namespace {

// Tags of the run's random streams (deriveSeed's second index or first for per-row streams).
constexpr uint64_t kTagExplain = 0x53414e4531ULL;  // a point's explainer draws
constexpr uint64_t kTagLogit = 0x53414e4532ULL;    // a point's random class
constexpr uint64_t kTagLayer = 0x53414e4533ULL;    // a layer's new weights
constexpr uint64_t kTagLabels = 0x53414e4534ULL;   // the label permutation

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

void summarise(SimilaritySeries& s)
{
    const size_t n = s.perPoint.size();
    s.median.assign(n, std::nan(""));
    s.q25.assign(n, std::nan(""));
    s.q75.assign(n, std::nan(""));
    for (size_t k = 0; k < n; ++k) {
        s.median[k] = detail::quantile(s.perPoint[k], 0.5);
        s.q25[k] = detail::quantile(s.perPoint[k], 0.25);
        s.q75[k] = detail::quantile(s.perPoint[k], 0.75);
    }
}

class SanityRun {
public:
    SanityRun(const std::vector<std::string>& methods, const models::Model& model,
              const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
              const explain::ExplainOptions& runOptions, const SanityOptions& options,
              const SanityRecording* recording, const jobs::ProgressFn& progress,
              const jobs::CancelToken& cancel)
        : m_methods(methods), m_model(model), m_ctx(ctx), m_points(points), m_options(options),
          m_recording(recording), m_progress(progress), m_cancel(cancel), m_seed(runOptions.seed)
    {
        for (const auto& id : methods)
            checkSanityMethod(id);
        if (!ctx.data)
            throw Error("the sanity checks need the dataset the points come from");
        if (!model.impl())
            throw Error("no model to check");
        if (points.empty())
            throw Error("the sanity checks need at least one point");
        if (options.dataRandomisation) {
            const auto kind = model.meta().config.kind;
            if (kind != models::ModelKind::Senn && kind != models::ModelKind::Mlp && kind != models::ModelKind::Cnn)
                throw Error("the data randomisation test retrains the model's architecture on permuted "
                            "labels; the app trains SENN, MLP and CNN models, not " + toString(kind) +
                            " models. Run the model randomisation tests alone");
            if (!options.split)
                throw Error("the data randomisation test needs the model's split");
        }
        m_res.mode = toString(options.mode);
        m_res.points = points;
        m_res.methods = methods;
        m_res.seed = m_seed;
        m_res.randomLogit = options.randomLogit && model.numClasses() >= 2;
        m_res.dataRandomisation = options.dataRandomisation;
        if (options.modelRandomisation)
            m_res.layers = models::randomisableLayers(model);
        m_res.steps = {"original"};
        m_res.steps.insert(m_res.steps.end(), m_res.layers.begin(), m_res.layers.end());
        const size_t P = points.size(), S = m_res.steps.size();
        for (const auto& id : methods) {
            SanityMethodResult r;
            for (const auto& measure : similarityMeasures()) {
                r.steps[measure].perPoint.assign(S, std::vector<double>(P, std::nan("")));
                if (m_res.randomLogit)
                    r.randomLogit[measure].assign(P, std::nan(""));
                if (options.dataRandomisation)
                    r.dataRandomisation[measure].assign(P, std::nan(""));
            }
            r.example.resize(S);
            m_res.results[id] = std::move(r);
        }
        m_original.assign(methods.size(), std::vector<std::vector<float>>(P));
        m_res.threads = int(std::min<size_t>(size_t(detail::resolveThreads(options.threads)),
                                             std::max<size_t>(1, P * methods.size())));
        m_perPoint = detail::perPointOptions(*model.impl(), runOptions, m_res.threads, "Sanity checks", cancel);
        for (int64_t row : points) {
            const int t = runOptions.target >= 0 ? runOptions.target : detail::predictedClass(model, ctx.data->row(row));
            m_res.targets.push_back(t);
        }
        m_total = double(methods.size() * P) *
                  double(S + (m_res.randomLogit ? 1 : 0) + (options.dataRandomisation ? 2 : 0));
    }

    SanityResult run()
    {
        try {
            runStep(0, m_model);
            if (m_res.randomLogit)
                runRandomLogit();
            models::Model cascade;
            for (size_t s = 1; s < m_res.steps.size(); ++s) {
                models::Model variant;
                if (m_options.mode == SanityMode::Cascading) {
                    if (!cascade.isValid())
                        cascade = m_model.clone();
                    models::randomiseLayer(cascade, m_res.layers[s - 1], layerSeed(s - 1));
                    variant = cascade;
                } else {
                    variant = m_model.clone();
                    models::randomiseLayer(variant, m_res.layers[s - 1], layerSeed(s - 1));
                }
                runStep(s, variant);
            }
            if (m_options.dataRandomisation && anyTask("data_randomisation"))
                runDataRandomisation();
        } catch (const jobs::Cancelled&) {
            if (!m_options.keepPartialOnCancel)
                throw;
            m_res.cancelled = true;
            finishSeries();
        }
        m_res.seconds = secondsSince(m_start);
        return m_res;
    }

private:
    // Layer i's new weights are the same in both modes: a cascade's step s re-draws exactly
    // what the independent run's step s does, on top of the steps before.
    uint64_t layerSeed(size_t layer) const { return detail::deriveSeed(m_seed, kTagLayer, layer); }

    explain::Explanation explainOne(size_t mi, const models::Model& model, size_t i, int target)
    {
        const float* x = m_ctx.data->row(m_points[i]);
        if (m_methods[mi] == kEdgeDetectorId)
            return edgeDetector(m_ctx, x, model.inputShape());
        auto opts = m_perPoint;
        opts.target = target;
        opts.seed = detail::deriveSeed(m_seed, uint64_t(m_points[i]), kTagExplain);
        return explain::explain(explain::methodFromId(m_methods[mi]), model, m_ctx, x, opts, {}, m_cancel);
    }

    bool recorded(size_t mi, size_t i, const std::string& check, int step) const
    {
        return m_recording && m_recording->done && m_recording->done(mi, i, check, step);
    }

    // A point's explanation on the original model is what every later check compares with:
    // computed again on a resumed run while any check of the point is not recorded.
    bool needsOriginal(size_t mi, size_t i) const
    {
        for (size_t s = 0; s < m_res.steps.size(); ++s)
            if (!recorded(mi, i, "step", int(s)))
                return true;
        return (m_res.randomLogit && !recorded(mi, i, "random_logit", 0)) ||
               (m_options.dataRandomisation && !recorded(mi, i, "data_randomisation", 0));
    }

    bool anyTask(const std::string& check) const
    {
        for (size_t mi = 0; mi < m_methods.size(); ++mi)
            for (size_t i = 0; i < m_points.size(); ++i)
                if (!recorded(mi, i, check, 0))
                    return true;
        return false;
    }

    void record(size_t mi, size_t i, const std::string& check, int step, int target,
                const std::map<std::string, double>& sims)
    {
        if (!m_recording || !m_recording->record)
            return;
        SanityRecord r;
        r.method = m_methods[mi];
        r.point = i;
        r.row = m_points[i];
        r.check = check;
        r.step = step;
        r.target = target;
        r.similarity = sims;
        if (check == "data_randomisation") {
            r.epochs = m_res.randomisedEpochs;
            r.testAccuracy = m_res.randomisedAccuracy;
        }
        m_recording->record(r);
    }

    void compare(std::map<std::string, double>& out, size_t mi, size_t i, const explain::Explanation& e)
    {
        for (const auto& measure : similarityMeasures())
            out[measure] = similarity(measure, m_original[mi][i], e.values, e.shape);
    }

    void advance(const std::string& what)
    {
        m_done += 1;
        jobs::report(m_progress, m_done / std::max(1.0, m_total), "sanity", what);
    }

    // Explains every (method, point) that `needed` names with `model` and hands each
    // explanation to `store`, serialised, in parallel points.
    void forEachTask(const models::Model& model, const std::function<int(size_t)>& targetOf,
                     const std::string& label, const std::function<bool(size_t, size_t)>& needed,
                     const std::function<void(size_t, size_t, const explain::Explanation&)>& store)
    {
        const size_t P = m_points.size();
        std::vector<std::pair<size_t, size_t>> tasks;
        for (size_t mi = 0; mi < m_methods.size(); ++mi)
            for (size_t i = 0; i < P; ++i) {
                if (needed(mi, i))
                    tasks.emplace_back(mi, i);
                else
                    m_done += 1; // recorded before: counts as done
            }
        std::mutex mutex;
        detail::parallelTasks(int64_t(tasks.size()), m_res.threads, [&](int64_t t) {
            const auto [mi, i] = tasks[size_t(t)];
            m_cancel.throwIfCancelled();
            auto e = explainOne(mi, model, i, targetOf(i));
            std::lock_guard<std::mutex> lock(mutex);
            store(mi, i, e);
            advance(label + ": " + sanityMethodDisplayName(m_methods[mi]) + ", point " + std::to_string(i + 1));
        });
    }

    void runStep(size_t s, const models::Model& model)
    {
        const std::string label = s == 0 ? "original model"
                                         : "step " + std::to_string(s) + " of " +
                                               std::to_string(m_res.steps.size() - 1) + " (" +
                                               m_res.steps[s] + ")";
        auto needed = [&](size_t mi, size_t i) {
            return s == 0 ? needsOriginal(mi, i) : !recorded(mi, i, "step", int(s));
        };
        forEachTask(model, [&](size_t i) { return m_res.targets[i]; }, label, needed,
                    [&](size_t mi, size_t i, const explain::Explanation& e) {
            auto& r = m_res.results[m_methods[mi]];
            if (s == 0) {
                m_original[mi][i] = e.values;
                r.shape = e.shape;
            }
            if (i == 0)
                r.example[s] = e.values;
            std::map<std::string, double> sims;
            compare(sims, mi, i, e);
            for (const auto& [measure, v] : sims)
                r.steps[measure].perPoint[s][i] = v;
            if (!recorded(mi, i, "step", int(s)))
                record(mi, i, "step", int(s), m_res.targets[i], sims);
        });
        m_res.stepsDone = int(s + 1);
        finishSeries();
        if (m_options.partial) {
            m_res.seconds = secondsSince(m_start);
            m_options.partial(m_res);
        }
    }

    void runRandomLogit()
    {
        const int64_t classes = m_model.numClasses();
        for (size_t i = 0; i < m_points.size(); ++i) {
            std::mt19937_64 rng(detail::deriveSeed(m_seed, uint64_t(m_points[i]), kTagLogit));
            const int other = int(rng() % uint64_t(classes - 1));
            m_res.randomTargets.push_back((m_res.targets[i] + 1 + other) % int(classes));
        }
        forEachTask(m_model, [&](size_t i) { return m_res.randomTargets[i]; }, "random logit",
                    [&](size_t mi, size_t i) { return !recorded(mi, i, "random_logit", 0); },
                    [&](size_t mi, size_t i, const explain::Explanation& e) {
            std::map<std::string, double> sims;
            compare(sims, mi, i, e);
            for (const auto& [measure, v] : sims)
                m_res.results[m_methods[mi]].randomLogit[measure][i] = v;
            record(mi, i, "random_logit", 0, m_res.randomTargets[i], sims);
        });
        if (m_options.partial)
            m_options.partial(m_res);
    }

    void runDataRandomisation()
    {
        const auto& meta = m_model.meta();
        data::Dataset permuted = *m_ctx.data;
        const data::Split& split = *m_options.split;
        // Labels of the training and validation rows shuffled among themselves; the test rows
        // keep theirs, so the test accuracy says how little the new model learned.
        std::mt19937_64 rng(detail::deriveSeed(m_seed, kTagLabels));
        for (const auto* rows : {&split.train, &split.val}) {
            std::vector<int64_t> labels;
            for (int64_t r : *rows)
                labels.push_back(permuted.y[size_t(r)]);
            std::shuffle(labels.begin(), labels.end(), rng);
            for (size_t k = 0; k < rows->size(); ++k)
                permuted.y[size_t((*rows)[k])] = labels[k];
        }
        auto config = meta.config;
        config.rrrLambda = 0; // the annotation masks belong to the original labels
        auto tc = meta.train;
        tc.epochs = std::max(1, m_options.epochs);
        tc.patience = 0;
        tc.keep = "last"; // validation on permuted labels says nothing; fit them as far as the epochs go
        tc.seed = m_seed;
        const double base = m_done;
        const double share = double(m_methods.size() * m_points.size());
        train::TrainOptions to;
        to.cancel = m_cancel;
        to.onBatch = [&](const train::BatchReport& b) {
            const double f = (double(b.epoch - 1) + double(b.batch) / double(std::max<int64_t>(1, b.batches))) /
                             double(std::max(1, b.epochs));
            jobs::report(m_progress, (base + f * share) / std::max(1.0, m_total), "sanity",
                         "training on permuted labels: epoch " + std::to_string(b.epoch) + " of " +
                             std::to_string(b.epochs));
        };
        auto trained = train::train(permuted, split, config, tc, to);
        if (trained.cancelled)
            throw jobs::Cancelled();
        m_done = base + share;
        m_res.randomisedEpochs = trained.epochsRun;
        m_res.randomisedAccuracy = trained.testAccuracy;
        forEachTask(trained.model, [&](size_t i) { return m_res.targets[i]; }, "permuted labels",
                    [&](size_t mi, size_t i) { return !recorded(mi, i, "data_randomisation", 0); },
                    [&](size_t mi, size_t i, const explain::Explanation& e) {
            std::map<std::string, double> sims;
            compare(sims, mi, i, e);
            for (const auto& [measure, v] : sims)
                m_res.results[m_methods[mi]].dataRandomisation[measure][i] = v;
            record(mi, i, "data_randomisation", 0, m_res.targets[i], sims);
        });
        if (m_options.partial)
            m_options.partial(m_res);
    }

    void finishSeries()
    {
        for (auto& [id, r] : m_res.results)
            for (auto& [measure, series] : r.steps)
                summarise(series);
    }

    const std::vector<std::string>& m_methods;
    const models::Model& m_model;
    const explain::ExplainContext& m_ctx;
    const std::vector<int64_t>& m_points;
    const SanityOptions& m_options;
    const SanityRecording* m_recording;
    const jobs::ProgressFn& m_progress;
    const jobs::CancelToken& m_cancel;
    uint64_t m_seed;
    explain::ExplainOptions m_perPoint;
    SanityResult m_res;
    std::vector<std::vector<std::vector<float>>> m_original; // [method][point]
    double m_total = 1, m_done = 0;
    Clock::time_point m_start = Clock::now();
};

} // namespace

std::string sanityMethodDisplayName(const std::string& id)
{
    if (id == kEdgeDetectorId)
        return "Edge detector";
    return explain::methodDisplayName(explain::methodFromId(id));
}

void checkSanityMethod(const std::string& id)
{
    if (id == kEdgeDetectorId)
        return;
    try {
        explain::methodFromId(id);
    } catch (const Error& e) {
        throw Error(std::string(e.what()) + "; the sanity checks also take " + kEdgeDetectorId +
                    " (a control that ignores the model)");
    }
}

explain::Explanation edgeDetector(const explain::ExplainContext& ctx, const float* xRaw,
                                  const std::vector<int64_t>& shape)
{
    explain::Explanation e;
    e.method = kEdgeDetectorId;
    e.shape = shape;
    int64_t n = 1;
    for (auto s : shape)
        n *= s;
    e.values.assign(size_t(n), 0.0f);
    if (shape.size() == 3) {
        const int64_t c = shape[0], h = shape[1], w = shape[2];
        auto at = [&](int64_t ch, int64_t y, int64_t x) {
            y = std::clamp<int64_t>(y, 0, h - 1); // the border repeated
            x = std::clamp<int64_t>(x, 0, w - 1);
            return double(xRaw[(ch * h + y) * w + x]);
        };
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t y = 0; y < h; ++y)
                for (int64_t x = 0; x < w; ++x) {
                    const double gx = (at(ch, y - 1, x + 1) + 2 * at(ch, y, x + 1) + at(ch, y + 1, x + 1)) -
                                      (at(ch, y - 1, x - 1) + 2 * at(ch, y, x - 1) + at(ch, y + 1, x - 1));
                    const double gy = (at(ch, y + 1, x - 1) + 2 * at(ch, y + 1, x) + at(ch, y + 1, x + 1)) -
                                      (at(ch, y - 1, x - 1) + 2 * at(ch, y - 1, x) + at(ch, y - 1, x + 1));
                    e.values[size_t((ch * h + y) * w + x)] = float(std::sqrt(gx * gx + gy * gy));
                }
    } else {
        for (int64_t j = 0; j < n; ++j) {
            const double mean = size_t(j) < ctx.stats.mean.size() ? double(ctx.stats.mean[size_t(j)]) : 0.0;
            e.values[size_t(j)] = float(std::fabs(double(xRaw[j]) - mean));
        }
        if (ctx.data && ctx.data->featureNames.size() == size_t(n))
            e.labels = ctx.data->featureNames;
    }
    return e;
}

std::string toString(SanityMode mode)
{
    return mode == SanityMode::Cascading ? "cascading" : "independent";
}

SanityMode sanityModeFromString(const std::string& s)
{
    if (s == "cascading")
        return SanityMode::Cascading;
    if (s == "independent")
        return SanityMode::Independent;
    throw Error("unknown randomisation mode \"" + s + "\"; use cascading or independent");
}

SanityResult sanityChecks(const std::vector<std::string>& methods, const models::Model& model,
                          const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                          const explain::ExplainOptions& explainOptions, const SanityOptions& options,
                          const jobs::ProgressFn& progress, const jobs::CancelToken& cancel)
{
    cancel.throwIfCancelled();
    SanityRun run(methods, model, ctx, points, explainOptions, options, nullptr, progress, cancel);
    return run.run();
}

SanityResult sanityChecks(const std::vector<std::string>& methods, const models::Model& model,
                          const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                          const explain::ExplainOptions& explainOptions, const SanityOptions& options,
                          const SanityRecording& recording, const jobs::ProgressFn& progress,
                          const jobs::CancelToken& cancel)
{
    cancel.throwIfCancelled();
    SanityRun run(methods, model, ctx, points, explainOptions, options, &recording, progress, cancel);
    return run.run();
}

} // namespace senn::metrics
