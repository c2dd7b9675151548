// SHA-256 (FIPS 180-4) of bytes and files: the identity of a run's model file and data, which
// the shards of one run must share.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace senn::common {

class Sha256 {
public:
    Sha256();
    void update(const void* data, size_t n);
    std::string hexDigest(); // 64 lower-case hex digits; ends the hash
private:
    void block(const uint8_t* p);
    uint32_t m_h[8];
    uint8_t m_buf[64];
    size_t m_used = 0;
    uint64_t m_bytes = 0;
};

std::string sha256Hex(const void* data, size_t n);
// The digest of a file's bytes, read in chunks. Throws senn::Error naming the file.
std::string sha256File(const std::string& path);

} // namespace senn::common
