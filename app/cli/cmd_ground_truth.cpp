// `senn ground-truth` (cli.md): every method explains the chosen points and is scored against
// a known truth (the unit model's own, a mask file, or the Decoy patch); --make writes a unit
// model first. JSON per method: the scores per point and their summaries. --attributions scores
// files of attributions computed elsewhere the same way (core/metrics/external_attributions.h).
#include "cli/attributions_option.h"
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/metric_output.h"
#include "cli/truth_masks.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/data/loader.h"
#include "core/io/ground_truth.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

namespace senn::cli {

using nlohmann::json;

namespace {

struct GroundTruthArgs {
    std::string model, data, mask, make, json;
    std::string methods = "saliency,grad-input,integrated-gradients,smoothgrad,occlusion,lime,kernel-shap,shapley";
    int points = 0;
    uint64_t seed = 0;
    bool absolute = false;
    std::string output = "logit";
    AttributionArgs attributions;
};

constexpr int kDefaultPoints = 20;

// The scores of one method, one vector per score.
struct Scores {
    std::vector<double> mass, rank, pointing, topK, irrelevant;
    double seconds = 0;
    void add(const metrics::LocalisationScores& s)
    {
        mass.push_back(s.massAccuracy);
        rank.push_back(s.rankAccuracy);
        pointing.push_back(s.pointingGame);
        topK.push_back(s.topKIntersection);
        irrelevant.push_back(s.irrelevantMass);
    }
};

json summaryJson(const std::vector<double>& v)
{
    const auto s = metrics::summarise(v);
    return {{"median", finite(s.median)}, {"max", finite(s.max)}, {"mean", finite(s.mean)}, {"n", s.n}};
}

std::string cell(double v)
{
    if (!std::isfinite(v))
        return "    -";
    char b[16];
    std::snprintf(b, sizeof b, "%5.3f", v);
    return b;
}

int cmdGroundTruth(const GroundTruthArgs& a)
{
    if (!a.make.empty()) {
        const auto data = data::loadDataset(a.data);
        const auto truth = io::writeUnitModel(a.make, data, a.model);
        std::cerr << "wrote " << a.model << ": " << truth.description << "\n";
    }
    const auto methods = parseMethods(splitList(a.methods));
    auto ws = openModelAndData(a.model, a.data);
    const TruthMasks masks(ws, a.mask);
    if (!masks.any())
        throw Error(a.model + " carries no ground truth: give --mask FILE (a .npy or PNG of the input's "
                    "shape), --mask decoy (Decoy MNIST), or a unit model (--make linear|interaction|patch)");
    const auto points = metricPoints(ws, a.points, kDefaultPoints);
    const auto external = openAttributions(a.attributions, ws);
    for (const auto& ext : external)
        ext->check(points); // a missing row or NaN before the methods' work
    const auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    metrics::LocalisationOptions lo;
    lo.absolute = a.absolute;

    json out;
    out["model"] = a.model;
    out["data"] = a.data;
    out["truth"] = masks.describe();
    out["absolute"] = a.absolute;
    out["output"] = a.output;
    out["seed"] = a.seed;
    out["points"] = points;
    out["methods"] = json::array();
    const int64_t d = ws.data.featureCount();
    std::ostringstream table; // on stderr with the progress: stdout is the JSON's when --json is not given
    table << "method                 irrelevant mass      mass acc.  rank acc.  pointing\n"
                 "                       median     max       median     median     mean\n";
    // The methods' rows, then the files': each row explains (or reads) a point its own way.
    struct Row {
        std::string id, name, source;
        std::function<explain::Explanation(const float* x, int target, int64_t row)> explainAt;
    };
    std::vector<Row> rowsToScore;
    for (auto m : methods)
        rowsToScore.push_back({explain::methodId(m), explain::methodDisplayName(m), "",
                               [&, m](const float* x, int target, int64_t) {
                                   explain::ExplainOptions o;
                                   o.target = target;
                                   o.seed = a.seed;
                                   o.output = explain::outputFromId(a.output);
                                   return explain::explain(m, ws.model, ctx, x, o);
                               }});
    for (const auto& ext : external)
        rowsToScore.push_back({ext->name(), ext->name(), ext->path(), [&, ext](const float*, int target, int64_t row) {
                                   auto e = ext->at(row);
                                   e.target = target;
                                   e.output = explain::outputFromId(a.output);
                                   return e;
                               }});
    for (const auto& r : rowsToScore) {
        Scores s;
        ProgressPrinter printer(r.name);
        bool onInput = true;
        for (size_t i = 0; i < points.size() && onInput; ++i) {
            const int64_t row = points[i];
            const float* x = ws.data.row(row);
            const auto e = r.explainAt(x, int(ws.model.predict(x, 1)[0]), row);
            onInput = metrics::onInput(e, d);
            if (onInput)
                s.add(metrics::localisation(e, masks.forRow(row), lo));
            s.seconds += e.seconds;
            printer.update(double(i + 1) / double(points.size()),
                           std::to_string(i + 1) + "/" + std::to_string(points.size()) + " points");
        }
        printer.finish(formatSeconds(s.seconds));
        json j;
        j["method"] = r.id;
        j["name"] = r.name;
        if (!r.source.empty())
            j["source"] = r.source;
        j["seconds"] = s.seconds;
        if (!onInput) {
            j["skipped"] = "its values are on concepts, not on the input";
            out["methods"].push_back(j);
            continue;
        }
        j["per_point"] = {{"mass_accuracy", finiteArray(s.mass)},     {"rank_accuracy", finiteArray(s.rank)},
                          {"pointing_game", finiteArray(s.pointing)}, {"top_k_intersection", finiteArray(s.topK)},
                          {"irrelevant_mass", finiteArray(s.irrelevant)}};
        j["summary"] = {{"mass_accuracy", summaryJson(s.mass)},     {"rank_accuracy", summaryJson(s.rank)},
                        {"pointing_game", summaryJson(s.pointing)}, {"top_k_intersection", summaryJson(s.topK)},
                        {"irrelevant_mass", summaryJson(s.irrelevant)}};
        out["methods"].push_back(j);
        const auto irr = metrics::summarise(s.irrelevant);
        std::string name = r.name;
        size_t shown = 0; // characters, not bytes: "Gradient × input"
        for (unsigned char ch : name)
            shown += (ch & 0xC0) != 0x80 ? 1 : 0;
        name.append(shown < 22 ? 22 - shown : 0, ' ');
        table << name << " " << cell(irr.median) << "      " << cell(irr.max) << "     "
                  << cell(metrics::summarise(s.mass).median) << "      " << cell(metrics::summarise(s.rank).median)
                  << "      " << cell(metrics::summarise(s.pointing).mean) << "\n";
    }
    std::cerr << table.str();
    writeOrPrint(a.json, out);
    return 0;
}

} // namespace

Command addGroundTruthCommand(CLI::App& app)
{
    auto args = std::make_shared<GroundTruthArgs>();
    auto* g = app.add_subcommand("ground-truth", "Score explanations against a known truth: a unit "
                                                  "model's relevant features, a mask, or the Decoy patch");
    addModelData(g, args->model, args->data);
    g->add_option("--methods", args->methods, "Comma-separated methods (default: every post-hoc method)");
    g->add_option("--points", args->points, "Points of the test split (evenly spaced, as the metric "
                                            "commands pick them; default 20)")
        ->check(whole(1, std::numeric_limits<int32_t>::max()));
    g->add_option("--mask", args->mask, "The truth: a .npy or PNG mask of the input's shape, or "
                                        "'decoy' (Decoy MNIST's patch); default: the model's own");
    g->add_option("--make", args->make, "First write the unit model linear|interaction|patch, fitted "
                                        "on --data, to --model (TorchScript)")
        ->check(CLI::IsMember(io::unitModelIds()));
    g->add_flag("--absolute", args->absolute, "Score |attribution| (default: the positive part)");
    g->add_option("--output", args->output, "Explained output: logit (default) or probability")
        ->check(CLI::IsMember({"logit", "probability"}));
    g->add_option("--seed", args->seed, "Seed")->check(whole(0, std::numeric_limits<int64_t>::max()));
    g->add_option("--json", args->json, "Write the scores as JSON");
    addAttributionsOptions(g, args->attributions);
    Command c;
    c.sub = g;
    c.check = [args] {
        std::vector<files::Output> outs{{"--json", args->json}};
        if (!args->make.empty())
            outs.push_back({"--model", args->model});
        auto inputs = args->make.empty() ? std::vector<std::string>{args->model, args->data}
                                         : std::vector<std::string>{args->data};
        for (const auto& s : attributionSources(args->attributions)) // the names, before any work
            inputs.push_back(s.path);
        files::checkOutputs(outs, inputs);
    };
    c.run = [args] { return cmdGroundTruth(*args); };
    return c;
}

} // namespace senn::cli
