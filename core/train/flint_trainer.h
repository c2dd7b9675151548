// Training FLINT (flint.md): jointly (f, Ψ, g, d under one Adam) or post-hoc (f frozen, Ψ, g, d
// trained without CE), with the reference loss and its schedule, seeded, with validation every
// epoch, the best model kept, per-batch progress and cancellation as in trainer.h.
#pragma once
#include "core/train/trainer.h"

#include <memory>
#include <string>
#include <vector>

namespace senn::models {
class ModelImpl;
}

namespace senn::train {

// Loss weights and their schedule. flint.md's MNIST schedule is for 12 epochs: γ from the
// start, β and λ₁ from epoch 3, δ from epoch 5, i.e. after 2/12 and 4/12 of the training.
// We switch on at those FRACTIONS of all batches, so a shorter run keeps the proportions.
struct FlintLossWeights {
    double gamma = 0.8, beta = 0.5, lambda1 = 0.1, delta = 0.2;
    double betaFrom = 2.0 / 12.0, deltaFrom = 4.0 / 12.0; // fraction of training done
    // The weights in force once `progress` (0..1) of the training is done.
    FlintLossWeights at(double progress) const;
};

// BatchReport / EpochRecord mapping (their structs have no FLINT fields yet):
//   loss = the whole FLINT loss, ce = CE(f, y) (0 post-hoc), reconstruction = γ·MSE,
//   sparsity = λ₁·mean|Φ|, robustness = rrr = 0. The output-fidelity and entropy terms are in
//   loss only. batchAccuracy / trainAccuracy / valAccuracy are f's accuracy (joint) or g's
//   (post-hoc, where f's is fixed); post-hoc keeps the best epoch by validation fidelity, joint
//   FLINT by validation accuracy of f plus fidelity.
// The model's meta gets metrics "test_accuracy" (f), "interpreter_accuracy" (g), "fidelity",
// "conciseness_1.5" ... "conciseness_5" on the test split (the validation split when there
// is no test split), plus "val_accuracy", "train_accuracy" and "train_seconds"; accuracies and
// fidelity are fractions in [0, 1].
//
// frozenPredictor selects post-hoc mode:
//   - a trained FlintModel in joint mode: its f is copied and frozen, Ψ, g, d are new
//     (config.attributes of the new ones);
//   - a FlintModel already in post-hoc mode (e.g. FlintModel::attachPostHoc on a foreign f
//     with a chosen hidden layer): its Ψ, g, d are trained further (on a copy);
//   - any other ModelImpl: Ψ reads its LOGITS (the only layer every model exposes); to read a
//     hidden layer, wrap it with FlintModel::attachPostHoc first.
// Schedule: flint.md's 12-epoch schedule scaled to the configured epochs (FlintLossWeights).
// A layer of a predictor that post-hoc FLINT can read, as shown to a person choosing one.
struct HiddenLayerChoice {
    std::string name;
    std::vector<int64_t> shape; // its output for one sample ([C, H, W] map, [D] vector, ...)
    std::string problem;        // why Ψ cannot read it (not a tensor, ...); empty = usable
};

// A TorchScript predictor's candidate hidden layers: its named children in the order its
// forward() runs them, each with the output shape it gives on row `row` of `data`. Throws
// senn::Error when the model is not TorchScript, has no children, or is not sequential (its
// children run one after another do not reproduce its forward()).
std::vector<HiddenLayerChoice> flintHiddenLayers(const models::Model& predictor,
                                                 const data::Dataset& data, int64_t row = 0);

// A post-hoc FLINT interpreter (fresh Ψ, g, d; not trained) on `predictor`, frozen, reading
// `hiddenLayer`: a child of a TorchScript model (flintHiddenLayers), "hidden" for an MLP's or
// CNN's last hidden layer, "logits"; "" picks "hidden" for MLP/CNN. Ψ is a conv net for a
// [C, H, W] map and an MLP for anything else. `predictorFile` (a TorchScript model's own
// path when empty) lets io::saveModel store the interpreter with a reference to that file.
// Ψ, g and d are initialised from `seed` (torch's global generator is seeded here), so a
// post-hoc run is reproducible whatever ran before it in the process.
// Train it with trainFlint(..., frozenPredictor = result.impl()). Throws senn::Error for an
// unknown layer (naming it and listing the children) or a layer that gives no tensor.
models::Model attachFlint(const models::Model& predictor, const std::string& hiddenLayer,
                          const data::Dataset& data, const data::Split& split, int attributes,
                          const std::string& predictorFile = {}, uint64_t seed = 0);

TrainResult trainFlint(const data::Dataset& data, const data::Split& split,
                       const models::ModelConfig& config, const models::TrainConfig& trainConfig,
                       const BatchFn& onBatch = {}, const jobs::CancelToken& cancel = {},
                       std::shared_ptr<models::ModelImpl> frozenPredictor = nullptr,
                       const FlintLossWeights& weights = {});

} // namespace senn::train
