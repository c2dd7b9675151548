// `senn stability` (cli.md): perturbation-stability curves of each method over the points the
// app picks, written as the JSON shape of cli.md and, with --figure, the curves figure. With
// --shard the run computes its share of the points; every finished point goes to the results
// file beside --json, from which --resume continues and `senn merge` joins the shards.
#include "cli/attributions_option.h"
#include "cli/cli_numbers.h"
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/explainer_options.h"
#include "cli/metric_output.h"
#include "cli/options.h"
#include "cli/sharded_run.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/explain/explainer_args.h"
#include "core/io/metric_json.h"
#include "core/io/run_identity.h"
#include "core/metrics/metrics.h"
#include "core/metrics/run_records.h"
#include "ui/figures.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace senn::cli {

using nlohmann::json;

namespace {

int runStability(const MetricArgs& args, const explain::ExplainOptions& explainer)
{
    checkFigurePath(args.figure);
    const auto methods = parseMethods(args.methods);
    const Shard shard = args.shard.shard.empty() ? Shard{} : parseShard(args.shard.shard);
    if (args.json.empty() && (shard.n > 1 || args.shard.resume))
        throw Error(std::string(shard.n > 1 ? "--shard" : "--resume") +
                    " needs --json: the results file of the run goes beside it");
    auto ws = openModelAndData(args.model, args.data);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    const auto defaults = metrics::metricDefaults(ws.data.isImage());
    const int requested = pointsCount(args.shard.points);
    const auto points = metricPoints(ws, requested, defaults.stabilityPoints);
    const std::vector<double> eps = args.eps.empty() ? defaults.eps : args.eps;
    for (double e : eps)
        if (!(e > 0))
            throw Error("--eps: every ε must be positive");
    explain::ExplainOptions opts = explainer;
    opts.seed = args.seed; // the run's one seed
    opts.memoryBudget = args.memoryMb << 20; // core shares it among the points run in parallel
    metrics::StabilityOptions so;
    so.draws = metrics::drawsFromString(args.draws);
    so.threads = args.threads > 0 ? args.threads : allCores();

    // The run: every setting that changes a value (the shards of one run share them).
    std::vector<std::string> ids;
    for (auto m : methods)
        ids.push_back(explain::methodId(m));
    json settings = {{"methods", ids},
                     {"points", requested < 0 ? json("all") : json(points.size())},
                     {"eps", eps},
                     {"seed", args.seed},
                     {"draws", metrics::toString(so.draws)}};
    settings.update(explain::explainerSettings(opts)); // only those that differ from the defaults
    const json identity = io::runIdentity("stability", args.model, ws.data, args.data, settings, points.size());
    // Records of the finished points (by method and position in the run), read back on
    // --resume; the core skips those and records the others as they finish.
    ShardRecords<metrics::StabilityRecord> shardRun(points, shard, args.shard.resume, args.json, identity,
                                                  &io::recordToJson,
                                                  &io::stabilityRecordFromJson, args.shard.shard, ids);
    const auto& rows = shardRun.rows();
    so.skip = [&](size_t mi, size_t pi) { return shardRun.done(ids[mi], pi); };
    so.record = [&](const metrics::StabilityRecord& rec) { shardRun.add(rec); };

    warnIfReferenceBlas();
    ProgressPrinter printer("stability");
    auto run = metrics::stabilityCurves(methods, ws.model, ctx, rows, eps, opts, so, printer.callback());
    printer.finish(formatSeconds(run.seconds));

    const auto records = shardRun.records(); // point = index in `rows`
    auto res = metrics::stabilityFromRecords(ids, rows, eps, run.noiseDraws, run.draws, records);
    res.seconds = run.seconds;
    res.threads = run.threads;
    if (!args.json.empty() || args.figure.empty())
        writeRunResult(args.json, io::stabilityToJson(res, records), identity, shard, io::stabilityTimingJson(res));
    if (!args.figure.empty()) {
        ensureGuiApp();
        QString error;
        figureDone(ui::renderStabilityFigure(res, QString::fromStdString(args.figure), &error), error, args.figure);
    }
    return 0;
}

} // namespace

int cmdStability(const MetricArgs& args) { return runStability(args, {}); }

Command addStabilityCommand(CLI::App& app)
{
    auto stab = std::make_shared<MetricArgs>();
    auto methods = std::make_shared<std::string>();
    auto eps = std::make_shared<std::string>();
    auto explainer = std::make_shared<ExplainerArgs>();
    auto* s = app.add_subcommand("stability", "Perturbation-stability curves (local Lipschitz estimates)");
    addModelData(s, stab->model, stab->data);
    s->add_option("--methods", *methods, "Comma-separated methods")->required();
    addShardOptions(s, stab->shard, "Test points, evenly spaced over the test split, as the app picks "
                    "them (default: 20 tabular, 10 images), or all");
    s->add_option("--eps", *eps, "Comma-separated ε grid in training-std units (default: half "
                  "decades 0.001..1 tabular, fifth decades 0.1..1 images)");
    addSeedAndThreads(s, *stab);
    s->add_option("--draws", stab->draws, "Sampling methods at perturbed inputs: independent draws "
                  "(default) or the shared draws of x")->check(CLI::IsMember({"independent", "shared"}));
    addSharedMemory(s, *stab);
    addExplainerOptions(s, *explainer);
    s->add_option("--json", stab->json, "Write the curves as JSON");
    s->add_option("--figure", stab->figure, "Render the curves to .png, .svg or .pdf");
    refuseAttributions(s, "stability explains perturbed copies of each point again, which needs the method itself");
    Command c;
    c.sub = s;
    c.check = [stab, explainer] {
        explainerOptionsOf(*explainer); // a bad value stops here, before the model loads
        files::checkOutputs({{"--json", stab->json}, {"--figure", stab->figure}}, {stab->model, stab->data});
        stab->points = pointsCount(stab->shard.points);
        if (!stab->shard.shard.empty())
            parseShard(stab->shard.shard);
    };
    c.run = [stab, methods, eps, explainer] {
        stab->methods = splitList(*methods);
        for (const auto& v : splitList(*eps))
            stab->eps.push_back(parseReal("--eps", v, 0, 1000, true));
        if (stab->eps.size() > size_t(limits::kMaxEpsValues))
            throw Error("--eps: at most " + std::to_string(limits::kMaxEpsValues) + " values");
        return runStability(*stab, explainerOptionsOf(*explainer));
    };
    return c;
}

} // namespace senn::cli
