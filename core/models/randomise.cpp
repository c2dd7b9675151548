// Layer listing and re-drawing for the model randomisation checks (randomise.h), on the
// app's own networks through their torch::nn::Module and on TorchScript modules.
#include "core/models/randomise.h"

#include "core/common/error.h"
#include "core/models/torch_model.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>

namespace senn::models {

namespace {

using Layer = std::pair<std::string, std::vector<torch::Tensor>>;

std::vector<Layer> layersOf(const Model& model)
{
    auto impl = model.impl();
    if (!impl)
        throw Error("no model to randomise");
    std::vector<Layer> out;
    if (const auto* net = dynamic_cast<const TorchModel*>(impl.get())) {
        for (const auto& item : net->network().named_modules("", false)) {
            const std::string& name = item.key();
            if (name.rfind("decoder", 0) == 0) // reconstruction only; no output reads it
                continue;
            std::vector<torch::Tensor> params;
            for (const auto& p : item.value()->named_parameters(false))
                params.push_back(p.value());
            if (!params.empty())
                out.emplace_back(name, std::move(params));
        }
    } else if (const auto* ts = torchScriptModule(*impl)) {
        torch::jit::Module module = *ts; // a handle: its parameters are the copy's own tensors
        for (const auto& item : module.named_modules()) {
            std::vector<torch::Tensor> params;
            for (const auto& p : item.value.named_parameters(false))
                params.push_back(p.value);
            if (!params.empty())
                out.emplace_back(item.name.empty() ? std::string("(top)") : item.name, std::move(params));
        }
        if (out.empty())
            throw Error("the TorchScript model " + impl->meta().torchScriptPath +
                        " has no parameters to randomise (its weights may be constants "
                        "frozen into the graph); export it without torch.jit.freeze");
    } else {
        throw Error("the model randomisation check re-draws a network's layers; it works on "
                    "SENN, MLP, CNN and TorchScript models, not on " +
                    toString(impl->meta().config.kind) + " models");
    }
    std::reverse(out.begin(), out.end()); // output layer first
    return out;
}

} // namespace

std::vector<std::string> randomisableLayers(const Model& model)
{
    std::vector<std::string> names;
    for (const auto& layer : layersOf(model))
        names.push_back(layer.first);
    return names;
}

void randomiseLayer(Model& model, const std::string& layer, uint64_t seed)
{
    const auto layers = layersOf(model);
    auto it = std::find_if(layers.begin(), layers.end(), [&](const Layer& l) { return l.first == layer; });
    if (it == layers.end())
        throw Error("the model has no layer \"" + layer + "\" to randomise");
    torch::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    int64_t fanIn = 0;
    for (const auto& p : it->second)
        if (p.dim() >= 2 && fanIn == 0)
            fanIn = p.numel() / p.size(0);
    for (auto p : it->second) {
        auto fresh = torch::empty(p.sizes(), torch::TensorOptions().dtype(torch::kFloat64));
        if (fanIn > 0) {
            const double bound = 1.0 / std::sqrt(double(fanIn));
            fresh.uniform_(-bound, bound, gen);
        } else {
            const auto values = p.detach().to(torch::kFloat64);
            const double mean = values.mean().item<double>();
            const double sd = values.numel() > 1 ? values.std().item<double>() : 0.0;
            fresh.normal_(mean, std::max(sd, 0.1), gen);
        }
        p.copy_(fresh.to(p.options()));
    }
}

} // namespace senn::models
