// Core-internal base of the networks this app builds itself (SENN, MLP, CNN): a ModelImpl backed
// by one torch::nn::Module that works on STANDARDISED inputs. logits(xRaw) standardises inside,
// so everything stays differentiable w.r.t. raw inputs; the trainer calls the *Std functions.
#pragma once
#include "core/models/model_impl.h"

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

protected:
    virtual torch::nn::Module& module() = 0;
    virtual const torch::nn::Module& module() const = 0;
    // "N parameters; input 1x28x28, 10 classes" appended to every describe().
    std::string describeTail() const;
};

// tanh for the networks' activations. Under autograd it is LibTorch's (differentiable to any
// order); without it, a float32 kernel from expm1 (Cody-Waite reduction, a degree-7
// polynomial; AVX2 8 lanes, else SSE2 4) within 3 ulp of tanh, NaN and ±inf as tanh. LibTorch
// 1.13's tanh (Sleef, 1 ulp, 1.97 ns per value) was 27% of a KernelSHAP run on the breast-cancer
// SENN: its parametrizer's hidden layers are 96 tanh per row, and KernelSHAP evaluates 21,091 rows.
torch::Tensor tanhActivation(const torch::Tensor& x);
namespace detail {
// tanhActivation's kernel on n floats: AVX2 with FMA when avx2 is set and the CPU has both,
// else SSE2 (for the test, which checks both). in and out may be the same buffer.
void tanhValues(const float* in, float* out, int64_t n, bool avx2);
bool tanhHasAvx2();
} // namespace detail

// SENN's sum aggregator: z[n, c] = Σ_i h[n, i] θ[n, i, c] for h [N, k] and θ [N, k, C]. Under
// autograd (or off the CPU, or beyond 16 classes) it is bmm; without it, a float32 loop over
// the rows, in SSE2 lanes for 1, 2 and 4 classes. LibTorch 1.13's bmm on [N, 1, k] x [N, k, C]
// runs a small-matrix path per row: on the breast-cancer SENN (k = 31, C = 2) it was 8% of a
// KernelSHAP explanation; this takes 0.64 of its time there (MNIST's k = 5, C = 10: the same).
torch::Tensor sumAggregate(const torch::Tensor& h, const torch::Tensor& theta);

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

// "1x28x28" / "30".
std::string shapeString(const std::vector<int64_t>& shape);

// 2x2 max pooling with stride 2 (floor mode): max_pool2d(x, 2)'s values and gradients (ties go
// to the first maximum in scan order, NaN wins), differentiable to any order, as plain loops over
// the planes. LibTorch 1.13's max_pool2d was half of the MNIST SENN's forward: on MNIST's first
// layer (1,000 rows, one thread) it took 28.7 ms forward and 36 ms forward+backward.
torch::Tensor maxPool2x2(const torch::Tensor& x);

} // namespace senn::models
