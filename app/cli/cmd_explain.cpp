// `senn explain` (cli.md): open the model with its data and split, explain one example with
// each method, write the JSON shape of cli.md and, with --figure, the comparison figure.
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/explain_all.h"
#include "cli/metric_output.h"
#include "cli/options.h"
#include "cli/sharded_run.h"
#include "cli/truth_masks.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/explain/explanation.h"
#include "core/explain/uncertainty.h"
#include "core/io/explanation_json.h"
#include "ui/figures.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <limits>
#include <memory>

namespace senn::cli {

using nlohmann::json;

namespace {

// seedRuns > 1: each sampling method repeated over that many seeds (uncertainty.h), its
// intervals and order agreement in the JSON; 1 writes what a plain explanation writes.
int explainOne(const ExplainArgs& args, int seedRuns)
{
    checkFigurePath(args.figure);
    const auto methods = parseMethods(args.methods.empty() ? std::vector<std::string>{"senn"} : args.methods);
    auto ws = openModelAndData(args.model, args.data);
    const auto rows = rowsForSplit(ws, args.split);
    const int64_t row = rowAt(rows, args.index, args.split);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    const TruthMasks truth(ws, args.mask); // before any work: a mask that does not fit stops here
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
        auto e = explain::explainWithSeeds(m, ws.model, ctx, x, o, seedRuns, printer.callback());
        printer.finish(formatSeconds(e.seconds));
        out["explanations"].push_back(io::explanationToJson(e));
        all.push_back(std::move(e));
    }
    addLocalisation(out["explanations"], all, truth, row, ws.data.featureCount());
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

} // namespace

int cmdExplain(const ExplainArgs& args)
{
    return explainOne(args, 1);
}

Command addExplainCommand(CLI::App& app)
{
    auto ex = std::make_shared<ExplainArgs>();
    auto seedRuns = std::make_shared<int>(1);
    auto exMethods = std::make_shared<std::string>("senn");
    auto* x = app.add_subcommand("explain", "Explain one example with one or more methods");
    addModelData(x, ex->model, ex->data);
    auto* index = x->add_option("--index", ex->index, "Example index within --split, from 0 (or --all)")
                      ->check(whole(0, std::numeric_limits<int32_t>::max()));
    x->add_option("--split", ex->split, "test|val|train|all")
        ->check(CLI::IsMember({"test", "val", "train", "all"}));
    x->add_option("--methods", *exMethods, "Comma-separated methods");
    x->add_option("--target", ex->target, "Class to explain (default: the prediction)")
        ->check(whole(0, limits::kMaxClasses - 1));
    x->add_option("--background", ex->background, "mean|zeros|kmeans:K|sample:N");
    x->add_option("--samples", ex->samples, "Samples for LIME / KernelSHAP / permutations")
        ->check(whole(1, limits::kMaxSamples));
    x->add_option("--shap-keep", ex->shapKeep, "KernelSHAP: keep the top K features by LARS "
                  "(shap's l1_reg=\"num_features(K)\"); default all")
        ->check(whole(0, limits::kMaxShapKeep));
    x->add_option("--seed", ex->seed, "Seed")
        ->check(whole(0, std::numeric_limits<int64_t>::max()));
    x->add_option("--seed-runs", *seedRuns, "Repeat LIME, KernelSHAP, SmoothGrad and sampled Shapley with R "
                  "seeds (2.." + std::to_string(explain::kMaxSeedRuns) + "): an interval per value and the "
                  "agreement of each feature's rank over the runs; 1 = once (default)")
        ->check(whole(1, explain::kMaxSeedRuns));
    x->add_option("--output", ex->output, "Explained output of every method: logit (default) or "
                  "probability (SENN always gives θ)")->check(CLI::IsMember({"logit", "probability"}));
    x->add_option("--memory", ex->memoryMb, "Memory budget in MB for the explainers' batches (default: half the available memory); a job that cannot fit is refused up front")
        ->check(CLI::Range(int64_t(1), int64_t(1) << 24));
    x->add_option("--json", ex->json, "Write the explanations as JSON");
    x->add_option("--figure", ex->figure, "Render the comparison to .png, .svg or .pdf");
    x->add_option("--mask", ex->mask, "Score each explanation against a ground-truth mask: a .npy or "
                  "PNG of the input's shape, or 'decoy' (Decoy MNIST's patch); a unit model's own truth "
                  "is used without it");
    x->add_flag("--all", ex->all, "Explain every row of --split: one float32 array per method, "
                "OUT_METHOD.npy, and OUT.json listing rows, methods and shapes (--npy OUT)")
        ->excludes(index);
    x->add_option("--npy", ex->npy, "--all: the arrays' name OUT (OUT_METHOD.npy, OUT.json); with "
                  "--json FILE.json they are FILE_METHOD.npy");
    addShardOptions(x, ex->shard, "");
    Command c;
    c.sub = x;
    c.check = [ex, index, seedRuns] {
        if (!ex->all && index->count() == 0)
            throw Error("explain needs --index I (one example) or --all (every row of --split)");
        if (ex->all && *seedRuns > 1)
            throw Error("--seed-runs goes with one example (--index), not --all");
        if (ex->all && !ex->mask.empty())
            throw Error("--mask goes with one example (--index), not --all: use senn ground-truth for many points");
        if (!ex->all && (!ex->shard.shard.empty() || ex->shard.resume || !ex->npy.empty()))
            throw Error("--shard, --resume and --npy go with --all");
        if (!ex->shard.shard.empty())
            parseShard(ex->shard.shard);
        files::checkOutputs({{"--json", ex->json}, {"--figure", ex->figure}, {"--npy", ex->npy}}, {ex->model, ex->data});
    };
    c.run = [ex, exMethods, seedRuns] {
        ex->methods = splitList(*exMethods);
        return ex->all ? cmdExplainAll(*ex) : explainOne(*ex, *seedRuns);
    };
    return c;
}

} // namespace senn::cli
