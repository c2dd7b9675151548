// Shared by the libFuzzer harnesses: the loaders read paths, so each input is written to files
// in a per-process scratch folder (on /dev/shm when it exists) and loaded from there. senn::Error
// is the expected outcome for bad input; anything else escaping (std::bad_alloc, a crash, an
// ASan/UBSan report, a timeout, memory above -rss_limit_mb) is a finding.
#pragma once
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace fuzz {

inline const std::filesystem::path& scratch()
{
    static const std::filesystem::path dir = [] {
        std::error_code ec;
        const std::filesystem::path base =
            std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm" : std::filesystem::temp_directory_path();
        auto d = base / ("senn-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d, ec);
        return d;
    }();
    static const struct Cleanup { // removed when the fuzzer exits normally
        ~Cleanup()
        {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    } cleanup;
    return dir;
}

inline std::string put(const std::string& relative, const uint8_t* data, size_t size)
{
    const auto p = scratch() / relative;
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return p.string();
}

inline void clear()
{
    std::error_code ec;
    std::filesystem::remove_all(scratch(), ec);
    std::filesystem::create_directories(scratch(), ec);
}

// Splits an input in two at a 2-byte little-endian length prefix (for file pairs).
inline void split(const uint8_t* data, size_t size, const uint8_t*& a, size_t& na, const uint8_t*& b,
                  size_t& nb)
{
    size_t first = size >= 2 ? (size_t(data[0]) | size_t(data[1]) << 8) : 0;
    data += size >= 2 ? 2 : size;
    size -= size >= 2 ? 2 : size;
    first = first > size ? size : first;
    a = data;
    na = first;
    b = data + first;
    nb = size - first;
}

} // namespace fuzz
