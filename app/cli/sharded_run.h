// What stability, faithfulness and `explain --all` share to run in shards: `--shard K/N`
// (the points at positions p with p % N == K−1), the results file beside --json that records
// each finished point (--resume reads it back and computes only the rest), the run's identity,
// and the command line that reruns a shard.
#pragma once
#include "cli/options.h"
#include "core/io/result_stream.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <mutex>
#include <string>
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
    // header: {"identity": ..., "shard": {"k", "n"}}. Throws senn::Error naming the file when
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

// The run's result as written: values, "run" (identity), "shard" when n > 1, "checksum",
// and last the timing; written atomically (or printed when path is empty).
void writeRunResult(const std::string& path, nlohmann::json values, const nlohmann::json& identity,
                    const Shard& shard, const nlohmann::json& timing);

// `senn COMMAND --model M --data D --SETTING VALUE ... --shard K/N --resume --json JSON`:
// the command line that reruns one shard of the run `identity` describes.
std::string rerunCommand(const nlohmann::json& identity, const Shard& shard, const std::string& jsonPath);

} // namespace senn::cli
