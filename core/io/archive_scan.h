// The byte-level half of the checks on LibTorch's zip archives (core/io/archive_guard.h):
// the zip's central directory and the storages a pickle names, read from plain bytes. Free of
// LibTorch, so the fuzzer (tests/fuzz/fuzz_archive.cpp) drives exactly the code the loader runs.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace senn::io {

// What the archive would take once inflated: the sum of the uncompressed sizes its central
// directory declares. Throws senn::Error (without a file name: the caller adds it) when the
// bytes are not a zip archive or the total exceeds limits::archiveInflationBudget(size).
// `entries`, when given, receives every entry's name and declared size.
uint64_t checkZipSizes(const std::string& bytes, std::map<std::string, uint64_t>* entries = nullptr);
// The same for a file, reading only its end record and central directory.
uint64_t checkZipFileSizes(const std::string& path, std::map<std::string, uint64_t>* entries = nullptr);

// A storage a LibTorch pickle asks for: LibTorch 1.13 sizes it from the element count written
// in the pickle and fills it from the record data/KEY, whatever that record's length.
struct PickledStorage {
    std::string key, type; // type: "FloatStorage", ... ("" when the pickle names none we know)
    int64_t numel = 0;
};

// The storages a pickle names (persistent ids ('storage', torch.XStorage, key, device, numel)).
// Throws senn::Error (no file name) when the pickle is damaged, or nests its values deeper
// than limits::kMaxPickleDepth (LibTorch's unpickler builds and frees them recursively).
std::vector<PickledStorage> pickledStorages(const std::string& pickle);

// Bytes per element of a storage type as pickledStorages() names it (1 when unknown).
size_t storageItemSize(const std::string& type);
// The storage type LibTorch's unpickler reads for the scalar type number `scalarType` (its
// c10::ScalarType), "" when there is none.
std::string storageTypeOfScalarType(int64_t scalarType);

// Every storage the pickle `pickle` names must fit in its record, archiveFolder + storageFolder
// + key (e.g. "archive/" "data/" "0") in `entries` (from checkZip*); a missing record is
// LibTorch's to refuse. Throws senn::Error (no file name) otherwise, or when pickledStorages()
// does.
void checkPickleStorages(const std::string& pickle, const std::string& archiveFolder,
                         const std::string& storageFolder, const std::map<std::string, uint64_t>& entries);

} // namespace senn::io
