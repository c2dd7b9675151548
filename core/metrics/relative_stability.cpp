// RIS, ROS and the sensitivities (relative_stability.h) from one batch of explanations and
// one batch of model logits at the same perturbed inputs.
#include "core/metrics/relative_stability.h"

#include "core/common/error.h"
#include "core/common/fast_rng.h"
#include "core/metrics/metrics_internal.h"
#include "core/metrics/perturbation_internal.h"

#include <algorithm>
#include <cmath>

namespace senn::metrics {

namespace ed = explain::detail;

namespace {
constexpr uint64_t kStabilityTag = 0x52495352; // "RISR": the stream of the perturbations
}

double relativeChange(const double* a, const double* b, int64_t n, double epsMin)
{
    double s = 0;
    for (int64_t j = 0; j < n; ++j) {
        const double den = std::max(std::abs(a[j]), epsMin);
        const double r = (a[j] - b[j]) / den;
        s += r * r;
    }
    return std::sqrt(s);
}

RelativeStability relativeStability(explain::Method method, const models::Model& model,
                                    const explain::ExplainContext& ctx, const float* xRaw,
                                    const explain::ExplainOptions& explainOptions,
                                    const RelativeStabilityOptions& options, const jobs::CancelToken& cancel)
{
    if (!model.impl())
        throw Error("no model to measure");
    if (options.samples < 1)
        throw Error("relative stability needs at least one perturbed input");
    return detail::plainErrors("relative stability", [&] {
        const int64_t d = model.featureCount();
        const int S = options.samples;
        auto opts = explainOptions;
        if (opts.target < 0)
            opts.target = detail::predictedClass(model, xRaw);
        auto h = detail::halfWidths(ctx, d, options.radius, !ctx.stats.std.empty()).contiguous();
        const double* ph = h.data_ptr<double>();
        FastRng rng(detail::deriveSeed(options.seed, uint64_t(options.row), kStabilityTag));
        auto X = torch::empty({1 + S, d}, torch::kFloat64);
        double* px = X.data_ptr<double>();
        for (int64_t j = 0; j < d; ++j)
            px[j] = double(xRaw[j]);
        for (int s = 1; s <= S; ++s)
            for (int64_t j = 0; j < d; ++j)
                px[s * d + j] = double(xRaw[j]) + (2 * rng.uniform() - 1) * ph[j];
        auto Xf = X.to(torch::kFloat32);
        // The explained rows and the logits see the same float32 inputs.
        auto Xd = Xf.to(torch::kFloat64).contiguous();
        const double* pxd = Xd.data_ptr<double>();
        auto E = detail::explainMany(method, model, ctx, Xf.reshape(ed::batchShape(*model.impl(), 1 + S)),
                                     opts.target, opts, cancel).contiguous();
        const float* pf = Xf.data_ptr<float>();
        auto L = detail::outputsOfRows(model, 1 + S, [&](int64_t i, float* row) {
            std::copy(pf + i * d, pf + (i + 1) * d, row);
        }, explain::Output::Logit, -1, explainOptions.memoryBudget, cancel).contiguous();
        const int64_t m = E.size(1), C = L.size(1);
        const double* pe = E.data_ptr<double>();
        const double* pl = L.data_ptr<double>();
        double e0 = 0;
        for (int64_t j = 0; j < m; ++j)
            e0 += pe[j] * pe[j];
        e0 = std::sqrt(e0);
        RelativeStability res;
        res.samples = S;
        double sumSens = 0, maxSens = 0;
        for (int s = 1; s <= S; ++s) {
            const double num = relativeChange(pe, pe + s * m, m, options.epsMin);
            const double dx = std::max(relativeChange(pxd, pxd + s * d, d, options.epsMin), options.epsMin);
            const double dl = std::max(relativeChange(pl, pl + s * C, C, options.epsMin), options.epsMin);
            res.ris = std::max(res.ris, num / dx);
            res.ros = std::max(res.ros, num / dl);
            double diff = 0;
            for (int64_t j = 0; j < m; ++j)
                diff += (pe[s * m + j] - pe[j]) * (pe[s * m + j] - pe[j]);
            const double sens = std::sqrt(diff) / e0;
            sumSens += sens;
            maxSens = std::max(maxSens, sens);
        }
        res.avgSensitivity = e0 > 0 ? sumSens / S : std::nan("");
        res.maxSensitivity = e0 > 0 ? maxSens : std::nan("");
        return res;
    });
}

} // namespace senn::metrics
