// The Decoy MNIST transform (rrr.md): a 4x4 patch in a seeded corner of each image whose
// grey level gives away the label in train/val and a random digit in test, plus the
// annotation masks marking the patches. A confounder that the RRR penalty must unlearn.
#pragma once
#include "core/data/dataset.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace senn::data {

// Each row's patch: top-left pixel and the digit that sets its grey level for test rows.
// The draws depend only on (rows, seed), never on the split, so masks can be recomputed
// from the seed alone.
struct DecoyPatch {
    int64_t top = 0, left = 0;
    int64_t randomDigit = 0;
};
std::vector<DecoyPatch> decoyPatches(const Dataset& data, uint64_t seed);

// Writes the patches into data.x in place (every channel) with value (255 - 25*y)/255, y the
// true label, or the row's random digit for rows in `testRows`. Fills `masks` (when given)
// with decoyMasks(data, seed) and appends decoyTransformName(seed) to data.transforms.
// Throws senn::Error for tabular data, images smaller than 4x4, more than 10 classes, or
// when the transform was already applied.
void applyDecoy(Dataset& data, const std::vector<int64_t>& testRows, uint64_t seed,
                std::vector<float>* masks = nullptr);

// 1 on each row's 16 patch pixels (every channel), 0 elsewhere; laid out like data.x.
std::vector<float> decoyMasks(const Dataset& data, uint64_t seed);

// "decoy:seed=S", the entry recorded in Dataset::transforms and model files.
std::string decoyTransformName(uint64_t seed);
// The seed of a "decoy:seed=S" entry; nullopt for any other transform.
std::optional<uint64_t> parseDecoyTransform(const std::string& transform);

} // namespace senn::data
