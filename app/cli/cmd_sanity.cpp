// `senn sanity` (cli.md): the model randomisation checks (cascading or independent), with the
// random-logit and data randomisation tests on request, as JSON and, with --figure, the
// randomisation figure with one example's explanations at every step. Like stability it runs in
// shards (--shard, --resume, --points all): every finished (method, point, check) goes to the
// results file beside --json, and `senn merge` joins the shards.
#include "cli/attributions_option.h"
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/explainer_options.h"
#include "cli/metric_output.h"
#include "cli/sharded_run.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/explain/explainer_args.h"
#include "core/io/run_identity.h"
#include "core/metrics/metrics.h"
#include "core/metrics/sanity.h"
#include "core/metrics/sanity_records.h"
#include "core/metrics/similarity.h"
#include "ui/plots/sanity_figure.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace senn::cli {

using nlohmann::json;

namespace {

struct SanityArgs {
    std::string model, data, methods, mode = "cascading", measure = "spearman_abs", json, figure;
    int epochs = 5, threads = 0;
    bool randomLogit = false, dataRandomisation = false;
    uint64_t seed = 0;
    int64_t memoryMb = 0;
    ShardArgs shard; // --shard, --resume, --points N|all
    ExplainerArgs explainer;
};

// One process's share of a sanity run (the sanity counterpart of ShardRecords): the shard's
// rows, its results file, and the records --resume read back and those finished since, by
// (method, position in the run, check, step).
class SanityShard {
public:
    using Key = std::tuple<std::string, size_t, std::string, int>;

    SanityShard(const std::vector<int64_t>& points, const Shard& shard, const ShardArgs& args,
                const std::string& jsonPath, const json& identity)
        : m_positions(shardPositions(points.size(), shard))
    {
        for (size_t i = 0; i < m_positions.size(); ++i) {
            m_rows.push_back(points[m_positions[i]]);
            m_indexOf[m_positions[i]] = i;
        }
        if (m_rows.empty())
            throw Error("--shard " + args.shard + ": the run has only " + std::to_string(points.size()) +
                        " points, so this shard has none");
        if (jsonPath.empty())
            return;
        const std::string path = recordsPath(jsonPath);
        m_log = std::make_unique<ResultsLog>(path, io::runRecordsHeader(identity, shard.k, shard.n), args.resume);
        for (const auto& j : m_log->previous()) {
            auto r = metrics::sanityRecordFromJson(j, path);
            if (!m_indexOf.count(r.point) || points[r.point] != r.row)
                throw Error("--resume: " + path + " records point " + std::to_string(r.point + 1) +
                            ", which is not one of this shard's points");
            m_done[key(r)] = r;
        }
        if (!m_done.empty())
            std::cerr << "senn: resuming: " << m_done.size() << " (method, point, check) results already in " << path
                      << "\n";
    }

    const std::vector<int64_t>& rows() const { return m_rows; }

    metrics::SanityRecording recording(const std::vector<std::string>& methods)
    {
        metrics::SanityRecording r;
        r.done = [this, methods](size_t mi, size_t i, const std::string& check, int step) {
            std::lock_guard<std::mutex> lock(m_mutex);
            return m_done.count(Key{methods[mi], m_positions[i], check, step}) > 0;
        };
        r.record = [this](const metrics::SanityRecord& rec) {
            auto r = rec;
            r.point = m_positions[rec.point];
            if (m_log)
                m_log->append(metrics::sanityRecordToJson(r));
            std::lock_guard<std::mutex> lock(m_mutex);
            m_done[key(r)] = std::move(r);
        };
        return r;
    }

    // Every record of this shard, point = index in rows().
    std::vector<metrics::SanityRecord> records() const
    {
        std::vector<metrics::SanityRecord> out;
        for (const auto& [k, r] : m_done) {
            out.push_back(r);
            out.back().point = m_indexOf.at(r.point);
        }
        return out;
    }

private:
    static Key key(const metrics::SanityRecord& r) { return Key{r.method, r.point, r.check, r.step}; }

    std::vector<size_t> m_positions;
    std::vector<int64_t> m_rows;
    std::map<size_t, size_t> m_indexOf; // run position -> index in rows()
    std::unique_ptr<ResultsLog> m_log;
    std::map<Key, metrics::SanityRecord> m_done;
    mutable std::mutex m_mutex;
};

} // namespace

static int cmdSanity(const SanityArgs& args)
{
    checkFigurePath(args.figure);
    metrics::checkSimilarityMeasure(args.measure);
    const auto methods = splitList(args.methods);
    if (methods.empty())
        throw Error("--methods: name at least one method");
    for (const auto& id : methods)
        metrics::checkSanityMethod(id);
    const Shard shard = args.shard.shard.empty() ? Shard{} : parseShard(args.shard.shard);
    if (args.json.empty() && (shard.n > 1 || args.shard.resume))
        throw Error(std::string(shard.n > 1 ? "--shard" : "--resume") +
                    " needs --json: the results file of the run goes beside it");
    auto ws = openModelAndData(args.model, args.data);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    const int requested = pointsCount(args.shard.points);
    const auto points = metricPoints(ws, requested, metrics::metricDefaults(ws.data.isImage()).stabilityPoints);
    explain::ExplainOptions opts = explainerOptionsOf(args.explainer);
    opts.seed = args.seed; // the run's one seed
    opts.memoryBudget = args.memoryMb << 20;
    metrics::SanityOptions so;
    so.mode = metrics::sanityModeFromString(args.mode);
    so.randomLogit = args.randomLogit;
    so.dataRandomisation = args.dataRandomisation;
    so.epochs = args.epochs;
    so.split = &ws.split;
    so.threads = args.threads > 0 ? args.threads : allCores();

    // The run: every setting that changes a value (the shards of one run share them).
    json settings = {{"methods", methods},
                     {"points", requested < 0 ? json("all") : json(points.size())},
                     {"mode", args.mode},
                     {"seed", args.seed},
                     {"random-logit", args.randomLogit},
                     {"data-randomisation", args.dataRandomisation}};
    if (args.dataRandomisation)
        settings["epochs"] = args.epochs;
    settings.update(explain::explainerSettings(opts)); // only those that differ from the defaults
    const json identity = io::runIdentity("sanity", args.model, ws.data, args.data, settings, points.size());
    SanityShard shardRun(points, shard, args.shard, args.json, identity);
    const auto& rows = shardRun.rows();

    warnIfReferenceBlas();
    ProgressPrinter printer("sanity");
    auto run = metrics::sanityChecks(methods, ws.model, ctx, rows, opts, so, shardRun.recording(methods),
                                     printer.callback());
    printer.finish(formatSeconds(run.seconds));
    // The result from the records, so that a resumed shard, a merge and one whole run agree.
    auto res = metrics::sanityFromRecords(run, shardRun.records());
    if (!args.json.empty() || args.figure.empty())
        writeRunResult(args.json, metrics::sanityToJson(res), identity, shard, metrics::sanityTimingJson(res));
    if (!args.figure.empty()) {
        ensureGuiApp();
        QString error;
        figureDone(ui::renderSanityFigure(res, args.measure, QString::fromStdString(args.figure), &error), error,
                   args.figure);
    }
    return 0;
}

Command addSanityCommand(CLI::App& app)
{
    auto a = std::make_shared<SanityArgs>();
    auto* s = app.add_subcommand("sanity", "Sanity checks: model randomisation layer by layer, random "
                                 "logit, permuted labels");
    addModelData(s, a->model, a->data);
    s->add_option("--methods", a->methods, "Comma-separated methods; edge-detector is a control that "
                  "ignores the model")->required();
    addShardOptions(s, a->shard, "Test points, evenly spaced over the test split, as the app picks them "
                    "(default: 20 tabular, 10 images), or all");
    s->add_option("--mode", a->mode, "cascading (default: the output layer first, cumulative) or "
                  "independent (one layer at a time)")->check(CLI::IsMember({"cascading", "independent"}));
    s->add_flag("--random-logit", a->randomLogit, "Also explain a random class other than the predicted one");
    s->add_flag("--data-randomisation", a->dataRandomisation,
                "Also retrain the architecture on permuted labels and compare (expensive)");
    s->add_option("--epochs", a->epochs, "Data randomisation: epochs of the retraining (default 5)")
        ->check(whole(1, limits::kMaxEpochs));
    s->add_option("--seed", a->seed, "Seed")->check(whole(0, std::numeric_limits<int64_t>::max()));
    s->add_option("--threads", a->threads, "Points explained in parallel (0 = all cores)")
        ->check(whole(0, limits::kMaxThreadsOption));
    s->add_option("--memory", a->memoryMb, "Memory budget in MB shared by the points run in parallel "
                  "(default: half the available memory)")
        ->check(CLI::Range(int64_t(1), int64_t(1) << 24));
    s->add_option("--measure", a->measure, "Similarity the figure shows: spearman_abs (default), "
                  "spearman, ssim or cosine (the JSON has all)")
        ->check(CLI::IsMember({"spearman_abs", "spearman", "ssim", "cosine"}));
    addExplainerOptions(s, a->explainer);
    s->add_option("--json", a->json, "Write the result as JSON");
    s->add_option("--figure", a->figure, "Render the randomisation figure to .png, .svg or .pdf");
    refuseAttributions(s, "the sanity checks explain each point again with randomised models, which needs the method itself");
    Command c;
    c.sub = s;
    c.check = [a] {
        explainerOptionsOf(a->explainer); // a bad value stops here, before the model loads
        files::checkOutputs({{"--json", a->json}, {"--figure", a->figure}}, {a->model, a->data});
        if (!a->shard.shard.empty())
            parseShard(a->shard.shard);
    };
    c.run = [a] { return cmdSanity(*a); };
    return c;
}

} // namespace senn::cli
