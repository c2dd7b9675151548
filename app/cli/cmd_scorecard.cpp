// `senn scorecard` (cli.md): every method × every measure over the points the app picks, each
// cell the median with a bootstrap interval and the method's rank, and the measures' agreement;
// written as JSON, CSV and a LaTeX table (core/metrics/scorecard_export.h). --attributions adds
// rows read from files (core/metrics/external_attributions.h).
#include "cli/attributions_option.h"
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/metric_output.h"
#include "cli/options.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/metrics/metrics.h"
#include "core/metrics/scorecard.h"
#include "core/metrics/scorecard_export.h"

#include <iostream>
#include <memory>

namespace senn::cli {

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
    auto ws = openModelAndData(m.model, m.data);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    const auto points = metricPoints(ws, m.points, metrics::metricDefaults(ws.data.isImage()).faithfulnessPoints);
    const auto external = openAttributions(args.attributions, ws);
    explain::ExplainOptions opts;
    opts.seed = m.seed; // the run's one seed
    opts.memoryBudget = m.memoryMb << 20;
    warnIfReferenceBlas();
    metrics::ScorecardOptions so;
    so.measures = measures;
    so.threads = m.threads > 0 ? m.threads : allCores();
    so.bootstrap = args.bootstrap;
    so.external = external;
    ProgressPrinter printer("scorecard");
    auto res = metrics::scorecard(methods, ws.model, ctx, points, opts, so, printer.callback());
    printer.finish(formatSeconds(res.seconds));
    std::cerr << "senn: " << metrics::agreementSentence(res.kendallW) << "\n";
    if (!m.json.empty() || (args.csv.empty() && args.latex.empty()))
        writeOrPrint(m.json, metrics::scorecardToJson(res));
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
    s->add_option("--points", m.points, "Test points, evenly spaced over the test split, as the app "
                  "picks them (default: 50 tabular, 20 images)")
        ->check(whole(1, limits::kMaxFaithfulnessPoints));
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
    };
    c.run = [args] { return cmdScorecard(*args); };
    return c;
}

} // namespace senn::cli
