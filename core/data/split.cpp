// Splits and standardisation. The shuffle is a hand-written Fisher-Yates over std::mt19937_64
// (whose output the standard fixes) because std::shuffle and the distributions differ between
// standard libraries, and a model file must reproduce its test split anywhere.
#include "core/data/split.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace senn::data {
namespace {

// Uniform in [0, bound) by rejection, so no value is favoured.
uint64_t uniformBelow(std::mt19937_64& rng, uint64_t bound)
{
    const uint64_t max = std::numeric_limits<uint64_t>::max();
    const uint64_t limit = max - (max % bound + 1) % bound; // largest multiple of bound, - 1
    uint64_t r;
    do {
        r = rng();
    } while (r > limit);
    return r % bound;
}

void shuffle(std::vector<int64_t>& v, std::mt19937_64& rng)
{
    for (size_t i = v.size(); i > 1; --i) {
        const size_t j = static_cast<size_t>(uniformBelow(rng, i));
        std::swap(v[i - 1], v[j]);
    }
}

// Rounds to the nearest row; fractions are first rounded to 1e-9 so that 1 - 0.8 - 0.1
// (0.0999...98 in binary) counts as the 0.1 a person means.
int64_t rowsFor(int64_t n, double fraction)
{
    const double f = std::round(fraction * 1e9) / 1e9;
    return std::clamp<int64_t>(std::llround(static_cast<double>(n) * f), 0, n);
}

} // namespace

const std::vector<int64_t>& Split::byName(const std::string& name) const
{
    if (name == "train")
        return train;
    if (name == "val" || name == "validation")
        return val;
    if (name == "test")
        return test;
    throw Error("unknown split '" + name + "'. Use train, val or test");
}

Split makeSplit(const Dataset& data, uint64_t seed, int64_t limit)
{
    Split s;
    s.seed = seed;
    s.limit = limit;
    const int64_t rows = data.rows();
    s.predefinedTest = data.testBegin >= 0 && data.testBegin <= rows;
    const int64_t pool = s.predefinedTest ? data.testBegin : rows;

    std::vector<int64_t> order(static_cast<size_t>(pool));
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed);
    shuffle(order, rng);

    const int64_t nVal = rowsFor(pool, s.valFraction);
    const int64_t nTest =
        s.predefinedTest ? 0 : std::min(rowsFor(pool, 1.0 - s.trainFraction - s.valFraction),
                                        pool - nVal);
    const int64_t nTrain = pool - nVal - nTest;
    // Lists keep the shuffled order, so --limit takes a random subset of the training rows.
    s.train.assign(order.begin(), order.begin() + nTrain);
    s.val.assign(order.begin() + nTrain, order.begin() + nTrain + nVal);
    s.test.assign(order.begin() + nTrain + nVal, order.end());
    if (s.predefinedTest) {
        s.test.resize(static_cast<size_t>(rows - pool));
        std::iota(s.test.begin(), s.test.end(), pool);
    }
    if (limit >= 0 && limit < static_cast<int64_t>(s.train.size()))
        s.train.resize(static_cast<size_t>(limit));
    return s;
}

Standardizer Standardizer::fit(const Dataset& data, const std::vector<int64_t>& rows)
{
    Standardizer st;
    const int64_t d = data.featureCount();
    st.perChannel = data.isImage() && data.sampleShape.size() == 3;
    const int64_t groups = st.perChannel ? data.sampleShape[0] : d;
    const int64_t perGroup = st.perChannel ? d / std::max<int64_t>(groups, 1) : 1;
    std::vector<double> sum(static_cast<size_t>(groups), 0.0), sq(sum);
    // Two passes (mean, then squared deviations) for accuracy with large raw values.
    for (auto r : rows) {
        const float* x = data.row(r);
        for (int64_t j = 0; j < d; ++j)
            sum[static_cast<size_t>(j / perGroup)] += x[j];
    }
    const double count = static_cast<double>(rows.size()) * perGroup;
    std::vector<double> mean(sum.size(), 0.0);
    for (size_t g = 0; g < sum.size(); ++g)
        mean[g] = count > 0 ? sum[g] / count : 0.0;
    for (auto r : rows) {
        const float* x = data.row(r);
        for (int64_t j = 0; j < d; ++j) {
            const double dev = x[j] - mean[static_cast<size_t>(j / perGroup)];
            sq[static_cast<size_t>(j / perGroup)] += dev * dev;
        }
    }
    for (size_t g = 0; g < sum.size(); ++g) {
        const double sd = count > 0 ? std::sqrt(sq[g] / count) : 0.0; // population std
        st.mean.push_back(static_cast<float>(mean[g]));
        // A constant feature would divide by zero; leaving it unscaled keeps it at 0.
        st.std.push_back(sd < 1e-8 ? 1.0f : static_cast<float>(sd));
    }
    return st;
}

float Standardizer::meanAt(int64_t j, const std::vector<int64_t>& sampleShape) const
{
    if (perChannel && sampleShape.size() == 3)
        return mean[static_cast<size_t>(j / (sampleShape[1] * sampleShape[2]))];
    return mean[static_cast<size_t>(j)];
}

float Standardizer::stdAt(int64_t j, const std::vector<int64_t>& sampleShape) const
{
    if (perChannel && sampleShape.size() == 3)
        return std[static_cast<size_t>(j / (sampleShape[1] * sampleShape[2]))];
    return std[static_cast<size_t>(j)];
}

FeatureStats FeatureStats::fit(const Dataset& data, const std::vector<int64_t>& rows)
{
    FeatureStats fs;
    const size_t d = static_cast<size_t>(data.featureCount());
    std::vector<double> sum(d, 0.0), sq(d, 0.0);
    fs.min.assign(d, rows.empty() ? 0.0f : std::numeric_limits<float>::max());
    fs.max.assign(d, rows.empty() ? 0.0f : std::numeric_limits<float>::lowest());
    for (auto r : rows) {
        const float* x = data.row(r);
        for (size_t j = 0; j < d; ++j) {
            sum[j] += x[j];
            fs.min[j] = std::min(fs.min[j], x[j]);
            fs.max[j] = std::max(fs.max[j], x[j]);
        }
    }
    const double n = static_cast<double>(rows.size());
    std::vector<double> mean(d, 0.0);
    for (size_t j = 0; j < d; ++j) {
        mean[j] = n > 0 ? sum[j] / n : 0.0;
        fs.mean.push_back(static_cast<float>(mean[j]));
    }
    for (auto r : rows) {
        const float* x = data.row(r);
        for (size_t j = 0; j < d; ++j) {
            const double dev = x[j] - mean[j];
            sq[j] += dev * dev;
        }
    }
    for (size_t j = 0; j < d; ++j)
        fs.std.push_back(n > 0 ? static_cast<float>(std::sqrt(sq[j] / n)) : 0.0f);
    return fs;
}

} // namespace senn::data
