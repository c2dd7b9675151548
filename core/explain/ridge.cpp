#include "core/explain/explain_internal.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace senn::explain::detail {

namespace {
RidgeFit weightedRidgeDual(const torch::Tensor& X, const torch::Tensor& y, const torch::Tensor& w, double alpha);
} // namespace

// The same fit from the weighted moments of an indicator matrix, gathered in one pass over
// each row's ones (a LIME row has about a quarter of its entries set): sums of w, w·x, w·y,
// w·y², w·x·y and w·x·xᵀ, then the centred normal equations and the residual sum of squares
// from those moments. For 5,000 × 30 rows this replaces six full passes and a dgemm whose
// packing cost more than the model's forward.
RidgeFit weightedRidgeIndicators(const torch::Tensor& Xin, const torch::Tensor& yin, const torch::Tensor& win,
                                 double alpha)
{
    if (alpha > 0 && Xin.size(1) > Xin.size(0))
        return weightedRidgeDual(Xin, yin, win, alpha); // p x p moments would not fit
    auto X = Xin.to(torch::kFloat64).contiguous();
    const int64_t N = X.size(0), p = X.size(1);
    auto y = yin.to(torch::kFloat64).contiguous();
    auto w = win.to(torch::kFloat64).contiguous();
    const double* px = X.data_ptr<double>();
    const double* py = y.data_ptr<double>();
    const double* pw = w.data_ptr<double>();
    // The weighted mean of y first, so the sums below see y − ȳ (no cancellation in Σ w yc²).
    double sw = 0, swy = 0;
    for (int64_t i = 0; i < N; ++i) {
        sw += pw[i];
        swy += pw[i] * py[i];
    }
    const double ym = swy / sw;
    double swyc = 0, ssTot = 0; // Σ w yc (≈ 0) and Σ w yc²
    std::vector<double> swx(size_t(p), 0.0), swxy(size_t(p), 0.0), sxx(size_t(p * p), 0.0);
    std::vector<int64_t> on(static_cast<size_t>(p));
    for (int64_t i = 0; i < N; ++i) {
        const double wi = pw[i], yi = py[i] - ym;
        swyc += wi * yi;
        ssTot += wi * yi * yi;
        const double* row = px + i * p;
        size_t k = 0;
        for (int64_t j = 0; j < p; ++j) { // branch-free: the ones are random
            on[k] = j;
            k += row[j] != 0.0 ? 1 : 0;
        }
        for (size_t a = 0; a < k; ++a) {
            const int64_t ja = on[a];
            swx[size_t(ja)] += wi;
            swxy[size_t(ja)] += wi * yi;
            double* sa = &sxx[size_t(ja * p)];
            for (size_t b = a; b < k; ++b)
                sa[on[b]] += wi; // upper triangle (on[] is increasing)
        }
    }
    auto A = torch::empty({p, p}, torch::kFloat64);
    auto bvec = torch::empty({p}, torch::kFloat64);
    double* pa = A.data_ptr<double>();
    double* pb = bvec.data_ptr<double>();
    std::vector<double> xm(static_cast<size_t>(p));
    for (int64_t a = 0; a < p; ++a)
        xm[size_t(a)] = swx[size_t(a)] / sw;
    for (int64_t a = 0; a < p; ++a) {
        for (int64_t b = a; b < p; ++b) {
            // Σ w (x_a − m_a)(x_b − m_b) = Σ w x_a x_b − sw m_a m_b
            const double v = sxx[size_t(a * p + b)] - sw * xm[size_t(a)] * xm[size_t(b)];
            pa[a * p + b] = v;
            pa[b * p + a] = v;
        }
        pb[a] = swxy[size_t(a)] - xm[size_t(a)] * swyc; // Σ w (x_a − m_a)(y − ȳ)
    }
    auto gram = A.clone();                    // unpenalised, for the residuals
    A += alpha * torch::eye(p, torch::kFloat64);
    RidgeFit fit;
    if (p == 0)
        fit.coef = torch::zeros({0}, torch::kFloat64);
    else if (alpha > 0)
        fit.coef = torch::linalg::solve(A, bvec.unsqueeze(1), true).squeeze(1);
    else
        fit.coef = std::get<0>(torch::linalg::lstsq(A, bvec.unsqueeze(1), c10::nullopt, "gelsd")).squeeze(1);
    fit.coef = fit.coef.contiguous();
    const double* beta = fit.coef.data_ptr<double>();
    // Σ w (yc − Xc β)² = Σ w yc² − 2 βᵀ b + βᵀ G β (G the centred Gram matrix).
    double bb = 0, quad = 0, meanPart = 0;
    const double* pg = gram.data_ptr<double>();
    for (int64_t a = 0; a < p; ++a) {
        bb += beta[a] * pb[a];
        meanPart += xm[size_t(a)] * beta[a];
        double ga = 0;
        for (int64_t b = 0; b < p; ++b)
            ga += pg[a * p + b] * beta[b];
        quad += beta[a] * ga;
    }
    fit.intercept = ym - meanPart;
    // Rounding in the expansion is relative to Σ w yc²: a residual below that is an exact fit.
    const double ssRes = std::max(0.0, ssTot - 2 * bb + quad);
    // A constant y (Σ w yc² at rounding level) is fitted exactly by the intercept: R² = 1, as
    // the dense path's sklearn convention gives.
    fit.r2 = ssTot > 1e-24 * sw * std::max(1.0, ym * ym) ? 1.0 - ssRes / ssTot : 1.0;
    return fit;
}

namespace {
// The dual form for more features than rows: with Z = W^½ Xc (n x p), the ridge solution
// (ZᵀZ + αI)⁻¹ Zᵀ W^½ yc equals Zᵀ (ZZᵀ + αI)⁻¹ W^½ yc, so the system is n x n (5,000² for
// LIME's samples) instead of p x p (20,000 features took a 3.2 GB matrix). Z is formed a block
// of columns at a time; Zβ = ZZᵀa gives the residuals without another pass.
RidgeFit weightedRidgeDual(const torch::Tensor& X, const torch::Tensor& yin, const torch::Tensor& win, double alpha)
{
    const int64_t N = X.size(0), p = X.size(1);
    auto y = yin.to(torch::kFloat64);
    auto w = win.to(torch::kFloat64);
    const double sw = w.sum().item<double>();
    const double ym = (y * w).sum().item<double>() / sw;
    auto sq = w.clamp_min(0).sqrt().unsqueeze(1); // [N, 1]
    auto xm = torch::empty({p}, torch::kFloat64);
    auto G = torch::zeros({N, N}, torch::kFloat64);
    const int64_t block = std::max<int64_t>(1, (int64_t(32) << 20) / (8 * std::max<int64_t>(1, N)));
    for (int64_t c0 = 0; c0 < p; c0 += block) {
        const int64_t c1 = std::min(p, c0 + block);
        auto Xb = X.slice(1, c0, c1).to(torch::kFloat64);
        auto m = (Xb * w.unsqueeze(1)).sum(0) / sw;
        xm.slice(0, c0, c1).copy_(m);
        auto Zb = (Xb - m) * sq;
        G.addmm_(Zb, Zb.t());
    }
    auto r = (y - ym) * sq.squeeze(1); // W^½ yc
    auto A = G.clone();
    A.diagonal().add_(alpha);
    auto a = torch::linalg::solve(A, r.unsqueeze(1), true).squeeze(1);
    auto coef = torch::empty({p}, torch::kFloat64);
    for (int64_t c0 = 0; c0 < p; c0 += block) {
        const int64_t c1 = std::min(p, c0 + block);
        auto Zb = (X.slice(1, c0, c1).to(torch::kFloat64) - xm.slice(0, c0, c1)) * sq;
        coef.slice(0, c0, c1).copy_(torch::matmul(Zb.t(), a));
    }
    RidgeFit fit;
    fit.coef = coef;
    fit.intercept = ym - (xm * coef).sum().item<double>();
    const double ssRes = (r - torch::matmul(G, a)).pow(2).sum().item<double>();
    const double ssTot = r.pow(2).sum().item<double>();
    fit.r2 = ssTot > 0 ? 1.0 - ssRes / ssTot : (ssRes < 1e-30 ? 1.0 : 0.0);
    return fit;
}
} // namespace

RidgeFit weightedRidge(const torch::Tensor& Xin, const torch::Tensor& yin, const torch::Tensor& win,
                       double alpha)
{
    if (alpha > 0 && Xin.size(1) > Xin.size(0))
        return weightedRidgeDual(Xin, yin, win, alpha);
    auto X = Xin.to(torch::kFloat64);
    auto y = yin.to(torch::kFloat64);
    auto w = win.to(torch::kFloat64);
    const int64_t p = X.size(1);
    const double sw = w.sum().item<double>();
    auto xm = (X * w.unsqueeze(1)).sum(0) / sw;
    const double ym = (y * w).sum().item<double>() / sw;
    auto Xc = X - xm;
    auto yc = y - ym;
    auto WX = Xc * w.unsqueeze(1);
    // (Xcᵀ W Xc + αI) β = Xcᵀ W yc on weight-centred data: the intercept is not penalised.
    auto A = torch::matmul(Xc.t(), WX) + alpha * torch::eye(p, torch::kFloat64);
    auto b = torch::matmul(WX.t(), yc);
    RidgeFit fit;
    if (p == 0) {
        fit.coef = torch::zeros({0}, torch::kFloat64);
    } else if (alpha > 0) {
        fit.coef = torch::linalg::solve(A, b.unsqueeze(1), true).squeeze(1);
    } else {
        fit.coef = std::get<0>(torch::linalg::lstsq(A, b.unsqueeze(1), c10::nullopt, "gelsd")).squeeze(1);
    }
    fit.intercept = ym - (xm * fit.coef).sum().item<double>();
    auto pred = torch::matmul(X, fit.coef) + fit.intercept;
    const double ssRes = (w * (y - pred).pow(2)).sum().item<double>();
    const double ssTot = (w * yc.pow(2)).sum().item<double>();
    // sklearn's convention for a constant target: 1 when fitted exactly, else 0.
    fit.r2 = ssTot > 0 ? 1.0 - ssRes / ssTot : (ssRes < 1e-30 ? 1.0 : 0.0);
    return fit;
}

double predictRidge(const RidgeFit& fit, const torch::Tensor& x)
{
    return fit.intercept + (x.to(torch::kFloat64) * fit.coef).sum().item<double>();
}

std::vector<int64_t> limeSelectFeatures(const torch::Tensor& X, const torch::Tensor& y,
                                        const torch::Tensor& w, int64_t k)
{
    const int64_t p = X.size(1);
    std::vector<int64_t> all(static_cast<size_t>(p));
    std::iota(all.begin(), all.end(), 0);
    if (k <= 0 || k >= p)
        return all;
    if (k <= 6) {
        // Forward selection on the weighted R² of an unregularised fit (lime's forward_selection).
        std::vector<int64_t> used;
        for (int64_t step = 0; step < k; ++step) {
            double best = -1e300;
            int64_t bestF = -1;
            for (int64_t f = 0; f < p; ++f) {
                if (std::find(used.begin(), used.end(), f) != used.end())
                    continue;
                auto cols = used;
                cols.push_back(f);
                auto idx = torch::tensor(cols, torch::kLong);
                const double r2 = weightedRidge(X.index_select(1, idx), y, w, 0.0).r2;
                if (r2 > best) {
                    best = r2;
                    bestF = f;
                }
            }
            used.push_back(bestF);
        }
        return used;
    }
    // 'highest_weights': rank by |coef · x₀| of a lightly regularised fit.
    auto fit = weightedRidge(X, y, w, 0.01);
    auto score = (fit.coef * X[0].to(torch::kFloat64)).abs();
    std::vector<double> s(score.data_ptr<double>(), score.data_ptr<double>() + p);
    std::stable_sort(all.begin(), all.end(), [&](int64_t a, int64_t b) { return s[size_t(a)] > s[size_t(b)]; });
    all.resize(size_t(k));
    std::sort(all.begin(), all.end());
    return all;
}

} // namespace senn::explain::detail
