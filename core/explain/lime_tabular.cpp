#include "core/common/error.h"
#include "core/common/fast_rng.h"
#include "core/explain/cost.h"
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

// The bin tables of every feature, cached in the context: they depend only on the training rows.
LimeBinTables buildBinTables(const ExplainContext& ctx, int64_t d)
{
    const size_t kBins = 4;
    LimeBinTables t;
    t.cum.assign(size_t(d) * (kBins - 1), 1.0);
    t.cuts.assign(size_t(d) * (kBins - 1), std::numeric_limits<double>::infinity());
    t.bins.assign(size_t(d) * kBins, LimeBin{});
    for (int64_t j = 0; j < d; ++j) {
        const auto fb = fitBins(ctx, j, d);
        const size_t base = size_t(j) * kBins, cbase = size_t(j) * (kBins - 1);
        for (size_t k = 0; k < fb.cuts.size(); ++k)
            t.cuts[cbase + k] = fb.cuts[k];
        double c = 0;
        for (size_t b = 0; b < fb.freq.size(); ++b) {
            c += fb.freq[b];
            if (b + 1 < kBins)
                t.cum[cbase + b] = b + 1 == fb.freq.size() ? 1.0 : c; // padded bins stay at 1
            t.bins[base + b] = {fb.lo[b], fb.hi[b], fb.mean[b], fb.sd[b], (fb.lo[b] - fb.mean[b]) / fb.sd[b],
                                (fb.hi[b] - fb.mean[b]) / fb.sd[b]};
        }
    }
    fillBinQuantiles(t);
    return t;
}

std::shared_ptr<const LimeBinTables> limeBinTables(const ExplainContext& ctx, int64_t d)
{
    if (!ctx.backgroundCache)
        return std::make_shared<const LimeBinTables>(buildBinTables(ctx, d));
    std::lock_guard<std::mutex> lock(ctx.backgroundCache->mutex);
    auto& cache = ctx.backgroundCache->limeBins;
    auto it = cache.find(d);
    if (it == cache.end())
        it = cache.emplace(d, std::make_shared<const LimeBinTables>(buildBinTables(ctx, d))).first;
    return it->second;
}

} // namespace

namespace {

// Quantiles of the standard normal truncated to [a, b] at probabilities p (float64 tensors that
// broadcast): exact for every interval, far tails included (the CDF is evaluated on the side of
// the mean where it has precision).
torch::Tensor truncatedStandardQuantile(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& p)
{
    auto flip = a > 0; // intervals right of 0: mirror them
    auto a2 = torch::where(flip, -b, a), b2 = torch::where(flip, -a, b);
    const double r2 = std::sqrt(2.0);
    auto pa = 0.5 * torch::erfc(-a2 / r2);
    auto pb = 0.5 * torch::erfc(-b2 / r2);
    auto pf = torch::where(flip, 1 - p, p); // the mirrored interval's quantile at 1 - p
    auto z = r2 * torch::erfinv(2 * (pa + pf * (pb - pa)) - 1);
    // Degenerate tails (no CDF mass representable): uniform on the interval instead.
    z = torch::where((pb - pa) > 1e-14, z, a2 + pf * (b2 - a2));
    z = torch::min(torch::max(z, a2), b2);
    return torch::where(flip, -z, z);
}

} // namespace

void fillBinQuantiles(LimeBinTables& t)
{
    constexpr int K = LimeBinTables::kKnots;
    t.quantiles.assign(t.bins.size() * size_t(K + 1), 0.0f);
    std::vector<double> za, zb;
    std::vector<size_t> which;
    for (size_t k = 0; k < t.bins.size(); ++k) {
        const LimeBin& bin = t.bins[k];
        for (int q = 0; q <= K; ++q)
            t.quantiles[k * size_t(K + 1) + size_t(q)] = float(bin.lo);
        if (bin.hi > bin.lo) {
            which.push_back(k);
            za.push_back(bin.zlo);
            zb.push_back(bin.zhi);
        }
    }
    if (which.empty())
        return;
    const auto n = int64_t(which.size());
    auto p = torch::arange(K + 1, torch::kFloat64).div_(double(K)).view({1, K + 1});
    auto z = truncatedStandardQuantile(torch::tensor(za, torch::kFloat64).view({n, 1}),
                                       torch::tensor(zb, torch::kFloat64).view({n, 1}), p)
                 .contiguous();
    const double* pz = z.data_ptr<double>();
    for (int64_t r = 0; r < n; ++r) {
        const LimeBin& bin = t.bins[which[size_t(r)]];
        float* out = &t.quantiles[which[size_t(r)] * size_t(K + 1)];
        for (int q = 0; q <= K; ++q) // rounding can put mean + sd z a hair outside [lo, hi]: clamp
            out[q] = float(std::min(bin.hi, std::max(bin.lo, bin.mean + bin.sd * pz[r * (K + 1) + q])));
        out[0] = float(bin.lo);
        out[K] = float(bin.hi);
    }
}

// One scalar pass, one FastRng word per draw: its high half picks the bin, its low half the
// place in the bin through the bin's quantile table (8 bits choose the cell between two
// knots, 24 bits the point between them), and each model row, interpretable row and distance
// is written as it is drawn. Rejection from ziggurat normals took half of a tabular
// explanation; LibTorch's sampler and tensor passes cost more.
void sampleQuartileBins(const LimeBinTables& t, const std::vector<int>& xBin, const float* x, int64_t N,
                        int64_t d, uint64_t seed, float* inverse, double* interp, std::vector<int>& outside)
{
    static_assert(LimeBinTables::kKnots == 256, "the cell index takes 8 bits of the draw");
    constexpr size_t stride = LimeBinTables::kKnots + 1;
    if (t.quantiles.size() != t.bins.size() * stride)
        throw Error("internal: LIME's bin tables have no quantiles");
    senn::FastRng rng(seed);
    outside.assign(size_t(N), 0);
    for (int64_t j = 0; j < d; ++j) {
        inverse[j] = x[j];
        interp[j] = 1.0;
    }
    // Plain pointers: the row stores below may not alias them, so nothing is reloaded per draw.
    const LimeBin* bins = t.bins.data();
    const double* cum = t.cum.data();
    const float* quant = t.quantiles.data();
    const int* xb = xBin.data();
    for (int64_t i = 1; i < N; ++i) {
        float* row = inverse + i * d;
        double* irow = interp + i * d;
        int out = 0;
        for (int64_t j = 0; j < d; ++j) {
            const uint64_t r = rng.next();
            const double u = double(uint32_t(r >> 32)) * 0x1.0p-32;
            const double* c = cum + j * 3;
            const int b = int(c[0] < u) + int(c[1] < u) + int(c[2] < u); // #{k : cum_k < u}
            const size_t k = size_t(j) * 4 + size_t(b);
            const uint32_t low = uint32_t(r);
            const float* q = quant + k * stride + (low >> 24);
            const float frac = float(low & 0xffffffu) * 0x1.0p-24f;
            row[j] = std::min(q[1], q[0] + frac * (q[1] - q[0])); // a point bin's knots are all the point
            const bool same = b == xb[j];
            irow[j] = same ? 1.0 : 0.0;
            out += same ? 0 : 1;
        }
        outside[size_t(i)] = out;
    }
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
    auto xr = x.reshape({d}).to(torch::kFloat64);
    torch::Tensor inverse;                                // model rows [N, d] (float32 when discretized)
    auto interp = torch::empty({N, d}, torch::kFloat64);  // interpretable rows
    if (options.limeDiscretize) {
        // Per-feature bin tables padded to 4 bins (duplicate quartiles give fewer; padded bins
        // have frequency 0 and are never drawn), built once per context; one scalar pass draws
        // every sample (sampleQuartileBins).
        const auto tablesPtr = limeBinTables(ctx, d);
        const LimeBinTables& tables = *tablesPtr;
        // x's bin: the number of cut points strictly below x_j (np.searchsorted, side='left').
        auto xf = x.reshape({d}).to(torch::kFloat32).contiguous();
        const float* px = xf.data_ptr<float>();
        std::vector<int> xBin(size_t(d), 0);
        for (int64_t j = 0; j < d; ++j)
            for (size_t k = 0; k < 3; ++k)
                xBin[size_t(j)] += tables.cuts[size_t(j) * 3 + k] < double(px[j]) ? 1 : 0;
        inverse = torch::empty({N, d}, torch::kFloat32);
        std::vector<int> outside;
        sampleQuartileBins(tables, xBin, px, N, d, seed, inverse.data_ptr<float>(), interp.data_ptr<double>(),
                           outside);
        LimeDraws s;
        s.inverse = inverse;
        s.interp = interp;
        s.width = options.limeKernelWidth > 0 ? options.limeKernelWidth : 0.75 * std::sqrt(double(d));
        // Squared Euclidean distance to x's interpretable row (all ones): the count outside x's bins.
        s.w = torch::empty({N}, torch::kFloat64);
        double* pw = s.w.data_ptr<double>();
        const double scale = -1.0 / (2 * s.width * s.width);
        for (int64_t i = 0; i < N; ++i)
            pw[i] = std::exp(double(outside[size_t(i)]) * scale);
        return s;
    } else {
        auto mean = torch::tensor(ctx.stats.mean, torch::kFloat32).to(torch::kFloat64);
        auto sd = torch::tensor(ctx.stats.std, torch::kFloat32).to(torch::kFloat64);
        sd = torch::where(sd > 0, sd, torch::ones_like(sd)); // StandardScaler's rule for constants
        auto gen = makeGenerator(seed);
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
    auto Xs = int64_t(used.size()) == d ? s.interp // all features (the default): no copy
                                        : s.interp.index_select(1, torch::tensor(used, torch::kLong));
    auto fit = options.limeDiscretize ? weightedRidgeIndicators(Xs, y, s.w, 1.0) : weightedRidge(Xs, y, s.w, 1.0);
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

// An explanation's tensors: the model rows (float) and interpretable rows (double), a copy of
// the latter for the fit, and the fit's system (n x n in the dual form, else d x d).
int64_t limeBytes(int64_t N, int64_t d)
{
    const int64_t sys = std::min(N, d);
    return N * d * int64_t(sizeof(float) + 2 * sizeof(double)) + 2 * sys * sys * int64_t(sizeof(double));
}

} // namespace

Explanation explainLimeTabular(Run& run, const ExplainContext& ctx, const torch::Tensor& x,
                               int target, const ExplainOptions& options)
{
    const int64_t d = featureCount(run.impl);
    const int64_t N = limeSamples(options, false);
    checkLimeContext(ctx, d);
    requireMemory(run, limeBytes(N, d), "LIME with " + std::to_string(N) + " samples of " + std::to_string(d) + " features",
                  "Ask for fewer samples.");
    auto s = limeDraws(ctx, x, d, N, options, options.seed);
    run.cancel.throwIfCancelled();
    run.plannedRows = N;
    auto y = evalOutput(run, s.inverse.reshape(batchShape(run.impl, N)), target, options.output);
    return limeFit(s, y, d, options);
}

std::vector<Explanation> explainLimeTabularMany(Run& run, const ExplainContext& ctx, const torch::Tensor& X,
                                                int target, const ExplainOptions& options,
                                                const std::vector<uint64_t>& seeds, int64_t maxRows)
{
    const int64_t d = featureCount(run.impl);
    const int64_t N = limeSamples(options, false);
    checkLimeContext(ctx, d);
    const int64_t n = X.size(0);
    if (!seeds.empty() && int64_t(seeds.size()) != n)
        throw Error("internal: LIME got " + std::to_string(seeds.size()) + " seeds for " + std::to_string(n) +
                    " inputs");
    auto Xc = X.reshape({n, d}).to(torch::kCPU, torch::kFloat32);
    const auto output = options.output;
    int64_t perGroup = std::max<int64_t>(1, std::max(maxRows, N) / N); // inputs per model call
    if (run.budget > 0) // each input's draws are held until its fit
        perGroup = std::max<int64_t>(1, std::min(perGroup, run.budget / (2 * limeBytes(N, d))));
    requireMemory(run, limeBytes(N, d), "LIME with " + std::to_string(N) + " samples of " + std::to_string(d) + " features",
                  "Ask for fewer samples.");
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
