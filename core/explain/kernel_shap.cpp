#include "core/common/error.h"
#include "core/common/fast_rng.h"
#include "core/explain/cost.h"
#include "core/explain/explain_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

namespace senn::explain::detail {

namespace {

double binom(int64_t n, int64_t k)
{
    return std::exp(std::lgamma(double(n) + 1) - std::lgamma(double(k) + 1) -
                    std::lgamma(double(n - k) + 1));
}

// The coalitions and kernel weights of shap's KernelExplainer (explainers/_kernel.py).
struct Coalitions {
    std::vector<std::string> masks; // one byte per feature, '\0' / '\1'
    std::vector<double> weights;
    void add(const std::string& m, double w)
    {
        masks.push_back(m);
        weights.push_back(w);
    }
};

// The sampled coalitions come from FastRng: a coalition size from the kernel's distribution,
// then its members by a partial Fisher-Yates shuffle (FastRng::below). LibTorch's multinomial
// and one randperm per draw (a tensor each) were a tenth of a tabular explanation.
Coalitions buildCoalitions(int64_t M, int64_t nsamples, uint64_t seed)
{
    Coalitions c;
    const int64_t numSizes = (M - 1 + 1) / 2;   // ceil((M-1)/2)
    const int64_t numPaired = (M - 1) / 2;      // floor((M-1)/2)
    std::vector<double> wv(static_cast<size_t>(numSizes));
    for (int64_t i = 1; i <= numSizes; ++i)
        wv[size_t(i - 1)] = double(M - 1) / double(i * (M - i));
    for (int64_t i = 0; i < numPaired; ++i)
        wv[size_t(i)] *= 2;
    double tot = 0;
    for (double v : wv)
        tot += v;
    for (double& v : wv)
        v /= tot;

    int64_t numFull = 0;
    double left = double(nsamples);
    std::vector<double> rem = wv;
    for (int64_t s = 1; s <= numSizes; ++s) {
        double nsub = binom(M, s);
        if (s <= numPaired)
            nsub *= 2;
        if (left * rem[size_t(s - 1)] / nsub < 1.0 - 1e-8)
            break;
        ++numFull;
        left -= nsub;
        if (rem[size_t(s - 1)] < 1.0) {
            const double r = rem[size_t(s - 1)];
            for (double& v : rem)
                v /= (1 - r);
        }
        double w = wv[size_t(s - 1)] / binom(M, s);
        if (s <= numPaired)
            w /= 2.0;
        // All subsets of size s in lexicographic order (itertools.combinations).
        std::vector<int64_t> idx(static_cast<size_t>(s));
        for (int64_t i = 0; i < s; ++i)
            idx[size_t(i)] = i;
        while (true) {
            std::string m(size_t(M), '\0');
            for (auto i : idx)
                m[size_t(i)] = '\1';
            c.add(m, w);
            if (s <= numPaired) {
                for (char& ch : m)
                    ch = ch ? '\0' : '\1';
                c.add(m, w);
            }
            int64_t k = s - 1;
            while (k >= 0 && idx[size_t(k)] == M - s + k)
                --k;
            if (k < 0)
                break;
            ++idx[size_t(k)];
            for (int64_t j = k + 1; j < s; ++j)
                idx[size_t(j)] = idx[size_t(j - 1)] + 1;
        }
    }

    const size_t nfixed = c.masks.size();
    int64_t samplesLeft = nsamples - int64_t(nfixed);
    if (numFull != numSizes && samplesLeft > 0) {
        std::vector<double> rw = wv;
        for (int64_t i = 0; i < numPaired; ++i)
            rw[size_t(i)] /= 2; // two samples (a coalition and its complement) per draw
        rw.erase(rw.begin(), rw.begin() + numFull);
        std::vector<double> cdf(rw.size());
        double acc = 0;
        for (size_t i = 0; i < rw.size(); ++i)
            cdf[i] = (acc += rw[i]);
        FastRng rng(seed ^ 0x5ca1ab1e0ddba11ULL);
        std::vector<uint32_t> perm(static_cast<size_t>(M));
        for (uint32_t i = 0; i < uint32_t(M); ++i)
            perm[i] = i;
        std::unordered_map<std::string, size_t> used;
        const int64_t maxDraws = 4 * samplesLeft; // as shap: at most 4 draws per sample wanted
        for (int64_t pos = 0; samplesLeft > 0 && pos < maxDraws; ++pos) {
            const double u = rng.uniform() * acc;
            const int64_t drawn = std::min<int64_t>(
                int64_t(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin()), int64_t(cdf.size()) - 1);
            const int64_t size = drawn + numFull + 1;
            // The first `size` places of a partial Fisher-Yates shuffle: a uniform subset of that
            // size whatever order the previous draws left perm in.
            std::string m(size_t(M), '\0');
            for (int64_t i = 0; i < size; ++i) {
                const size_t j = size_t(i) + rng.below(uint32_t(M - i));
                std::swap(perm[size_t(i)], perm[j]);
                m[perm[size_t(i)]] = '\1';
            }
            auto it = used.find(m);
            const bool isNew = it == used.end();
            size_t at = 0;
            if (isNew) {
                at = c.masks.size();
                used.emplace(m, at);
                --samplesLeft;
                c.add(m, 1.0);
            } else {
                at = it->second;
                c.weights[at] += 1.0; // duplicates count as extra weight
            }
            if (samplesLeft > 0 && size <= numPaired) {
                for (char& ch : m)
                    ch = ch ? '\0' : '\1';
                if (isNew) {
                    --samplesLeft;
                    c.add(m, 1.0);
                } else {
                    c.weights[at + 1] += 1.0;
                }
            }
        }
        double weightLeft = 0;
        for (int64_t i = numFull; i < numSizes; ++i)
            weightLeft += wv[size_t(i)];
        double sampled = 0;
        for (size_t i = nfixed; i < c.weights.size(); ++i)
            sampled += c.weights[i];
        for (size_t i = nfixed; i < c.weights.size(); ++i)
            c.weights[i] *= weightLeft / sampled;
    }
    return c;
}

} // namespace

// Least angle regression (Efron et al. 2004) without intercept, as scikit-learn's
// lars_path(X, y, method="lar", max_iter=keep) that shap calls for "num_features(K)": the
// first `keep` variables in the order they join the active set. X [n, p], y [n], float64.
std::vector<int64_t> larsEntryOrder(const torch::Tensor& X, const torch::Tensor& y, int64_t keep)
{
    const int64_t p = X.size(1);
    keep = std::min(keep, p);
    std::vector<int64_t> active;
    std::vector<char> in(size_t(p), 0);
    auto c = torch::matmul(X.t(), y); // correlations with the residual
    const auto first = c.abs().argmax().item<int64_t>();
    active.push_back(first);
    in[size_t(first)] = 1;
    const double tiny = 1e-12;
    while (int64_t(active.size()) < keep) {
        auto idx = torch::tensor(active, torch::kLong);
        auto cA = c.index_select(0, idx);
        const double C = cA.abs().max().item<double>();
        if (!(C > tiny))
            break; // the residual is explained: no further variable correlates
        auto XA = X.index_select(1, idx) * cA.sign().unsqueeze(0);
        auto ones = torch::ones({int64_t(active.size()), 1}, torch::kFloat64);
        auto Ginv1 = torch::matmul(torch::linalg::pinv(torch::matmul(XA.t(), XA)), ones);
        const double AA = 1.0 / std::sqrt(std::max(tiny, (ones.t().matmul(Ginv1)).item<double>()));
        auto u = torch::matmul(XA, Ginv1.squeeze(1) * AA); // the equiangular direction
        auto a = torch::matmul(X.t(), u);
        const double* cp = c.data_ptr<double>();
        const double* ap = a.data_ptr<double>();
        double gamma = std::numeric_limits<double>::infinity();
        int64_t next = -1;
        for (int64_t k = 0; k < p; ++k) {
            if (in[size_t(k)])
                continue;
            for (double g : {(C - cp[k]) / (AA - ap[k]), (C + cp[k]) / (AA + ap[k])})
                if (std::isfinite(g) && g > tiny && g < gamma) {
                    gamma = g;
                    next = k;
                }
        }
        // The step that would reach zero correlation ends the path (sklearn stops at alpha 0):
        // a variable that enters only there adds nothing.
        if (next < 0 || gamma * AA >= C * (1 - 1e-9))
            break;
        c = c - gamma * a;
        active.push_back(next);
        in[size_t(next)] = 1;
    }
    return active;
}

Explanation explainKernelShap(Run& run, const ExplainContext& ctx, const torch::Tensor& x,
                              int target, const ExplainOptions& options)
{
    const int64_t d = featureCount(run.impl);
    auto game = makeGame(run, ctx, x, target, options, kShapBackground);
    const int64_t M = int64_t(game.varying.size());
    Explanation e;
    e.shape = run.impl.meta().inputShape;
    torch::Tensor phi = torch::zeros({M}, torch::kFloat64);
    int64_t nsamples = 0;
    if (M == 1) {
        phi[0] = game.fx - game.fnull;
    } else if (M > 1) {
        nsamples = kernelShapCoalitions(options, M);
        // The coalition matrix and its weighted copies take S x M doubles each; the normal
        // equations min(S, M)² more (below). Refuse before building them when that cannot fit.
        requireMemory(run, 4 * nsamples * M * int64_t(sizeof(double)) +
                               std::min(nsamples, M) * std::min(nsamples, M) * int64_t(sizeof(double)) +
                               2 * nsamples * M, // the coalitions' bytes and their lookup
                      "KernelSHAP with " + std::to_string(M) + " features and " + std::to_string(nsamples) +
                          " coalitions",
                      "Ask for fewer samples, or explain superpixels (images) or fewer features.");
        auto co = buildCoalitions(M, nsamples, options.seed);
        const int64_t S = int64_t(co.masks.size());
        auto masks = torch::empty({S, M}, torch::kFloat64);
        auto mp = masks.accessor<double, 2>();
        for (int64_t s = 0; s < S; ++s)
            for (int64_t j = 0; j < M; ++j)
                mp[s][j] = co.masks[size_t(s)][size_t(j)] ? 1.0 : 0.0;
        auto kw = torch::tensor(co.weights, torch::kFloat64);
        run.plannedRows = S * game.bg.rows.size(0) + run.rows;
        auto ey = game.values(run, masks);

        const double total = game.fx - game.fnull;
        auto eyAdj = ey - game.fnull;
        // The features that get a value: all, or the first K that LARS selects on shap's
        // augmented problem (each coalition and its complement, weighted by the kernel, with
        // the efficiency constraint folded into the targets).
        std::vector<int64_t> cols(static_cast<size_t>(M));
        for (int64_t j = 0; j < M; ++j)
            cols[size_t(j)] = j;
        if (options.shapKeepFeatures > 0 && options.shapKeepFeatures < M) {
            auto sizes = masks.sum(1);
            auto wSqrt = torch::cat({kw * (double(M) - sizes), kw * sizes}).sqrt();
            auto yAug = torch::cat({eyAdj, eyAdj - total}) * wSqrt;
            auto XAug = torch::cat({masks, masks - 1.0}, 0) * wSqrt.unsqueeze(1);
            cols = larsEntryOrder(XAug, yAug, options.shapKeepFeatures);
            e.diagnostics["kept_features"] = double(cols.size());
        }
        // Weighted least squares over `cols` with Σφ = f(x) - E f enforced exactly by
        // eliminating the last of them.
        const int64_t K = int64_t(cols.size());
        auto colIdx = torch::tensor(cols, torch::kLong);
        if (K == 1) {
            phi[cols[0]] = total;
        } else {
            auto sub = masks.index_select(1, colIdx);
            auto last = sub.select(1, K - 1);
            auto yAdj = eyAdj - last * total;
            auto etmp = sub.slice(1, 0, K - 1) - last.unsqueeze(1);
            torch::Tensor w;
            if (K - 1 > S) {
                // Fewer coalitions than unknowns: the minimum-norm least-squares solution of the
                // weighted rows directly (S x K), without the K x K normal equations.
                auto sq = kw.sqrt().unsqueeze(1);
                w = std::get<0>(torch::linalg::lstsq(etmp * sq, (yAdj * sq.squeeze(1)).unsqueeze(1), c10::nullopt,
                                                     "gelsd"))
                        .squeeze(1);
            } else {
                auto WX = etmp * kw.unsqueeze(1);
                auto A = torch::matmul(etmp.t(), WX);
                auto b = torch::matmul(WX.t(), yAdj).unsqueeze(1);
                try {
                    w = torch::linalg::solve(A, b, true).squeeze(1);
                } catch (const std::exception&) {
                    // Singular system (too few coalitions): least squares as shap falls back to.
                    w = std::get<0>(torch::linalg::lstsq(A, b, c10::nullopt, "gelsd")).squeeze(1);
                }
            }
            for (int64_t j = 0; j < K - 1; ++j)
                phi[cols[size_t(j)]] = w[j];
            phi[cols[size_t(K - 1)]] = total - w.sum().item<double>();
        }
        e.diagnostics["coalitions"] = double(S);
        e.diagnostics["full_enumeration"] = (double(S) >= std::pow(2.0, double(M)) - 2) ? 1 : 0;
    }
    fillShapleyExplanation(e, game, phi, d);
    e.diagnostics["nsamples"] = double(nsamples);
    return e;
}

} // namespace senn::explain::detail
