// The statistics of a scorecard (metrics.md): the median with a seeded percentile bootstrap
// interval, ranks of methods under a measure's direction, and the agreement between measures
// (Kendall's W over all of them, Kendall's τ-b for each pair). Plain C++, no model calls.
#pragma once
#include <cstdint>
#include <vector>

namespace senn::metrics {

struct MedianInterval {
    double median = 0, lo = 0, hi = 0; // NaN when the sample has no finite value
    int n = 0;                         // finite values used
};

// Median of the finite values of `sample` and the percentile bootstrap interval of the median
// at `level` (0.95: the 2.5th and 97.5th percentiles of B resampled medians). The resamples
// draw from FastRng(seed), so the same sample and seed give the same interval.
MedianInterval bootstrapMedian(const std::vector<double>& sample, int resamples = 1000,
                               uint64_t seed = 0, double level = 0.95);

// Ranks 1..n of `scores` (1 = best) under the direction: the highest score is best when
// higherIsBetter. Tied scores share the mean of the ranks they span (2 and 3 tied: 2.5 each).
// NaN scores get rank NaN and do not take a rank from the others.
std::vector<double> rankScores(const std::vector<double>& scores, bool higherIsBetter);

// Kendall's coefficient of concordance of m judges ranking the same n items: ranks[j][i] is
// judge j's rank of item i (ties as mean ranks). W = 12·S / (m²(n³ − n) − m·ΣT), where S is
// the sum of squared deviations of the items' rank sums from their mean and T = Σ(t³ − t)
// over each judge's tie groups of size t. 1 = every judge ranks alike; 0 = no agreement.
// NaN with fewer than 2 judges or items, a NaN rank, or when every judge ties every item.
double kendallW(const std::vector<std::vector<double>>& ranks);

// Kendall's τ-b of two paired samples (ties in either corrected): +1 same order, −1 reversed.
// Pairs where either value is NaN are left out; NaN with fewer than 2 pairs or a constant side.
double kendallTau(const std::vector<double>& x, const std::vector<double>& y);

} // namespace senn::metrics
