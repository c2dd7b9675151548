#include "core/data/decoy.h"

#include "core/common/error.h"

#include <algorithm>
#include <limits>
#include <random>

namespace senn::data {
namespace {

constexpr int64_t kPatch = 4;
// Mixed into the seed so the corner draws are not the split's shuffle draws (same seed).
constexpr uint64_t kStream = 0x9E3779B97F4A7C15ull;

uint64_t uniformBelow(std::mt19937_64& rng, uint64_t bound)
{
    const uint64_t max = std::numeric_limits<uint64_t>::max();
    const uint64_t limit = max - (max % bound + 1) % bound;
    uint64_t r;
    do {
        r = rng();
    } while (r > limit);
    return r % bound;
}

void checkImages(const Dataset& data)
{
    if (!data.isImage() || data.sampleShape.size() != 3)
        throw Error("Decoy MNIST needs an image dataset; " + data.source + " is tabular");
    if (data.sampleShape[1] < kPatch || data.sampleShape[2] < kPatch)
        throw Error("Decoy MNIST needs images of at least 4x4 pixels; " + data.source +
                    " has " + std::to_string(data.sampleShape[1]) + "x" +
                    std::to_string(data.sampleShape[2]));
}

template <typename Fn>
void forPatchPixels(const Dataset& data, const DecoyPatch& p, Fn fn)
{
    const int64_t c = data.sampleShape[0], h = data.sampleShape[1], w = data.sampleShape[2];
    for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t r = p.top; r < p.top + kPatch; ++r)
            for (int64_t col = p.left; col < p.left + kPatch; ++col)
                fn((ch * h + r) * w + col);
}

} // namespace

std::vector<DecoyPatch> decoyPatches(const Dataset& data, uint64_t seed)
{
    checkImages(data);
    const int64_t h = data.sampleShape[1], w = data.sampleShape[2];
    std::mt19937_64 rng(seed ^ kStream);
    std::vector<DecoyPatch> patches(static_cast<size_t>(data.rows()));
    for (auto& p : patches) {
        const uint64_t coins = rng(); // two fair coins: the top two bits
        p.top = (coins >> 63) ? h - kPatch : 0;
        p.left = ((coins >> 62) & 1) ? w - kPatch : 0;
        p.randomDigit = static_cast<int64_t>(uniformBelow(rng, 10));
    }
    return patches;
}

std::vector<float> decoyMasks(const Dataset& data, uint64_t seed)
{
    const auto patches = decoyPatches(data, seed);
    const int64_t d = data.featureCount();
    std::vector<float> masks(static_cast<size_t>(data.rows() * d), 0.0f);
    for (size_t i = 0; i < patches.size(); ++i)
        forPatchPixels(data, patches[i],
                       [&](int64_t j) { masks[i * static_cast<size_t>(d) + j] = 1.0f; });
    return masks;
}

void applyDecoy(Dataset& data, const std::vector<int64_t>& testRows, uint64_t seed,
                std::vector<float>* masks)
{
    checkImages(data);
    for (const auto& t : data.transforms)
        if (parseDecoyTransform(t))
            throw Error("Decoy MNIST was already applied to " + data.source + " (" + t + ")");
    if (data.numClasses() > 10)
        throw Error("Decoy MNIST keys the patch to digits 0-9, but " + data.source + " has " +
                    std::to_string(data.numClasses()) + " classes");
    std::vector<char> isTest(static_cast<size_t>(data.rows()), 0);
    for (auto r : testRows) {
        if (r < 0 || r >= data.rows())
            throw Error("Decoy MNIST: test row " + std::to_string(r) + " is outside the " +
                        std::to_string(data.rows()) + " rows of " + data.source);
        isTest[static_cast<size_t>(r)] = 1;
    }
    const auto patches = decoyPatches(data, seed);
    for (size_t i = 0; i < patches.size(); ++i) {
        const int64_t digit = isTest[i] ? patches[i].randomDigit : data.y[i];
        const float value = static_cast<float>(255 - 25 * digit) / 255.0f;
        float* x = data.row(static_cast<int64_t>(i));
        forPatchPixels(data, patches[i], [&](int64_t j) { x[j] = value; });
    }
    if (masks)
        *masks = decoyMasks(data, seed);
    data.transforms.push_back(decoyTransformName(seed));
}

std::string decoyTransformName(uint64_t seed)
{
    return "decoy:seed=" + std::to_string(seed);
}

std::optional<uint64_t> parseDecoyTransform(const std::string& transform)
{
    const std::string prefix = "decoy:seed=";
    if (transform.rfind(prefix, 0) != 0 || transform.size() == prefix.size())
        return std::nullopt;
    const std::string digits = transform.substr(prefix.size());
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    try {
        return std::stoull(digits);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace senn::data
