#include "core/common/error.h"
#include "core/explain/explain_internal.h"

namespace senn::explain::detail {

// θ(x)[:, target] for a batch; differentiable with respect to X when createGraph.
torch::Tensor sennBatch(Run& run, const torch::Tensor& X, const std::vector<int>& targets,
                        bool createGraph, torch::Tensor* hOut)
{
    if (!run.impl.isSenn())
        throw Error("SENN explanations need a SENN model; this model is a " +
                    models::toString(run.impl.meta().config.kind) +
                    ". Use a post-hoc method (lime, kernel-shap, saliency, ...) instead");
    run.impl.setTraining(false);
    const int64_t n = X.size(0);
    auto pickTheta = [&](const torch::Tensor& theta, int64_t b, int64_t e) {
        // theta [m, k, C] -> [m, k]
        if (targets.size() == 1)
            return theta.select(2, targets[0]);
        std::vector<int64_t> idx(targets.begin() + b, targets.begin() + e);
        auto it = torch::tensor(idx, torch::kLong).to(theta.device()).view({-1, 1, 1})
                      .expand({theta.size(0), theta.size(1), 1});
        return theta.gather(2, it).squeeze(2);
    };
    if (createGraph) {
        torch::AutoGradMode enable(true);
        auto out = run.impl.senn(X);
        run.afterChunk(n);
        if (hOut)
            *hOut = out.h;
        return pickTheta(out.theta, 0, n);
    }
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts, hs;
    for (int64_t b = 0; b < n; b += run.chunk) {
        run.cancel.throwIfCancelled();
        const int64_t e = std::min(n, b + run.chunk);
        auto out = run.impl.senn(X.slice(0, b, e).to(run.impl.device()));
        parts.push_back(pickTheta(out.theta, b, e));
        hs.push_back(out.h);
        run.afterChunk(e - b);
    }
    if (hOut)
        *hOut = torch::cat(hs, 0);
    return torch::cat(parts, 0);
}

Explanation explainSenn(Run& run, const ExplainContext&, const torch::Tensor& x, int target,
                        const ExplainOptions&)
{
    run.plannedRows = 1;
    torch::Tensor h;
    auto theta = sennBatch(run, x, {target}, false, &h).to(torch::kCPU, torch::kFloat32).view({-1});
    h = h.to(torch::kCPU, torch::kFloat32).reshape({-1});
    const auto& meta = run.impl.meta();
    Explanation e;
    e.values = models::toVector(theta);
    e.h = models::toVector(h);
    e.contribution = models::toVector(theta * h);
    const int64_t k = theta.numel();
    e.shape = {k};
    const bool identity = meta.config.concepts == models::ConceptKind::Identity;
    const int64_t d = featureCount(run.impl);
    if (identity && meta.inputShape.size() == 3 && k == d) {
        e.shape = meta.inputShape; // θ as a heat map over the image
    } else if (identity && !meta.featureNames.empty()) {
        e.labels = meta.featureNames;
        if (int64_t(e.labels.size()) < k)
            e.labels.push_back("bias");
    }
    if (e.labels.empty() && !(identity && meta.inputShape.size() == 3))
        for (int64_t i = 0; i < k; ++i)
            e.labels.push_back("concept " + std::to_string(i + 1));
    double zt = 0;
    for (size_t i = 0; i < e.contribution.size(); ++i)
        zt += e.contribution[i];
    e.diagnostics["logit"] = zt;
    e.diagnostics["concepts"] = double(k);
    return e;
}

} // namespace senn::explain::detail
