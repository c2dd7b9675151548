// Loading datasets from disk: CSV, MNIST-style IDX folders (plain or .gz), image folders
// (one sub-folder per class) and NumPy .npy pairs. Every problem with the file becomes a
// senn::Error naming the file, the line or field, and what to do.
#pragma once
#include "core/data/dataset.h"
#include "core/jobs/job.h"

#include <string>

namespace senn::data {

struct LoadOptions {
    std::string target;         // CSV: target column name; empty = last column
    int64_t maxRows = -1;       // stop after this many rows (previews); -1 = all
};

enum class SourceFormat { Csv, IdxFolder, ImageFolder, NpyPair, Unknown };

// What `path` looks like, without reading it whole.
SourceFormat detectFormat(const std::string& path);

// Dispatches on detectFormat(). Throws senn::Error for bad input.
Dataset loadDataset(const std::string& path, const LoadOptions& options = {},
                    const jobs::ProgressFn& progress = {},
                    const jobs::CancelToken& cancel = {});

Dataset loadCsv(const std::string& path, const LoadOptions& options = {});
// A folder holding train-images-idx3-ubyte[.gz] + train-labels-idx1-ubyte[.gz] and, if present,
// t10k-images... + t10k-labels... (appended as the test part).
Dataset loadIdxFolder(const std::string& folder, const LoadOptions& options = {});
// One IDX file, as raw bytes decoded; exposed for tests. Throws on bad magic / truncation.
std::vector<uint8_t> readMaybeGzip(const std::string& path);
Dataset loadImageFolder(const std::string& folder, const LoadOptions& options = {},
                        const jobs::ProgressFn& progress = {},
                        const jobs::CancelToken& cancel = {});
// `path` is either the x file (…x.npy / …_x.npy / X_train.npy) or a folder holding x.npy and
// y.npy (optionally x_test.npy / y_test.npy).
Dataset loadNpy(const std::string& path, const LoadOptions& options = {});

} // namespace senn::data
