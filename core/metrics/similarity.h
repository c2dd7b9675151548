// How alike two explanations are, for the sanity checks (metrics.md "Sanity checks"):
// Spearman rank correlation (signed and of magnitudes), cosine, and SSIM on heat maps.
// Plain C++ on value vectors; NaN where a measure is undefined.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace senn::metrics {

// Ranks 1..n with ties given the mean of the ranks they span.
std::vector<double> averageRanks(const std::vector<double>& v);
// Pearson correlation of the average ranks; NaN when either side is constant or sizes differ.
double spearman(const std::vector<double>& a, const std::vector<double>& b);
// a·b / (|a| |b|); NaN when either is zero or sizes differ.
double cosineSimilarity(const std::vector<double>& a, const std::vector<double>& b);

// The structural similarity index (Wang et al. 2004) of two H x W maps with values in [0, 1]:
// the mean over pixels of the SSIM of an 11 x 11 Gaussian window (σ = 1.5, cut at the border
// and renormalised), K1 = 0.01, K2 = 0.03, dynamic range 1. 1 for identical maps.
double ssim(const std::vector<double>& a, const std::vector<double>& b, int64_t h, int64_t w);

// The heat map SSIM compares: |values| summed over the channels of a {C, H, W} explanation,
// scaled to [0, 1] by its own minimum and maximum (so the size of attributions, which differs
// between methods and models, does not count; a constant map is all 0).
std::vector<double> normalisedHeatMap(const std::vector<float>& values, const std::vector<int64_t>& shape);

// The similarity measures of a sanity run, by id: "spearman_abs" (ranks of |attribution|),
// "spearman" (signed ranks), "ssim" (image explanations only; NaN otherwise), "cosine".
const std::vector<std::string>& similarityMeasures();
std::string similarityDisplayName(const std::string& id); // "Spearman |attribution|", "SSIM (heat maps)", ...
// Throws senn::Error naming the valid ids.
void checkSimilarityMeasure(const std::string& id);
// The measure `id` of two explanations of the same shape (shape {C,H,W} for SSIM).
double similarity(const std::string& id, const std::vector<float>& a, const std::vector<float>& b,
                  const std::vector<int64_t>& shape);

} // namespace senn::metrics
