#include "core/common/error.h"
#include "core/explain/cost.h"
#include "core/explain/explain_internal.h"

#include <opencv2/core.hpp>

#include <cmath>

namespace senn::explain::detail {

namespace {
void needTrain(const ExplainContext& ctx, const std::string& spec)
{
    if (!ctx.data || ctx.trainRows.empty())
        throw Error("background '" + spec + "' needs the training rows, but none were given");
}

torch::Tensor trainMatrix(const ExplainContext& ctx, int64_t d)
{
    const int64_t n = int64_t(ctx.trainRows.size());
    auto m = torch::empty({n, d}, torch::kFloat32);
    float* p = m.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i) {
        const float* r = ctx.data->row(ctx.trainRows[size_t(i)]);
        std::copy(r, r + d, p + i * d);
    }
    return m;
}
} // namespace

torch::Tensor Background::mean() const
{
    return (rows.to(torch::kFloat64) * weights.unsqueeze(1)).sum(0).to(torch::kFloat32);
}

namespace {
Background buildBackground(const ExplainContext& ctx, const std::string& spec, int64_t d);
constexpr uint64_t kBackgroundSeed = 0x12345678ULL; // fixed: see makeBackground
}

Background makeBackground(const ExplainContext& ctx, const std::string& specIn, int64_t d)
{
    const std::string spec = specIn.empty() ? kShapBackground : specIn;
    if (!ctx.backgroundCache || spec == "mean" || spec == "zeros")
        return buildBackground(ctx, spec, d);
    // k-means and samples depend only on the training rows and the spec: built once (stability
    // metrics explain hundreds of perturbed points with the same background).
    const std::string key = spec + "#" + std::to_string(d);
    std::lock_guard<std::mutex> lock(ctx.backgroundCache->mutex);
    auto it = ctx.backgroundCache->entries.find(key);
    if (it == ctx.backgroundCache->entries.end())
        it = ctx.backgroundCache->entries.emplace(key, buildBackground(ctx, spec, d)).first;
    return it->second;
}

namespace {
Background buildBackground(const ExplainContext& ctx, const std::string& spec, int64_t d)
{
    Background bg;
    bg.spec = spec;
    if (spec == "zeros") {
        bg.rows = torch::zeros({1, d}, torch::kFloat32);
    } else if (spec == "mean") {
        if (int64_t(ctx.stats.mean.size()) != d)
            throw Error("background 'mean' needs the training mean of all " + std::to_string(d) +
                        " features; build the ExplainContext from the training split");
        bg.rows = torch::tensor(ctx.stats.mean, torch::kFloat32).view({1, d}).clone();
    } else if (spec.rfind("sample:", 0) == 0) {
        needTrain(ctx, spec);
        const int64_t want = backgroundSpecCount(spec, "sample:");
        auto all = trainMatrix(ctx, d);
        const int64_t n = std::min<int64_t>(want, all.size(0));
        auto gen = makeGenerator(kBackgroundSeed ^ 0x5eedbac6ULL);
        auto idx = torch::randperm(all.size(0), gen).slice(0, 0, n);
        bg.rows = all.index_select(0, idx).contiguous();
    } else if (spec.rfind("kmeans:", 0) == 0) {
        needTrain(ctx, spec);
        const int64_t k = backgroundSpecCount(spec, "kmeans:");
        auto all = trainMatrix(ctx, d);
        const int64_t n = all.size(0);
        if (k >= n) {
            bg.rows = all;
        } else {
            cv::Mat samples(int(n), int(d), CV_32F, all.data_ptr<float>());
            cv::Mat labels, centers;
            cv::theRNG().state = kBackgroundSeed; // cv::kmeans draws from theRNG
            cv::kmeans(samples, int(k), labels,
                       cv::TermCriteria(cv::TermCriteria::EPS + cv::TermCriteria::COUNT, 100, 1e-4),
                       1, cv::KMEANS_PP_CENTERS, centers);
            bg.rows = torch::empty({k, d}, torch::kFloat32);
            std::vector<double> sizes(size_t(k), 0.0);
            for (int i = 0; i < labels.rows; ++i)
                sizes[size_t(labels.at<int>(i))] += 1;
            float* out = bg.rows.data_ptr<float>();
            const float* data = all.data_ptr<float>();
            // shap.kmeans snaps each centre to the nearest real value per column, so a centre
            // never holds a value that no example has (e.g. a fractional 0/1 feature).
            for (int64_t c = 0; c < k; ++c)
                for (int64_t j = 0; j < d; ++j) {
                    const float target = centers.at<float>(int(c), int(j));
                    float best = data[j];
                    float bestDist = std::fabs(best - target);
                    for (int64_t i = 1; i < n; ++i) {
                        const float v = data[i * d + j];
                        const float dist = std::fabs(v - target);
                        if (dist < bestDist) {
                            bestDist = dist;
                            best = v;
                        }
                    }
                    out[c * d + j] = best;
                }
            bg.weights = torch::tensor(sizes, torch::kFloat64);
        }
    } else {
        throw Error("unknown background '" + spec +
                    "'; valid: mean, zeros, kmeans:K (e.g. kmeans:10), sample:N (e.g. sample:100)");
    }
    if (!bg.weights.defined())
        bg.weights = torch::ones({bg.rows.size(0)}, torch::kFloat64);
    bg.weights = bg.weights / bg.weights.sum();
    return bg;
}
} // namespace

torch::Tensor baselineRow(const ExplainContext& ctx, const ExplainOptions& options, int64_t d)
{
    const std::string spec = options.background.empty() ? "mean" : options.background;
    return makeBackground(ctx, spec, d).mean();
}

} // namespace senn::explain::detail
