// Train / validation / test splits and the standardisation fitted on the training split.
// Both are stored in the model file so every later command sees the same test rows and
// takes raw inputs.
#pragma once
#include "core/data/dataset.h"

#include <cstdint>
#include <vector>

namespace senn::data {

struct Split {
    uint64_t seed = 0;
    double trainFraction = 0.8; // of the rows without a predefined test part
    double valFraction = 0.1;   // of those rows
    bool predefinedTest = false;
    int64_t limit = -1;         // --limit: first N training rows only (-1 = all)
    std::vector<int64_t> train, val, test;

    const std::vector<int64_t>& byName(const std::string& name) const; // train|val|test
};

// Seeded shuffle then cut 80/10/10; with a predefined test part (IDX t10k) that part is the
// test split and 10% of the rest (seeded) is validation. Deterministic for (rows, seed).
Split makeSplit(const Dataset& data, uint64_t seed = 0, int64_t limit = -1);

// Per-feature (tabular) or per-channel (image) mean and std of the training rows.
struct Standardizer {
    std::vector<float> mean, std; // one entry per feature (tabular) or channel (image)
    bool perChannel = false;
    static Standardizer fit(const Dataset& data, const std::vector<int64_t>& rows);
    // The value used for element j (flat index within a sample) of a sample.
    float meanAt(int64_t j, const std::vector<int64_t>& sampleShape) const;
    float stdAt(int64_t j, const std::vector<int64_t>& sampleShape) const;
};

// Per-feature statistics of the training rows in raw space; used by explainers (LIME,
// backgrounds) and stability metrics (box_std ball, clipping).
struct FeatureStats {
    std::vector<float> mean, std, min, max;
    static FeatureStats fit(const Dataset& data, const std::vector<int64_t>& rows);
};

} // namespace senn::data
