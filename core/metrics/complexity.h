// Complexity of one explanation (metrics.md): how concentrated the attribution mass is.
// Gini sparseness (higher = fewer features carry the explanation) and the entropy of the
// normalised |a| (lower = more concentrated). Plain C++ on the values; no model calls.
#pragma once
#include <vector>

namespace senn::metrics {

// Gini index of |a| (Chalasani et al. 2020, as Quantus' Sparseness): with |a| sorted
// ascending, G = Σ (2i − d − 1)·|a|_(i) / (d·Σ|a|), i = 1..d. A one-hot vector gives 1
// exactly and a constant one 0 (the usual (d−1)/d is rescaled by d/(d−1), so the range is
// [0, 1] for every d). NaN for an empty or all-zero vector, or a non-finite value.
double giniSparseness(const std::vector<float>& a);

// Shannon entropy (natural log) of p = |a| / Σ|a| (Bhatt et al. 2020, Quantus' Complexity):
// 0 for a one-hot vector, log d for a constant one. NaN as giniSparseness.
double attributionEntropy(const std::vector<float>& a);

} // namespace senn::metrics
