// What stability, faithfulness and `explain --all` share to run in shards: `--shard K/N`
// (the points at positions p with p % N == K−1), the results file beside --json that records
// each finished point (--resume reads it back and computes only the rest), the run's identity,
// and the command line that reruns a shard.
#pragma once
#include "cli/options.h"
#include "core/common/error.h"
#include "core/io/metric_json.h"
#include "core/io/result_stream.h"
#include "core/io/run_records_file.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace senn::cli {

struct Shard {
    int k = 1, n = 1; // shard k of n, k from 1
};
// "K/N" with 1 <= K <= N; throws senn::Error naming --shard.
Shard parseShard(const std::string& text);
// The positions in a run of `count` points that shard takes: k−1, k−1+n, k−1+2n, ...
std::vector<size_t> shardPositions(size_t count, const Shard& shard);

// The --shard, --resume and (unless pointsHelp is empty) --points N|all options (ShardArgs,
// options.h).
void addShardOptions(CLI::App* cmd, ShardArgs& args, const std::string& pointsHelp);
// --points as a count: 0 = the command's default, -1 = all rows. Throws senn::Error.
int pointsCount(const std::string& text);

// The results file of a run whose JSON goes to `jsonPath`.
std::string recordsPath(const std::string& jsonPath);

// The results file of one process of a run: created with its header, or with resume, read
// back (a torn last record dropped, the identity checked) and appended to.
class ResultsLog {
public:
    // header: io::runRecordsHeader (run_records_file.h). Throws senn::Error naming the file when
    // a resumed file belongs to another run or shard.
    ResultsLog(const std::string& path, const nlohmann::json& header, bool resume);
    const std::vector<nlohmann::json>& previous() const { return m_previous; }
    bool resumed() const { return m_resumed; }
    void append(const nlohmann::json& record); // thread-safe
private:
    std::string m_path;
    io::ResultStreamWriter m_writer;
    std::vector<nlohmann::json> m_previous;
    bool m_resumed = false;
    std::mutex m_mutex;
};

// One process's part of a per-point run (stability, faithfulness, scorecard, ground truth):
// the shard's positions and rows, the results log beside jsonPath (none when it is empty), the
// records --resume read back and those finished since, by (method, position in the run).
// Record has method, point and row; toJson / fromJson write and read one in the log; ids are
// the run's method (or file) ids, the only ones a resumed log may hold.
template <class Record>
class ShardRecords {
public:
    using ToJson = nlohmann::json (*)(const Record&);
    using FromJson = Record (*)(const nlohmann::json&, const std::string&);

    ShardRecords(const std::vector<int64_t>& points, const Shard& shard, bool resume,
                 const std::string& jsonPath, const nlohmann::json& identity, ToJson toJson, FromJson fromJson,
                 const std::string& shardText, const std::vector<std::string>& ids)
        : m_positions(shardPositions(points.size(), shard)), m_toJson(toJson)
    {
        for (size_t i = 0; i < m_positions.size(); ++i) {
            m_rows.push_back(points[m_positions[i]]);
            m_indexOf[m_positions[i]] = i;
        }
        if (m_rows.empty())
            throw Error("--shard " + shardText + ": the run has only " + std::to_string(points.size()) +
                        " points, so this shard has none");
        if (jsonPath.empty())
            return;
        const std::string path = recordsPath(jsonPath);
        m_log = std::make_unique<ResultsLog>(
            path, io::runRecordsHeader(identity, shard.k, shard.n), resume);
        for (const auto& j : m_log->previous()) {
            Record r = fromJson(j, path);
            if (!m_indexOf.count(r.point) || points[r.point] != r.row ||
                std::find(ids.begin(), ids.end(), r.method) == ids.end())
                throw Error("--resume: " + path + " records point " + std::to_string(r.point + 1) + " of " +
                            r.method + ", which is not one of this shard's");
            m_done[{r.method, r.point}] = r;
        }
        if (!m_done.empty())
            std::cerr << "senn: resuming: " << m_done.size() << " of " << m_positions.size() * ids.size()
                      << " (method, point) results already in " << path << "\n";
    }

    // The rows this process explains, in the order of their positions in the run.
    const std::vector<int64_t>& rows() const { return m_rows; }
    // Whether (method, index in rows()) was recorded before (a resumed run skips it).
    bool done(const std::string& method, size_t index) const
    {
        return m_done.count({method, m_positions[index]}) > 0;
    }
    // A finished (method, point), rec.point = its index in rows(): logged and kept. Thread-safe.
    void add(Record rec)
    {
        rec.point = m_positions[rec.point];
        if (m_log)
            m_log->append(m_toJson(rec));
        std::lock_guard<std::mutex> lock(m_mutex);
        m_done[{rec.method, rec.point}] = std::move(rec);
    }
    // Every record of this shard, point = index in rows().
    std::vector<Record> records() const
    {
        std::vector<Record> out;
        for (const auto& [key, r] : m_done) {
            out.push_back(r);
            out.back().point = m_indexOf.at(r.point);
        }
        return out;
    }

private:
    std::vector<size_t> m_positions;
    ToJson m_toJson;
    std::vector<int64_t> m_rows;
    std::map<size_t, size_t> m_indexOf; // run position -> index in rows()
    std::unique_ptr<ResultsLog> m_log;
    std::map<std::pair<std::string, size_t>, Record> m_done;
    std::mutex m_mutex;
};

// The run's result as written: values, "run" (identity), "shard" when n > 1, "checksum",
// and last the timing; written atomically (or printed when path is empty).
void writeRunResult(const std::string& path, nlohmann::json values, const nlohmann::json& identity,
                    const Shard& shard, const nlohmann::json& timing);

// `senn COMMAND --model M --data D --SETTING VALUE ... --shard K/N --resume --json JSON`:
// the command line that reruns one shard of the run `identity` describes.
std::string rerunCommand(const nlohmann::json& identity, const Shard& shard, const std::string& jsonPath);

} // namespace senn::cli
