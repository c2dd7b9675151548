// SENN's robustness penalty (senn.md) and the RRR input-gradient penalty (rrr.md), as
// per-sample tensors so the trainer, the tests and the benchmark share one implementation.
// Core-internal (includes torch).
#pragma once
#include "core/models/model_impl.h"

namespace senn::train {

// R(x) per sample, from a SENN forward pass `out` computed on `xStd` (which must require grad):
//   exact: || ∇_x f - θᵀ J_x h ||_F = || [ J_θcᵀ h ]_c ||_F, one vector-Jacobian product per
//          class with h (not detached) as grad_outputs; returns the norm (not squared).
//   fast:  an unbiased estimate of the SQUARED norm, E_v ||Σ_c v_c J_θcᵀ h||² with v ~ N(0, I_C)
//          drawn per sample from torch's global generator, averaged over `samples` draws.
// x is the STANDARDISED input, so the penalty lives in the net's input space (what the
// parametrizer sees); raw-space gradients differ only by the fixed per-feature 1/std.
// createGraph = true keeps the graph so the penalty can be trained through (double backprop).
torch::Tensor robustnessPenalty(const models::SennTensors& out, const torch::Tensor& xStd,
                                models::PenaltyMode mode, int samples = 1,
                                bool createGraph = true);

// Convenience: standardised input in, forward pass and penalty out. `model` must be a SENN
// built by this app (models::TorchModel).
torch::Tensor robustnessPenalty(models::ModelImpl& model, const torch::Tensor& xStd,
                                models::PenaltyMode mode, int samples = 1,
                                bool createGraph = true);

// RRR (rrr.md): per-sample Σ_d (A_nd ∂/∂x_d Σ_k log p_k(x_n))², with the gradient in RAW input
// space (masks are drawn over raw pixels / features). `logits` must come from `xStd`;
// `invStd` is d xStd / d xRaw broadcastable to xStd (1/std per feature or channel).
torch::Tensor rrrPenalty(const torch::Tensor& logits, const torch::Tensor& xStd,
                         const torch::Tensor& mask, const torch::Tensor& invStd,
                         bool createGraph = true);

// The L2 weight penalty of TrainConfig::l2: l2 / (2·n) · Σ‖W‖² over the parameters with two
// or more dimensions (weights; biases and intercepts are not penalised), twice that with two
// classes, so that with the mean cross-entropy over n training rows it is the baseline's
// objective (baseline.cpp: scikit-learn's LogisticRegression with C = 1 / l2, divided by n;
// binary: the softmax's two weight vectors split the one of the binary model). A 0-dimensional
// zero when l2 <= 0 or there are no weights.
torch::Tensor weightPenalty(const std::vector<torch::Tensor>& parameters, double l2, int64_t n,
                            int64_t classes);

} // namespace senn::train
