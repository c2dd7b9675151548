// `senn ground-truth` (cli.md): every method explains the chosen points and is scored against
// a known truth (the unit model's own, a mask file, or the Decoy patch); --make writes a unit
// model first. JSON per method: the scores per point and their summaries. --attributions scores
// files of attributions computed elsewhere the same way (core/metrics/external_attributions.h).
// With --shard the run computes its share of the points; every finished (method, point) goes to
// the results file beside --json, from which --resume continues and `senn merge` joins the
// shards (ground_truth_run.h).
#include "cli/attributions_option.h"
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/ground_truth_run.h"
#include "cli/metric_output.h"
#include "cli/options.h"
#include "cli/sharded_run.h"
#include "cli/truth_masks.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/data/loader.h"
#include "core/io/ground_truth.h"
#include "core/io/run_identity.h"
#include "core/io/run_records_file.h"
#include "core/metrics/ground_truth_records.h"
#include "core/metrics/localisation.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

namespace senn::cli {

using nlohmann::json;

namespace {

struct GroundTruthArgs {
    std::string model, data, mask, make, json;
    std::string methods = "saliency,grad-input,integrated-gradients,smoothgrad,occlusion,lime,kernel-shap,shapley";
    uint64_t seed = 0;
    int threads = 0;
    int64_t memoryMb = 0;
    bool absolute = false;
    std::string output = "logit";
    AttributionArgs attributions;
    ShardArgs shard; // --shard, --resume, --points N|all
};

constexpr int kDefaultPoints = 20;

std::string cell(double v)
{
    if (!std::isfinite(v))
        return "    -";
    char b[16];
    std::snprintf(b, sizeof b, "%5.3f", v);
    return b;
}

std::string table(const metrics::GroundTruthResult& res)
{
    std::ostringstream t;
    t << "method                 irrelevant mass      mass acc.  rank acc.  pointing\n"
         "                       median     max       median     median     mean\n";
    for (const auto& m : res.methods) {
        std::string name = m.name;
        size_t shown = 0; // characters, not bytes: "Gradient × input"
        for (unsigned char ch : name)
            shown += (ch & 0xC0) != 0x80 ? 1 : 0;
        name.append(shown < 22 ? 22 - shown : 0, ' ');
        if (m.skipped) {
            t << name << " skipped: its values are on concepts, not on the input\n";
            continue;
        }
        const auto irr = metrics::summarise(m.irrelevant);
        t << name << " " << cell(irr.median) << "      " << cell(irr.max) << "     "
          << cell(metrics::summarise(m.mass).median) << "      " << cell(metrics::summarise(m.rank).median)
          << "      " << cell(metrics::summarise(m.pointing).mean) << "\n";
    }
    return t.str();
}

int cmdGroundTruth(const GroundTruthArgs& a)
{
    const Shard shard = a.shard.shard.empty() ? Shard{} : parseShard(a.shard.shard);
    if (a.json.empty() && (shard.n > 1 || a.shard.resume))
        throw Error(std::string(shard.n > 1 ? "--shard" : "--resume") +
                    " needs --json: the results file of the run goes beside it");
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
    const int requested = pointsCount(a.shard.points);
    const auto points = metricPoints(ws, requested, kDefaultPoints);
    const auto external = openAttributions(a.attributions, ws);
    const auto ctx = explain::ExplainContext::make(ws.data, ws.split);
    metrics::LocalisationOptions lo;
    lo.absolute = a.absolute;

    // The run: every setting that changes a value (the shards of one run share them).
    std::vector<std::string> ids;
    for (auto m : methods)
        ids.push_back(explain::methodId(m));
    json settings = {{"methods", ids},
                     {"points", requested < 0 ? json("all") : json(points.size())},
                     {"seed", a.seed},
                     {"absolute", a.absolute},
                     {"output", a.output},
                     {"mask", a.mask.empty() ? json() : json(a.mask)}};
    if (!external.empty())
        settings["attributions"] = attributionsJson(a.attributions);
    if (!external.empty() && !a.attributions.split.empty())
        settings["attributions-split"] = a.attributions.split;
    const json identity = io::runIdentity("ground-truth", a.model, ws.data, a.data, settings, points.size());
    const auto rowIds = rowIdsOf(settings); // the methods, then the files
    // This process's points and the records of those finished: read back on --resume, the
    // others recorded as they finish.
    ShardRecords<metrics::GroundTruthRecord> shardRun(points, shard, a.shard.resume, a.json, identity,
                                                      &metrics::groundTruthRecordToJson,
                                                      &metrics::groundTruthRecordFromJson, a.shard.shard, rowIds);
    const auto& rows = shardRun.rows();
    std::mutex progressMutex;
    for (const auto& ext : external)
        ext->check(rows); // a missing row or NaN before the methods' work

    const int threads = a.threads > 0 ? a.threads : allCores();
    warnIfReferenceBlas();
    // The methods' rows, then the files': each row explains (or reads) a point its own way. Every
    // point is explained with the run's seed, as a single explanation is: a point's values depend
    // on the seed and its row alone, never on which other points run or in which shard.
    struct Row {
        metrics::GroundTruthMethod layout;
        std::function<explain::Explanation(const float* x, int target, int64_t row)> explainAt;
    };
    std::vector<Row> toScore;
    explain::ExplainOptions base;
    base.seed = a.seed;
    base.output = explain::outputFromId(a.output);
    if (a.memoryMb > 0) // shared by the points in flight
        base.memoryBudget = std::max<int64_t>(1, (a.memoryMb << 20) / threads);
    for (auto m : methods) {
        metrics::GroundTruthMethod l;
        l.id = explain::methodId(m);
        l.name = explain::methodDisplayName(m);
        toScore.push_back({l, [&, m](const float* x, int target, int64_t) {
                               explain::ExplainOptions o = base;
                               o.target = target;
                               return explain::explain(m, ws.model, ctx, x, o);
                           }});
    }
    for (const auto& ext : external) {
        metrics::GroundTruthMethod l;
        l.id = l.name = ext->name();
        l.source = ext->path();
        toScore.push_back({l, [&, ext](const float*, int target, int64_t row) {
                               auto e = ext->at(row);
                               e.target = target;
                               e.output = explain::outputFromId(a.output);
                               return e;
                           }});
    }
    const int64_t d = ws.data.featureCount();
    const auto started = std::chrono::steady_clock::now();
    ProgressPrinter printer("ground truth");
    size_t finished = 0;
    const size_t total = toScore.size() * rows.size();
    for (const auto& r : toScore) {
        std::vector<size_t> pending;
        for (size_t i = 0; i < rows.size(); ++i)
            if (!shardRun.done(r.layout.id, i))
                pending.push_back(i);
            else
                ++finished;
        metrics::groundTruthParallel(int64_t(pending.size()), threads, [&](int64_t t) {
            const size_t i = pending[size_t(t)];
            const int64_t row = rows[i];
            const float* x = ws.data.row(row);
            const auto e = r.explainAt(x, int(ws.model.predict(x, 1)[0]), row);
            metrics::GroundTruthRecord rec;
            rec.method = r.layout.id;
            rec.point = i;
            rec.row = row;
            rec.seconds = e.seconds;
            rec.onInput = metrics::onInput(e, d);
            if (rec.onInput) {
                const auto s = metrics::localisation(e, masks.forRow(row), lo);
                rec.mass = s.massAccuracy;
                rec.rank = s.rankAccuracy;
                rec.pointing = s.pointingGame;
                rec.topK = s.topKIntersection;
                rec.irrelevant = s.irrelevantMass;
            } else {
                rec.mass = rec.rank = rec.pointing = rec.topK = rec.irrelevant = std::nan("");
            }
            shardRun.add(rec);
            std::lock_guard<std::mutex> lock(progressMutex);
            ++finished;
            printer.update(double(finished) / double(total), r.layout.name + ": " + std::to_string(finished) + "/" +
                                                                 std::to_string(total) + " (method, point)");
        });
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    printer.finish(formatSeconds(seconds));
    // The result from the records, so that a resumed shard, a merge and one whole run agree.
    std::vector<metrics::GroundTruthMethod> layout;
    for (const auto& r : toScore)
        layout.push_back(r.layout);
    const auto res = metrics::groundTruthFromRecords(layout, rows, shardRun.records());
    std::cerr << table(res);
    const json head = {{"model", a.model}, {"data", a.data},         {"truth", masks.describe()},
                       {"absolute", a.absolute}, {"output", a.output}, {"seed", a.seed}};
    writeRunResult(a.json, groundTruthValuesJson(head, res), identity, shard,
                   groundTruthTimingJson(res, seconds, threads));
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
    addShardOptions(g, args->shard, "Points of the test split (evenly spaced, as the metric commands pick "
                                    "them; default 20), or all");
    g->add_option("--mask", args->mask, "The truth: a .npy or PNG mask of the input's shape, or "
                                        "'decoy' (Decoy MNIST's patch); default: the model's own");
    g->add_option("--make", args->make, "First write the unit model linear|interaction|patch, fitted "
                                        "on --data, to --model (TorchScript)")
        ->check(CLI::IsMember(io::unitModelIds()));
    g->add_flag("--absolute", args->absolute, "Score |attribution| (default: the positive part)");
    g->add_option("--output", args->output, "Explained output: logit (default) or probability")
        ->check(CLI::IsMember({"logit", "probability"}));
    g->add_option("--seed", args->seed, "Seed")->check(whole(0, std::numeric_limits<int64_t>::max()));
    g->add_option("--threads", args->threads, "Points explained in parallel (0 = all cores)")
        ->check(whole(0, limits::kMaxThreadsOption));
    g->add_option("--memory", args->memoryMb,
                  "Memory budget in MB for the explainers' batches, shared by the points run in parallel "
                  "(default: half the available memory for each point)")
        ->check(CLI::Range(int64_t(1), int64_t(1) << 24));
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
        pointsCount(args->shard.points);
        if (!args->shard.shard.empty())
            parseShard(args->shard.shard);
        // Each shard would write the model that the others are reading, and a run's identity is
        // the model file's hash: write it once, then run the shards on it.
        if (!args->make.empty() && !args->shard.shard.empty())
            throw Error("--make cannot be given with --shard: every shard would rewrite the model the others "
                        "read. Write it once (senn ground-truth --make ... without --shard), then run the shards "
                        "on it");
    };
    c.run = [args] { return cmdGroundTruth(*args); };
    return c;
}

} // namespace senn::cli
