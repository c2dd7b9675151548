#include "core/common/error.h"
#include "core/explain/explain_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

// The bin tables of every feature (float32, as the sampling uses them), cached in the
// context: they depend only on the training rows.
LimeBinTables buildBinTables(const ExplainContext& ctx, int64_t d)
{
    const int64_t kBins = 4;
    auto cum = torch::ones({d, kBins}, torch::kFloat64);
    auto lo = torch::zeros({d, kBins}, torch::kFloat64), hi = torch::zeros({d, kBins}, torch::kFloat64);
    auto mu = torch::zeros({d, kBins}, torch::kFloat64), sd = torch::ones({d, kBins}, torch::kFloat64);
    auto cuts = torch::full({d, kBins - 1}, std::numeric_limits<double>::infinity(), torch::kFloat64);
    auto pc = cum.accessor<double, 2>(), pl = lo.accessor<double, 2>(), ph = hi.accessor<double, 2>();
    auto pm = mu.accessor<double, 2>(), ps = sd.accessor<double, 2>(), pk = cuts.accessor<double, 2>();
    for (int64_t j = 0; j < d; ++j) {
        auto fb = fitBins(ctx, j, d);
        for (size_t k = 0; k < fb.cuts.size(); ++k)
            pk[j][int64_t(k)] = fb.cuts[k];
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
    LimeBinTables t;
    // The last cumulative frequency is 1: the first kBins − 1 suffice for the bin draw.
    t.cum = cum.slice(1, 0, kBins - 1).to(torch::kFloat32).contiguous();
    t.lo = lo.to(torch::kFloat32);
    t.hi = hi.to(torch::kFloat32);
    t.mean = mu.to(torch::kFloat32);
    t.sd = sd.to(torch::kFloat32);
    t.cuts = cuts; // float64: x's bin as the float64 comparison of fitBins
    return t;
}

LimeBinTables limeBinTables(const ExplainContext& ctx, int64_t d)
{
    if (!ctx.backgroundCache)
        return buildBinTables(ctx, d);
    std::lock_guard<std::mutex> lock(ctx.backgroundCache->mutex);
    auto& cache = ctx.backgroundCache->limeBins;
    auto it = cache.find(d);
    if (it == cache.end())
        it = cache.emplace(d, buildBinTables(ctx, d)).first;
    return it->second;
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
    // Works in the inputs' dtype (LIME passes float32: half the memory traffic, and LibTorch's
    // vectorised normal sampler; tests pass float64).
    const auto dtype = lo.scalar_type();
    auto a = ((lo - mean) / sd).reshape({-1});
    auto b = ((hi - mean) / sd).reshape({-1});
    // Rejected when |z − mid| > half: one subtraction and one comparison per round.
    auto mid = (a + b) * 0.5, half = (b - a) * 0.5;
    // One full-size draw, then only the rejected entries are drawn again (masked_scatter fills
    // them in order): no index lists, no full-size draws after the first.
    auto z = torch::randn(a.sizes(), gen, dtype);
    auto bad = ((z - mid).abs() > half) & (half > 0); // a == b: the point itself (below)
    for (int round = 0; round < 6; ++round) {
        const int64_t nb = bad.sum().item<int64_t>();
        if (nb == 0)
            break;
        z.masked_scatter_(bad, torch::randn({nb}, gen, dtype));
        bad &= (z - mid).abs() > half;
    }
    if (bad.any().item<bool>()) {
        auto todo = torch::nonzero(bad).squeeze(1);
        z.index_copy_(0, todo, truncatedStandardByCdf(a.index_select(0, todo).to(torch::kFloat64),
                                                      b.index_select(0, todo).to(torch::kFloat64), gen)
                                   .to(dtype));
    }
    // Rounding can put mean + sd·z a hair outside [lo, hi]: clamp to the interval.
    auto v = torch::max(torch::min(mean + sd * z.view(lo.sizes()), hi), lo);
    return torch::where(half.view(lo.sizes()) > 0, v, lo);
}

namespace {

void checkLimeContext(const ExplainContext& ctx, int64_t d)
{
    if (!ctx.data || ctx.trainRows.empty())
        throw Error("LIME needs training statistics: build the ExplainContext from the training split");
    if (int64_t(ctx.stats.mean.size()) != d)
        throw Error("LIME: the training statistics have " + std::to_string(ctx.stats.mean.size()) +
                    " features but the model takes " + std::to_string(d));
}

// One explanation's draws: the model rows, the interpretable rows and the kernel weights.
struct LimeDraws {
    torch::Tensor inverse; // [N, d] float32, contiguous: what the model evaluates
    torch::Tensor interp;  // [N, d] float64: the interpretable rows
    torch::Tensor w;       // [N] float64: kernel weights
    double width = 0;
};

LimeDraws limeDraws(const ExplainContext& ctx, const torch::Tensor& x, int64_t d, int64_t N,
                    const ExplainOptions& options, uint64_t seed)
{
    auto gen = makeGenerator(seed);
    auto xr = x.reshape({d}).to(torch::kFloat64);
    torch::Tensor inverse;                                // model rows [N, d] (float32 when discretized)
    auto interp = torch::empty({N, d}, torch::kFloat64);  // interpretable rows
    if (options.limeDiscretize) {
        // Per-feature bin tables padded to 4 bins (duplicate quartiles give fewer; padded bins
        // have frequency 0 and are never drawn), built once per context, then one vectorised
        // draw for all features.
        const int64_t kBins = 4;
        const LimeBinTables tables = limeBinTables(ctx, d);
        // x's bin: the number of cut points strictly below x_j (np.searchsorted, side='left').
        auto xBin = (tables.cuts < xr.unsqueeze(1)).sum(1); // [d] int64
        // Sampling in float32 (the model's input type), with LibTorch's vectorised samplers.
        // Feature-major [d, N] draws: bin = the number of cumulative frequencies below u (the
        // inverse CDF of the bin frequencies), one batched searchsorted over the features' tables.
        auto u = torch::rand({d, N}, gen, torch::kFloat32);
        auto bins = torch::searchsorted(tables.cum, u); // [d, N] int64: #{k : cum_k < u}
        auto flatIdx = (bins + torch::arange(d, torch::kLong).unsqueeze(1) * kBins).reshape({-1});
        auto pick = [&](const torch::Tensor& t) {
            return t.reshape({-1}).index_select(0, flatIdx).view({d, N});
        };
        inverse = truncatedNormal(pick(tables.lo), pick(tables.hi), pick(tables.mean), pick(tables.sd), gen)
                      .t(); // [N, d] view
        interp.copy_((bins == xBin.unsqueeze(1)).t());
        interp[0].fill_(1.0);
    } else {
        auto mean = torch::tensor(ctx.stats.mean, torch::kFloat32).to(torch::kFloat64);
        auto sd = torch::tensor(ctx.stats.std, torch::kFloat32).to(torch::kFloat64);
        sd = torch::where(sd > 0, sd, torch::ones_like(sd)); // StandardScaler's rule for constants
        auto z = torch::randn({N, d}, gen, torch::kFloat64);
        inverse = z * sd + (options.limeSampleAroundInstance ? xr : mean);
        inverse[0].copy_(xr);
        interp.copy_((inverse - mean) / sd);
    }
    LimeDraws s;
    s.inverse = inverse.to(torch::kFloat32).contiguous(); // row-major for the model
    s.inverse[0].copy_(xr);
    s.interp = interp;
    s.width = options.limeKernelWidth > 0 ? options.limeKernelWidth : 0.75 * std::sqrt(double(d));
    auto dist2 = (interp - interp[0]).pow(2).sum(1); // squared Euclidean distance to x
    s.w = torch::exp(dist2 * (-1.0 / (2 * s.width * s.width)));
    return s;
}

Explanation limeFit(const LimeDraws& s, const torch::Tensor& y, int64_t d, const ExplainOptions& options)
{
    const int64_t N = s.interp.size(0);
    auto used = limeSelectFeatures(s.interp, y, s.w, options.limeFeatures);
    auto idx = torch::tensor(used, torch::kLong);
    auto Xs = s.interp.index_select(1, idx);
    auto fit = weightedRidge(Xs, y, s.w, 1.0);
    Explanation e;
    e.values.assign(size_t(d), 0.0f);
    auto coef = fit.coef.contiguous();
    for (size_t i = 0; i < used.size(); ++i)
        e.values[size_t(used[i])] = float(coef.data_ptr<double>()[i]);
    e.shape = {d};
    e.diagnostics["r2"] = fit.r2;
    e.diagnostics["intercept"] = fit.intercept;
    e.diagnostics["local_prediction"] = predictRidge(fit, Xs[0]);
    e.diagnostics["model_prediction"] = y[0].item<double>();
    e.diagnostics["kernel_width"] = s.width;
    e.diagnostics["samples"] = double(N);
    e.diagnostics["features_used"] = double(used.size());
    e.diagnostics["discretized"] = options.limeDiscretize ? 1 : 0;
    return e;
}

} // namespace

Explanation explainLimeTabular(Run& run, const ExplainContext& ctx, const torch::Tensor& x,
                               int target, const ExplainOptions& options)
{
    const int64_t d = featureCount(run.impl);
    const int64_t N = options.samples > 0 ? options.samples : 5000;
    checkLimeContext(ctx, d);
    auto s = limeDraws(ctx, x, d, N, options, options.seed);
    run.cancel.throwIfCancelled();
    run.plannedRows = N;
    auto y = evalOutput(run, s.inverse.reshape(batchShape(run.impl, N)), target, outputFor(options));
    return limeFit(s, y, d, options);
}

std::vector<Explanation> explainLimeTabularMany(Run& run, const ExplainContext& ctx, const torch::Tensor& X,
                                                int target, const ExplainOptions& options,
                                                const std::vector<uint64_t>& seeds, int64_t maxRows)
{
    const int64_t d = featureCount(run.impl);
    const int64_t N = options.samples > 0 ? options.samples : 5000;
    checkLimeContext(ctx, d);
    const int64_t n = X.size(0);
    if (!seeds.empty() && int64_t(seeds.size()) != n)
        throw Error("internal: LIME got " + std::to_string(seeds.size()) + " seeds for " + std::to_string(n) +
                    " inputs");
    auto Xc = X.reshape({n, d}).to(torch::kCPU, torch::kFloat32);
    const auto output = outputFor(options);
    const int64_t perGroup = std::max<int64_t>(1, std::max(maxRows, N) / N); // inputs per model call
    run.plannedRows = n * N;
    std::vector<Explanation> out;
    out.reserve(size_t(n));
    for (int64_t g0 = 0; g0 < n; g0 += perGroup) {
        const int64_t g1 = std::min(n, g0 + perGroup);
        std::vector<LimeDraws> draws;
        std::vector<torch::Tensor> rows;
        for (int64_t i = g0; i < g1; ++i) {
            run.cancel.throwIfCancelled();
            draws.push_back(limeDraws(ctx, Xc[i], d, N, options, seeds.empty() ? options.seed : seeds[size_t(i)]));
            rows.push_back(draws.back().inverse);
        }
        auto all = torch::cat(rows, 0);
        auto y = evalOutput(run, all.reshape(batchShape(run.impl, all.size(0))), target, output);
        for (int64_t i = g0; i < g1; ++i)
            out.push_back(limeFit(draws[size_t(i - g0)], y.slice(0, (i - g0) * N, (i - g0 + 1) * N), d, options));
    }
    return out;
}

} // namespace senn::explain::detail
