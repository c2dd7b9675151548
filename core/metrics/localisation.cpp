// Localisation scores of an attribution against a ground-truth mask (localisation.h), the
// mask files they read, and the summaries the ground-truth command reports.
#include "core/metrics/localisation.h"

#include "core/common/error.h"
#include "core/data/npy_array.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <numeric>

namespace senn::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double share(double part, double whole)
{
    return whole > 0 ? part / whole : kNaN;
}

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string s;
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? "x" : "") + std::to_string(shape[i]);
    return s;
}

} // namespace

LocalisationScores localisation(const float* a, const uint8_t* mask, int64_t n,
                                const LocalisationOptions& options)
{
    LocalisationScores s;
    for (int64_t i = 0; i < n; ++i)
        s.maskSize += mask[i] ? 1 : 0;
    s.k = options.topK > 0 ? std::min(options.topK, n) : s.maskSize;
    if (s.maskSize == 0 || s.maskSize == n || n == 0) {
        s.massAccuracy = s.rankAccuracy = s.pointingGame = s.topKIntersection = s.irrelevantMass = kNaN;
        return s;
    }
    const auto score = [&](int64_t i) {
        const double v = double(a[i]);
        return options.absolute ? std::fabs(v) : v;
    };
    double inside = 0, total = 0, absOut = 0, absTotal = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double v = double(a[i]);
        const double m = options.absolute ? std::fabs(v) : std::max(v, 0.0);
        total += m;
        if (mask[i])
            inside += m;
        absTotal += std::fabs(v);
        if (!mask[i])
            absOut += std::fabs(v);
    }
    s.massAccuracy = share(inside, total);
    s.irrelevantMass = share(absOut, absTotal);

    // The ranking is by score, ties broken against the mask (every tied feature outside the
    // mask ranks first), so how many of the top k lie in the mask follows from the k-th score
    // alone: all above it count, and of the features tied with it the mask's fill the slots
    // the others leave. A selection (linear) instead of a sort: a 224x224 photo is rescored on
    // every brush stroke.
    std::vector<double> scores(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) { // a NaN value ranks last (a selection needs an order)
        const double v = score(i);
        scores[size_t(i)] = std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
    }
    const auto foundInTop = [&](int64_t k) -> int64_t {
        std::vector<double> sel(scores);
        std::nth_element(sel.begin(), sel.begin() + (k - 1), sel.end(), std::greater<double>());
        const double t = sel[size_t(k - 1)];
        int64_t above = 0, foundAbove = 0, tiedOut = 0, tiedIn = 0;
        for (int64_t i = 0; i < n; ++i) {
            const double v = scores[size_t(i)];
            if (v > t) {
                ++above;
                foundAbove += mask[i] ? 1 : 0;
            } else if (v == t) {
                (mask[i] ? tiedIn : tiedOut) += 1;
            }
        }
        const int64_t slots = k - above;
        return foundAbove + std::min(tiedIn, std::max<int64_t>(0, slots - tiedOut));
    };
    if (total <= 0) { // nothing ranked above zero: no feature is pointed at
        s.rankAccuracy = s.pointingGame = s.topKIntersection = kNaN;
        return s;
    }
    s.rankAccuracy = double(foundInTop(s.maskSize)) / double(s.maskSize);
    s.topKIntersection = s.k > 0 ? double(foundInTop(s.k)) / double(s.k) : kNaN;
    s.pointingGame = double(foundInTop(1));
    return s;
}

bool onInput(const explain::Explanation& e, int64_t featureCount)
{
    return int64_t(e.values.size()) == featureCount && e.method != "senn" && e.method != "flint";
}

LocalisationScores localisation(const explain::Explanation& e, const std::vector<uint8_t>& mask,
                                const LocalisationOptions& options)
{
    if (e.values.size() != mask.size())
        throw Error("the " + e.method + " explanation has " + std::to_string(e.values.size()) +
                    " values but the ground-truth mask has " + std::to_string(mask.size()) +
                    "; a mask must have the input's shape");
    return localisation(e.values.data(), mask.data(), int64_t(mask.size()), options);
}

std::vector<uint8_t> loadMaskFile(const std::string& path, const std::vector<int64_t>& shape)
{
    int64_t d = 1;
    for (auto s : shape)
        d *= s;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error::inFile(path, "no such mask file", "Give a .npy array or a PNG of the input's shape");
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    std::vector<uint8_t> mask;
    if (ext == ".npy") {
        std::vector<int64_t> fileShape;
        const auto values = data::readNpyArray(path, fileShape);
        if (int64_t(values.size()) != d)
            throw Error::inFile(path, "the mask has " + std::to_string(values.size()) + " values (shape " +
                                          shapeText(fileShape) + "); the input has " + std::to_string(d) +
                                          " (" + shapeText(shape) + ")",
                                "Save one value per input value, nonzero where the truth lies");
        mask.resize(size_t(d));
        for (int64_t i = 0; i < d; ++i)
            mask[size_t(i)] = values[size_t(i)] != 0 && !std::isnan(values[size_t(i)]) ? 1 : 0;
    } else {
        if (shape.size() != 3)
            throw Error::inFile(path, "an image mask needs image data; this input is a table of " +
                                          std::to_string(d) + " features",
                                "Give a .npy array of " + std::to_string(d) + " values");
        const cv::Mat img = cv::imread(path, cv::IMREAD_GRAYSCALE);
        if (img.empty())
            throw Error::inFile(path, "cannot be read as an image mask",
                                "Give a PNG (or .npy) of " + std::to_string(shape[2]) + "x" +
                                    std::to_string(shape[1]) + " pixels");
        if (img.rows != shape[1] || img.cols != shape[2])
            throw Error::inFile(path, "the mask is " + std::to_string(img.cols) + "x" + std::to_string(img.rows) +
                                          " pixels; the input is " + std::to_string(shape[2]) + "x" +
                                          std::to_string(shape[1]),
                                "Draw the mask at the input's size");
        const int64_t hw = shape[1] * shape[2];
        mask.resize(size_t(d));
        for (int64_t c = 0; c < shape[0]; ++c)
            for (int64_t y = 0; y < shape[1]; ++y)
                for (int64_t x = 0; x < shape[2]; ++x)
                    mask[size_t(c * hw + y * shape[2] + x)] = img.at<uint8_t>(int(y), int(x)) ? 1 : 0;
    }
    if (std::none_of(mask.begin(), mask.end(), [](uint8_t m) { return m != 0; }))
        throw Error::inFile(path, "the mask marks no feature", "Mark the relevant features with nonzero values");
    return mask;
}

ScoreSummary summarise(const std::vector<double>& values)
{
    std::vector<double> v;
    for (double x : values)
        if (std::isfinite(x))
            v.push_back(x);
    ScoreSummary s;
    s.n = int64_t(v.size());
    if (v.empty()) {
        s.median = s.max = s.mean = kNaN;
        return s;
    }
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    s.median = v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
    s.max = v.back();
    s.mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
    return s;
}

} // namespace senn::metrics
