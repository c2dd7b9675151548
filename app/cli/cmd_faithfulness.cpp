// `senn faithfulness` (cli.md): removal correlation, faithfulness correlation and infidelity of
// each method over the points the app picks, as the JSON shape of cli.md and, with --figure,
// the box plot.
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/metric_output.h"
#include "cli/options.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/metrics/metrics.h"
#include "ui/figures.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace senn::cli {

using nlohmann::json;

int cmdFaithfulness(const MetricArgs& args)
{
    checkFigurePath(args.figure);
    const auto methods = parseMethods(args.methods);
    auto ws = openModelAndData(args.model, args.data);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    const auto points = metricPoints(ws, args.points, metrics::metricDefaults(ws.data.isImage()).faithfulnessPoints);
    explain::ExplainOptions opts;
    opts.seed = args.seed;
    opts.memoryBudget = args.memoryMb << 20; // core shares it among the points run in parallel
    warnIfReferenceBlas();
    metrics::FaithfulnessOptions fo;
    fo.threads = args.threads > 0 ? args.threads : allCores();
    fo.sennTheta = args.sennAttribution == "theta";
    ProgressPrinter printer("faithfulness");
    auto res = metrics::faithfulness(methods, ws.model, ctx, points, opts, fo, printer.callback());
    printer.finish(formatSeconds(res.seconds));
    json out;
    out["points"] = res.points;
    out["seconds"] = res.seconds;
    out["threads"] = res.threads;
    out["senn_attribution"] = res.sennAttribution;
    out["methods"] = json::object();
    for (const auto& [id, m] : res.methods)
        out["methods"][id] = {{"per_point", finiteArray(m.perPoint)},
                              {"median", finite(m.median)},
                              {"faithfulness_correlation", finiteArray(m.faithfulnessCorrelation)},
                              {"infidelity", finiteArray(m.infidelity)},
                              {"infidelity_normalized", finiteArray(m.infidelityNormalized)},
                              {"point_seconds", finiteArray(m.seconds)}};
    if (!args.json.empty() || args.figure.empty())
        writeOrPrint(args.json, out);
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
    f->add_option("--points", faith->points, "Test points, evenly spaced over the test split, as the app "
                  "picks them (default: 50 tabular, 20 images)")
        ->check(whole(1, limits::kMaxFaithfulnessPoints));
    addSeedAndThreads(f, *faith);
    addSharedMemory(f, *faith);
    f->add_option("--json", faith->json, "Write the result as JSON");
    f->add_option("--senn-attribution", faith->sennAttribution,
                  "SENN's removal correlation: theta_h (contributions θ·h, default) or theta (the paper's)")
        ->check(CLI::IsMember({"theta_h", "theta"}));
    f->add_option("--figure", faith->figure, "Render the box plot to .png, .svg or .pdf");
    Command c;
    c.sub = f;
    c.check = [faith] {
        files::checkOutputs({{"--json", faith->json}, {"--figure", faith->figure}}, {faith->model, faith->data});
    };
    c.run = [faith, methods] {
        faith->methods = splitList(*methods);
        return cmdFaithfulness(*faith);
    };
    return c;
}

} // namespace senn::cli
