// The framing of results files (result_stream.h): POSIX writes with fsync, CRC32 from zlib.
#include "core/io/result_stream.h"

#include "core/common/error.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace senn::io {

namespace {

std::string crcHex(const std::string& bytes)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size()));
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08lx", static_cast<unsigned long>(crc & 0xffffffffUL));
    return buf;
}

std::string systemError() { return std::strerror(errno); }

void writeAll(int fd, const std::string& bytes, const std::string& path)
{
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Error("cannot write the results file " + path + ": " + systemError());
        }
        done += size_t(n);
    }
    if (::fsync(fd) != 0)
        throw Error("cannot write the results file " + path + " to disk: " + systemError());
}

// Parses the record starting at `pos`; returns false (and leaves `pos`) when it is not whole
// and valid.
bool parseRecord(const std::string& text, size_t& pos, nlohmann::json& out)
{
    const size_t sp1 = text.find(' ', pos);
    if (sp1 == std::string::npos || sp1 == pos || sp1 - pos > 12)
        return false;
    uint64_t length = 0;
    for (size_t i = pos; i < sp1; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        length = length * 10 + uint64_t(text[i] - '0');
    }
    const size_t crcAt = sp1 + 1;
    if (crcAt + 9 > text.size() || text[crcAt + 8] != ' ')
        return false;
    const size_t body = crcAt + 9;
    if (body + length + 1 > text.size() || text[body + length] != '\n')
        return false;
    const std::string json = text.substr(body, length);
    if (crcHex(json) != text.substr(crcAt, 8))
        return false;
    try {
        out = nlohmann::json::parse(json);
    } catch (const nlohmann::json::exception&) {
        return false;
    }
    pos = body + length + 1;
    return true;
}

} // namespace

std::string frameRecord(const nlohmann::json& record)
{
    const std::string json = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return std::to_string(json.size()) + " " + crcHex(json) + " " + json + "\n";
}

ResultStreamContents readResultStream(const std::string& path) { return readResultStream(path, {}); }

ResultStreamContents readResultStream(const std::string& path, const RecordVisitor& onRecord)
{
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        throw Error("cannot read the results file " + path);
    // Read in one piece into a string of the file's size: one copy of a large file, not two.
    const std::streamoff size = in.tellg();
    std::string text(size > 0 ? size_t(size) : 0, '\0');
    in.seekg(0);
    if (size > 0 && !in.read(text.data(), size))
        throw Error("cannot read the results file " + path);
    ResultStreamContents out;
    size_t pos = 0;
    int64_t index = 0;
    while (pos < text.size()) {
        nlohmann::json record;
        const size_t start = pos;
        if (!parseRecord(text, pos, record)) {
            // A bad record is the torn tail only if nothing whole follows it.
            const size_t nl = text.find('\n', start);
            size_t next = nl == std::string::npos ? text.size() : nl + 1;
            nlohmann::json later;
            bool wholeLater = false;
            while (next < text.size() && !wholeLater) {
                size_t p = next;
                wholeLater = parseRecord(text, p, later);
                const size_t nl2 = text.find('\n', next);
                next = nl2 == std::string::npos ? text.size() : nl2 + 1;
            }
            if (wholeLater)
                throw Error("the results file " + path + " is damaged: record " + std::to_string(index + 1) +
                            " has a wrong length or checksum. Delete the file to start this run again");
            out.tornTail = true;
            break;
        }
        if (index == 0)
            out.header = std::move(record);
        else if (onRecord)
            onRecord(out.header, std::move(record));
        else
            out.records.push_back(std::move(record));
        ++index;
        out.validBytes = int64_t(pos);
    }
    if (index == 0)
        throw Error("the results file " + path + " has no header record; delete it to start this run again");
    return out;
}

ResultStreamWriter::ResultStreamWriter(ResultStreamWriter&& other) noexcept
    : m_fd(other.m_fd), m_path(std::move(other.m_path))
{
    other.m_fd = -1;
}

ResultStreamWriter& ResultStreamWriter::operator=(ResultStreamWriter&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.m_fd;
        m_path = std::move(other.m_path);
        other.m_fd = -1;
    }
    return *this;
}

ResultStreamWriter::~ResultStreamWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

ResultStreamWriter ResultStreamWriter::create(const std::string& path, const nlohmann::json& header)
{
    ResultStreamWriter w;
    w.m_path = path;
    w.m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w.m_fd < 0)
        throw Error("cannot create the results file " + path + ": " + systemError());
    w.write(header);
    return w;
}

ResultStreamWriter ResultStreamWriter::resume(const std::string& path, int64_t validBytes)
{
    ResultStreamWriter w;
    w.m_path = path;
    w.m_fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (w.m_fd < 0)
        throw Error("cannot open the results file " + path + " to resume: " + systemError());
    // Drop a torn last record so that the next one starts on a record boundary.
    if (::ftruncate(w.m_fd, off_t(validBytes)) != 0 || ::lseek(w.m_fd, off_t(validBytes), SEEK_SET) < 0)
        throw Error("cannot cut the torn end off the results file " + path + ": " + systemError());
    return w;
}

void ResultStreamWriter::write(const nlohmann::json& record)
{
    if (m_fd < 0)
        throw Error("internal: results file not open");
    writeAll(m_fd, frameRecord(record), m_path);
}

} // namespace senn::io
