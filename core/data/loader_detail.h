// Internals shared by the loader .cpp files: the cancellable variants of the public loaders,
// and small helpers for error messages and number parsing. Not part of the public interface.
#pragma once
#include "core/data/loader.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace senn::data::detail {

Dataset loadCsv(const std::string& path, const LoadOptions& options,
                const jobs::ProgressFn& progress, const jobs::CancelToken* cancel);
Dataset loadIdxFolder(const std::string& folder, const LoadOptions& options,
                      const jobs::ProgressFn& progress, const jobs::CancelToken* cancel);
Dataset loadNpy(const std::string& path, const LoadOptions& options,
                const jobs::ProgressFn& progress, const jobs::CancelToken* cancel);

inline void checkCancel(const jobs::CancelToken* cancel)
{
    if (cancel)
        cancel->throwIfCancelled();
}

// Parses the whole of `text` as a number in the C locale (independent of setlocale, which
// Qt changes). Accepts a leading '+', and nan/inf spellings (the caller rejects those).
std::optional<double> parseNumber(std::string_view text);

// Reads a whole file into memory; throws senn::Error naming the file when it cannot.
std::vector<uint8_t> readFile(const std::string& path);

// "0".."n-1", the class names of integer-labelled formats.
std::vector<std::string> numberNames(int64_t n);

} // namespace senn::data::detail
