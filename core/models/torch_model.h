// Core-internal base of the networks this app builds itself (SENN, MLP, CNN): a ModelImpl backed
// by one torch::nn::Module that works on STANDARDISED inputs. logits(xRaw) standardises inside,
// so everything stays differentiable w.r.t. raw inputs; the trainer calls the *Std functions.
#pragma once
#include "core/models/kernels.h"
#include "core/models/model_impl.h"
#include "core/models/shape.h"

#include <memory>
#include <string>

namespace senn::models {

class TorchModel : public ModelImpl {
public:
    using ModelImpl::ModelImpl;

    torch::Tensor logits(const torch::Tensor& xRaw) override { return logitsStd(standardize(xRaw)); }
    // Explainers and metrics read h, θ and the logits: no reconstruction (the decoder's cost).
    SennTensors senn(const torch::Tensor& xRaw) override { return sennStd(standardize(xRaw), false); }

    // Same as logits()/senn() on an input already standardised with the stored standardizer.
    // `reconstruct`: also run the decoder (learned concepts; training's reconstruction loss).
    virtual torch::Tensor logitsStd(const torch::Tensor& xStd) = 0;
    SennTensors sennStd(const torch::Tensor& xStd, bool reconstruct = true) { return sennForward(xStd, reconstruct); }
    virtual SennTensors sennForward(const torch::Tensor& xStd, bool reconstruct); // throws senn::Error unless SENN
    // The last hidden layer (the input of the final linear layer) for a standardised input,
    // [N, width]: what a post-hoc FLINT interpreter reads (flint.md). MLP and CNN have one;
    // the default throws senn::Error.
    virtual torch::Tensor hiddenStd(const torch::Tensor& xStd);
    // Starts the network as the linear model z = x·w + b (w [d, C], b [C], on standardised
    // inputs): a SENN with identity concepts and an MLP parametrizer sets θ(x) = w
    // (no intercept) by zeroing the parametrizer's last layer; an MLP with a linear skip sets
    // the skip to (w, b) and zeroes its last hidden-to-logit layer. Returns false (nothing
    // done) for every other network.
    virtual bool warmStartLinear(const torch::Tensor&, const torch::Tensor&) { return false; }

    std::vector<torch::Tensor> parameters() override { return module().parameters(); }
    void setTraining(bool on) override { module().train(on); }
    std::shared_ptr<ModelImpl> clone() const override;
    std::string saveWeights() const override;
    void loadWeights(const std::string& bytes) override;
    void to(torch::Device d) override;

    int64_t parameterCount() const;
    // The network, read-only: its named layers for the randomisation checks (randomise.h).
    // Its tensors are handles, so a caller under NoGradGuard may re-draw them in place.
    const torch::nn::Module& network() const { return module(); }

protected:
    virtual torch::nn::Module& module() = 0;
    virtual const torch::nn::Module& module() const = 0;
    // "N parameters; input 1x28x28, 10 classes" appended to every describe().
    std::string describeTail() const;
};

// Fully connected stack; `act` between layers and none after the last (no output squashing).
struct MlpNet : torch::nn::Module {
    MlpNet(const std::vector<int64_t>& sizes, bool useTanh) : m_tanh(useTanh)
    {
        for (size_t i = 0; i + 1 < sizes.size(); ++i)
            layers.push_back(register_module("fc" + std::to_string(i),
                                             torch::nn::Linear(sizes[i], sizes[i + 1])));
    }
    torch::Tensor forward(torch::Tensor x) { return layers.back()->forward(penultimate(x)); }
    // Everything before the last linear layer (the flattened input when there is one layer).
    torch::Tensor penultimate(torch::Tensor x)
    {
        x = x.flatten(1);
        for (size_t i = 0; i + 1 < layers.size(); ++i)
            x = m_tanh ? tanhActivation(layers[i]->forward(x)) : torch::relu(layers[i]->forward(x));
        return x;
    }
    std::vector<torch::nn::Linear> layers;
    bool m_tanh;
};

// Builds the untrained network that meta describes (config.kind, concepts, k, hidden,
// inputShape, classNames). Deterministic given torch's seed. Throws senn::Error when the
// configuration does not fit the data (e.g. a CNN on tabular data).
std::shared_ptr<TorchModel> createNetwork(const ModelMeta& meta);

// Per-kind constructors used by createNetwork (senn_model.cpp, blackbox_models.cpp).
std::shared_ptr<TorchModel> createSenn(const ModelMeta& meta);
std::shared_ptr<TorchModel> createMlp(const ModelMeta& meta);
std::shared_ptr<TorchModel> createCnn(const ModelMeta& meta);

// A TorchScript classifier as a frozen black box: raw inputs in, logits out, no standardizer,
// no trainable parameters. meta must carry inputShape, classNames and torchScriptPath.
std::shared_ptr<ModelImpl> createTorchScript(torch::jit::Module module, const ModelMeta& meta);
// The module behind a model made by createTorchScript; nullptr for any other model.
const torch::jit::Module* torchScriptModule(const ModelImpl& model);

// Sizes shared by the image networks: spatial side after conv5 -> pool2 -> conv5 -> pool2.
int64_t lenetSide(int64_t side);


} // namespace senn::models
