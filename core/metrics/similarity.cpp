// Similarity of explanations (similarity.h): rank correlations, cosine and SSIM.
#include "core/metrics/similarity.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace senn::metrics {

namespace {

double pearsonOf(const std::vector<double>& a, const std::vector<double>& b)
{
    const size_t n = a.size();
    if (n < 2 || b.size() != n)
        return std::nan("");
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / double(n);
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / double(n);
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < n; ++i) {
        const double da = a[i] - ma, db = b[i] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    if (!(saa > 0) || !(sbb > 0))
        return std::nan("");
    // sqrt(s·s) == s in IEEE arithmetic, so identical inputs give exactly 1.
    return std::clamp(sab / std::sqrt(saa * sbb), -1.0, 1.0);
}

std::vector<double> toDouble(const std::vector<float>& v, bool absolute)
{
    std::vector<double> out(v.size());
    for (size_t i = 0; i < v.size(); ++i)
        out[i] = absolute ? std::fabs(double(v[i])) : double(v[i]);
    return out;
}

// The normalised 1-D Gaussian of the SSIM window.
std::vector<double> gaussianKernel()
{
    constexpr int radius = 5;
    constexpr double sigma = 1.5;
    std::vector<double> k(2 * radius + 1);
    for (int i = -radius; i <= radius; ++i)
        k[size_t(i + radius)] = std::exp(-double(i * i) / (2 * sigma * sigma));
    return k;
}

// Gaussian-weighted local mean of `m` (separable, the window cut at the border and renormalised).
std::vector<double> localMean(const std::vector<double>& m, int64_t h, int64_t w)
{
    static const std::vector<double> k = gaussianKernel();
    const int64_t r = int64_t(k.size() / 2);
    std::vector<double> tmp(m.size()), out(m.size());
    for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) {
            double s = 0, ws = 0;
            for (int64_t d = -r; d <= r; ++d) {
                const int64_t xx = x + d;
                if (xx < 0 || xx >= w)
                    continue;
                s += k[size_t(d + r)] * m[size_t(y * w + xx)];
                ws += k[size_t(d + r)];
            }
            tmp[size_t(y * w + x)] = s / ws;
        }
    for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) {
            double s = 0, ws = 0;
            for (int64_t d = -r; d <= r; ++d) {
                const int64_t yy = y + d;
                if (yy < 0 || yy >= h)
                    continue;
                s += k[size_t(d + r)] * tmp[size_t(yy * w + x)];
                ws += k[size_t(d + r)];
            }
            out[size_t(y * w + x)] = s / ws;
        }
    return out;
}

} // namespace

std::vector<double> averageRanks(const std::vector<double>& v)
{
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> ranks(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        const double mean = 0.5 * double(i + j) + 1.0;
        for (size_t t = i; t <= j; ++t)
            ranks[order[t]] = mean;
        i = j + 1;
    }
    return ranks;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b)
{
    if (a.size() != b.size())
        return std::nan("");
    return pearsonOf(averageRanks(a), averageRanks(b));
}

double cosineSimilarity(const std::vector<double>& a, const std::vector<double>& b)
{
    if (a.size() != b.size() || a.empty())
        return std::nan("");
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ab += a[i] * b[i];
        aa += a[i] * a[i];
        bb += b[i] * b[i];
    }
    if (!(aa > 0) || !(bb > 0))
        return std::nan("");
    return std::clamp(ab / std::sqrt(aa * bb), -1.0, 1.0);
}

double ssim(const std::vector<double>& a, const std::vector<double>& b, int64_t h, int64_t w)
{
    if (h < 1 || w < 1 || int64_t(a.size()) != h * w || b.size() != a.size())
        return std::nan("");
    constexpr double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
    std::vector<double> aa(a.size()), bb(a.size()), ab(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
        aa[i] = a[i] * a[i];
        bb[i] = b[i] * b[i];
        ab[i] = a[i] * b[i];
    }
    const auto ma = localMean(a, h, w), mb = localMean(b, h, w);
    const auto saa = localMean(aa, h, w), sbb = localMean(bb, h, w), sab = localMean(ab, h, w);
    double sum = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        // The same expressions on both sides, so a map compared with itself gives exactly 1.
        const double va = saa[i] - ma[i] * ma[i], vb = sbb[i] - mb[i] * mb[i];
        const double cov = sab[i] - ma[i] * mb[i];
        const double num = (2 * ma[i] * mb[i] + c1) * (2 * cov + c2);
        const double den = (ma[i] * ma[i] + mb[i] * mb[i] + c1) * (va + vb + c2);
        sum += num / den;
    }
    return sum / double(a.size());
}

std::vector<double> normalisedHeatMap(const std::vector<float>& values, const std::vector<int64_t>& shape)
{
    if (shape.size() != 3)
        return {};
    const int64_t c = shape[0], hw = shape[1] * shape[2];
    if (c * hw != int64_t(values.size()))
        return {};
    std::vector<double> map(size_t(hw), 0.0);
    for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t i = 0; i < hw; ++i)
            map[size_t(i)] += std::fabs(double(values[size_t(ch * hw + i)]));
    const auto [lo, hi] = std::minmax_element(map.begin(), map.end());
    const double low = *lo, range = *hi - *lo;
    for (auto& v : map)
        v = range > 0 ? (v - low) / range : 0.0;
    return map;
}

const std::vector<std::string>& similarityMeasures()
{
    static const std::vector<std::string> ids{"spearman_abs", "spearman", "ssim", "cosine"};
    return ids;
}

std::string similarityDisplayName(const std::string& id)
{
    if (id == "spearman_abs")
        return "Spearman |attribution|";
    if (id == "spearman")
        return "Spearman (signed)";
    if (id == "ssim")
        return "SSIM (heat maps)";
    if (id == "cosine")
        return "cosine";
    return id;
}

void checkSimilarityMeasure(const std::string& id)
{
    const auto& ids = similarityMeasures();
    if (std::find(ids.begin(), ids.end(), id) == ids.end())
        throw Error("unknown similarity measure \"" + id + "\"; use spearman_abs, spearman, ssim or cosine");
}

double similarity(const std::string& id, const std::vector<float>& a, const std::vector<float>& b,
                  const std::vector<int64_t>& shape)
{
    if (a.size() != b.size() || a.empty())
        return std::nan("");
    if (id == "spearman_abs")
        return spearman(toDouble(a, true), toDouble(b, true));
    if (id == "spearman")
        return spearman(toDouble(a, false), toDouble(b, false));
    if (id == "cosine")
        return cosineSimilarity(toDouble(a, false), toDouble(b, false));
    if (id == "ssim") {
        if (shape.size() != 3)
            return std::nan("");
        return ssim(normalisedHeatMap(a, shape), normalisedHeatMap(b, shape), shape[1], shape[2]);
    }
    checkSimilarityMeasure(id);
    return std::nan("");
}

} // namespace senn::metrics
