// `senn explain`, `senn stability`, `senn faithfulness` and `senn prototypes` (cli.md): open the
// model with its data and split, run core's explainers / metrics, write the JSON shapes of cli.md.
#include "cli/cli_util.h"
#include "cli/options.h"
#include "core/common/error.h"
#include "core/common/limits.h"
#include "core/explain/explanation.h"
#include "core/io/explanation_json.h"
#include "core/metrics/metrics.h"
#include "core/common/system_info.h"
#include "ui/figures.h"

#include <QApplication>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <thread>

namespace senn::cli {

namespace {

using nlohmann::json;

// Figures are drawn by the app's own plot widgets, which need a QApplication; the CLI makes
// an offscreen one on first use (unless QT_QPA_PLATFORM says otherwise).
void ensureGuiApp()
{
    if (QCoreApplication::instance())
        return;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "senn";
    static char* argv[] = {name, nullptr};
    static QApplication app(argc, argv);
}

int allCores()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : int(n);
}

// The heavy commands say so when LibTorch runs on the slow reference BLAS.
void warnIfReferenceBlas()
{
    const auto w = common::blasWarning(common::systemInfo());
    if (!w.empty())
        std::cerr << "senn: " << w << "\n";
}

void checkFigurePath(const std::string& figure)
{
    if (figure.empty())
        return;
    auto dot = figure.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : figure.substr(dot);
    if (ext != ".png" && ext != ".svg" && ext != ".pdf")
        throw Error("--figure " + figure + ": unknown format; use a .png, .svg or .pdf file name");
}

void figureDone(bool ok, const QString& error, const std::string& path)
{
    if (!ok)
        throw Error("--figure " + path + ": " + (error.isEmpty() ? std::string("could not be written") : error.toStdString()));
    std::cerr << "senn: wrote " << path << "\n";
}

std::vector<explain::Method> parseMethods(const std::vector<std::string>& ids)
{
    if (ids.empty())
        throw Error("no methods given: pass --methods, e.g. --methods senn,lime,saliency");
    std::vector<explain::Method> out;
    for (const auto& id : ids)
        out.push_back(explain::methodFromId(id));
    return out;
}

json finite(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json finiteArray(const std::vector<double>& v)
{
    json a = json::array();
    for (double x : v)
        a.push_back(finite(x));
    return a;
}

// The app's rule (metrics::pickPoints over metrics::metricRows): `--points N` measures the rows
// the Stability and Faithfulness views measure with N points.
std::vector<int64_t> metricPoints(const io::Workspace& ws, int requested, int fallback)
{
    const auto& rows = metrics::metricRows(ws.split);
    if (rows.empty())
        throw Error("the test and validation splits of " + ws.data.source +
                    " are empty: there are no points to measure");
    return metrics::pickPoints(rows, requested > 0 ? requested : fallback);
}

void writeOrPrint(const std::string& path, const json& j)
{
    if (!path.empty())
        writeJsonFile(path, j);
    else
        std::cout << j.dump(2) << "\n";
}

} // namespace

int cmdExplain(const ExplainArgs& args)
{
    checkFigurePath(args.figure);
    const auto methods = parseMethods(args.methods.empty() ? std::vector<std::string>{"senn"} : args.methods);
    auto ws = openModelAndData(args.model, args.data);
    const auto rows = rowsForSplit(ws, args.split);
    const int64_t row = rowAt(rows, args.index, args.split);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    const float* x = ws.data.row(row);
    const auto probs = ws.model.probabilities(x, 1);
    const auto pred = ws.model.predict(x, 1)[0];

    explain::ExplainOptions opts;
    // The prediction is known: giving it as the target spares every explainer a forward pass
    // to find it again.
    opts.target = args.target >= 0 ? args.target : int(pred);
    opts.background = args.background;
    opts.samples = args.samples;
    opts.shapKeepFeatures = args.shapKeep;
    opts.seed = args.seed;
    opts.output = explain::outputFromId(args.output);
    opts.memoryBudget = args.memoryMb << 20;

    json out;
    out["index"] = args.index;
    out["output"] = explain::outputId(opts.output); // cli.md: which output of the target class was explained
    out["split"] = args.split;
    out["row"] = row;
    out["label"] = ws.data.y[size_t(row)];
    out["prediction"] = pred;
    out["probabilities"] = probs;
    out["classes"] = ws.model.meta().classNames;
    out["input"] = std::vector<float>(x, x + ws.data.featureCount());
    out["feature_names"] = ws.data.featureNames;
    out["explanations"] = json::array();
    std::vector<explain::Explanation> all;
    for (auto m : methods) {
        auto o = opts;
        if (m == explain::Method::Shapley && args.samples > 0 &&
            ws.data.featureCount() > o.exactShapleyMaxFeatures) {
            if (args.samples > limits::kMaxPermutations)
                throw Error("--samples: Shapley takes at most " +
                            std::to_string(limits::kMaxPermutations) + " permutations");
            o.permutations = args.samples; // --samples: permutations when exact is too costly
        }
        ProgressPrinter printer(explain::methodDisplayName(m));
        auto e = explain::explain(m, ws.model, ctx, x, o, printer.callback());
        printer.finish(formatSeconds(e.seconds));
        out["explanations"].push_back(io::explanationToJson(e));
        all.push_back(std::move(e));
    }
    if (!args.json.empty())
        writeJsonFile(args.json, out);
    else if (args.figure.empty())
        std::cout << out.dump(2) << "\n";
    if (!args.figure.empty()) {
        ensureGuiApp();
        QString error;
        const bool ok = ui::renderComparisonFigure(ws.data, row, all, QString::fromStdString(args.figure), &error);
        figureDone(ok, error, args.figure);
    }
    return 0;
}

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

int cmdPrototypes(const PrototypesArgs& args)
{
    checkFigurePath(args.figure);
    auto ws = openModelAndData(args.model, args.data);
    auto p = metrics::conceptPrototypes(ws.model, ws.data, ws.split.train, args.top);
    json out;
    out["k"] = p.k;
    out["split"] = "train";
    out["top"] = p.top;
    out["bottom"] = p.bottom;
    out["top_values"] = p.topValue;
    out["bottom_values"] = p.bottomValue;
    if (!args.json.empty() || args.figure.empty())
        writeOrPrint(args.json, out);
    if (!args.figure.empty()) {
        ensureGuiApp();
        QString error;
        figureDone(ui::renderPrototypesFigure(p, ws.data, QString::fromStdString(args.figure), &error), error, args.figure);
    }
    return 0;
}

} // namespace senn::cli
