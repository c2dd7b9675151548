// The results file of one process of a sharded run (FILE.records beside its --json) as a
// whole: its header record, {"identity": RUN, "shard": {"k": K, "n": N}}, then one record per
// finished (method, point). The CLI writes it and reads it back on --resume; the app reads a
// running shard's file to show its points so far. The framing is result_stream.h's.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace senn::io {

// The header record of a shard's results file.
nlohmann::json runRecordsHeader(const nlohmann::json& identity, int shardK, int shardN);

struct RunRecordsFile {
    std::string path;
    nlohmann::json header;                // as written (identity and shard)
    nlohmann::json identity;              // header["identity"]
    int shardK = 1, shardN = 1;           // header["shard"]
    std::vector<nlohmann::json> records;  // after the header, in the order written
    int64_t validBytes = 0;               // up to the end of the last whole record
    bool tornTail = false;                // a last record cut short (a writer mid-append, or killed)
};

// Reads a results file: a torn last record is dropped (tornTail), a damaged record followed by
// others, or a header that is not {"identity": {...}, "shard": {"k", "n"}}, throws senn::Error
// naming the file.
RunRecordsFile readRunRecordsFile(const std::string& path);
// The same, each record handed to onRecord (with the file's checked header) as it is read,
// instead of kept: a file of a million records is read without holding them all.
using RunRecordVisitor = std::function<void(const RunRecordsFile& file, nlohmann::json&& record)>;
RunRecordsFile readRunRecordsFile(const std::string& path, const RunRecordVisitor& onRecord);

} // namespace senn::io
