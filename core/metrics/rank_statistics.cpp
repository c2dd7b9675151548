// Bootstrap medians, direction-aware ranks, Kendall's W and τ-b (rank_statistics.h).
#include "core/metrics/rank_statistics.h"

#include "core/common/fast_rng.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace senn::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double medianOfSorted(const std::vector<double>& v)
{
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double medianInPlace(std::vector<double>& v)
{
    const size_t n = v.size();
    auto mid = v.begin() + std::ptrdiff_t(n / 2);
    std::nth_element(v.begin(), mid, v.end());
    const double upper = *mid;
    if (n % 2)
        return upper;
    return 0.5 * (*std::max_element(v.begin(), mid) + upper);
}

// Percentile with linear interpolation between order statistics (numpy's default).
double percentileOfSorted(const std::vector<double>& v, double q)
{
    const double pos = q * double(v.size() - 1);
    const size_t i = size_t(std::floor(pos));
    const size_t j = std::min(i + 1, v.size() - 1);
    return v[i] + (pos - double(i)) * (v[j] - v[i]);
}

} // namespace

MedianInterval bootstrapMedian(const std::vector<double>& sample, int resamples, uint64_t seed, double level)
{
    std::vector<double> x;
    for (double v : sample)
        if (std::isfinite(v))
            x.push_back(v);
    MedianInterval r;
    r.n = int(x.size());
    if (x.empty()) {
        r.median = r.lo = r.hi = kNaN;
        return r;
    }
    std::sort(x.begin(), x.end());
    r.median = medianOfSorted(x);
    if (resamples < 1 || x.size() == 1) {
        r.lo = r.hi = r.median;
        return r;
    }
    FastRng rng(seed);
    std::vector<double> medians(static_cast<size_t>(resamples));
    std::vector<double> draw(x.size());
    for (auto& m : medians) {
        for (auto& v : draw)
            v = x[rng.below(uint32_t(x.size()))];
        m = medianInPlace(draw);
    }
    std::sort(medians.begin(), medians.end());
    const double alpha = (1.0 - std::clamp(level, 0.0, 1.0)) / 2.0;
    r.lo = percentileOfSorted(medians, alpha);
    r.hi = percentileOfSorted(medians, 1.0 - alpha);
    // Resampled medians of an even sample can fall between values; keep the point estimate inside.
    r.lo = std::min(r.lo, r.median);
    r.hi = std::max(r.hi, r.median);
    return r;
}

std::vector<double> rankScores(const std::vector<double>& scores, bool higherIsBetter)
{
    std::vector<double> ranks(scores.size(), kNaN);
    std::vector<size_t> order;
    for (size_t i = 0; i < scores.size(); ++i)
        if (!std::isnan(scores[i]))
            order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return higherIsBetter ? scores[a] > scores[b] : scores[a] < scores[b];
    });
    for (size_t k = 0; k < order.size();) {
        size_t e = k + 1;
        while (e < order.size() && scores[order[e]] == scores[order[k]])
            ++e;
        const double mean = 0.5 * double(k + 1 + e); // mean of ranks k+1 .. e
        for (size_t t = k; t < e; ++t)
            ranks[order[t]] = mean;
        k = e;
    }
    return ranks;
}

double kendallW(const std::vector<std::vector<double>>& ranks)
{
    const size_t m = ranks.size();
    if (m < 2)
        return kNaN;
    const size_t n = ranks[0].size();
    if (n < 2)
        return kNaN;
    std::vector<double> sums(n, 0.0);
    double ties = 0;
    for (const auto& judge : ranks) {
        if (judge.size() != n)
            return kNaN;
        for (size_t i = 0; i < n; ++i) {
            if (std::isnan(judge[i]))
                return kNaN;
            sums[i] += judge[i];
        }
        // Tie groups: equal ranks within this judge.
        auto sorted = judge;
        std::sort(sorted.begin(), sorted.end());
        for (size_t k = 0; k < n;) {
            size_t e = k + 1;
            while (e < n && sorted[e] == sorted[k])
                ++e;
            const double t = double(e - k);
            ties += t * t * t - t;
            k = e;
        }
    }
    const double mean = std::accumulate(sums.begin(), sums.end(), 0.0) / double(n);
    double s = 0;
    for (double r : sums)
        s += (r - mean) * (r - mean);
    const double dm = double(m), dn = double(n);
    const double den = dm * dm * (dn * dn * dn - dn) - dm * ties;
    if (!(den > 0))
        return kNaN;
    return std::clamp(12.0 * s / den, 0.0, 1.0);
}

double kendallTau(const std::vector<double>& x, const std::vector<double>& y)
{
    std::vector<size_t> idx;
    for (size_t i = 0; i < std::min(x.size(), y.size()); ++i)
        if (!std::isnan(x[i]) && !std::isnan(y[i]))
            idx.push_back(i);
    double concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
    for (size_t a = 0; a < idx.size(); ++a)
        for (size_t b = a + 1; b < idx.size(); ++b) {
            const double dx = x[idx[a]] - x[idx[b]], dy = y[idx[a]] - y[idx[b]];
            if (dx == 0 && dy == 0)
                continue; // tied on both: in neither count
            if (dx == 0)
                tiesX += 1;
            else if (dy == 0)
                tiesY += 1;
            else if ((dx > 0) == (dy > 0))
                concordant += 1;
            else
                discordant += 1;
        }
    const double den = std::sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
    if (idx.size() < 2 || !(den > 0))
        return kNaN;
    return (concordant - discordant) / den;
}

} // namespace senn::metrics
