// ROAD's noisy linear imputation (road.h): a matrix-free preconditioned conjugate-gradient
// solve per channel over the removed pixels only, so a photo with most of its pixels removed
// costs a few hundred sweeps over them and no matrix is stored.
#include "core/metrics/road.h"

#include "core/common/fast_rng.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace senn::metrics {

namespace {

struct Neighbour {
    int64_t unknown; // index among the channel's removed pixels
    double weight;
};

// Solves A v = b for the removed pixels of one channel, A = D − W over the unknowns (D the
// sum of each pixel's neighbour weights, W the weights between removed neighbours): symmetric
// and positive definite as soon as one pixel is kept. Jacobi-preconditioned CG.
void solveChannel(float* v, int64_t H, int64_t W, const uint8_t* removed, const std::vector<int64_t>& cells,
                  const float* guess, const uint8_t* guessed)
{
    const int64_t n = int64_t(cells.size());
    std::vector<int64_t> index(static_cast<size_t>(H * W), -1);
    for (int64_t u = 0; u < n; ++u)
        index[size_t(cells[size_t(u)])] = u;
    static const int dy[8] = {-1, 1, 0, 0, -1, -1, 1, 1};
    static const int dx[8] = {0, 0, -1, 1, -1, 1, -1, 1};
    const size_t N = size_t(n);
    std::vector<double> diag(N, 0.0), b(N, 0.0);
    std::vector<std::vector<Neighbour>> links(N);
    for (int64_t u = 0; u < n; ++u) {
        const int64_t y = cells[size_t(u)] / W, x = cells[size_t(u)] % W;
        for (int k = 0; k < 8; ++k) {
            const int64_t yy = y + dy[k], xx = x + dx[k];
            if (yy < 0 || yy >= H || xx < 0 || xx >= W)
                continue;
            const double w = k < 4 ? 1.0 / 6.0 : 1.0 / 12.0;
            const int64_t q = yy * W + xx;
            diag[size_t(u)] += w;
            if (removed[q])
                links[size_t(u)].push_back({index[size_t(q)], w});
            else
                b[size_t(u)] += w * double(v[q]);
        }
    }
    auto apply = [&](const std::vector<double>& p, std::vector<double>& out) {
        for (int64_t u = 0; u < n; ++u) {
            double s = diag[size_t(u)] * p[size_t(u)];
            for (const auto& l : links[size_t(u)])
                s -= l.weight * p[size_t(l.unknown)];
            out[size_t(u)] = s;
        }
    };
    // Start from the guess, else from each pixel's kept neighbours alone (exact when none of
    // them is removed).
    std::vector<double> x(N), r(N), z(N), p(N), Ap(N);
    for (int64_t u = 0; u < n; ++u) {
        const int64_t q = cells[size_t(u)];
        x[size_t(u)] = guess && guessed[q] ? double(guess[q]) : b[size_t(u)] / diag[size_t(u)];
    }
    apply(x, Ap);
    double bNorm = 0, rz = 0;
    for (int64_t u = 0; u < n; ++u) {
        r[size_t(u)] = b[size_t(u)] - Ap[size_t(u)];
        z[size_t(u)] = r[size_t(u)] / diag[size_t(u)];
        p[size_t(u)] = z[size_t(u)];
        rz += r[size_t(u)] * z[size_t(u)];
        bNorm += b[size_t(u)] * b[size_t(u)];
    }
    const double tol2 = std::max(bNorm, 1e-300) * 1e-14;
    const int64_t maxIter = std::max<int64_t>(100, 4 * n);
    for (int64_t it = 0; it < maxIter; ++it) {
        double rr = 0;
        for (double ri : r)
            rr += ri * ri;
        if (rr <= tol2)
            break;
        apply(p, Ap);
        double pAp = 0;
        for (int64_t u = 0; u < n; ++u)
            pAp += p[size_t(u)] * Ap[size_t(u)];
        if (!(pAp > 0))
            break;
        const double alpha = rz / pAp;
        double rzNew = 0;
        for (int64_t u = 0; u < n; ++u) {
            x[size_t(u)] += alpha * p[size_t(u)];
            r[size_t(u)] -= alpha * Ap[size_t(u)];
            z[size_t(u)] = r[size_t(u)] / diag[size_t(u)];
            rzNew += r[size_t(u)] * z[size_t(u)];
        }
        const double beta = rzNew / rz;
        rz = rzNew;
        for (int64_t u = 0; u < n; ++u)
            p[size_t(u)] = z[size_t(u)] + beta * p[size_t(u)];
    }
    for (int64_t u = 0; u < n; ++u)
        v[cells[size_t(u)]] = float(x[size_t(u)]);
}

void addNoise(float* v, int64_t n, const uint8_t* removed, const float* noiseStd, uint64_t seed)
{
    if (!noiseStd)
        return;
    FastRng rng(seed);
    for (int64_t j = 0; j < n; ++j)
        if (removed[j])
            v[j] = float(double(v[j]) + double(noiseStd[j]) * rng.normal());
}

} // namespace

void imputeNoisyLinear(float* image, int64_t C, int64_t H, int64_t W, const uint8_t* removed,
                       const float* fallback, const float* noiseStd, uint64_t seed,
                       const float* guess, const uint8_t* guessed, float* noiseFree)
{
    const int64_t plane = H * W;
    for (int64_t c = 0; c < C; ++c) {
        float* v = image + c * plane;
        const uint8_t* r = removed + c * plane;
        std::vector<int64_t> cells;
        for (int64_t j = 0; j < plane; ++j)
            if (r[j])
                cells.push_back(j);
        if (cells.empty())
            continue;
        if (int64_t(cells.size()) == plane) {
            for (int64_t j = 0; j < plane; ++j)
                v[j] = fallback ? fallback[c * plane + j] : 0.0f;
            continue;
        }
        solveChannel(v, H, W, r, cells, guess && guessed ? guess + c * plane : nullptr,
                     guess && guessed ? guessed + c * plane : nullptr);
    }
    if (noiseFree)
        std::copy(image, image + C * plane, noiseFree);
    addNoise(image, C * plane, removed, noiseStd, seed);
}

void imputeTableMean(float* row, int64_t d, const uint8_t* removed, const float* mean,
                     const float* noiseStd, uint64_t seed)
{
    for (int64_t j = 0; j < d; ++j)
        if (removed[j])
            row[j] = mean ? mean[j] : 0.0f;
    addNoise(row, d, removed, noiseStd, seed);
}

} // namespace senn::metrics
