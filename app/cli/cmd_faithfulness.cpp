// `senn faithfulness` (cli.md): removal correlation, faithfulness correlation and infidelity
// (or the measures --measure names) of each method over the points the app picks, as the
// JSON shape of cli.md and, with --figure, the box plot. With --shard the run computes its
// share of the points; every finished point goes to the results file beside --json, from
// which --resume continues and `senn merge` joins the shards. --attributions adds rows read from
// files (core/metrics/external_attributions.h).
#include "cli/attributions_option.h"
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
#include "core/metrics/external_attributions.h"
#include "core/metrics/measures.h"
#include "core/metrics/metrics.h"
#include "core/metrics/run_records.h"
#include "ui/figures.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace senn::cli {

using nlohmann::json;

namespace {

int runFaithfulness(const MetricArgs& args, const AttributionArgs& attributions,
                    const explain::ExplainOptions& explainer)
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
    const auto external = openAttributions(attributions, ws);
    explain::ExplainOptions opts = explainer;
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
    settings.update(explain::explainerSettings(opts)); // only those that differ from the defaults
    if (!fo.measures.empty())
        settings["measure"] = fo.measures;
    if (!external.empty())
        settings["attributions"] = attributionsJson(attributions);
    if (!external.empty() && !attributions.split.empty())
        settings["attributions-split"] = attributions.split;
    ids = rowIdsOf(settings); // the methods, then the files
    const json identity = io::runIdentity("faithfulness", args.model, ws.data, args.data, settings, points.size());
    // Records of the finished points (by method and position in the run), read back on
    // --resume; the core skips those and records the others as they finish.
    ShardRecords<metrics::FaithfulnessRecord> shardRun(points, shard, args.shard.resume, args.json, identity,
                                                  &io::recordToJson,
                                                  &io::faithfulnessRecordFromJson, args.shard.shard, ids);
    const auto& rows = shardRun.rows();
    fo.skip = [&](size_t mi, size_t pi) { return shardRun.done(ids[mi], pi); };
    fo.record = [&](const metrics::FaithfulnessRecord& rec) { shardRun.add(rec); };

    warnIfReferenceBlas();
    ProgressPrinter printer("faithfulness");
    auto run = metrics::faithfulness(methods, external, ws.model, ctx, rows, opts, fo, printer.callback());
    printer.finish(formatSeconds(run.seconds));

    const auto records = shardRun.records(); // point = index in `rows`
    auto res = metrics::faithfulnessFromRecords(ids, rows, run.sennAttribution, records);
    res.seconds = run.seconds;
    res.threads = run.threads;
    if (!args.json.empty() || args.figure.empty()) {
        json out = io::faithfulnessToJson(res);
        markAttributionRows(out, settings.value("attributions", json::object()));
        writeRunResult(args.json, out, identity, shard, io::faithfulnessTimingJson(res));
    }
    if (!args.figure.empty()) {
        ensureGuiApp();
        QString error;
        figureDone(ui::renderFaithfulnessFigure(res, QString::fromStdString(args.figure), &error), error, args.figure);
    }
    return 0;
}

} // namespace

int cmdFaithfulness(const MetricArgs& args) { return runFaithfulness(args, {}, {}); }

Command addFaithfulnessCommand(CLI::App& app)
{
    auto faith = std::make_shared<MetricArgs>();
    auto attributions = std::make_shared<AttributionArgs>();
    auto methods = std::make_shared<std::string>();
    auto explainer = std::make_shared<ExplainerArgs>();
    auto* f = app.add_subcommand("faithfulness", "Removal correlation per method over test points");
    addModelData(f, faith->model, faith->data);
    f->add_option("--methods", *methods, "Comma-separated methods")->required();
    addShardOptions(f, faith->shard, "Test points, evenly spaced over the test split, as the app picks "
                    "them (default: 50 tabular, 20 images), or all");
    addSeedAndThreads(f, *faith);
    addSharedMemory(f, *faith);
    addExplainerOptions(f, *explainer);
    f->add_option("--json", faith->json, "Write the result as JSON");
    f->add_option("--senn-attribution", faith->sennAttribution,
                  "SENN's removal correlation: theta_h (contributions θ·h, default) or theta (the paper's)")
        ->check(CLI::IsMember({"theta_h", "theta"}));
    f->add_option("--figure", faith->figure, "Render the box plot to .png, .svg or .pdf");
    auto measure = std::make_shared<std::string>();
    addAttributionsOptions(f, *attributions);
    f->add_option("--measure", *measure,
                  "Comma-separated measures: removal, faithfulness-correlation, infidelity, deletion, insertion, "
                  "road, ris, ros, avg-sensitivity, max-sensitivity (default: the first three)");
    Command c;
    c.sub = f;
    c.check = [faith, measure, attributions, explainer] {
        explainerOptionsOf(*explainer); // a bad value stops here, before the model loads
        if (!measure->empty())
            faith->measures = metrics::parseMeasureGroups(*measure);
        std::vector<std::string> inputs{faith->model, faith->data};
        for (const auto& s : attributionSources(*attributions)) // the names, before the model loads
            inputs.push_back(s.path);
        files::checkOutputs({{"--json", faith->json}, {"--figure", faith->figure}}, inputs);
        faith->points = pointsCount(faith->shard.points);
        if (!faith->shard.shard.empty())
            parseShard(faith->shard.shard);
    };
    c.run = [faith, methods, attributions, explainer] {
        faith->methods = splitList(*methods);
        return runFaithfulness(*faith, *attributions, explainerOptionsOf(*explainer));
    };
    return c;
}

} // namespace senn::cli
