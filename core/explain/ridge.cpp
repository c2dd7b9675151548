#include "core/explain/explain_internal.h"

#include <algorithm>
#include <numeric>

namespace senn::explain::detail {

RidgeFit weightedRidge(const torch::Tensor& Xin, const torch::Tensor& yin, const torch::Tensor& win,
                       double alpha)
{
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
