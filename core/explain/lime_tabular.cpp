#include "core/common/error.h"
#include "core/explain/explain_internal.h"

#include <algorithm>
#include <cmath>

namespace senn::explain::detail {

namespace {

// lime's QuartileDiscretizer for one feature: cut points, bin boundaries, per-bin stats.
struct FeatureBins {
    std::vector<double> cuts;                  // unique quartiles
    std::vector<double> lo, hi, mean, sd, freq; // per bin
    int bin(double v) const
    {
        // np.searchsorted(cuts, v) (side='left'): the number of cut points strictly below v.
        int b = 0;
        while (b < int(cuts.size()) && cuts[size_t(b)] < v)
            ++b;
        return b;
    }
};

double percentile(const std::vector<double>& sorted, double q)
{
    const double pos = q / 100.0 * double(sorted.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(sorted.size() - 1, lo + 1);
    return sorted[lo] + (pos - double(lo)) * (sorted[hi] - sorted[lo]);
}

FeatureBins fitBins(const ExplainContext& ctx, int64_t j, int64_t d)
{
    std::vector<double> col;
    col.reserve(ctx.trainRows.size());
    for (auto r : ctx.trainRows)
        col.push_back(ctx.data->row(r)[j]);
    std::vector<double> sorted = col;
    std::sort(sorted.begin(), sorted.end());
    FeatureBins fb;
    for (double q : {25.0, 50.0, 75.0}) {
        const double c = percentile(sorted, q);
        if (fb.cuts.empty() || c != fb.cuts.back())
            fb.cuts.push_back(c);
    }
    const size_t nb = fb.cuts.size() + 1;
    fb.lo.push_back(sorted.front());
    for (double c : fb.cuts) {
        fb.lo.push_back(c);
        fb.hi.push_back(c);
    }
    fb.hi.push_back(sorted.back());
    std::vector<double> sum(nb, 0), sq(nb, 0), cnt(nb, 0);
    for (double v : col) {
        const size_t b = size_t(fb.bin(v));
        sum[b] += v;
        sq[b] += v * v;
        cnt[b] += 1;
    }
    for (size_t b = 0; b < nb; ++b) {
        const double m = cnt[b] > 0 ? sum[b] / cnt[b] : 0.0;
        const double var = cnt[b] > 0 ? std::max(0.0, sq[b] / cnt[b] - m * m) : 0.0;
        fb.mean.push_back(m);
        fb.sd.push_back(std::sqrt(var) + 1e-11); // lime adds 1e-11 so empty bins stay finite
        fb.freq.push_back(cnt[b] / double(col.size()));
    }
    (void)d;
    return fb;
}

} // namespace

namespace {

// Standard normal truncated to [a, b] by inverse CDF (float64, any shape): exact for every
// interval, including far tails, but erfinv costs ~120 ns per element on one core.
torch::Tensor truncatedStandardByCdf(const torch::Tensor& a, const torch::Tensor& b, at::Generator& gen)
{
    // Sample on the side of the mean where the CDF has precision: flip intervals right of 0.
    auto flip = a > 0;
    auto a2 = torch::where(flip, -b, a), b2 = torch::where(flip, -a, b);
    const double r2 = std::sqrt(2.0);
    auto pa = 0.5 * torch::erfc(-a2 / r2);
    auto pb = 0.5 * torch::erfc(-b2 / r2);
    auto u = torch::rand(a.sizes(), gen, torch::kFloat64);
    auto p = pa + u * (pb - pa);
    auto z = r2 * torch::erfinv(2 * p - 1);
    // Degenerate tails (no CDF mass representable): uniform on the interval instead.
    z = torch::where((pb - pa) > 1e-14, z, a2 + u * (b2 - a2));
    z = torch::min(torch::max(z, a2), b2);
    return torch::where(flip, -z, z);
}

} // namespace

// Normal(mean, sd) truncated to [lo, hi] (all tensors [N], float64). Rejection first: a
// standard normal draw is kept when it falls in [a, b]. LIME's quartile bins always hold
// their own mean and are at least 2 sd wide, so each round keeps about half or more;
// after a few rounds the rest (and any far-tail interval) take the inverse CDF. The
// distribution is exactly the truncated normal either way; rejection is ~6x cheaper.
torch::Tensor truncatedNormal(const torch::Tensor& lo, const torch::Tensor& hi,
                              const torch::Tensor& mean, const torch::Tensor& sd, at::Generator& gen)
{
    auto a = ((lo - mean) / sd).reshape({-1});
    auto b = ((hi - mean) / sd).reshape({-1});
    auto z = torch::zeros_like(a);
    auto todo = torch::nonzero(a < b).squeeze(1); // a == b: the point itself (below)
    for (int round = 0; round < 6 && todo.numel() > 0; ++round) {
        auto lower = a.index_select(0, todo), upper = b.index_select(0, todo);
        auto draw = torch::randn({todo.numel()}, gen, torch::kFloat64);
        auto ok = (draw >= lower) & (draw <= upper);
        auto hit = torch::nonzero(ok).squeeze(1);
        z.index_copy_(0, todo.index_select(0, hit), draw.index_select(0, hit));
        todo = todo.index_select(0, torch::nonzero(ok.logical_not()).squeeze(1));
    }
    if (todo.numel() > 0)
        z.index_copy_(0, todo, truncatedStandardByCdf(a.index_select(0, todo), b.index_select(0, todo), gen));
    auto v = mean + sd * z.view(lo.sizes());
    return torch::where(a.view(lo.sizes()) == b.view(lo.sizes()), lo, v);
}

Explanation explainLimeTabular(Run& run, const ExplainContext& ctx, const torch::Tensor& x,
                               int target, const ExplainOptions& options)
{
    const int64_t d = featureCount(run.impl);
    const int64_t N = options.samples > 0 ? options.samples : 5000;
    if (!ctx.data || ctx.trainRows.empty())
        throw Error("LIME needs training statistics: build the ExplainContext from the training split");
    if (int64_t(ctx.stats.mean.size()) != d)
        throw Error("LIME: the training statistics have " + std::to_string(ctx.stats.mean.size()) +
                    " features but the model takes " + std::to_string(d));
    auto gen = makeGenerator(options.seed);
    auto xr = x.reshape({d}).to(torch::kFloat64);
    auto inverse = torch::empty({N, d}, torch::kFloat64); // model rows
    auto interp = torch::empty({N, d}, torch::kFloat64);  // interpretable rows
    if (options.limeDiscretize) {
        // Per-feature bin tables padded to 4 bins (duplicate quartiles give fewer; padded bins
        // have frequency 0 and are never drawn), then one vectorised draw for all features.
        const int64_t kBins = 4;
        auto cum = torch::ones({d, kBins}, torch::kFloat64);
        auto lo = torch::zeros({d, kBins}, torch::kFloat64), hi = torch::zeros({d, kBins}, torch::kFloat64);
        auto mu = torch::zeros({d, kBins}, torch::kFloat64), sd = torch::ones({d, kBins}, torch::kFloat64);
        auto xBin = torch::zeros({d}, torch::kLong);
        auto pc = cum.accessor<double, 2>(), pl = lo.accessor<double, 2>(), ph = hi.accessor<double, 2>();
        auto pm = mu.accessor<double, 2>(), ps = sd.accessor<double, 2>();
        const auto xa = xr.accessor<double, 1>();
        for (int64_t j = 0; j < d; ++j) {
            auto fb = fitBins(ctx, j, d);
            xBin[j] = fb.bin(xa[j]);
            double c = 0;
            for (size_t b = 0; b < fb.freq.size(); ++b) {
                c += fb.freq[b];
                pc[j][int64_t(b)] = b + 1 == fb.freq.size() ? 1.0 : c;
                pl[j][int64_t(b)] = fb.lo[b];
                ph[j][int64_t(b)] = fb.hi[b];
                pm[j][int64_t(b)] = fb.mean[b];
                ps[j][int64_t(b)] = fb.sd[b];
            }
        }
        auto u = torch::rand({N, d}, gen, torch::kFloat64);
        // bin = number of cumulative frequencies below u (inverse CDF of the bin frequencies).
        auto bins = (u.unsqueeze(2) > cum.unsqueeze(0)).sum(2).clamp_max(kBins - 1); // [N, d]
        auto flatIdx = bins + torch::arange(d, torch::kLong).unsqueeze(0) * kBins;
        auto pick = [&](const torch::Tensor& t) { return t.reshape({-1}).index_select(0, flatIdx.reshape({-1})).view({N, d}); };
        inverse.copy_(truncatedNormal(pick(lo), pick(hi), pick(mu), pick(sd), gen));
        interp.copy_((bins == xBin.unsqueeze(0)).to(torch::kFloat64));
        interp[0].fill_(1.0);
    } else {
        auto mean = torch::tensor(ctx.stats.mean, torch::kFloat32).to(torch::kFloat64);
        auto sd = torch::tensor(ctx.stats.std, torch::kFloat32).to(torch::kFloat64);
        sd = torch::where(sd > 0, sd, torch::ones_like(sd)); // StandardScaler's rule for constants
        auto z = torch::randn({N, d}, gen, torch::kFloat64);
        inverse.copy_(z * sd + (options.limeSampleAroundInstance ? xr : mean));
        inverse[0].copy_(xr);
        interp.copy_((inverse - mean) / sd);
    }
    inverse[0].copy_(xr);
    run.cancel.throwIfCancelled();

    const double width = options.limeKernelWidth > 0 ? options.limeKernelWidth : 0.75 * std::sqrt(double(d));
    auto dist = (interp - interp[0]).pow(2).sum(1).sqrt();
    auto w = torch::exp(-dist.pow(2) / (2 * width * width));

    run.plannedRows = N;
    auto y = evalOutput(run, inverse.to(torch::kFloat32).reshape(batchShape(run.impl, N)), target,
                        outputFor(options));

    auto used = limeSelectFeatures(interp, y, w, options.limeFeatures);
    auto idx = torch::tensor(used, torch::kLong);
    auto Xs = interp.index_select(1, idx);
    auto fit = weightedRidge(Xs, y, w, 1.0);
    Explanation e;
    e.values.assign(size_t(d), 0.0f);
    for (size_t i = 0; i < used.size(); ++i)
        e.values[size_t(used[i])] = float(fit.coef[int64_t(i)].item<double>());
    e.shape = {d};
    e.diagnostics["r2"] = fit.r2;
    e.diagnostics["intercept"] = fit.intercept;
    e.diagnostics["local_prediction"] = predictRidge(fit, Xs[0]);
    e.diagnostics["model_prediction"] = y[0].item<double>();
    e.diagnostics["kernel_width"] = width;
    e.diagnostics["samples"] = double(N);
    e.diagnostics["features_used"] = double(used.size());
    e.diagnostics["discretized"] = options.limeDiscretize ? 1 : 0;
    return e;
}

} // namespace senn::explain::detail
