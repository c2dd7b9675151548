// A run's result so far from its shards' results files (partial_results.h).
#include "core/metrics/partial_results.h"

#include "core/common/error.h"
#include "core/io/metric_json.h"
#include "core/io/run_identity.h"
#include "core/metrics/run_records.h"

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

// Files one by one, then their records as typed records (a record's JSON is dropped once it is
// converted, so a file need not be held whole).
class Builder {
public:
    void addFile(const io::RunRecordsFile& f)
    {
        if (m_files == 0) {
            m_out.identity = f.identity;
            m_out.command = m_out.identity.value("command", std::string());
            if (m_out.command != "stability" && m_out.command != "faithfulness")
                throw Error::inFile(f.path, "holds the points of `" + m_out.command +
                                                "`, not of stability or faithfulness",
                                    "The app shows running stability and faithfulness runs");
            m_out.shardN = f.shardN;
            m_out.runPoints = m_out.identity.value("points", size_t(0));
            m_first = f.path;
        }
        ++m_files;
        const std::string diff = io::identityDifference(m_out.identity, f.identity);
        if (!diff.empty())
            throw Error(f.path + " and " + m_first + " are not shards of the same run: " + diff);
        if (f.shardN != m_out.shardN)
            throw Error(f.path + " is shard " + std::to_string(f.shardK) + "/" + std::to_string(f.shardN) + " but " +
                        m_first + " is of " + std::to_string(m_out.shardN) + " shards: not the same split of the run");
        if (m_byK.count(f.shardK))
            throw Error("shard " + std::to_string(f.shardK) + "/" + std::to_string(m_out.shardN) +
                        " is given twice (" + m_byK[f.shardK] + " and " + f.path + ")");
        m_byK[f.shardK] = f.path;
        // The shard's points: positions k−1, k−1+n, ... of the run.
        if (m_out.runPoints >= size_t(f.shardK))
            m_out.pointsPlanned += (m_out.runPoints - size_t(f.shardK)) / size_t(f.shardN) + 1;
    }

    void addRecord(const io::RunRecordsFile& f, const json& j)
    {
        size_t point = 0;
        if (m_out.command == "stability") {
            m_stability.push_back(io::stabilityRecordFromJson(j, f.path));
            point = m_stability.back().point;
            m_noise = m_noise || !m_stability.back().moved.empty();
        } else {
            m_faithfulness.push_back(io::faithfulnessRecordFromJson(j, f.path));
            point = m_faithfulness.back().point;
        }
        // A record must be of one of the shard's own points; which rows they are the records say.
        if (point >= m_out.runPoints || int(point % size_t(f.shardN)) != f.shardK - 1)
            throw Error::inFile(f.path, "records point " + std::to_string(point + 1) + ", which is not one of shard " +
                                            std::to_string(f.shardK) + "/" + std::to_string(f.shardN) + "'s points");
    }

    void noteTorn(bool torn) { m_out.tornTail = m_out.tornTail || torn; }

    PartialRun finish()
    {
        if (m_files == 0)
            throw Error("no results file to read");
        for (const auto& [k, path] : m_byK)
            m_out.shardKs.push_back(k);
        const json settings = m_out.identity.value("settings", json::object());
        const auto methodIds = settings.value("methods", std::vector<std::string>{});
        std::vector<int64_t> rows;
        if (m_out.command == "stability") {
            m_out.pointsDone = completePoints(m_stability, methodIds.size());
            compact(m_stability, rows);
            m_out.stability = stabilityFromRecords(methodIds, rows, settings.value("eps", std::vector<double>{}),
                                                   m_noise ? StabilityOptions{}.noiseDraws : 0,
                                                   settings.value("draws", std::string("independent")), m_stability);
        } else {
            m_out.pointsDone = completePoints(m_faithfulness, methodIds.size());
            compact(m_faithfulness, rows);
            m_out.faithfulness = faithfulnessFromRecords(
                methodIds, rows, settings.value("senn-attribution", std::string("theta_h")), m_faithfulness);
        }
        return std::move(m_out);
    }

private:
    PartialRun m_out;
    size_t m_files = 0;
    std::string m_first;
    std::map<int, std::string> m_byK;
    std::vector<StabilityRecord> m_stability;
    std::vector<FaithfulnessRecord> m_faithfulness;
    bool m_noise = false;
};

} // namespace

PartialRun partialRun(const std::vector<io::RunRecordsFile>& files)
{
    Builder b;
    for (const auto& f : files) {
        b.addFile(f);
        b.noteTorn(f.tornTail);
        for (const auto& j : f.records)
            b.addRecord(f, j);
    }
    return b.finish();
}

PartialRun partialRun(const std::vector<std::string>& paths)
{
    Builder b;
    for (const auto& path : paths) {
        bool added = false;
        const auto f = io::readRunRecordsFile(path, [&](const io::RunRecordsFile& file, json&& record) {
            if (!added) {
                b.addFile(file);
                added = true;
            }
            b.addRecord(file, record);
        });
        if (!added)
            b.addFile(f);
        b.noteTorn(f.tornTail);
    }
    return b.finish();
}

} // namespace senn::metrics
