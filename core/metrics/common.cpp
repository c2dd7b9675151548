#include "core/common/error.h"
#include "core/metrics/metrics_internal.h"

#include <algorithm>
#include <cmath>

namespace senn::metrics::detail {

double quantile(std::vector<double> v, double q)
{
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.empty())
        return std::nan("");
    std::sort(v.begin(), v.end());
    const double pos = q * double(v.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

torch::Tensor explainMany(explain::Method method, const models::Model& model,
                          const explain::ExplainContext& ctx, const torch::Tensor& X, int target,
                          const explain::ExplainOptions& options, const jobs::CancelToken& cancel)
{
    const int64_t n = X.size(0);
    auto opts = options;
    opts.target = target;
    if (explain::isDifferentiable(method)) {
        jobs::ProgressFn none;
        explain::detail::Run run{*model.impl(), none, cancel, explain::methodId(method)};
        run.chunk = options.chunkRows > 0 ? options.chunkRows : 8192;
        return explain::detail::explainBatchDifferentiable(method, run, ctx, X, {target}, opts, false)
            .to(torch::kCPU, torch::kFloat64);
    }
    auto Xc = X.to(torch::kCPU, torch::kFloat32).contiguous();
    const int64_t d = Xc.numel() / std::max<int64_t>(1, n);
    std::vector<torch::Tensor> rows;
    for (int64_t i = 0; i < n; ++i) {
        cancel.throwIfCancelled();
        auto e = explain::explain(method, model, ctx, Xc.data_ptr<float>() + i * d, opts, {}, cancel);
        rows.push_back(torch::tensor(std::vector<double>(e.values.begin(), e.values.end()), torch::kFloat64));
    }
    return torch::stack(rows, 0);
}

int predictedClass(const models::Model& model, const float* xRaw)
{
    return int(model.predict(xRaw, 1)[0]);
}

torch::Tensor halfWidths(const explain::ExplainContext& ctx, int64_t d, double eps, bool boxStd)
{
    if (!boxStd)
        return torch::full({d}, eps, torch::kFloat64);
    if (int64_t(ctx.stats.std.size()) != d)
        throw Error("the box_std ball needs the training std of all " + std::to_string(d) +
                    " features; build the ExplainContext from the training split");
    auto sd = torch::tensor(ctx.stats.std, torch::kFloat32).to(torch::kFloat64);
    return eps * sd.clamp_min(1e-3);
}

} // namespace senn::metrics::detail
