// A trained (or loaded) classifier as the rest of the app sees it: raw inputs in,
// logits / probabilities / SENN explanations out, plus its metadata (the model card).
// Torch-free (pimpl) so ui/ can hold one; tensors live in ModelImpl (model_impl.h, core only).
#pragma once
#include "core/data/dataset.h"
#include "core/data/split.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace senn::models {

class ModelImpl;

enum class ModelKind { Senn, Mlp, Cnn, Flint, TorchScript };
enum class ConceptKind { Identity, Autoencoder };
enum class PenaltyMode { Exact, Fast };

std::string toString(ModelKind);
std::string toString(ConceptKind);
std::string toString(PenaltyMode);
ModelKind modelKindFromString(const std::string&);     // throws senn::Error
ConceptKind conceptKindFromString(const std::string&); // throws senn::Error
PenaltyMode penaltyModeFromString(const std::string&); // throws senn::Error

// Architecture and loss settings. Defaults suit MNIST; defaultsFor() adapts them per data kind.
struct ModelConfig {
    ModelKind kind = ModelKind::Senn;
    ConceptKind concepts = ConceptKind::Autoencoder;
    int k = 5;                  // concepts (autoencoder); identity uses d (+1 with bias)
    bool biasConcept = false;   // identity conceptizer: append a constant concept
    double lambda = 1e-4;       // robustness penalty weight
    PenaltyMode penalty = PenaltyMode::Exact;
    int penaltySamples = 1;     // fast mode: random projections per step
    double xi = 1.0;            // reconstruction + sparsity weight (learned concepts only)
    double zeta = 2e-5;         // sparsity weight inside xi's bracket
    std::vector<int> hidden;    // tabular MLP / parametrizer hidden sizes; empty = default
    // MLP: a linear layer from the input straight to the logits beside the hidden layers
    // (wide & deep), started at the logistic regression of the training rows.
    bool linearSkip = false;
    // Right for the Right Reasons (rrr.md)
    double rrrLambda = 0.0;
    std::string rrrMask;        // "", "decoy" or a file path
    // FLINT (flint.md)
    int attributes = 25;

    static ModelConfig defaultsFor(data::DataKind kind, ModelKind model, int64_t features);
};

struct TrainConfig {
    int epochs = 10;            // the maximum; early stopping (patience) may end sooner
    int batch = 128;
    double lr = 1e-3;
    uint64_t seed = 0;
    int threads = 0;            // 0 = leave LibTorch's setting
    // Early stopping: stop after this many epochs with no validation improvement (the best
    // epoch is kept either way); 0 = run all epochs.
    int patience = 0;
    // Learning-rate schedule: "plateau" (halve after max(2, patience/4) epochs with no
    // validation improvement, down to lr/100), "cosine" (lr·½(1+cos(π·(e-1)/epochs))), "none".
    std::string schedule = "none";
    // Which finished epoch the model file keeps: "best", the lowest validation loss (ties:
    // higher accuracy); "se", the latest epoch whose validation loss is within one standard
    // error of the lowest (the one-standard-error rule; = "best" without validation rows; the
    // tabular SENN's default, see defaultsFor); "last", the final one (to study what longer
    // training does). Throws senn::Error in train() otherwise.
    std::string keep = "best";
    // L2 penalty on the weights (not the biases): loss += l2 / (2·n_train) · Σ‖W‖² (twice that
    // with two classes), the baseline's scale: scikit-learn's LogisticRegression with C = 1 / l2;
    // 1 = the baseline's C = 1 (the tabular MLP's default). 0 = off. FLINT ignores it.
    double l2 = 0;
    static TrainConfig defaultsFor(data::DataKind kind);
    static TrainConfig defaultsFor(data::DataKind kind, ModelKind model);
};

struct EpochRecord {
    int epoch = 0;
    double loss = 0, ce = 0, robustness = 0, reconstruction = 0, sparsity = 0, rrr = 0;
    double trainAccuracy = 0, valAccuracy = 0;
    double valLoss = 0;         // mean validation cross-entropy (the kept epoch's criterion); 0: not recorded
    double seconds = 0;
    double lr = 0;              // the learning rate used in this epoch (0: not recorded)
};

// Everything a model file stores besides the weights.
struct ModelMeta {
    int formatVersion = 1;
    ModelConfig config;
    TrainConfig train;
    data::DataKind dataKind = data::DataKind::Tabular;
    std::vector<int64_t> inputShape;          // one sample
    std::vector<std::string> classNames, featureNames;
    data::Standardizer standardizer;
    // The split as recorded at training time: seed, fractions, limit, source and transforms.
    uint64_t splitSeed = 0;
    double trainFraction = 0.8, valFraction = 0.1;
    int64_t limit = -1;
    std::string dataSource, targetName;
    std::vector<std::string> transforms;
    std::map<std::string, double> metrics;    // e.g. "test_accuracy"
    std::vector<EpochRecord> history;
    int bestEpoch = -1;
    // Why training ended, e.g. "no validation improvement for 20 epochs; best epoch 84".
    std::string stopReason;
    std::string createdAt;                    // ISO 8601
    std::string torchScriptPath;              // TorchScript models: the file
    // Post-hoc FLINT on a predictor kept in another file (flint.md "Post-hoc mode"): that
    // file (.senn or TorchScript), the CRC32 of its bytes when the interpreter was trained,
    // and the hidden layer Ψ reads (a TorchScript child's name, "hidden" for an MLP's or
    // CNN's last hidden layer, "logits"). Empty path: FLINT's own predictor.
    std::string flintPredictor, flintHiddenLayer;
    uint32_t flintPredictorCrc = 0;
};

// One sample's SENN forward pass: k concepts, C classes.
struct SennOutput {
    int64_t k = 0, classes = 0;
    std::vector<float> theta;   // k * classes, row-major (concept, class)
    std::vector<float> h;       // k
    std::vector<float> logits;  // classes
};

class Model {
public:
    Model();
    explicit Model(std::shared_ptr<ModelImpl> impl);
    bool isValid() const { return static_cast<bool>(m_impl); }

    const ModelMeta& meta() const;
    ModelMeta& meta();
    int64_t numClasses() const;
    std::vector<int64_t> inputShape() const;
    int64_t featureCount() const;
    bool isSenn() const;
    std::string describe() const;   // one paragraph: architecture, parameters

    // Raw inputs (as the loader produces them), n samples, row-major.
    std::vector<float> logits(const float* xRaw, int64_t n) const;        // n * C
    std::vector<float> probabilities(const float* xRaw, int64_t n) const; // n * C
    std::vector<int64_t> predict(const float* xRaw, int64_t n) const;
    std::vector<SennOutput> senn(const float* xRaw, int64_t n) const;     // SENN only

    Model clone() const;            // deep copy of weights and metadata
    std::shared_ptr<ModelImpl> impl() const { return m_impl; }

private:
    std::shared_ptr<ModelImpl> m_impl;
};

} // namespace senn::models
