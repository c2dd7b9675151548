// FLINT's loss terms, schedule and scores on tensors (flint.md): the entropies, output
// fidelity, relevance and conciseness. Core-internal (torch); the trainer, interpretations and
// tests share these so the loss and the reported metrics use one definition.
#pragma once
#include "core/models/flint_net.h"
#include "core/train/flint_interpret.h"
#include "core/train/flint_trainer.h"

namespace senn::train {

struct FlintEntropies {
    torch::Tensor mean;      // E_mean = batch mean of E(|Φ(x)|)   (conciseness)
    torch::Tensor diversity; // E_div  = E(batch mean of |Φ|)      (diversity)
};
// E(v) = -Σ p log p with p = softmax(v) along dim 1.
FlintEntropies flintEntropies(const torch::Tensor& phi);

struct FlintLoss {
    torch::Tensor total;
    double ce = 0, mse = 0, outputFidelity = 0, l1 = 0, entropyMean = 0, entropyDiv = 0;
};
// L = [CE(f, y)] + γ·MSE(d(Φ), x_std) + β·L_of + λ₁·mean|Φ| + δ·(E_mean - E_div), with f's
// softmax detached in L_of. withCe = false in post-hoc mode. t.recon is needed when γ > 0.
FlintLoss flintLoss(const models::FlintTensors& t, const torch::Tensor& y,
                    const FlintLossWeights& w, bool withCe);

// Each row divided by its largest |value| (max |r| = 1); all-zero rows stay 0.
torch::Tensor normaliseRelevance(const torch::Tensor& contributions);
// r_j = Φ_j W_{j,ŷ} / max_i |Φ_i W_{i,ŷ}| per row; rows with all-zero contributions stay 0.
torch::Tensor flintRelevance(const torch::Tensor& phi, const torch::Tensor& weight,
                             const torch::Tensor& predicted);
// Per row: number of attributes with |r_j| > max_i |r_i| / τ (float [N]).
torch::Tensor flintConcisenessCounts(const torch::Tensor& relevance, double tau);

FlintScores scoreFlint(models::FlintModel& model, const data::Dataset& data,
                       const std::vector<int64_t>& rows, const jobs::CancelToken& cancel = {},
                       int64_t chunkRows = 512);

// Gathers dataset rows into a raw tensor [n, ...sampleShape] on `device`.
torch::Tensor gatherRows(const data::Dataset& data, const std::vector<int64_t>& rows,
                         size_t begin, size_t end, torch::Device device);
// The labels of rows[begin, end) as a CPU long tensor.
torch::Tensor gatherLabels(const data::Dataset& data, const std::vector<int64_t>& rows, size_t begin, size_t end);
// Scores over `n` rows with every count at 0 and the τ of flintTaus(), to accumulate into.
FlintScores emptyScores(size_t n);

} // namespace senn::train
