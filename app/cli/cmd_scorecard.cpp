// `senn scorecard` (cli.md): every method × every measure over the points the app picks, each
// cell the median with a bootstrap interval and the method's rank, and the measures' agreement;
// written as JSON, CSV and a LaTeX table (core/metrics/scorecard_export.h). --attributions adds
// rows read from files (core/metrics/external_attributions.h). With --shard the run computes its
// share of the points; every finished (row, point) goes to the results file beside --json, from
// which --resume continues and `senn merge` joins the shards (scorecard_run.h).
#include "cli/attributions_option.h"
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/metric_output.h"
#include "cli/options.h"
#include "cli/scorecard_run.h"
#include "cli/sharded_run.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/io/run_identity.h"
#include "core/io/run_records_file.h"
#include "core/metrics/metrics.h"
#include "core/metrics/scorecard.h"
#include "core/metrics/scorecard_export.h"
#include "core/metrics/scorecard_records.h"

#include <iostream>
#include <map>
#include <memory>
#include <mutex>

namespace senn::cli {

using nlohmann::json;

namespace {

struct ScorecardArgs {
    MetricArgs metric;
    std::string methods, measures, csv, latex;
    int bootstrap = 1000;
    AttributionArgs attributions;
};

int cmdScorecard(const ScorecardArgs& args)
{
    const auto methods = parseMethods(splitList(args.methods));
    const auto measures = metrics::parseScorecardMeasures(args.measures); // before the model loads
    const MetricArgs& m = args.metric;
    const Shard shard = m.shard.shard.empty() ? Shard{} : parseShard(m.shard.shard);
    if (m.json.empty() && (shard.n > 1 || m.shard.resume))
        throw Error(std::string(shard.n > 1 ? "--shard" : "--resume") +
                    " needs --json: the results file of the run goes beside it");
    auto ws = openModelAndData(m.model, m.data);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    const int requested = pointsCount(m.shard.points);
    const auto points = metricPoints(ws, requested, metrics::metricDefaults(ws.data.isImage()).faithfulnessPoints);
    const auto external = openAttributions(args.attributions, ws);

    // The run: every setting that changes a value (the shards of one run share them).
    std::vector<std::string> ids;
    for (auto method : methods)
        ids.push_back(explain::methodId(method));
    json settings = {{"methods", ids},
                     {"measures", measures},
                     {"points", requested < 0 ? json("all") : json(points.size())},
                     {"seed", m.seed},
                     {"bootstrap", args.bootstrap}};
    if (!external.empty())
        settings["attributions"] = attributionsJson(args.attributions);
    if (!external.empty() && !args.attributions.split.empty())
        settings["attributions-split"] = args.attributions.split;
    ids = rowIdsOf(settings); // the methods, then the files
    const json identity = io::runIdentity("scorecard", m.model, ws.data, m.data, settings, points.size());
    // This process's points and the records of those finished: read back on --resume, the
    // others recorded as they finish.
    ShardRecords<metrics::ScorecardRecord> shardRun(points, shard, m.shard.resume, m.json, identity,
                                                    &metrics::scorecardRecordToJson,
                                                    &metrics::scorecardRecordFromJson, m.shard.shard, ids);
    const auto& rows = shardRun.rows();
    explain::ExplainOptions opts;
    opts.seed = m.seed; // the run's one seed
    opts.memoryBudget = m.memoryMb << 20;
    warnIfReferenceBlas();
    metrics::ScorecardOptions so;
    so.measures = measures;
    so.threads = m.threads > 0 ? m.threads : allCores();
    so.bootstrap = args.bootstrap;
    so.external = external;
    so.skip = [&](size_t row, size_t i) { return shardRun.done(ids[row], i); };
    so.record = [&](const metrics::ScorecardRecord& r) { shardRun.add(r); };
    ProgressPrinter printer("scorecard");
    const auto run = metrics::scorecard(methods, ws.model, ctx, rows, opts, so, printer.callback());
    printer.finish(formatSeconds(run.seconds));
    // The result from the records, so that a resumed shard, a merge and one whole run agree.
    auto res = metrics::scorecardFromRecords(run, rows, shardRun.records());
    res.seconds = run.seconds;
    res.threads = run.threads;
    std::cerr << "senn: " << metrics::agreementSentence(res.kendallW) << "\n";
    if (!m.json.empty() || (args.csv.empty() && args.latex.empty()))
        writeRunResult(m.json, scorecardValuesJson(res), identity, shard, scorecardTimingJson(res));
    if (!args.csv.empty())
        writeTextFile(args.csv, metrics::scorecardCsv(res));
    if (!args.latex.empty())
        writeTextFile(args.latex, metrics::scorecardLatex(res));
    return 0;
}

} // namespace

Command addScorecardCommand(CLI::App& app)
{
    auto args = std::make_shared<ScorecardArgs>();
    MetricArgs& m = args->metric;
    auto* s = app.add_subcommand("scorecard", "Methods × measures: medians with bootstrap intervals, "
                                              "ranks and the measures' agreement");
    addModelData(s, m.model, m.data);
    s->add_option("--methods", args->methods, "Comma-separated methods")->required();
    s->add_option("--measures", args->measures,
                  "Comma-separated measures (default: removal_correlation, faithfulness_correlation, "
                  "infidelity, sparseness, max_sensitivity and, where available, deletion_aopc)");
    addShardOptions(s, m.shard, "Test points, evenly spaced over the test split, as the app picks them "
                    "(default: 50 tabular, 20 images), or all");
    addSeedAndThreads(s, m);
    addSharedMemory(s, m);
    s->add_option("--bootstrap", args->bootstrap, "Bootstrap resamples per cell (default 1000; 0 = no interval)")
        ->check(whole(0, 100000));
    s->add_option("--json", m.json, "Write the scorecard as JSON (default: standard output)");
    s->add_option("--csv", args->csv, "Write one row per method and measure as CSV");
    s->add_option("--latex", args->latex, "Write a LaTeX booktabs table");
    addAttributionsOptions(s, args->attributions);
    Command c;
    c.sub = s;
    c.check = [args] {
        std::vector<std::string> inputs{args->metric.model, args->metric.data};
        for (const auto& s : attributionSources(args->attributions)) // the names, before the model loads
            inputs.push_back(s.path);
        files::checkOutputs({{"--json", args->metric.json}, {"--csv", args->csv}, {"--latex", args->latex}}, inputs);
        pointsCount(args->metric.shard.points);
        if (!args->metric.shard.shard.empty())
            parseShard(args->metric.shard.shard);
    };
    c.run = [args] { return cmdScorecard(*args); };
    return c;
}

} // namespace senn::cli
