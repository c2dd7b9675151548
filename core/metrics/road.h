// ROAD's removal (Rong et al., ICML 2022): removed values are not set to a baseline, whose
// sharp edges a model can read, but imputed from what is left, plus a little noise.
// Images: noisy linear imputation on the pixel grid; tables: the training mean plus noise.
#pragma once
#include <cstdint>

namespace senn::metrics {

// Fills the values of `image` ([C, H, W] row-major) where removed[j] != 0: each removed
// pixel becomes the weighted mean of its 8 neighbours in the same channel (edge neighbours
// 1/6, corner neighbours 1/12, as ROAD), removed neighbours being unknowns too. That is
// one sparse symmetric system per channel (a discrete Laplace problem with the kept pixels
// as boundary values), solved by preconditioned conjugate gradients. A channel with no kept
// pixel takes `fallback` (nullptr: 0). Then noise: value j gains noiseStd[j]·N(0, 1) drawn
// from `seed` (noiseStd nullptr: none).
// guess (optional, [C, H, W]): where guessed[j] != 0, the solver starts from guess[j] (the
// solution of a smaller removal: a curve's steps grow the removed set, and starting from the
// previous step's fill saves most of the iterations on large images). noiseFree (optional)
// receives the image before the noise, for the next step's guess.
void imputeNoisyLinear(float* image, int64_t C, int64_t H, int64_t W, const uint8_t* removed,
                       const float* fallback, const float* noiseStd, uint64_t seed,
                       const float* guess = nullptr, const uint8_t* guessed = nullptr,
                       float* noiseFree = nullptr);

// Tables have no neighbours: removed value j becomes mean[j] + noiseStd[j]·N(0, 1).
void imputeTableMean(float* row, int64_t d, const uint8_t* removed, const float* mean,
                     const float* noiseStd, uint64_t seed);

} // namespace senn::metrics
