#include "core/common/error.h"
#include "core/explain/explain_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace senn::explain::detail {

torch::Tensor CoalitionGame::values(Run& run, const torch::Tensor& masksIn) const
{
    const int64_t S = masksIn.size(0), M = int64_t(varying.size());
    const int64_t B = bg.rows.size(0), d = x.numel();
    if (S == 0)
        return torch::zeros({0}, torch::kFloat64);
    const auto masks = masksIn.to(torch::kFloat64).contiguous();
    const auto bgRows = bg.rows.to(torch::kFloat32).contiguous();
    const auto xc = x.to(torch::kFloat32).contiguous();
    const double* pm = masks.data_ptr<double>();
    // Rows are selected bit by bit, (b ^ ((x ^ b) & m)) with m all ones where the coalition takes
    // x: exact, and without the branch per feature that a random mask mispredicts half the time.
    std::vector<uint32_t> xb(static_cast<size_t>(d)), bb(static_cast<size_t>(B * d)), sel(static_cast<size_t>(d));
    std::memcpy(xb.data(), xc.data_ptr<float>(), size_t(d) * sizeof(float));
    std::memcpy(bb.data(), bgRows.data_ptr<float>(), size_t(B * d) * sizeof(float));
    const int64_t perChunk = std::max<int64_t>(1, run.chunk / B);
    std::vector<torch::Tensor> out;
    for (int64_t s0 = 0; s0 < S; s0 += perChunk) {
        const int64_t s1 = std::min(S, s0 + perChunk), n = s1 - s0;
        // Row (s, b): background row b with coalition s's features taken from x, in one pass
        // (the tensor expression m·x + (1 − m)·b took five).
        auto rows = torch::empty({n * B, d}, torch::kFloat32);
        float* pr = rows.data_ptr<float>();
        for (int64_t s = s0; s < s1; ++s) {
            const double* m = pm + s * M;
            std::fill(sel.begin(), sel.end(), 0u);
            for (int64_t k = 0; k < M; ++k) {
                const uint32_t on = m[k] != 0.0 ? ~0u : 0u;
                for (auto j : members[size_t(k)])
                    sel[size_t(j)] = on;
            }
            for (int64_t b = 0; b < B; ++b) {
                float* r = pr + ((s - s0) * B + b) * d;
                const uint32_t* br = bb.data() + b * d;
                for (int64_t j = 0; j < d; ++j) {
                    const uint32_t v = br[j] ^ ((xb[size_t(j)] ^ br[j]) & sel[size_t(j)]);
                    std::memcpy(r + j, &v, sizeof v);
                }
            }
        }
        auto y = evalOutput(run, rows.reshape(batchShape(run.impl, n * B)), target, output);
        out.push_back(torch::matmul(y.view({n, B}), bg.weights));
    }
    return torch::cat(out, 0);
}

CoalitionGame makeGame(Run& run, const ExplainContext& ctx, const torch::Tensor& xIn, int target,
                       const ExplainOptions& options, const std::string& defaultBackground)
{
    CoalitionGame g;
    const int64_t d = featureCount(run.impl);
    g.x = xIn.reshape({d}).to(torch::kCPU, torch::kFloat32).contiguous();
    g.bg = makeBackground(ctx, options.background.empty() ? defaultBackground : options.background, d);
    g.target = target;
    g.output = options.output;
    // shap drops features equal to every background value: their φ is 0 by symmetry.
    auto diff = (g.bg.rows - g.x.unsqueeze(0)).abs();
    auto tol = 1e-8 + 1e-5 * g.bg.rows.abs();
    auto varies = (diff > tol).any(0);
    const auto& shape = run.impl.meta().inputShape;
    if (shape.size() == 3 && d > kMaxPixelPlayers) {
        // Superpixels as players (as shap's image examples mask segments): every value of a
        // segment moves together; segments whose values all equal the background drop out.
        const int64_t C = shape[0], H = shape[1], W = shape[2], HW = H * W;
        int count = 0;
        auto seg = segmentImage(g.x.view({C, H, W}), options.segmentation, options.segmentSize, count);
        std::vector<std::vector<int64_t>> bySeg(static_cast<size_t>(count));
        for (int64_t c = 0; c < C; ++c)
            for (int64_t p = 0; p < HW; ++p)
                bySeg[size_t(seg[size_t(p)])].push_back(c * HW + p);
        auto vary = varies.contiguous();
        const bool* pv = vary.data_ptr<bool>();
        for (int s = 0; s < count; ++s) {
            bool any = false;
            for (auto j : bySeg[size_t(s)])
                any = any || pv[j];
            if (any) {
                g.varying.push_back(s);
                g.members.push_back(std::move(bySeg[size_t(s)]));
            }
        }
        g.groups = count;
    } else {
        auto vary = varies.contiguous();
        const bool* pv = vary.data_ptr<bool>();
        for (int64_t j = 0; j < d; ++j)
            if (pv[j]) {
                g.varying.push_back(j);
                g.members.push_back({j});
            }
    }
    auto first = torch::cat({g.x.view({1, d}), g.bg.rows}, 0).reshape(batchShape(run.impl, 1 + g.bg.rows.size(0)));
    auto y = evalOutput(run, first, target, g.output);
    g.fx = y[0].item<double>();
    g.fnull = (y.slice(0, 1) * g.bg.weights).sum().item<double>();
    return g;
}

void fillShapleyExplanation(Explanation& e, const CoalitionGame& game, const torch::Tensor& phiM,
                            int64_t d)
{
    e.values.assign(size_t(d), 0.0f);
    double sum = 0;
    auto phi = phiM.to(torch::kCPU, torch::kFloat64).contiguous();
    for (size_t i = 0; i < game.members.size(); ++i) {
        const double v = phi.data_ptr<double>()[i];
        const auto& mem = game.members[i];
        for (auto j : mem)
            e.values[size_t(j)] = float(v / double(mem.size()));
        sum += v;
    }
    if (game.groups > 0)
        e.diagnostics["segments"] = double(game.groups);
    e.baseline = models::toVector(game.bg.mean());
    e.diagnostics["expected_value"] = game.fnull;
    e.diagnostics["fx"] = game.fx;
    e.diagnostics["sum_phi"] = sum;
    e.diagnostics["efficiency_gap"] = sum - (game.fx - game.fnull);
    e.diagnostics["background_rows"] = double(game.bg.rows.size(0));
    e.diagnostics["varying_features"] = double(game.varying.size());
}

} // namespace senn::explain::detail
