// What the model card says about a training run beyond its numbers: which epoch was kept and
// why, and whether a SENN's relevances vary enough between inputs to be more than a linear model.
#include "core/train/trainer.h"

#include "core/common/error.h"
#include "core/train/train_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace senn::train {

namespace {

// How much SENN's relevances θ(x) vary over rows, for the model card: the mean over
// the rows of ‖θ(x) − θ̄‖_F / ‖θ̄‖_F, θ̄ their mean (k × C each). 0: the same θ everywhere (a
// linear model's global weights); 1: θ moves as far as its own size. -1: no rows or θ̄ = 0.
double relativeThetaSpread(const std::vector<std::vector<float>>& thetas)
{
    if (thetas.empty())
        return -1;
    const size_t k = thetas.front().size();
    std::vector<double> mean(k, 0.0);
    for (const auto& t : thetas) {
        if (t.size() != k)
            throw Error("θ of different sizes cannot be compared");
        for (size_t i = 0; i < k; ++i)
            mean[i] += t[i];
    }
    double meanNorm = 0;
    for (auto& m : mean) {
        m /= static_cast<double>(thetas.size());
        meanNorm += m * m;
    }
    meanNorm = std::sqrt(meanNorm);
    if (!(meanNorm > 0))
        return -1;
    double sum = 0;
    for (const auto& t : thetas) {
        double d = 0;
        for (size_t i = 0; i < k; ++i)
            d += (t[i] - mean[i]) * (t[i] - mean[i]);
        sum += std::sqrt(d);
    }
    return sum / static_cast<double>(thetas.size()) / meanNorm;
}

} // namespace

namespace detail {

double thetaVariation(const models::Model& model, const data::Dataset& data,
                      const std::vector<int64_t>& rows)
{
    if (!model.isValid() || !model.isSenn() || rows.empty())
        return -1;
    const int64_t f = data.featureCount();
    std::vector<std::vector<float>> thetas;
    thetas.reserve(rows.size());
    constexpr size_t chunk = 256;
    std::vector<float> x;
    for (size_t begin = 0; begin < rows.size(); begin += chunk) {
        const size_t end = std::min(rows.size(), begin + chunk);
        x.clear();
        for (size_t i = begin; i < end; ++i)
            x.insert(x.end(), data.row(rows[i]), data.row(rows[i]) + f);
        for (auto& o : model.senn(x.data(), static_cast<int64_t>(end - begin)))
            thetas.push_back(std::move(o.theta));
    }
    return relativeThetaSpread(thetas);
}

} // namespace detail

std::string keptEpochText(const models::ModelMeta& meta)
{
    if (meta.history.empty() || meta.bestEpoch < 1)
        return {};
    const auto it = std::find_if(meta.history.begin(), meta.history.end(),
                                 [&](const models::EpochRecord& r) { return r.epoch == meta.bestEpoch; });
    std::string text = "epoch " + std::to_string(meta.bestEpoch) + " of " +
                       std::to_string(meta.history.back().epoch);
    if (meta.train.keep == "last")
        return text + ", the last (kept on request)";
    if (it == meta.history.end())
        return text;
    char figures[96];
    if (it->valLoss > 0) {
        std::snprintf(figures, sizeof figures, " (%.4g; accuracy %.3f)", it->valLoss, it->valAccuracy);
        const auto lowest = std::min_element(
            meta.history.begin(), meta.history.end(), [](const models::EpochRecord& a, const models::EpochRecord& b) {
                return a.valLoss < b.valLoss;
            });
        if (meta.train.keep == "se" && lowest->epoch != meta.bestEpoch) {
            char both[160];
            std::snprintf(both, sizeof both, " (%.4g at epoch %d; this epoch %.4g, accuracy %.3f)",
                          lowest->valLoss, lowest->epoch, it->valLoss, it->valAccuracy);
            return text + ", the latest within one standard error of the lowest validation loss" + both;
        }
        return text + ", the lowest validation loss" + figures;
    }
    // Without a validation split the training loss decided.
    std::snprintf(figures, sizeof figures, " (%.4g)", it->ce);
    return text + ", the lowest training loss" + figures;
}

std::string thetaVariationWarning(const models::ModelMeta& meta)
{
    const auto it = meta.metrics.find("theta_variation");
    if (it == meta.metrics.end() || !(it->second >= 0) || it->second >= kLinearThetaVariation)
        return {};
    char figure[32];
    std::snprintf(figure, sizeof figure, "%.3f", it->second);
    return std::string("θ barely changes between inputs (θ variation ") + figure +
           ", below 0.05): this SENN acts as a linear model here, and its stability says little";
}

} // namespace senn::train
