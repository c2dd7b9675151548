// A shard's results file with its header (run_records_file.h).
#include "core/io/run_records_file.h"

#include "core/common/error.h"
#include "core/io/result_stream.h"

namespace senn::io {

using nlohmann::json;

json runRecordsHeader(const json& identity, int shardK, int shardN)
{
    return json{{"identity", identity}, {"shard", {{"k", shardK}, {"n", shardN}}}};
}

RunRecordsFile readRunRecordsFile(const std::string& path)
{
    auto contents = readResultStream(path);
    RunRecordsFile out;
    out.path = path;
    const auto& h = contents.header;
    auto bad = [&] {
        return Error::inFile(path, "does not start with a run's header ({\"identity\": ..., \"shard\": {\"k\", \"n\"}})",
                             "It is not the results file of senn stability, faithfulness, sanity or explain --all");
    };
    if (!h.is_object() || !h.contains("identity") || !h["identity"].is_object() || !h.contains("shard") ||
        !h["shard"].is_object())
        throw bad();
    const auto& s = h["shard"];
    if (!s.contains("k") || !s.contains("n") || !s["k"].is_number_integer() || !s["n"].is_number_integer())
        throw bad();
    out.shardK = s["k"].get<int>();
    out.shardN = s["n"].get<int>();
    if (out.shardN < 1 || out.shardK < 1 || out.shardK > out.shardN)
        throw bad();
    out.header = std::move(contents.header);
    out.identity = out.header["identity"];
    out.records = std::move(contents.records);
    out.validBytes = contents.validBytes;
    out.tornTail = contents.tornTail;
    return out;
}

} // namespace senn::io
