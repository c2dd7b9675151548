// Fast CPU kernels under the networks' layers: tanh, SENN's sum aggregator and 2x2 max pooling.
// Each stands in for a LibTorch operation (the pooling bit for bit, the sum and tanh to float
// rounding) and hands to LibTorch whatever it does not cover (other dtypes and devices, and
// autograd for tanh and the sum). Core-internal: it includes LibTorch. Their known answers are
// in tests/test_models_kernels.cpp.
#pragma once
#include "core/torch_include.h"

#include <cstdint>

namespace senn::models {

// tanh for the networks' activations. Under autograd it is LibTorch's (differentiable to any
// order); without it, a float32 kernel from expm1 (Cody-Waite reduction, a degree-7
// polynomial; AVX2 8 lanes, else SSE2 4) within 3 ulp of tanh, NaN and ±inf as tanh. LibTorch
// 1.13's tanh (Sleef, 1 ulp) was a large part of a KernelSHAP run on a tabular SENN, whose
// parametrizer applies tanh to every hidden unit of every one of the many rows it evaluates.
torch::Tensor tanhActivation(const torch::Tensor& x);
namespace detail {
// tanhActivation's kernel on n floats: AVX2 with FMA when avx2 is set and the CPU has both,
// else SSE2 (for the test, which checks both). in and out may be the same buffer.
void tanhValues(const float* in, float* out, int64_t n, bool avx2);
bool tanhHasAvx2();
} // namespace detail

// SENN's sum aggregator: z[n, c] = Σ_i h[n, i] θ[n, i, c] for h [N, k] and θ [N, k, C]. Under
// autograd (or off the CPU, or beyond 16 classes) it is bmm; without it, a float32 loop over
// the rows, in SSE2 lanes for 1, 2 and 4 classes. LibTorch 1.13's bmm on [N, 1, k] x [N, k, C]
// runs a small-matrix path per row, which costs more than the few multiply-adds it does for
// SENN's small k and C (docs/benchmarks.md has the figures).
torch::Tensor sumAggregate(const torch::Tensor& h, const torch::Tensor& theta);

// 2x2 max pooling with stride 2 (floor mode): max_pool2d(x, 2)'s values and gradients (ties go
// to the first maximum in scan order, NaN wins), differentiable to any order, as plain loops over
// the planes. LibTorch 1.13's max_pool2d was a large share of the MNIST SENN's forward pass.
torch::Tensor maxPool2x2(const torch::Tensor& x);

} // namespace senn::models
