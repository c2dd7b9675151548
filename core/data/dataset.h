// The in-memory dataset every loader produces and every later stage consumes: raw inputs as
// one float array (tabular: CSV values as read; images: [C,H,W] scaled to [0,1]), integer
// labels, names, and where it came from. Plain C++ so ui/ can hold and show it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace senn::data {

enum class DataKind { Tabular, Image };

struct Dataset {
    DataKind kind = DataKind::Tabular;
    std::vector<int64_t> sampleShape;      // {d} for tabular, {C, H, W} for images
    std::vector<float> x;                  // rows() * featureCount() raw values, row-major
    std::vector<int64_t> y;                // labels in [0, classNames.size())
    std::vector<std::string> classNames;   // display names, index = label
    std::vector<std::string> featureNames; // tabular: column names; images: empty
    std::string source;                    // file or folder it was loaded from
    std::string targetName;                // CSV target column, if any
    // Files with their own test part (IDX t10k, npy test pair): rows [testBegin, rows()) are
    // the test part. -1 when the file has none and the split is drawn at random.
    int64_t testBegin = -1;
    std::vector<std::string> transforms;   // e.g. "decoy:seed=0", applied after loading

    int64_t rows() const { return static_cast<int64_t>(y.size()); }
    int64_t featureCount() const
    {
        int64_t n = 1;
        for (auto s : sampleShape)
            n *= s;
        return n;
    }
    int64_t numClasses() const { return static_cast<int64_t>(classNames.size()); }
    const float* row(int64_t i) const { return x.data() + i * featureCount(); }
    float* row(int64_t i) { return x.data() + i * featureCount(); }
    bool isImage() const { return kind == DataKind::Image; }
    std::vector<int64_t> classCounts() const;
    // A dataset holding the given rows of this one (names and shape kept, testBegin = -1).
    Dataset subset(const std::vector<int64_t>& indices) const;
};

} // namespace senn::data
