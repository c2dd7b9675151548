// `senn sanity` (cli.md): the model randomisation checks (cascading or independent), with the
// random-logit and data randomisation tests on request, as JSON and, with --figure, the
// randomisation figure with one example's explanations at every step.
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/metric_output.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/metrics/metrics.h"
#include "core/metrics/sanity.h"
#include "core/metrics/similarity.h"
#include "ui/plots/sanity_figure.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <memory>

namespace senn::cli {

using nlohmann::json;

namespace {

struct SanityArgs {
    std::string model, data, methods, mode = "cascading", measure = "spearman_abs", json, figure;
    int points = 0, epochs = 5, threads = 0;
    bool randomLogit = false, dataRandomisation = false;
    uint64_t seed = 0;
    int64_t memoryMb = 0;
};

json seriesJson(const metrics::SimilaritySeries& s)
{
    json perPoint = json::array();
    for (const auto& v : s.perPoint)
        perPoint.push_back(finiteArray(v));
    return {{"median", finiteArray(s.median)}, {"q25", finiteArray(s.q25)}, {"q75", finiteArray(s.q75)},
            {"per_point", perPoint}};
}

json byMeasure(const std::map<std::string, std::vector<double>>& m)
{
    json out = json::object();
    for (const auto& [measure, v] : m)
        out[measure] = finiteArray(v);
    return out;
}

json sanityToJson(const metrics::SanityResult& r)
{
    json out;
    out["mode"] = r.mode;
    out["seed"] = r.seed;
    out["threads"] = r.threads;
    out["seconds"] = r.seconds;
    out["cancelled"] = r.cancelled;
    out["points"] = r.points;
    out["targets"] = r.targets;
    out["layers"] = r.layers;
    out["steps"] = r.steps;
    out["measures"] = metrics::similarityMeasures();
    out["methods"] = json::object();
    for (const auto& id : r.methods) {
        const auto& m = r.results.at(id);
        json j;
        j["steps"] = json::object();
        for (const auto& [measure, s] : m.steps)
            j["steps"][measure] = seriesJson(s);
        if (r.randomLogit)
            j["random_logit"] = byMeasure(m.randomLogit);
        if (r.dataRandomisation)
            j["data_randomisation"] = byMeasure(m.dataRandomisation);
        out["methods"][id] = j;
    }
    if (r.randomLogit)
        out["random_logit"] = {{"targets", r.randomTargets}};
    if (r.dataRandomisation)
        out["data_randomisation"] = {{"epochs", r.randomisedEpochs}, {"test_accuracy", finite(r.randomisedAccuracy)}};
    return out;
}

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
    auto ws = openModelAndData(args.model, args.data);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    const auto points = metricPoints(ws, args.points, metrics::metricDefaults(ws.data.isImage()).stabilityPoints);
    explain::ExplainOptions opts;
    opts.seed = args.seed; // the run's one seed
    opts.memoryBudget = args.memoryMb << 20;
    metrics::SanityOptions so;
    so.mode = metrics::sanityModeFromString(args.mode);
    so.randomLogit = args.randomLogit;
    so.dataRandomisation = args.dataRandomisation;
    so.epochs = args.epochs;
    so.split = &ws.split;
    so.threads = args.threads > 0 ? args.threads : allCores();
    warnIfReferenceBlas();
    ProgressPrinter printer("sanity");
    auto res = metrics::sanityChecks(methods, ws.model, ctx, points, opts, so, printer.callback());
    printer.finish(formatSeconds(res.seconds));
    if (!args.json.empty() || args.figure.empty())
        writeOrPrint(args.json, sanityToJson(res));
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
    s->add_option("--points", a->points, "Test points, evenly spaced over the test split, as the app "
                  "picks them (default: 20 tabular, 10 images)")
        ->check(whole(1, limits::kMaxStabilityPoints));
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
    s->add_option("--json", a->json, "Write the result as JSON");
    s->add_option("--figure", a->figure, "Render the randomisation figure to .png, .svg or .pdf");
    Command c;
    c.sub = s;
    c.check = [a] { files::checkOutputs({{"--json", a->json}, {"--figure", a->figure}}, {a->model, a->data}); };
    c.run = [a] { return cmdSanity(*a); };
    return c;
}

} // namespace senn::cli
