// A shard's results file with its header (run_records_file.h).
#include "core/io/run_records_file.h"

#include "core/common/error.h"
#include "core/io/result_stream.h"

namespace senn::io {

using nlohmann::json;

namespace {

// Fills out's header, identity and shard from `header`; throws naming the file when it is not
// a run's header.
void takeHeader(const std::string& path, const json& header, RunRecordsFile& out)
{
    auto bad = [&] {
        return Error::inFile(path, "does not start with a run's header ({\"identity\": ..., \"shard\": {\"k\", \"n\"}})",
                             "It is not the results file of senn stability, faithfulness, sanity or explain --all");
    };
    if (!header.is_object() || !header.contains("identity") || !header["identity"].is_object() ||
        !header.contains("shard") || !header["shard"].is_object())
        throw bad();
    const auto& s = header["shard"];
    if (!s.contains("k") || !s.contains("n") || !s["k"].is_number_integer() || !s["n"].is_number_integer())
        throw bad();
    out.shardK = s["k"].get<int>();
    out.shardN = s["n"].get<int>();
    if (out.shardN < 1 || out.shardK < 1 || out.shardK > out.shardN)
        throw bad();
    out.header = header;
    out.identity = header["identity"];
}

} // namespace

json runRecordsHeader(const json& identity, int shardK, int shardN)
{
    return json{{"identity", identity}, {"shard", {{"k", shardK}, {"n", shardN}}}};
}

RunRecordsFile readRunRecordsFile(const std::string& path)
{
    auto contents = readResultStream(path);
    RunRecordsFile out;
    out.path = path;
    takeHeader(path, contents.header, out);
    out.records = std::move(contents.records);
    out.validBytes = contents.validBytes;
    out.tornTail = contents.tornTail;
    return out;
}

RunRecordsFile readRunRecordsFile(const std::string& path, const RunRecordVisitor& onRecord)
{
    RunRecordsFile out;
    out.path = path;
    bool checked = false;
    auto contents = readResultStream(path, [&](const json& header, json&& record) {
        if (!checked) {
            takeHeader(path, header, out);
            checked = true;
        }
        onRecord(out, std::move(record));
    });
    if (!checked)
        takeHeader(path, contents.header, out);
    out.validBytes = contents.validBytes;
    out.tornTail = contents.tornTail;
    return out;
}

} // namespace senn::io
