// `senn faithfulness` (cli.md): removal correlation, faithfulness correlation and infidelity
// (or the measures --measure names) of each method over the points the app picks, as the
// JSON shape of cli.md and, with --figure, the box plot. With --shard the run computes its
// share of the points; every finished point goes to the results file beside --json, from
// which --resume continues and `senn merge` joins the shards.
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/metric_output.h"
#include "cli/options.h"
#include "cli/sharded_run.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/io/metric_json.h"
#include "core/io/run_identity.h"
#include "core/metrics/measures.h"
#include "core/metrics/metrics.h"
#include "core/metrics/run_records.h"
#include "ui/figures.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>

namespace senn::cli {

using nlohmann::json;

int cmdFaithfulness(const MetricArgs& args)
{
    checkFigurePath(args.figure);
    const auto methods = parseMethods(args.methods);
    const Shard shard = args.shard.shard.empty() ? Shard{} : parseShard(args.shard.shard);
    if (args.json.empty() && (shard.n > 1 || args.shard.resume))
        throw Error(std::string(shard.n > 1 ? "--shard" : "--resume") +
                    " needs --json: the results file of the run goes beside it");
    auto ws = openModelAndData(args.model, args.data);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    const int requested = pointsCount(args.shard.points);
    const auto points = metricPoints(ws, requested, metrics::metricDefaults(ws.data.isImage()).faithfulnessPoints);
    explain::ExplainOptions opts;
    opts.seed = args.seed;
    opts.memoryBudget = args.memoryMb << 20; // core shares it among the points run in parallel
    metrics::FaithfulnessOptions fo;
    fo.threads = args.threads > 0 ? args.threads : allCores();
    fo.sennTheta = args.sennAttribution == "theta";
    fo.measures = args.measures;

    // The run: every setting that changes a value (the shards of one run share them).
    std::vector<std::string> ids;
    for (auto m : methods)
        ids.push_back(explain::methodId(m));
    json settings = {{"methods", ids},
                     {"points", requested < 0 ? json("all") : json(points.size())},
                     {"seed", args.seed},
                     {"senn-attribution", args.sennAttribution}};
    if (!fo.measures.empty())
        settings["measure"] = fo.measures;
    const json identity = io::runIdentity("faithfulness", args.model, ws.data, args.data, settings, points.size());
    const auto positions = shardPositions(points.size(), shard);
    std::vector<int64_t> rows;
    for (size_t p : positions)
        rows.push_back(points[p]);
    if (rows.empty())
        throw Error("--shard " + args.shard.shard + ": the run has only " + std::to_string(points.size()) +
                    " points, so this shard has none");

    std::unique_ptr<ResultsLog> log;
    if (!args.json.empty())
        log = std::make_unique<ResultsLog>(recordsPath(args.json),
                                           json{{"identity", identity}, {"shard", {{"k", shard.k}, {"n", shard.n}}}},
                                           args.shard.resume);
    std::map<std::pair<std::string, size_t>, metrics::FaithfulnessRecord> done;
    std::map<size_t, size_t> indexOf; // run position -> index in this shard
    for (size_t i = 0; i < positions.size(); ++i)
        indexOf[positions[i]] = i;
    if (log)
        for (const auto& j : log->previous()) {
            auto r = io::faithfulnessRecordFromJson(j, recordsPath(args.json));
            if (!indexOf.count(r.point) || points[r.point] != r.row)
                throw Error("--resume: " + recordsPath(args.json) + " records point " + std::to_string(r.point + 1) +
                            ", which is not one of this shard's points");
            done[{r.method, r.point}] = r;
        }
    if (!done.empty())
        std::cerr << "senn: resuming: " << done.size() << " of " << positions.size() * ids.size()
                  << " (method, point) results already in " << recordsPath(args.json) << "\n";
    fo.skip = [&](size_t mi, size_t pi) { return done.count({ids[mi], positions[pi]}) > 0; };
    std::mutex mutex;
    fo.record = [&](const metrics::FaithfulnessRecord& rec) {
        auto r = rec;
        r.point = positions[rec.point];
        if (log)
            log->append(io::recordToJson(r));
        std::lock_guard<std::mutex> lock(mutex);
        done[{r.method, r.point}] = r;
    };

    warnIfReferenceBlas();
    ProgressPrinter printer("faithfulness");
    auto run = metrics::faithfulness(methods, ws.model, ctx, rows, opts, fo, printer.callback());
    printer.finish(formatSeconds(run.seconds));

    std::vector<metrics::FaithfulnessRecord> records; // this shard's, point = index in `rows`
    for (const auto& [key, r] : done) {
        auto local = r;
        local.point = indexOf.at(r.point);
        records.push_back(local);
    }
    auto res = metrics::faithfulnessFromRecords(ids, rows, run.sennAttribution, records);
    res.seconds = run.seconds;
    res.threads = run.threads;
    if (!args.json.empty() || args.figure.empty())
        writeRunResult(args.json, io::faithfulnessToJson(res), identity, shard, io::faithfulnessTimingJson(res));
    if (!args.figure.empty()) {
        ensureGuiApp();
        QString error;
        figureDone(ui::renderFaithfulnessFigure(res, QString::fromStdString(args.figure), &error), error, args.figure);
    }
    return 0;
}

Command addFaithfulnessCommand(CLI::App& app)
{
    auto faith = std::make_shared<MetricArgs>();
    auto methods = std::make_shared<std::string>();
    auto* f = app.add_subcommand("faithfulness", "Removal correlation per method over test points");
    addModelData(f, faith->model, faith->data);
    f->add_option("--methods", *methods, "Comma-separated methods")->required();
    addShardOptions(f, faith->shard, "Test points, evenly spaced over the test split, as the app picks "
                    "them (default: 50 tabular, 20 images), or all");
    addSeedAndThreads(f, *faith);
    addSharedMemory(f, *faith);
    f->add_option("--json", faith->json, "Write the result as JSON");
    f->add_option("--senn-attribution", faith->sennAttribution,
                  "SENN's removal correlation: theta_h (contributions θ·h, default) or theta (the paper's)")
        ->check(CLI::IsMember({"theta_h", "theta"}));
    f->add_option("--figure", faith->figure, "Render the box plot to .png, .svg or .pdf");
    auto measure = std::make_shared<std::string>();
    f->add_option("--measure", *measure,
                  "Comma-separated measures: removal, faithfulness-correlation, infidelity, deletion, insertion, "
                  "road, ris, ros, avg-sensitivity, max-sensitivity (default: the first three)");
    Command c;
    c.sub = f;
    c.check = [faith, measure] {
        if (!measure->empty())
            faith->measures = metrics::parseMeasureGroups(*measure);
        files::checkOutputs({{"--json", faith->json}, {"--figure", faith->figure}}, {faith->model, faith->data});
        faith->points = pointsCount(faith->shard.points);
        if (!faith->shard.shard.empty())
            parseShard(faith->shard.shard);
    };
    c.run = [faith, methods] {
        faith->methods = splitList(*methods);
        return cmdFaithfulness(*faith);
    };
    return c;
}

} // namespace senn::cli
