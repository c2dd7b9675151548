#include "core/common/error.h"
#include "core/explain/cost.h"
#include "core/explain/explain_internal.h"

#include <cmath>

namespace senn::explain::detail {

namespace {

// φ_i = Σ_{S ∌ i} |S|!(M-|S|-1)!/M! (v(S ∪ i) - v(S)) over all 2^M coalitions.
torch::Tensor exactShapley(Run& run, const CoalitionGame& game, int64_t M)
{
    const int64_t S = int64_t(1) << M;
    auto ids = torch::arange(S, torch::kLong);
    auto masks = torch::empty({S, M}, torch::kFloat64);
    for (int64_t j = 0; j < M; ++j)
        masks.select(1, j).copy_(ids.bitwise_right_shift(j).bitwise_and(1).to(torch::kFloat64));
    run.plannedRows = S * game.bg.rows.size(0) + run.rows;
    auto v = game.values(run, masks);
    auto sizes = masks.sum(1).to(torch::kLong);
    std::vector<double> wBySize(static_cast<size_t>(M));
    for (int64_t k = 0; k < M; ++k)
        wBySize[size_t(k)] = std::exp(std::lgamma(double(k) + 1) + std::lgamma(double(M - k)) -
                                      std::lgamma(double(M) + 1));
    auto wSize = torch::tensor(wBySize, torch::kFloat64);
    auto phi = torch::zeros({M}, torch::kFloat64);
    for (int64_t i = 0; i < M; ++i) {
        auto without = ids.masked_select(ids.bitwise_right_shift(i).bitwise_and(1) == 0);
        auto with = without.bitwise_or(int64_t(1) << i);
        auto w = wSize.index_select(0, sizes.index_select(0, without));
        phi[i] = (w * (v.index_select(0, with) - v.index_select(0, without))).sum();
    }
    return phi;
}

// Antithetic permutation sampling: each permutation is used forwards and reversed; the
// standard error is taken over the pairs (the two halves are not independent).
torch::Tensor permutationShapley(Run& run, const CoalitionGame& game, int64_t M, int64_t pairs,
                                 uint64_t seed, torch::Tensor& stdErr)
{
    auto gen = makeGenerator(seed);
    const int64_t P = 2 * pairs;
    auto masks = torch::zeros({P * (M + 1), M}, torch::kFloat64);
    std::vector<torch::Tensor> perms;
    for (int64_t p = 0; p < pairs; ++p) {
        auto perm = torch::randperm(M, gen);
        perms.push_back(perm);
        perms.push_back(perm.flip(0));
    }
    auto mp = masks.accessor<double, 2>();
    for (int64_t p = 0; p < P; ++p) {
        const int64_t* pp = perms[size_t(p)].data_ptr<int64_t>();
        for (int64_t k = 1; k <= M; ++k) {
            const int64_t r = p * (M + 1) + k;
            for (int64_t j = 0; j < M; ++j)
                mp[r][j] = mp[r - 1][j];
            mp[r][pp[k - 1]] = 1.0;
        }
    }
    run.plannedRows = masks.size(0) * game.bg.rows.size(0) + run.rows;
    auto v = game.values(run, masks).view({P, M + 1});
    auto contrib = torch::zeros({P, M}, torch::kFloat64);
    for (int64_t p = 0; p < P; ++p) {
        auto delta = v[p].slice(0, 1) - v[p].slice(0, 0, M);
        contrib[p].index_copy_(0, perms[size_t(p)], delta);
    }
    auto pairMean = contrib.view({pairs, 2, M}).mean(1);
    stdErr = pairs > 1 ? pairMean.std(0, true) / std::sqrt(double(pairs))
                       : torch::full({M}, std::nan(""), torch::kFloat64);
    return pairMean.mean(0);
}

} // namespace

Explanation explainShapley(Run& run, const ExplainContext& ctx, const torch::Tensor& x, int target,
                           const ExplainOptions& options)
{
    const int64_t d = featureCount(run.impl);
    auto game = makeGame(run, ctx, x, target, options, kShapBackground);
    const int64_t M = int64_t(game.varying.size());
    Explanation e;
    e.shape = run.impl.meta().inputShape;
    torch::Tensor phi = torch::zeros({M}, torch::kFloat64);
    if (M > 0 && shapleyIsExact(options, M)) {
        phi = exactShapley(run, game, M);
        e.diagnostics["exact"] = 1;
    } else if (M > 0) {
        const int64_t pairs = shapleyPermutationPairs(options, M, game.bg.rows.size(0));
        torch::Tensor se;
        phi = permutationShapley(run, game, M, pairs, options.seed, se);
        e.standardError.assign(size_t(d), 0.0f);
        for (int64_t i = 0; i < M; ++i)
            for (auto j : game.members[size_t(i)]) // a superpixel's error spread as its value
                e.standardError[size_t(j)] = float(se[i].item<double>() / double(game.members[size_t(i)].size()));
        e.diagnostics["exact"] = 0;
        e.diagnostics["permutations"] = double(2 * pairs);
        e.diagnostics["max_standard_error"] = se.max().item<double>();
    }
    fillShapleyExplanation(e, game, phi, d);
    return e;
}

} // namespace senn::explain::detail
