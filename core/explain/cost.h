// How many model rows each explainer evaluates for one example, from the defaults and rules the
// explainers themselves use: the explainers read these constants and functions, and front ends
// estimate a method's time from the same numbers (torch-free).
#pragma once
#include "core/explain/explanation.h"

#include <cstdint>
#include <string>
#include <vector>

namespace senn::explain {

// Defaults behind ExplainOptions' 0 = "method default".
constexpr int64_t kLimeTabularSamples = 5000;
constexpr int64_t kLimeImageSamples = 1000;
constexpr int64_t kKernelShapExtraCoalitions = 2048; // shap's nsamples="auto": 2M + 2048
// KernelSHAP's and Shapley's background when ExplainOptions::background is empty (shap's
// examples summarise the training data with k-means of 10 centres).
inline constexpr const char* kShapBackground = "kmeans:10";
// Exact Shapley enumerates 2^M coalitions times the background rows: above 24 players
// (16.8 million coalitions) it samples permutations whatever exactShapleyMaxFeatures says.
constexpr int kExactShapleyMaxPlayers = 24;
// Sampled Shapley's default: as many antithetic permutation pairs as fit in about 2^20 model
// rows, at least 5 (a standard error needs several) and at most 50.
constexpr int64_t kShapleyRowBudget = int64_t(1) << 20;
constexpr int64_t kMinPermutationPairs = 5, kMaxPermutationPairs = 50;

// LIME's perturbed samples (image: superpixel masks).
int64_t limeSamples(const ExplainOptions& options, bool image);
// KernelSHAP's coalitions for M players: the requested or default count, at most every
// coalition but the empty and the full one; 0 for M <= 1 (φ is then f(x) - E f).
int64_t kernelShapCoalitions(const ExplainOptions& options, int64_t players);
// Whether Shapley enumerates every coalition of M players (else it samples permutations).
bool shapleyIsExact(const ExplainOptions& options, int64_t players);
// Antithetic permutation pairs of sampled Shapley with M players and B background rows.
int64_t shapleyPermutationPairs(const ExplainOptions& options, int64_t players, int64_t backgroundRows);

// The background's row count: 1 for mean and zeros, K of kmeans:K and N of sample:N, each at
// most the training rows; "" is kShapBackground. -1 for a spec the explainers refuse.
int64_t backgroundRowCount(const std::string& spec, int64_t trainRows);
// The count in "kmeans:K" / "sample:N" after `prefix`; throws senn::Error unless positive.
int64_t backgroundSpecCount(const std::string& spec, const std::string& prefix);

// Superpixel size in pixels (SLIC region or grid cell): `requested`, or 0 = about 30 segments.
int superpixelCell(int64_t H, int64_t W, int requested);
// KernelSHAP's and Shapley's players before the example is seen: every value, or on images
// with more than kMaxPixelPlayers values the superpixels (exact for the grid, about as many
// for SLIC). Values equal to every background row drop out when explained, so the explainer's
// count ("varying_features") can be lower.
int64_t nominalPlayers(const std::vector<int64_t>& sampleShape, const ExplainOptions& options);

// The rows `method` evaluates on an input of `sampleShape` with M players and B background
// rows (both used by KernelSHAP and Shapley only): Explanation::modelRows of that run. Exact
// for every method but KernelSHAP, whose sampled coalitions may stop a few short of the plan
// when repeated draws run out. The prediction that picks the target (ExplainOptions::target
// = -1) is one more row, not counted in modelRows.
int64_t plannedModelRows(Method method, const ExplainOptions& options, const std::vector<int64_t>& sampleShape,
                         int64_t players, int64_t backgroundRows);
// The same before the example is seen: nominal players and the background of `trainRows`
// training rows. -1 when the background spec is malformed (the explainer says why when run).
int64_t estimatedModelRows(Method method, const ExplainOptions& options, const std::vector<int64_t>& sampleShape,
                           int64_t trainRows);

} // namespace senn::explain
