// Gini sparseness and attribution entropy (complexity.h): sums in double over |a|.
#include "core/metrics/complexity.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace senn::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// |a| in double, or empty when a value is not finite.
std::vector<double> magnitudes(const std::vector<float>& a, double& total)
{
    std::vector<double> m;
    m.reserve(a.size());
    total = 0;
    for (float v : a) {
        if (!std::isfinite(v))
            return {};
        m.push_back(std::fabs(double(v)));
        total += m.back();
    }
    return m;
}

} // namespace

double giniSparseness(const std::vector<float>& a)
{
    double total = 0;
    auto m = magnitudes(a, total);
    const double d = double(m.size());
    if (m.empty() || !(total > 0))
        return kNaN;
    if (m.size() == 1)
        return 1.0; // one value carries everything
    std::sort(m.begin(), m.end());
    double s = 0;
    for (size_t i = 0; i < m.size(); ++i)
        s += (2.0 * double(i + 1) - d - 1.0) * m[i];
    // s / (d·total) reaches (d−1)/d for one-hot; rescale so one-hot is exactly 1.
    return std::clamp(s / ((d - 1.0) * total), 0.0, 1.0);
}

double attributionEntropy(const std::vector<float>& a)
{
    double total = 0;
    auto m = magnitudes(a, total);
    if (m.empty() || !(total > 0))
        return kNaN;
    double h = 0;
    for (double v : m)
        if (v > 0) {
            const double p = v / total;
            h -= p * std::log(p);
        }
    return std::max(0.0, h);
}

} // namespace senn::metrics
