// How well an attribution points at the features that really matter: scores of one
// explanation against a boolean ground-truth mask of the input's shape (a model's known
// relevant features, a Decoy patch, a painted mask). Torch-free; see docs/metrics.md.
#pragma once
#include "core/explain/explanation.h"

#include <cstdint>
#include <string>
#include <vector>

namespace senn::metrics {

struct LocalisationOptions {
    // Mass accuracy, rank accuracy, pointing game and top-k on |attribution| instead of the
    // positive part (a method whose sign only says the direction, e.g. occlusion on a
    // negative logit, is then judged on where it puts weight at all).
    bool absolute = false;
    int64_t topK = 0; // top-k intersection's k; 0 = the mask's size
};

// Every score is a share in [0, 1]; NaN when it is undefined for this attribution (no mass
// of the kind it measures, an empty mask, or a mask that covers the whole input).
struct LocalisationScores {
    double massAccuracy = 0;   // Σ_in a+ / Σ a+ (|a| with absolute)
    double rankAccuracy = 0;   // share of the K = |mask| top-ranked features inside the mask
    double pointingGame = 0;   // 1 when the single top feature lies in the mask, else 0
    double topKIntersection = 0; // share of the k top-ranked features inside the mask
    double irrelevantMass = 0; // Σ_out |a| / Σ |a|: attribution spent where nothing matters
    int64_t maskSize = 0, k = 0;
};

// `attribution` and `mask` have n entries each (mask: nonzero = relevant). Throws senn::Error
// when the sizes differ. Ranks break ties against the mask: a feature tied with one outside
// the mask does not count as found, so a constant attribution scores no better than chance.
LocalisationScores localisation(const float* attribution, const uint8_t* mask, int64_t n,
                                const LocalisationOptions& options = {});
LocalisationScores localisation(const explain::Explanation& e, const std::vector<uint8_t>& mask,
                                const LocalisationOptions& options = {});
// Whether an explanation's values lie on the input (one per input value), so that a mask of
// the input's shape applies: false for SENN's and FLINT's concept-space values.
bool onInput(const explain::Explanation& e, int64_t featureCount);

// A mask file for one input of `shape` ({d} or {C, H, W}): a .npy array (bool, integer or
// float; nonzero = relevant) with shape's element count, or a PNG/JPEG of H x W (any nonzero
// pixel = relevant; grey or colour), repeated over the channels. Throws senn::Error naming
// the file and the problem (missing, unreadable, wrong size, no relevant feature).
std::vector<uint8_t> loadMaskFile(const std::string& path, const std::vector<int64_t>& shape);

// Summary of one score over points: median and max of the finite values, count of them.
struct ScoreSummary {
    double median = 0, max = 0, mean = 0;
    int64_t n = 0;
};
ScoreSummary summarise(const std::vector<double>& values);

} // namespace senn::metrics
