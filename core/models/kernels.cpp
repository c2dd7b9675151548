#include "core/models/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace senn::models {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The pooling as three linear maps between a [P, H, W] plane stack (P = N·C, contiguous
// float32) and its [P, H/2, W/2] windows, through the winner of each window: idx k in 0..3 is
// the offset (k / 2, k % 2). The winner follows max_pool2d's rule exactly (scan order; a value
// wins when it is greater or NaN), so values and gradients, ties included, are max_pool2d's.
inline uint32_t bitsOf(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

inline float floatOf(uint32_t u)
{
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

void poolPlanes(const float* x, float* out, uint8_t* idx, int64_t P, int64_t H, int64_t W)
{
    const int64_t h2 = H / 2, w2 = W / 2;
    at::parallel_for(0, P, 16, [=](int64_t p0, int64_t p1) { // by value: no reloads after byte stores
        for (int64_t p = p0; p < p1; ++p) {
            const float* xp = x + p * H * W;
            float* op = out + p * h2 * w2;
            uint8_t* ip = idx + p * h2 * w2;
            for (int64_t i = 0; i < h2; ++i) {
                const float* r0 = xp + 2 * i * W;
                const float* r1 = r0 + W;
                for (int64_t j = 0; j < w2; ++j) {
                    // A tournament, (a, b) and (c, d) then the two winners: the same as
                    // max_pool2d's scan (the first maximum wins, a NaN wins, the last NaN among
                    // several), branch-free through bit masks, as the comparisons are random.
                    const float a = r0[2 * j], b = r0[2 * j + 1], c = r1[2 * j], d = r1[2 * j + 1];
                    const uint32_t tb = 0u - (uint32_t(b > a) | uint32_t(b != b));
                    const uint32_t td = 0u - (uint32_t(d > c) | uint32_t(d != d));
                    const uint32_t w01 = (bitsOf(b) & tb) | (bitsOf(a) & ~tb), k01 = 1u & tb;
                    const uint32_t w23 = (bitsOf(d) & td) | (bitsOf(c) & ~td), k23 = 2u | (1u & td);
                    const float f01 = floatOf(w01), f23 = floatOf(w23);
                    const uint32_t t = 0u - (uint32_t(f23 > f01) | uint32_t(f23 != f23));
                    const float m = floatOf((w23 & t) | (w01 & ~t));
                    const uint32_t k = (k23 & t) | (k01 & ~t);
                    op[i * w2 + j] = m;
                    ip[i * w2 + j] = uint8_t(k);
                }
            }
        }
    });
}

// Calls fn(window offset, winner's offset in the full [P, H, W] planes) for every window of
// idx [N, C, H/2, W/2]: the one index walk that the scatter and the gather share.
template <class Fn>
void forEachWinner(const torch::Tensor& idx, int64_t H, int64_t W, Fn fn)
{
    const int64_t h2 = idx.size(2), w2 = idx.size(3), P = idx.size(0) * idx.size(1);
    const uint8_t* pi = idx.data_ptr<uint8_t>();
    at::parallel_for(0, P, 16, [&](int64_t p0, int64_t p1) {
        for (int64_t p = p0; p < p1; ++p)
            for (int64_t i = 0; i < h2; ++i)
                for (int64_t j = 0; j < w2; ++j) {
                    const int64_t o = p * h2 * w2 + i * w2 + j;
                    const int k = pi[o];
                    fn(o, p * H * W + (2 * i + k / 2) * W + 2 * j + k % 2);
                }
    });
}

// Window values to their winners' places (zeros elsewhere): the pooling's adjoint.
torch::Tensor scatterToWinners(const torch::Tensor& gIn, const torch::Tensor& idx, int64_t H, int64_t W)
{
    auto g = gIn.contiguous();
    auto out = torch::zeros({g.size(0), g.size(1), H, W}, g.options());
    const float* pg = g.data_ptr<float>();
    float* po = out.data_ptr<float>();
    forEachWinner(idx, H, W, [&](int64_t window, int64_t full) { po[full] = pg[window]; });
    return out;
}

// The winners' values of a full-size tensor: the scatter's adjoint.
torch::Tensor gatherWinners(const torch::Tensor& yIn, const torch::Tensor& idx)
{
    auto y = yIn.contiguous();
    auto out = torch::empty(idx.sizes(), y.options());
    const float* py = y.data_ptr<float>();
    float* po = out.data_ptr<float>();
    forEachWinner(idx, y.size(2), y.size(3), [&](int64_t window, int64_t full) { po[window] = py[full]; });
    return out;
}

struct GatherWinnersFn;

// Differentiable at any order: each map's backward is the other one.
struct ScatterToWinnersFn : torch::autograd::Function<ScatterToWinnersFn> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& g, const torch::Tensor& idx, int64_t H,
                                 int64_t W)
    {
        ctx->saved_data["idx"] = idx;
        return scatterToWinners(g, idx, H, W);
    }
    static variable_list backward(AutogradContext* ctx, variable_list grads);
};

struct GatherWinnersFn : torch::autograd::Function<GatherWinnersFn> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& y, const torch::Tensor& idx)
    {
        ctx->saved_data["idx"] = idx;
        ctx->saved_data["H"] = y.size(2);
        ctx->saved_data["W"] = y.size(3);
        return gatherWinners(y, idx);
    }
    static variable_list backward(AutogradContext* ctx, variable_list grads)
    {
        auto idx = ctx->saved_data["idx"].toTensor();
        return {ScatterToWinnersFn::apply(grads[0], idx, ctx->saved_data["H"].toInt(), ctx->saved_data["W"].toInt()),
                torch::Tensor()};
    }
};

variable_list ScatterToWinnersFn::backward(AutogradContext* ctx, variable_list grads)
{
    auto idx = ctx->saved_data["idx"].toTensor();
    return {GatherWinnersFn::apply(grads[0], idx), torch::Tensor(), torch::Tensor(), torch::Tensor()};
}

struct MaxPool2x2Fn : torch::autograd::Function<MaxPool2x2Fn> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& xIn)
    {
        auto x = xIn.contiguous();
        const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
        auto out = torch::empty({N, C, H / 2, W / 2}, x.options());
        auto idx = torch::empty({N, C, H / 2, W / 2}, x.options().dtype(torch::kUInt8));
        poolPlanes(x.data_ptr<float>(), out.data_ptr<float>(), idx.data_ptr<uint8_t>(), N * C, H, W);
        ctx->saved_data["idx"] = idx;
        ctx->saved_data["H"] = H;
        ctx->saved_data["W"] = W;
        return out;
    }
    static variable_list backward(AutogradContext* ctx, variable_list grads)
    {
        auto idx = ctx->saved_data["idx"].toTensor();
        return {ScatterToWinnersFn::apply(grads[0], idx, ctx->saved_data["H"].toInt(), ctx->saved_data["W"].toInt())};
    }
};

} // namespace

namespace {

// max_pool2d's value for a window: the maximum, NaN when any value is NaN.
inline float nanMax(float a, float b)
{
    return (a != a || b != b) ? a + b : (b > a ? b : a);
}

#if defined(__SSE2__)
// The same on 4 lanes: maxps returns its second operand when either is NaN, so unordered lanes
// take a + b (NaN) instead.
inline __m128 nanMax4(__m128 a, __m128 b)
{
    const __m128 unordered = _mm_cmpunord_ps(a, b);
    return _mm_or_ps(_mm_andnot_ps(unordered, _mm_max_ps(a, b)), _mm_and_ps(unordered, _mm_add_ps(a, b)));
}
#endif

// 2x2 windows, stride 2, floor mode, over `planes` contiguous h x w planes.
void maxPoolPlanes(const float* in, float* out, int64_t planes, int64_t h, int64_t w)
{
    const int64_t oh = h / 2, ow = w / 2;
    for (int64_t p = 0; p < planes; ++p) {
        for (int64_t i = 0; i < oh; ++i) {
            const float* r0 = in + (p * h + 2 * i) * w;
            const float* r1 = r0 + w;
            float* o = out + (p * oh + i) * ow;
            int64_t j = 0;
#if defined(__SSE2__)
            // 4 windows at a time: the rows' maximum, then the maximum of even and odd columns.
            for (; j + 4 <= ow; j += 4) {
                const __m128 v0 = nanMax4(_mm_loadu_ps(r0 + 2 * j), _mm_loadu_ps(r1 + 2 * j));
                const __m128 v1 = nanMax4(_mm_loadu_ps(r0 + 2 * j + 4), _mm_loadu_ps(r1 + 2 * j + 4));
                const __m128 even = _mm_shuffle_ps(v0, v1, _MM_SHUFFLE(2, 0, 2, 0));
                const __m128 odd = _mm_shuffle_ps(v0, v1, _MM_SHUFFLE(3, 1, 3, 1));
                _mm_storeu_ps(o + j, nanMax4(even, odd));
            }
#endif
            for (; j < ow; ++j)
                o[j] = nanMax(nanMax(r0[2 * j], r0[2 * j + 1]), nanMax(r1[2 * j], r1[2 * j + 1]));
        }
    }
}

} // namespace

torch::Tensor maxPool2x2(const torch::Tensor& x)
{
    if (x.dim() != 4 || x.scalar_type() != torch::kFloat32 || !x.device().is_cpu() || x.size(2) < 2 || x.size(3) < 2)
        return torch::nn::functional::max_pool2d(x, torch::nn::functional::MaxPool2dFuncOptions(2));
    if (torch::GradMode::is_enabled() && x.requires_grad())
        return MaxPool2x2Fn::apply(x);
    // Values only: one pass over the planes, 4 windows per step (the four strided sub-grids'
    // elementwise maximum through LibTorch dominated the forward pass of image explanations).
    const auto in = x.contiguous();
    const int64_t n = in.size(0), c = in.size(1), h = in.size(2), w = in.size(3);
    auto out = torch::empty({n, c, h / 2, w / 2}, in.options());
    const float* pi = in.data_ptr<float>();
    float* po = out.data_ptr<float>();
    at::parallel_for(0, n * c, std::max<int64_t>(1, (1 << 14) / (h * w)), [&](int64_t b, int64_t e) {
        maxPoolPlanes(pi + b * h * w, po + b * (h / 2) * (w / 2), e - b, h, w);
    });
    return out;
}

namespace {

#if defined(__SSE2__)
// tanh of 4 floats. With a = min(|x|, 9) (NaN stays NaN: minps returns its second operand when
// one is NaN) and t = -2a: tanh(a) = -expm1(t) / (2 + expm1(t)), which keeps full relative
// precision near 0. expm1(t) = 2^k (e^r - 1) + (2^k - 1) with t = k ln2 + r, |r| <= ln2 / 2,
// ln2 split in two so that r is exact to float precision, and e^r - 1 as its Taylor polynomial
// to r^7 (the first term left out, r^8 / 8!, is below 6e-9 on that interval). tanh(9) rounds
// to 1 in float, so the clamp changes nothing. The sign is put back last (tanh is odd).
inline __m128 tanh4(__m128 x)
{
    const __m128 signMask = _mm_set1_ps(-0.0f);
    const __m128 sign = _mm_and_ps(x, signMask);
    const __m128 a = _mm_min_ps(_mm_set1_ps(9.0f), _mm_andnot_ps(signMask, x));
    const __m128 t = _mm_mul_ps(a, _mm_set1_ps(-2.0f));
    const __m128i k = _mm_cvtps_epi32(_mm_mul_ps(t, _mm_set1_ps(1.44269504088896341f))); // round(t / ln2)
    const __m128 kf = _mm_cvtepi32_ps(k);
    __m128 r = _mm_sub_ps(t, _mm_mul_ps(kf, _mm_set1_ps(0.693145751953125f)));  // ln2, high bits
    r = _mm_sub_ps(r, _mm_mul_ps(kf, _mm_set1_ps(1.42860682030941723212e-6f))); // ln2, the rest
    // e^r - 1 = r + r^2/2! + ... + r^7/7!: Horner's rule, then r + r^2 (1/2! + r (1/3! + ...)).
    __m128 p = _mm_set1_ps(1.0f / 5040.0f);
    p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(1.0f / 720.0f));
    p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(1.0f / 120.0f));
    p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(1.0f / 24.0f));
    p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(1.0f / 6.0f));
    p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(0.5f));
    p = _mm_add_ps(_mm_mul_ps(_mm_mul_ps(p, r), r), r);
    // 2^k from its exponent bits (k is in [-26, 0]).
    const __m128 twoK = _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(k, _mm_set1_epi32(127)), 23));
    const __m128 em1 = _mm_add_ps(_mm_mul_ps(twoK, p), _mm_sub_ps(twoK, _mm_set1_ps(1.0f)));
    const __m128 th = _mm_div_ps(_mm_sub_ps(_mm_setzero_ps(), em1), _mm_add_ps(_mm_set1_ps(2.0f), em1));
    return _mm_or_ps(th, sign);
}
#endif

#if defined(__SSE2__) && defined(__GNUC__)
// The same arithmetic on 8 lanes with fused multiply-adds, for CPUs with AVX2 and FMA (chosen
// at run time: the build targets plain x86-64): twice as many lanes and no separate multiply
// and add, so it is the faster of the two wherever the CPU has them.
__attribute__((target("avx2,fma"))) inline __m256 tanh8(__m256 x)
{
    const __m256 signMask = _mm256_set1_ps(-0.0f);
    const __m256 sign = _mm256_and_ps(x, signMask);
    const __m256 a = _mm256_min_ps(_mm256_set1_ps(9.0f), _mm256_andnot_ps(signMask, x));
    const __m256 t = _mm256_mul_ps(a, _mm256_set1_ps(-2.0f));
    const __m256i k = _mm256_cvtps_epi32(_mm256_mul_ps(t, _mm256_set1_ps(1.44269504088896341f)));
    const __m256 kf = _mm256_cvtepi32_ps(k);
    __m256 r = _mm256_fnmadd_ps(kf, _mm256_set1_ps(0.693145751953125f), t);
    r = _mm256_fnmadd_ps(kf, _mm256_set1_ps(1.42860682030941723212e-6f), r);
    __m256 p = _mm256_set1_ps(1.0f / 5040.0f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 720.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
    p = _mm256_fmadd_ps(_mm256_mul_ps(p, r), r, r);
    const __m256 twoK = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k, _mm256_set1_epi32(127)), 23));
    const __m256 em1 = _mm256_fmadd_ps(twoK, p, _mm256_sub_ps(twoK, _mm256_set1_ps(1.0f)));
    const __m256 th = _mm256_div_ps(_mm256_sub_ps(_mm256_setzero_ps(), em1), _mm256_add_ps(_mm256_set1_ps(2.0f), em1));
    return _mm256_or_ps(th, sign);
}

__attribute__((target("avx2,fma"))) void tanhAvx2(const float* in, float* out, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, tanh8(_mm256_loadu_ps(in + i)));
    if (i < n) { // the last 1-7 values through the same arithmetic
        alignas(32) float buf[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        std::copy(in + i, in + n, buf);
        _mm256_store_ps(buf, tanh8(_mm256_load_ps(buf)));
        std::copy(buf, buf + (n - i), out + i);
    }
}
#endif

} // namespace

namespace detail {

bool tanhHasAvx2()
{
#if defined(__SSE2__) && defined(__GNUC__)
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
#else
    return false;
#endif
}

void tanhValues(const float* in, float* out, int64_t n, bool avx2)
{
#if defined(__SSE2__)
#if defined(__GNUC__)
    if (avx2 && tanhHasAvx2()) {
        tanhAvx2(in, out, n);
        return;
    }
#endif
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        _mm_storeu_ps(out + i, tanh4(_mm_loadu_ps(in + i)));
    if (i < n) { // the last 1-3 values through the same arithmetic
        alignas(16) float buf[4] = {0, 0, 0, 0};
        std::copy(in + i, in + n, buf);
        _mm_store_ps(buf, tanh4(_mm_load_ps(buf)));
        std::copy(buf, buf + (n - i), out + i);
    }
#else
    (void)avx2;
    for (int64_t i = 0; i < n; ++i)
        out[i] = std::tanh(in[i]);
#endif
}

} // namespace detail

namespace {
// logits of R rows at once (R independent sums per class hide the FMA latency; C and R fixed so
// that the compiler keeps the R*C sums in registers).
template <int C, int R>
void sumAggregateRows(const float* h, const float* theta, float* out, int64_t rows, int64_t k)
{
    int64_t r = 0;
    for (; r + R <= rows; r += R) {
        float acc[R][C] = {};
        for (int64_t i = 0; i < k; ++i)
            for (int q = 0; q < R; ++q) {
                const float hi = h[(r + q) * k + i];
                const float* t = theta + ((r + q) * k + i) * C;
                for (int j = 0; j < C; ++j)
                    acc[q][j] += hi * t[j];
            }
        for (int q = 0; q < R; ++q)
            std::copy(acc[q], acc[q] + C, out + (r + q) * C);
    }
    if (r < rows)
        sumAggregateRows<C, 1>(h + r * k, theta + r * k * C, out + r * C, rows - r, k);
}

#if defined(__SSE2__)
// C = 1, 2 or 4: a row's θ is k*C floats, and lane l of each 4-float step holds class l % C of
// concept step * 4 / C + l / C; h's values are spread to match. Four sums per row hide the add
// latency; the lanes of a class are added at the end. Reading θ bounds it; a scalar loop alone
// was no faster than bmm (both about one multiply-add per cycle), hence the lanes.
template <int C>
inline __m128 spreadConcepts(const float* h)
{
    if constexpr (C == 1)
        return _mm_loadu_ps(h);
    else if constexpr (C == 2) {
        const __m128 v = _mm_loadl_pi(_mm_setzero_ps(), reinterpret_cast<const __m64*>(h)); // h0 h1 0 0
        return _mm_shuffle_ps(v, v, _MM_SHUFFLE(1, 1, 0, 0));                             // h0 h0 h1 h1
    } else
        return _mm_set1_ps(*h);
}

template <int C>
void sumAggregateLanes(const float* h, const float* theta, float* out, int64_t rows, int64_t k)
{
    static_assert(C == 1 || C == 2 || C == 4, "4 lanes hold whole concepts");
    constexpr int64_t per = 4 / C; // concepts per step
    const int64_t steps = k / per;
    for (int64_t r = 0; r < rows; ++r) {
        const float* hr = h + r * k;
        const float* tr = theta + r * k * C;
        __m128 acc[4] = {_mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps()};
        int64_t s = 0;
        for (; s + 4 <= steps; s += 4)
            for (int q = 0; q < 4; ++q)
                acc[q] = _mm_add_ps(acc[q], _mm_mul_ps(spreadConcepts<C>(hr + (s + q) * per),
                                                       _mm_loadu_ps(tr + (s + q) * 4)));
        for (; s < steps; ++s)
            acc[0] = _mm_add_ps(acc[0], _mm_mul_ps(spreadConcepts<C>(hr + s * per), _mm_loadu_ps(tr + s * 4)));
        alignas(16) float lanes[4];
        _mm_store_ps(lanes, _mm_add_ps(_mm_add_ps(acc[0], acc[1]), _mm_add_ps(acc[2], acc[3])));
        float sum[C] = {};
        for (int l = 0; l < 4; ++l)
            sum[l % C] += lanes[l];
        for (int64_t i = steps * per; i < k; ++i) // the last concepts that fill no step
            for (int j = 0; j < C; ++j)
                sum[j] += hr[i] * tr[i * C + j];
        std::copy(sum, sum + C, out + r * C);
    }
}
#endif

template <int C>
void sumAggregateBlock(const float* h, const float* theta, float* out, int64_t rows, int64_t k)
{
#if defined(__SSE2__)
    if constexpr (C == 1 || C == 2 || C == 4) {
        sumAggregateLanes<C>(h, theta, out, rows, k);
        return;
    }
#endif
    sumAggregateRows<C, (C <= 2 ? 4 : C <= 4 ? 2 : 1)>(h, theta, out, rows, k);
}

template <int... Cs>
bool sumAggregateFor(int64_t c, const float* h, const float* theta, float* out, int64_t rows, int64_t k,
                     std::integer_sequence<int, Cs...>)
{
    return ((c == Cs + 1 ? (sumAggregateBlock<Cs + 1>(h, theta, out, rows, k), true) : false) || ...);
}
} // namespace

torch::Tensor sumAggregate(const torch::Tensor& h, const torch::Tensor& theta)
{
    constexpr int kMaxClasses = 16;
    const bool plain = !(torch::GradMode::is_enabled() && (h.requires_grad() || theta.requires_grad()));
    if (!plain || h.dim() != 2 || theta.dim() != 3 || h.scalar_type() != torch::kFloat32 ||
        theta.scalar_type() != torch::kFloat32 || !h.device().is_cpu() || !theta.device().is_cpu() ||
        theta.size(2) < 1 || theta.size(2) > kMaxClasses || h.size(0) != theta.size(0) || h.size(1) != theta.size(1))
        return torch::bmm(h.unsqueeze(1), theta).squeeze(1);
    const auto hc = h.contiguous(), tc = theta.contiguous();
    const int64_t n = tc.size(0), k = tc.size(1), c = tc.size(2);
    auto out = torch::empty({n, c}, tc.options());
    const float* ph = hc.data_ptr<float>();
    const float* pt = tc.data_ptr<float>();
    float* po = out.data_ptr<float>();
    at::parallel_for(0, n, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, k * c)), [&](int64_t b, int64_t e) {
        sumAggregateFor(c, ph + b * k, pt + b * k * c, po + b * c, e - b, k,
                        std::make_integer_sequence<int, kMaxClasses>{});
    });
    return out;
}

torch::Tensor tanhActivation(const torch::Tensor& x)
{
    if ((torch::GradMode::is_enabled() && x.requires_grad()) || x.scalar_type() != torch::kFloat32 ||
        !x.device().is_cpu())
        return torch::tanh(x);
    const auto in = x.contiguous();
    auto out = torch::empty_like(in);
    const float* pi = in.data_ptr<float>();
    float* po = out.data_ptr<float>();
    at::parallel_for(0, in.numel(), 1 << 14,
                     [&](int64_t b, int64_t e) { detail::tanhValues(pi + b, po + b, e - b, true); });
    return out;
}

} // namespace senn::models
