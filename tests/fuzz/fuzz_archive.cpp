// libFuzzer harness: the LibTorch-free half of the TorchScript archive guard
// (core/io/archive_scan.h). Each input is read three ways: as a zip archive (checkZipSizes on
// its central directory), then each stored data.pkl / constants.pkl member of that zip through
// the pickle scanner, then the whole input as a pickle (so seeds that are bare data.pkl files
// reach the scanner without a zip around them). senn::Error is the expected refusal; anything
// else escaping, a crash, a sanitizer report, a timeout or a runaway allocation is a finding.
#include "core/common/error.h"
#include "core/io/archive_scan.h"

#include <cstdint>
#include <map>
#include <string>

namespace {

uint64_t le(const std::string& b, size_t pos, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; ++i)
        v |= uint64_t(static_cast<unsigned char>(b[pos + size_t(i)])) << (8 * i);
    return v;
}

// The stored (uncompressed) members found by walking the local headers from the start, as
// torch.jit.save writes them. Only for feeding the pickle scanner: not a zip reader.
std::map<std::string, std::string> storedMembers(const std::string& zip)
{
    std::map<std::string, std::string> out;
    size_t pos = 0;
    while (zip.size() >= 30 && pos <= zip.size() - 30 && le(zip, pos, 4) == 0x04034b50) {
        const uint64_t method = le(zip, pos + 8, 2), size = le(zip, pos + 18, 4);
        const uint64_t name = le(zip, pos + 26, 2), extra = le(zip, pos + 28, 2);
        const uint64_t data = pos + 30 + name + extra;
        if (data > zip.size() || size > zip.size() - data)
            break;
        if (method == 0)
            out[zip.substr(pos + 30, name)] = zip.substr(data, size);
        pos = data + size;
    }
    return out;
}

void scanPickle(const std::string& pickle, const std::string& archiveFolder, const std::string& storageFolder,
                const std::map<std::string, uint64_t>& entries)
{
    try {
        senn::io::checkPickleStorages(pickle, archiveFolder, storageFolder, entries);
    } catch (const senn::Error&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    std::map<std::string, uint64_t> entries;
    bool zip = false;
    try {
        senn::io::checkZipSizes(bytes, &entries);
        zip = true;
    } catch (const senn::Error&) {
    }
    if (zip) {
        for (const auto& [name, member] : storedMembers(bytes)) {
            for (const auto& [pickle, folder] : {std::pair<std::string, std::string>{"data.pkl", "data/"},
                                                 {"constants.pkl", "constants/"}}) {
                if (name.size() >= pickle.size() && name.compare(name.size() - pickle.size(), pickle.size(), pickle) == 0)
                    scanPickle(member, name.substr(0, name.size() - pickle.size()), folder, entries);
            }
        }
    }
    // Records of a small module, for a bare pickle's storages to be checked against.
    static const std::map<std::string, uint64_t> typical = {
        {"archive/data/0", 64}, {"archive/data/1", 4}, {"archive/constants/0", 8}, {"archive/data.pkl", 200}};
    scanPickle(bytes, "archive/", "data/", typical);
    return 0;
}
