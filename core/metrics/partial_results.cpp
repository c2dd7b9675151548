// A run's result so far from its shards' results files (partial_results.h).
#include "core/metrics/partial_results.h"

#include "core/common/error.h"
#include "core/io/metric_json.h"
#include "core/io/run_identity.h"
#include "core/metrics/run_records.h"

#include <algorithm>
#include <map>
#include <set>

namespace senn::metrics {

using nlohmann::json;

namespace {

// Record positions in the run -> index among the recorded points, and the recorded rows.
template <class Record>
void compact(std::vector<Record>& records, std::vector<int64_t>& rows)
{
    std::map<size_t, int64_t> byPosition;
    for (const auto& r : records)
        byPosition.emplace(r.point, r.row);
    std::map<size_t, size_t> indexOf;
    for (const auto& [position, row] : byPosition) {
        indexOf[position] = rows.size();
        rows.push_back(row);
    }
    for (auto& r : records)
        r.point = indexOf.at(r.point);
}

template <class Record>
size_t completePoints(const std::vector<Record>& records, size_t methods)
{
    std::map<size_t, std::set<std::string>> by;
    for (const auto& r : records)
        by[r.point].insert(r.method);
    size_t n = 0;
    for (const auto& [p, m] : by)
        n += m.size() >= methods ? 1 : 0;
    return n;
}

} // namespace

PartialRun partialRun(const std::vector<io::RunRecordsFile>& files)
{
    if (files.empty())
        throw Error("no results file to read");
    PartialRun out;
    const auto& first = files.front();
    out.identity = first.identity;
    out.command = out.identity.value("command", std::string());
    if (out.command != "stability" && out.command != "faithfulness")
        throw Error::inFile(first.path, "holds the points of `" + out.command + "`, not of stability or faithfulness",
                            "The app shows running stability and faithfulness runs");
    out.shardN = first.shardN;
    out.runPoints = out.identity.value("points", size_t(0));
    std::map<int, std::string> byK;
    for (const auto& f : files) {
        const std::string diff = io::identityDifference(out.identity, f.identity);
        if (!diff.empty())
            throw Error(f.path + " and " + first.path + " are not shards of the same run: " + diff);
        if (f.shardN != out.shardN)
            throw Error(f.path + " is shard " + std::to_string(f.shardK) + "/" + std::to_string(f.shardN) + " but " +
                        first.path + " is of " + std::to_string(out.shardN) + " shards: not the same split of the run");
        if (byK.count(f.shardK))
            throw Error("shard " + std::to_string(f.shardK) + "/" + std::to_string(out.shardN) + " is given twice (" +
                        byK[f.shardK] + " and " + f.path + ")");
        byK[f.shardK] = f.path;
        out.tornTail = out.tornTail || f.tornTail;
        // The shard's points: positions k−1, k−1+n, ... of the run.
        if (out.runPoints >= size_t(f.shardK))
            out.pointsPlanned += (out.runPoints - size_t(f.shardK)) / size_t(f.shardN) + 1;
    }
    for (const auto& [k, path] : byK)
        out.shardKs.push_back(k);

    const json settings = out.identity.value("settings", json::object());
    const auto methodIds = settings.value("methods", std::vector<std::string>{});
    // A record must be of one of the shard's own points; which rows they are the records say.
    auto checkPosition = [&](const io::RunRecordsFile& f, size_t point) {
        if (point >= out.runPoints || int(point % size_t(f.shardN)) != f.shardK - 1)
            throw Error::inFile(f.path, "records point " + std::to_string(point + 1) + ", which is not one of shard " +
                                            std::to_string(f.shardK) + "/" + std::to_string(f.shardN) + "'s points");
    };
    std::vector<int64_t> rows;
    if (out.command == "stability") {
        std::vector<StabilityRecord> records;
        bool noise = false;
        for (const auto& f : files)
            for (const auto& j : f.records) {
                records.push_back(io::stabilityRecordFromJson(j, f.path));
                checkPosition(f, records.back().point);
                noise = noise || !records.back().moved.empty();
            }
        out.pointsDone = completePoints(records, methodIds.size());
        compact(records, rows);
        const auto eps = settings.value("eps", std::vector<double>{});
        out.stability = stabilityFromRecords(methodIds, rows, eps, noise ? StabilityOptions{}.noiseDraws : 0,
                                             settings.value("draws", std::string("independent")), records);
    } else {
        std::vector<FaithfulnessRecord> records;
        for (const auto& f : files)
            for (const auto& j : f.records) {
                records.push_back(io::faithfulnessRecordFromJson(j, f.path));
                checkPosition(f, records.back().point);
            }
        out.pointsDone = completePoints(records, methodIds.size());
        compact(records, rows);
        out.faithfulness = faithfulnessFromRecords(methodIds, rows,
                                                   settings.value("senn-attribution", std::string("theta_h")), records);
    }
    return out;
}

} // namespace senn::metrics
