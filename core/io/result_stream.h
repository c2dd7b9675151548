// A run's results file: append-only JSON records, each framed with its length and CRC32 and
// made durable (fsync) before the next, so a killed run loses at most the record it was
// writing. The first record is the header: the run's identity, which a resumed run checks.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace senn::io {

// One record as written: "<length> <crc32, 8 hex digits> <JSON of `length` bytes>\n".
std::string frameRecord(const nlohmann::json& record);

struct ResultStreamContents {
    nlohmann::json header;
    std::vector<nlohmann::json> records; // after the header, in the order written
    int64_t validBytes = 0;              // bytes up to the end of the last whole record
    bool tornTail = false;               // bytes after it (a record cut short by a kill) were dropped
};

// Reads a results file. A last record cut short (wrong length, missing newline or checksum,
// as a kill leaves it) is dropped and reported by tornTail; a bad record followed by others
// means the file is damaged, and throws senn::Error naming the file and the record.
ResultStreamContents readResultStream(const std::string& path);
// The same, each record after the header handed to onRecord (with the header), in order,
// instead of kept in `records`: a file of many records is read without holding them all. A
// damaged record throws after the records before it were handed over.
using RecordVisitor = std::function<void(const nlohmann::json& header, nlohmann::json&& record)>;
ResultStreamContents readResultStream(const std::string& path, const RecordVisitor& onRecord);

class ResultStreamWriter {
public:
    ResultStreamWriter() = default;
    ResultStreamWriter(const ResultStreamWriter&) = delete;
    ResultStreamWriter& operator=(const ResultStreamWriter&) = delete;
    ResultStreamWriter(ResultStreamWriter&& other) noexcept;
    ResultStreamWriter& operator=(ResultStreamWriter&& other) noexcept;
    ~ResultStreamWriter();

    // A new file (replacing any) holding the header record.
    static ResultStreamWriter create(const std::string& path, const nlohmann::json& header);
    // Appends to a file read by readResultStream, cut back to its validBytes first.
    static ResultStreamWriter resume(const std::string& path, int64_t validBytes);

    // Writes, flushes and fsyncs one record. Throws senn::Error naming the file.
    void write(const nlohmann::json& record);
    bool isOpen() const { return m_fd >= 0; }

private:
    int m_fd = -1;
    std::string m_path;
};

} // namespace senn::io
