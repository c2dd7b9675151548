#include "core/common/error.h"
#include "core/explain/explain_internal.h"

namespace senn::explain::detail {

Explanation explainOcclusion(Run& run, const ExplainContext& ctx, const torch::Tensor& x, int target,
                             const ExplainOptions& options)
{
    const auto& shape = run.impl.meta().inputShape;
    const int64_t d = featureCount(run.impl);
    auto xf = x.reshape({d}).to(torch::kCPU, torch::kFloat32);
    auto base = baselineRow(ctx, options, d);
    // masks [W, d]: 1 where window w replaces x by the baseline.
    torch::Tensor masks;
    if (shape.size() == 3) {
        const int64_t C = shape[0], H = shape[1], Wd = shape[2];
        const int64_t win = std::max(1, options.occlusionWindow), st = std::max(1, options.occlusionStride);
        const int64_t wh = std::min(win, H), ww = std::min(win, Wd);
        const int64_t ny = (H - wh) / st + 1, nx = (Wd - ww) / st + 1;
        masks = torch::zeros({ny * nx, C, H, Wd}, torch::kFloat32);
        for (int64_t i = 0; i < ny; ++i)
            for (int64_t j = 0; j < nx; ++j)
                masks[i * nx + j].slice(1, i * st, i * st + wh).slice(2, j * st, j * st + ww).fill_(1.0f);
        masks = masks.view({ny * nx, d});
    } else {
        masks = torch::eye(d, torch::kFloat32);
    }
    const int64_t nw = masks.size(0);
    auto rows = torch::cat({xf.view({1, d}), masks * base.view({1, d}) + (1 - masks) * xf.view({1, d})}, 0);
    run.plannedRows = nw + 1;
    auto y = evalOutput(run, rows.reshape(batchShape(run.impl, nw + 1)), target, outputFor(options));
    auto drops = (y[0] - y.slice(0, 1)).to(torch::kFloat32); // [nw]
    auto sum = torch::matmul(drops.view({1, nw}), masks).view({d});
    auto count = masks.sum(0);
    auto values = torch::where(count > 0, sum / count.clamp_min(1), torch::zeros_like(sum));
    Explanation e;
    e.values = models::toVector(values);
    e.shape = shape;
    e.baseline = models::toVector(base);
    e.diagnostics["windows"] = double(nw);
    e.diagnostics["model_prediction"] = y[0].item<double>();
    return e;
}

} // namespace senn::explain::detail
