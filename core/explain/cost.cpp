// The model rows of each explainer, from the constants and rules the explainers share (cost.h):
// what the explainers decide (samples, coalitions, exact or sampled Shapley, occlusion windows)
// is decided here, once, for them and for the estimates.
#include "core/explain/cost.h"

#include "core/common/error.h"
#include "core/models/shape.h"

#include <algorithm>
#include <cmath>

namespace senn::explain {

int64_t limeSamples(const ExplainOptions& options, bool image)
{
    if (options.samples > 0)
        return options.samples;
    return image ? kLimeImageSamples : kLimeTabularSamples;
}

int64_t kernelShapCoalitions(const ExplainOptions& options, int64_t M)
{
    if (M <= 1)
        return 0;
    const int64_t wanted = options.samples > 0 ? options.samples : 2 * M + kKernelShapExtraCoalitions;
    const double all = M <= 30 ? std::pow(2.0, double(M)) - 2 : std::pow(2.0, 30.0);
    return double(wanted) > all ? int64_t(all) : wanted;
}

bool shapleyIsExact(const ExplainOptions& options, int64_t M)
{
    return options.permutations <= 0 && M <= std::min(options.exactShapleyMaxFeatures, kExactShapleyMaxPlayers);
}

int64_t shapleyPermutationPairs(const ExplainOptions& options, int64_t M, int64_t B)
{
    if (options.permutations > 0)
        return (int64_t(options.permutations) + 1) / 2;
    const double perPair = 2.0 * double(M + 1) * double(std::max<int64_t>(1, B));
    return std::clamp<int64_t>(int64_t(double(kShapleyRowBudget) / perPair), kMinPermutationPairs,
                               kMaxPermutationPairs);
}

int64_t backgroundSpecCount(const std::string& spec, const std::string& prefix)
{
    const std::string rest = spec.substr(prefix.size());
    try {
        size_t used = 0;
        const long long v = std::stoll(rest, &used);
        if (used == rest.size() && v > 0)
            return v;
    } catch (const std::exception&) {
    }
    throw Error("background '" + spec + "': expected a positive count after '" + prefix + "', e.g. " + prefix +
                "10");
}

int64_t backgroundRowCount(const std::string& specIn, int64_t trainRows)
{
    const std::string spec = specIn.empty() ? kShapBackground : specIn;
    if (spec == "mean" || spec == "zeros")
        return 1;
    for (const char* prefix : {"kmeans:", "sample:"})
        if (spec.rfind(prefix, 0) == 0) {
            try {
                return std::min(backgroundSpecCount(spec, prefix), std::max<int64_t>(1, trainRows));
            } catch (const Error&) {
                return -1;
            }
        }
    return -1;
}

int superpixelCell(int64_t H, int64_t W, int requested)
{
    // About 30 segments: a 28x28 digit gets region size 5 (~20-50 superpixels after SLIC).
    return requested > 0 ? requested : std::max(2, int(std::lround(std::sqrt(double(H * W) / 30.0))));
}

namespace {
int64_t valueCount(const std::vector<int64_t>& shape)
{
    return std::max<int64_t>(1, models::shapeProduct(shape));
}

bool isImageShape(const std::vector<int64_t>& shape) { return shape.size() == 3; }
} // namespace

int64_t nominalPlayers(const std::vector<int64_t>& shape, const ExplainOptions& options)
{
    const int64_t d = valueCount(shape);
    if (!isImageShape(shape) || d <= kMaxPixelPlayers)
        return d;
    const int64_t H = shape[1], W = shape[2];
    const int64_t cell = superpixelCell(H, W, options.segmentSize);
    return ((H + cell - 1) / cell) * ((W + cell - 1) / cell);
}

int64_t plannedModelRows(Method method, const ExplainOptions& options, const std::vector<int64_t>& shape,
                         int64_t M, int64_t B)
{
    const bool image = isImageShape(shape);
    // KernelSHAP and Shapley first evaluate x and every background row (f(x) and E f).
    const int64_t gameRows = 1 + B;
    switch (method) {
    case Method::Senn:
    case Method::Saliency:
    case Method::GradInput:
    case Method::Flint:
        return 1;
    case Method::IntegratedGradients: // the path points, then x and the baseline
        return std::max(1, options.igSteps) + 2;
    case Method::SmoothGrad: // the noisy copies, then x
        return std::max(1, options.smoothGradSamples) + 1;
    case Method::Lime:
        return limeSamples(options, image);
    case Method::KernelShap:
        return gameRows + kernelShapCoalitions(options, M) * B;
    case Method::Shapley:
        if (M <= 0)
            return gameRows;
        if (shapleyIsExact(options, M))
            return gameRows + (int64_t(1) << M) * B;
        return gameRows + 2 * shapleyPermutationPairs(options, M, B) * (M + 1) * B;
    case Method::Occlusion: { // x, then one row per window (a window is one feature on tables)
        if (!image)
            return valueCount(shape) + 1;
        const int64_t H = shape[1], W = shape[2];
        int64_t window = 1, stride = 1;
        occlusionGeometry(H, W, options, window, stride);
        return ((H - std::min(window, H)) / stride + 1) * ((W - std::min(window, W)) / stride + 1) + 1;
    }
    }
    return -1;
}

int64_t estimatedModelRows(Method method, const ExplainOptions& options, const std::vector<int64_t>& shape,
                           int64_t trainRows)
{
    int64_t B = 1;
    if (method == Method::KernelShap || method == Method::Shapley)
        B = backgroundRowCount(options.background, trainRows);
    if (B < 0)
        return -1;
    return plannedModelRows(method, options, shape, nominalPlayers(shape, options), B);
}

} // namespace senn::explain
