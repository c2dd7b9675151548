// `senn stability` (cli.md): perturbation-stability curves of each method over the points the
// app picks, written as the JSON shape of cli.md and, with --figure, the curves figure.
#include "cli/cli_numbers.h"
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

int cmdStability(const MetricArgs& args)
{
    checkFigurePath(args.figure);
    const auto methods = parseMethods(args.methods);
    auto ws = openModelAndData(args.model, args.data);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    const auto defaults = metrics::metricDefaults(ws.data.isImage());
    const auto points = metricPoints(ws, args.points, defaults.stabilityPoints);
    const std::vector<double> eps = args.eps.empty() ? defaults.eps : args.eps;
    for (double e : eps)
        if (!(e > 0))
            throw Error("--eps: every ε must be positive");
    explain::ExplainOptions opts;
    opts.seed = args.seed; // the run's one seed
    opts.memoryBudget = args.memoryMb << 20; // core shares it among the points run in parallel
    warnIfReferenceBlas();
    metrics::StabilityOptions so;
    so.draws = metrics::drawsFromString(args.draws);
    so.threads = args.threads > 0 ? args.threads : allCores();
    ProgressPrinter printer("stability");
    auto res = metrics::stabilityCurves(methods, ws.model, ctx, points, eps, opts, so, printer.callback());
    printer.finish(formatSeconds(res.seconds));
    json out;
    out["eps"] = res.eps;
    out["points"] = res.points;
    out["seconds"] = res.seconds;
    out["draws"] = res.draws;
    out["threads"] = res.threads;
    out["point_seconds"] = json::object();
    for (const auto& [id, v] : res.pointSeconds)
        out["point_seconds"][id] = finiteArray(v);
    out["perturbed_accuracy"] = finiteArray(res.perturbedAccuracy);
    auto curveJson = [](const metrics::Curve& c) {
        json perPoint = json::array();
        for (const auto& v : c.perPoint)
            perPoint.push_back(finiteArray(v));
        return json{{"median", finiteArray(c.median)},
                    {"q25", finiteArray(c.q25)},
                    {"q75", finiteArray(c.q75)},
                    {"per_point", perPoint}};
    };
    out["methods"] = json::object();
    for (const auto& [id, c] : res.methods)
        out["methods"][id] = curveJson(c);
    // metrics.md's second curve: ||e(x') − e(x)|| / ||e(x)|| at Gaussian noise σ = each ε.
    out["noise_draws"] = res.noiseDraws;
    out["prediction_kept"] = finiteArray(res.predictionKept);
    out["noisy_accuracy"] = finiteArray(res.noisyAccuracy);
    out["moves"] = json::object();
    for (const auto& [id, c] : res.moves)
        out["moves"][id] = curveJson(c);
    if (!args.json.empty() || args.figure.empty())
        writeOrPrint(args.json, out);
    if (!args.figure.empty()) {
        ensureGuiApp();
        QString error;
        figureDone(ui::renderStabilityFigure(res, QString::fromStdString(args.figure), &error), error, args.figure);
    }
    return 0;
}

Command addStabilityCommand(CLI::App& app)
{
    auto stab = std::make_shared<MetricArgs>();
    auto methods = std::make_shared<std::string>();
    auto eps = std::make_shared<std::string>();
    auto* s = app.add_subcommand("stability", "Perturbation-stability curves (local Lipschitz estimates)");
    addModelData(s, stab->model, stab->data);
    s->add_option("--methods", *methods, "Comma-separated methods")->required();
    s->add_option("--points", stab->points, "Test points, evenly spaced over the test split, as the app "
                  "picks them (default: 20 tabular, 10 images)")
        ->check(whole(1, limits::kMaxStabilityPoints));
    s->add_option("--eps", *eps, "Comma-separated ε grid in training-std units (default: half "
                  "decades 0.001..1 tabular, fifth decades 0.1..1 images)");
    addSeedAndThreads(s, *stab);
    s->add_option("--draws", stab->draws, "Sampling methods at perturbed inputs: independent draws "
                  "(default) or the shared draws of x")->check(CLI::IsMember({"independent", "shared"}));
    addSharedMemory(s, *stab);
    s->add_option("--json", stab->json, "Write the curves as JSON");
    s->add_option("--figure", stab->figure, "Render the curves to .png, .svg or .pdf");
    Command c;
    c.sub = s;
    c.check = [stab] {
        files::checkOutputs({{"--json", stab->json}, {"--figure", stab->figure}}, {stab->model, stab->data});
    };
    c.run = [stab, methods, eps] {
        stab->methods = splitList(*methods);
        for (const auto& v : splitList(*eps))
            stab->eps.push_back(parseReal("--eps", v, 0, 1000, true));
        if (stab->eps.size() > size_t(limits::kMaxEpsValues))
            throw Error("--eps: at most " + std::to_string(limits::kMaxEpsValues) + " values");
        return cmdStability(*stab);
    };
    return c;
}

} // namespace senn::cli
