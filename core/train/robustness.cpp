#include "core/train/robustness.h"

#include "core/common/error.h"
#include "core/models/torch_model.h"

namespace senn::train {

namespace {
torch::Tensor gradOrZeros(const torch::Tensor& g, const torch::Tensor& like)
{
    return g.defined() ? g : torch::zeros_like(like);
}
} // namespace

torch::Tensor robustnessPenalty(const models::SennTensors& out, const torch::Tensor& xStd,
                                models::PenaltyMode mode, int samples, bool createGraph)
{
    if (!xStd.requires_grad())
        throw Error("internal: the robustness penalty needs an input that requires grad");
    const auto& theta = out.theta; // [N, k, C]
    const auto& h = out.h;         // [N, k], not detached: the penalty also trains h
    const int64_t n = theta.size(0), classes = theta.size(2);

    if (mode == models::PenaltyMode::Exact) {
        torch::Tensor squared = torch::zeros({n}, xStd.options().requires_grad(false));
        for (int64_t c = 0; c < classes; ++c) {
            // J_θcᵀ h = ∇_x z_c - J_hᵀ θ_c: one vector-Jacobian product per class.
            auto g = torch::autograd::grad({theta.select(2, c)}, {xStd}, {h},
                                           /*retain_graph=*/true, createGraph,
                                           /*allow_unused=*/true)[0];
            g = gradOrZeros(g, xStd);
            squared = squared + g.pow(2).flatten(1).sum(1);
        }
        // clamp keeps the gradient finite where θ is locally constant (norm 0).
        return squared.clamp_min(1e-20).sqrt();
    }

    // Fast: E_v ||vᵀ M||² = ||M||_F² for v ~ N(0, I), M the C x d matrix [J_θcᵀ h]_c.
    samples = std::max(1, samples);
    torch::Tensor estimate = torch::zeros({n}, xStd.options().requires_grad(false));
    for (int s = 0; s < samples; ++s) {
        auto v = torch::randn({n, 1, classes}, theta.options().requires_grad(false));
        auto g = torch::autograd::grad({theta}, {xStd}, {h.unsqueeze(2) * v},
                                       /*retain_graph=*/true, createGraph,
                                       /*allow_unused=*/true)[0];
        g = gradOrZeros(g, xStd);
        estimate = estimate + g.pow(2).flatten(1).sum(1);
    }
    return estimate / static_cast<double>(samples);
}

torch::Tensor robustnessPenalty(models::ModelImpl& model, const torch::Tensor& xStd,
                                models::PenaltyMode mode, int samples, bool createGraph)
{
    auto* net = dynamic_cast<models::TorchModel*>(&model);
    if (!net || !net->isSenn())
        throw Error("the robustness penalty is defined for SENN models only");
    auto out = net->sennStd(xStd, false);
    return robustnessPenalty(out, xStd, mode, samples, createGraph);
}

torch::Tensor rrrPenalty(const torch::Tensor& logits, const torch::Tensor& xStd,
                         const torch::Tensor& mask, const torch::Tensor& invStd, bool createGraph)
{
    auto sumLogP = torch::log_softmax(logits, 1).sum();
    auto g = torch::autograd::grad({sumLogP}, {xStd}, {}, /*retain_graph=*/true, createGraph,
                                   /*allow_unused=*/true)[0];
    g = gradOrZeros(g, xStd);
    auto gRaw = g * invStd; // chain rule through xStd = (xRaw - mean) / std
    return (mask.view(gRaw.sizes()) * gRaw).pow(2).flatten(1).sum(1);
}

torch::Tensor weightPenalty(const std::vector<torch::Tensor>& parameters, double l2, int64_t n,
                            int64_t classes)
{
    torch::Tensor sum;
    if (l2 > 0 && n > 0)
        for (const auto& p : parameters)
            if (p.dim() >= 2)
                sum = sum.defined() ? sum + p.pow(2).sum() : p.pow(2).sum();
    if (!sum.defined())
        return torch::zeros({});
    return sum * ((classes == 2 ? 2.0 : 1.0) * l2 / (2.0 * static_cast<double>(n)));
}

} // namespace senn::train
