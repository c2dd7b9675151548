// `senn merge OUT SHARD...` (cli.md): joins the --json results of the shards of one stability,
// faithfulness, sanity, scorecard, ground-truth or `explain --all` run into exactly the result
// the unsharded run writes, after checking that they belong together (identity equal but for
// K), that each is whole (checksum) and that no point is missing or given twice. A missing shard
// is named with the command that computes it.
#include "cli/attributions_option.h"
#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/explain_all.h"
#include "cli/ground_truth_run.h"
#include "cli/scorecard_run.h"
#include "cli/sharded_run.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/io/metric_json.h"
#include "core/io/run_identity.h"
#include "core/metrics/run_records.h"
#include "core/metrics/sanity_records.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>

namespace senn::cli {

using nlohmann::json;

namespace {

struct ShardFile {
    std::string path;
    json result;
    Shard shard;
};

json readJson(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot be read");
    try {
        return json::parse(in);
    } catch (const json::exception&) {
        throw Error(path + ": not a JSON result (it does not parse)");
    }
}

Shard shardOf(const json& result, const std::string& path)
{
    if (!result.contains("shard"))
        return Shard{};
    const auto& s = result.at("shard");
    if (!s.is_object() || !s.contains("k") || !s.contains("n") || !s["k"].is_number_integer() ||
        !s["n"].is_number_integer() || s["k"].get<int>() < 1 || s["k"].get<int>() > s["n"].get<int>())
        throw Error(path + ": \"shard\" should be {\"k\": K, \"n\": N} with 1 <= K <= N");
    return Shard{s["k"].get<int>(), s["n"].get<int>()};
}

// Where the shard K's result would be, by the names of the others (shard-3.json -> shard-K.json).
std::string guessPath(const std::vector<ShardFile>& shards, const std::vector<std::string>& absent, int k)
{
    const std::regex lastNumber("([0-9]+)([^0-9/]*)$");
    for (const auto& p : absent) {
        std::smatch m;
        if (std::regex_search(p, m, lastNumber) && std::stoi(m[1].str()) == k)
            return p;
    }
    for (const auto& s : shards) {
        std::smatch m;
        if (std::regex_search(s.path, m, lastNumber) && std::stoi(m[1].str()) == s.shard.k)
            return std::regex_replace(s.path, lastNumber, std::to_string(k) + "$2");
    }
    return "shard-" + std::to_string(k) + ".json";
}

} // namespace

int cmdMerge(const std::string& out, const std::vector<std::string>& inputs)
{
    std::vector<ShardFile> shards;
    std::vector<std::string> absent;
    std::error_code ec;
    for (const auto& path : inputs) {
        if (!std::filesystem::exists(path, ec)) {
            absent.push_back(path);
            continue;
        }
        ShardFile s;
        s.path = path;
        s.result = readJson(path);
        if (!s.result.is_object() || !s.result.contains("run"))
            throw Error(path + ": not the result of a stability, faithfulness or explain --all run "
                        "(it has no \"run\" identity)");
        if (!io::checksumMatches(s.result))
            throw Error(path + ": its checksum does not match its contents: the file was changed or "
                        "damaged. Compute the shard again: " +
                        rerunCommand(s.result["run"], shardOf(s.result, path), path));
        s.shard = shardOf(s.result, path);
        shards.push_back(std::move(s));
    }
    if (shards.empty())
        throw Error("none of the shards' results exists (" + inputs.front() + (inputs.size() > 1 ? ", ..." : "") +
                    "): run the shards first");
    const auto& first = shards.front();
    const json identity = first.result["run"];
    const int n = first.shard.n;
    std::map<int, std::string> byK;
    for (const auto& s : shards) {
        const std::string diff = io::identityDifference(identity, s.result["run"]);
        if (!diff.empty())
            throw Error(s.path + " and " + first.path + " are not shards of the same run: " + diff);
        if (s.shard.n != n)
            throw Error(s.path + " is shard " + std::to_string(s.shard.k) + "/" + std::to_string(s.shard.n) + " but " +
                        first.path + " is of " + std::to_string(n) + " shards: not the same split of the run");
        if (byK.count(s.shard.k))
            throw Error("shard " + std::to_string(s.shard.k) + "/" + std::to_string(n) + " is given twice (" +
                        byK[s.shard.k] + " and " + s.path + "): its points would be counted twice");
        byK[s.shard.k] = s.path;
    }
    if (int(byK.size()) < n) {
        std::string msg = std::to_string(n - int(byK.size())) + " of " + std::to_string(n) +
                          " shards missing, so their points are missing:";
        for (int k = 1; k <= n; ++k)
            if (!byK.count(k)) {
                const std::string path = guessPath(shards, absent, k);
                std::string state;
                if (std::filesystem::exists(path, ec))
                    state = " (" + path + " exists: give it to the merge, or compute it again with)";
                else if (std::filesystem::exists(recordsPath(path), ec))
                    state = " (it stopped before its end; this continues it)";
                msg += "\n  shard " + std::to_string(k) + "/" + std::to_string(n) + state + ": " +
                       rerunCommand(identity, Shard{k, n}, path);
            }
        throw Error(msg);
    }
    if (!absent.empty())
        throw Error(absent.front() + " does not exist, and the other files are the whole run: remove it from the list");

    const size_t P = identity.value("points", size_t(0));
    const std::string command = identity.value("command", std::string());
    // Each shard's points go back to their positions in the run.
    std::vector<int64_t> rows(P, -1);
    std::vector<std::string> owner(P);
    auto place = [&](const ShardFile& s, const std::vector<int64_t>& shardRows) {
        const auto positions = shardPositions(P, s.shard);
        if (shardRows.size() != positions.size())
            throw Error(s.path + " has " + std::to_string(shardRows.size()) + " points, but shard " +
                        std::to_string(s.shard.k) + "/" + std::to_string(n) + " of a run of " + std::to_string(P) +
                        " points has " + std::to_string(positions.size()) + ". Compute it again: " +
                        rerunCommand(identity, s.shard, s.path));
        for (size_t i = 0; i < positions.size(); ++i) {
            if (!owner[positions[i]].empty())
                throw Error("point " + std::to_string(positions[i] + 1) + " is in both " + owner[positions[i]] +
                            " and " + s.path);
            owner[positions[i]] = s.path;
            rows[positions[i]] = shardRows[i];
        }
        return positions;
    };
    double seconds = 0;
    for (const auto& s : shards)
        if (s.result.contains("timing") && s.result["timing"].contains("seconds"))
            seconds += io::numberOrNan(s.result["timing"]["seconds"]);
    const Shard whole{1, 1};
    const auto settings = identity.value("settings", json::object());
    const auto methodIds = rowIdsOf(settings); // the methods, then any files of attributions

    if (command == "stability") {
        std::vector<metrics::StabilityRecord> records;
        std::vector<double> eps;
        int noiseDraws = 0;
        std::string draws;
        for (const auto& s : shards) {
            const auto r = io::stabilityFromJson(s.result, s.path);
            const auto positions = place(s, r.points);
            for (auto rec : io::stabilityRecordsFromJson(s.result, s.path)) {
                rec.point = positions[rec.point];
                records.push_back(std::move(rec));
            }
            eps = r.eps;
            noiseDraws = r.noiseDraws;
            draws = r.draws;
        }
        auto res = metrics::stabilityFromRecords(methodIds, rows, eps, noiseDraws, draws, records);
        res.seconds = seconds;
        auto timing = io::stabilityTimingJson(res);
        timing.erase("threads");
        timing["shards"] = n;
        files::checkOutputs({{"OUT", out}}, inputs);
        writeRunResult(out, io::stabilityToJson(res, records), identity, whole, timing);
    } else if (command == "faithfulness") {
        std::vector<metrics::FaithfulnessRecord> records;
        std::string sennAttribution;
        for (const auto& s : shards) {
            const auto r = io::faithfulnessFromJson(s.result, s.path);
            const auto positions = place(s, r.points);
            for (auto rec : io::faithfulnessRecordsFromJson(s.result, s.path)) {
                rec.point = positions[rec.point];
                records.push_back(std::move(rec));
            }
            sennAttribution = r.sennAttribution;
        }
        auto res = metrics::faithfulnessFromRecords(methodIds, rows, sennAttribution, records);
        res.seconds = seconds;
        auto timing = io::faithfulnessTimingJson(res);
        timing.erase("threads");
        timing["shards"] = n;
        files::checkOutputs({{"OUT", out}}, inputs);
        auto values = io::faithfulnessToJson(res);
        markAttributionRows(values, settings.value("attributions", json::object())); // files' rows
        writeRunResult(out, values, identity, whole, timing);
    } else if (command == "sanity") {
        std::vector<metrics::SanityRecord> records;
        metrics::SanityResult layout;
        for (const auto& s : shards) {
            const auto r = metrics::sanityFromJson(s.result, s.path);
            const auto positions = place(s, r.points);
            for (auto rec : metrics::sanityRecordsFromJson(s.result, s.path)) {
                rec.point = positions[rec.point];
                records.push_back(std::move(rec));
            }
            if (layout.steps.empty())
                layout = r; // mode, layers, steps, methods: equal in every shard of the run
        }
        layout.points = rows;
        layout.results.clear();
        auto res = metrics::sanityFromRecords(layout, records);
        files::checkOutputs({{"OUT", out}}, inputs);
        writeRunResult(out, metrics::sanityToJson(res), identity, whole, json{{"seconds", seconds}, {"shards", n}});
    } else if (command == "explain") {
        std::vector<ExplainShard> parts;
        for (const auto& s : shards) {
            ExplainShard part;
            part.path = s.path;
            part.result = s.result;
            part.positions = place(s, explainRowsOf(s.result, s.path));
            part.shard = s.shard;
            parts.push_back(std::move(part));
        }
        files::checkOutputs({{"OUT", out}}, inputs);
        mergeExplainShards(out, identity, rows, parts, seconds);
    } else if (command == "scorecard") {
        std::vector<ScorecardShard> parts;
        for (const auto& s : shards)
            parts.push_back({s.path, s.result, place(s, scorecardRowsOf(s.result, s.path))});
        files::checkOutputs({{"OUT", out}}, inputs);
        mergeScorecardShards(out, identity, rows, parts, seconds);
    } else if (command == "ground-truth") {
        std::vector<GroundTruthShard> parts;
        for (const auto& s : shards)
            parts.push_back({s.path, s.result, place(s, groundTruthRowsOf(s.result, s.path))});
        files::checkOutputs({{"OUT", out}}, inputs);
        mergeGroundTruthShards(out, identity, rows, parts, seconds);
    } else {
        throw Error(first.path + ": a result of \"" + command + "\", which has no shards to merge");
    }
    std::cerr << "senn: merged " << shards.size() << " shard" << (shards.size() == 1 ? "" : "s") << " (" << P
              << " points) into " << out << "\n";
    return 0;
}

Command addMergeCommand(CLI::App& app)
{
    auto out = std::make_shared<std::string>();
    auto inputs = std::make_shared<std::vector<std::string>>();
    auto* m = app.add_subcommand("merge", "Join the --json results of the shards of one run (--shard K/N) "
                                          "into the result of the whole run");
    m->add_option("OUT", *out, "The merged result (.json)")->required();
    m->add_option("SHARD", *inputs, "The shards' --json results, one per shard")->required();
    Command c;
    c.sub = m;
    c.check = [out, inputs] { files::checkOutputs({{"OUT", *out}}, *inputs); };
    c.run = [out, inputs] { return cmdMerge(*out, *inputs); };
    return c;
}

} // namespace senn::cli
