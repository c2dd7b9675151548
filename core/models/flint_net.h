// FLINT (flint.md): a predictor f, an attribute network Ψ reading one of f's hidden layers,
// a linear interpreter g on the attributes Φ = Ψ(hidden) and a decoder d(Φ) -> x. Joint mode
// trains all four; post-hoc mode (FLINT-h) freezes f (ours, or any ModelImpl) and trains Ψ, g, d.
#pragma once
#include "core/models/model_impl.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace senn::models {

// Everything one FLINT forward pass produces; all tensors on the model's device.
struct FlintTensors {
    torch::Tensor xStd;    // [N, ...inputShape] standardised input
    torch::Tensor hidden;  // f's hidden layer that Ψ reads
    torch::Tensor logits;  // [N, C] f's logits
    torch::Tensor phi;     // [N, J] attributes
    torch::Tensor gLogits; // [N, C] interpreter logits
    torch::Tensor recon;   // [N, ...inputShape] d(Φ), standardised space (undefined if not asked)
};

class FlintModel : public ModelImpl {
public:
    // f's hidden layer from a RAW input batch (post-hoc on a foreign predictor).
    using HiddenFn = std::function<torch::Tensor(const torch::Tensor& xRaw)>;

    // Joint FLINT with its own predictor, built from meta (inputShape, classNames,
    // config.attributes). Deterministic given torch's seed. Throws senn::Error on bad sizes.
    explicit FlintModel(ModelMeta meta);

    // Post-hoc on a foreign predictor f (SENN, MLP, CNN, TorchScript...): logits() is
    // f->logits(), `hidden` gives the layer Ψ reads (any shape; [N,Ch,h,w] gets the conv Ψ,
    // anything else is flattened and gets the MLP Ψ). f is never trained here. meta is the
    // FLINT model's metadata (f's inputShape, classNames, standardizer; config.attributes).
    // Weights saved by this model are Ψ, g and d only: reloading needs the same f and hidden.
    static std::shared_ptr<FlintModel> attachPostHoc(ModelMeta meta, std::shared_ptr<ModelImpl> f,
                                                     HiddenFn hidden);
    // Post-hoc on a trained FLINT model's own predictor: a copy of its f, frozen, with fresh
    // Ψ, g, d (same weight layout as a joint model, so it saves and loads like one). It keeps
    // the trained model's metadata (f needs its standardizer); attributes > 0 changes J.
    static std::shared_ptr<FlintModel> postHocFrom(const FlintModel& trained, int attributes = 0);

    torch::Tensor logits(const torch::Tensor& xRaw) override;
    FlintTensors forward(const torch::Tensor& xRaw, bool withDecoder = false);
    torch::Tensor attributes(const torch::Tensor& xRaw);        // Φ [N, J]
    torch::Tensor interpreterLogits(const torch::Tensor& xRaw); // [N, C]
    torch::Tensor decode(const torch::Tensor& phi);             // [N, ...inputShape], standardised
    torch::Tensor interpreterWeight() const;                    // W [J, C]
    torch::Tensor interpreterBias() const;                      // b [C]
    int64_t attributeCount() const { return m_attributes; }
    std::vector<int64_t> hiddenShape() const { return m_hiddenShape; }

    // Post-hoc: f frozen (its parameters are not in parameters() and it stays in eval mode).
    bool isPostHoc() const { return m_frozen; }
    bool hasForeignPredictor() const { return static_cast<bool>(m_foreign); }

    // Joint: f, Ψ, g, d. Post-hoc: Ψ, g, d.
    std::vector<torch::Tensor> parameters() override;
    std::vector<torch::Tensor> predictorParameters(); // f's own (empty for a foreign f)
    void setTraining(bool on) override;
    std::shared_ptr<ModelImpl> clone() const override;
    std::string describe() const override;
    std::string saveWeights() const override;
    void loadWeights(const std::string& bytes) override;
    void to(torch::Device d) override;
    int64_t parameterCount() const;

    struct Nets; // the torch modules (flint_net.cpp)

private:
    FlintModel(ModelMeta meta, std::shared_ptr<ModelImpl> foreign, HiddenFn hidden);
    void buildHeads(); // Ψ, g, d for m_hiddenShape

    std::shared_ptr<Nets> m_nets;
    std::shared_ptr<ModelImpl> m_foreign;
    HiddenFn m_hidden;
    std::vector<int64_t> m_hiddenShape; // one sample
    int64_t m_attributes = 25;
    bool m_frozen = false;
};

// For ModelMeta with config.kind == Flint (what loadModel / buildModel call).
std::shared_ptr<FlintModel> createFlint(const ModelMeta& meta);

// Post-hoc helper for TorchScript predictors whose forward() runs its direct children in
// order (nn.Sequential or equivalent): returns the output of child `childName` (the children
// before it run first). Throws senn::Error listing the children when the name is unknown.
FlintModel::HiddenFn torchScriptHidden(torch::jit::Module module, const std::string& childName);

// One child of a sequential TorchScript model and what it outputs for one sample.
struct TorchScriptLayer {
    std::string name;
    std::vector<int64_t> shape; // without the batch dimension; empty when not a tensor
    std::string problem;        // empty = Ψ can read it
};
// Runs `sample` ([1, ...]) through the children in order and lists them. Throws senn::Error
// when there are no children or when the chain does not reproduce module.forward(sample).
std::vector<TorchScriptLayer> torchScriptLayers(torch::jit::Module module, const torch::Tensor& sample);

// The layer `name` of a frozen predictor as a function of raw inputs: "logits"; "hidden" (or
// "") for the app's MLP/CNN last hidden layer; a child's name for a TorchScript model.
// Throws senn::Error when the predictor has no such layer.
FlintModel::HiddenFn predictorLayer(const std::shared_ptr<ModelImpl>& f, const std::string& name);

} // namespace senn::models
