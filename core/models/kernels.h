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
// 1.13's tanh (Sleef, 1 ulp, 1.97 ns per value) was 27% of a KernelSHAP run on the breast-cancer
// SENN: its parametrizer's hidden layers are 96 tanh per row, and KernelSHAP evaluates 21,091 rows.
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
// runs a small-matrix path per row: on the breast-cancer SENN (k = 31, C = 2) it was 8% of a
// KernelSHAP explanation; this takes 0.64 of its time there (MNIST's k = 5, C = 10: the same).
torch::Tensor sumAggregate(const torch::Tensor& h, const torch::Tensor& theta);

// 2x2 max pooling with stride 2 (floor mode): max_pool2d(x, 2)'s values and gradients (ties go
// to the first maximum in scan order, NaN wins), differentiable to any order, as plain loops over
// the planes. LibTorch 1.13's max_pool2d was half of the MNIST SENN's forward: on MNIST's first
// layer (1,000 rows, one thread) it took 28.7 ms forward and 36 ms forward+backward.
torch::Tensor maxPool2x2(const torch::Tensor& x);

} // namespace senn::models
