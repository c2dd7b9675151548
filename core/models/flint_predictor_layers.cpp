// The hidden layers of a frozen predictor that a post-hoc FLINT's Ψ may read (flint_net.h):
// the app's MLP/CNN last hidden layer, the logits, or a named child of a sequential TorchScript
// model, with the checks that running the children in order is the model's forward().
#include "core/models/flint_net.h"

#include "core/common/error.h"
#include "core/models/torch_model.h"

#include <algorithm>

namespace senn::models {

namespace {

std::vector<std::string> childNames(const torch::jit::Module& module)
{
    std::vector<std::string> names;
    for (const auto& c : module.named_children())
        names.push_back(c.name);
    return names;
}

std::string joined(const std::vector<std::string>& names)
{
    std::string list;
    for (const auto& n : names)
        list += (list.empty() ? "" : ", ") + n;
    return list.empty() ? "(none)" : list;
}

// One child's forward pass; the interpreter's exceptions become a senn::Error naming it.
c10::IValue runChild(const torch::jit::NameModule& child, const c10::IValue& in)
{
    try {
        torch::jit::Module m = child.value; // a handle: same module
        return m.forward({in});
    } catch (const c10::Error& e) {
        throw Error("the TorchScript model's child '" + child.name + "' failed: " +
                    std::string(e.what_without_backtrace()).substr(0, 300));
    } catch (const std::exception& e) { // interpreter errors are std::runtime_error
        std::string what = e.what();
        const auto pos = what.rfind("Error: ");
        throw Error("the TorchScript model's child '" + child.name + "' failed: " +
                    (pos == std::string::npos ? what : what.substr(pos + 7)).substr(0, 300));
    }
}

std::string notATensor(const std::string& child, const c10::IValue& v)
{
    return "the TorchScript model's child '" + child + "' returns a " + v.tagKind() +
           ", not a tensor; Ψ reads one tensor: choose another hidden layer";
}

} // namespace

FlintModel::HiddenFn torchScriptHidden(torch::jit::Module module, const std::string& childName)
{
    const auto names = childNames(module);
    if (std::find(names.begin(), names.end(), childName) == names.end())
        throw Error("the TorchScript model has no child module '" + childName +
                    "'; its children are: " + joined(names));
    return [module, childName](const torch::Tensor& xRaw) {
        // A private copy, as the TorchScript wrapper gives its model: a child that writes into
        // its input must not change the caller's rows.
        c10::IValue out = xRaw.clone();
        for (const auto& c : module.named_children()) {
            out = runChild(c, out);
            if (c.name == childName)
                break;
        }
        if (!out.isTensor())
            throw Error(notATensor(childName, out));
        return out.toTensor();
    };
}

std::vector<TorchScriptLayer> torchScriptLayers(torch::jit::Module module, const torch::Tensor& sample)
{
    torch::NoGradGuard noGrad;
    std::vector<TorchScriptLayer> layers;
    c10::IValue v = sample;
    std::string failure;
    for (const auto& c : module.named_children()) {
        TorchScriptLayer l;
        l.name = c.name;
        if (!failure.empty()) {
            l.problem = "not reached: an earlier child failed";
        } else {
            try {
                v = runChild(c, v);
                if (!v.isTensor()) {
                    l.problem = notATensor(c.name, v);
                } else {
                    const auto t = v.toTensor();
                    if (t.dim() >= 1 && t.size(0) == sample.size(0))
                        l.shape.assign(t.sizes().begin() + 1, t.sizes().end());
                    else
                        l.problem = "its output " + shapeString(t.sizes().vec()) + " has no row per sample";
                }
            } catch (const Error& e) {
                failure = l.problem = e.what();
            }
        }
        layers.push_back(l);
    }
    if (layers.empty())
        throw Error("the TorchScript model has no child modules, so there is no hidden layer to "
                    "choose; export it with its layers as attributes (e.g. an nn.Sequential)");
    std::vector<std::string> names;
    for (const auto& l : layers)
        names.push_back(l.name);
    const std::string notSequential =
        "the TorchScript model is not sequential: running its children (" + joined(names) +
        ") one after another does not give what its forward() gives, so their outputs are not "
        "its hidden layers. Export the model as an nn.Sequential";
    if (!failure.empty())
        throw Error(notSequential + " (" + failure + ")");
    c10::IValue full;
    try {
        full = module.forward({sample});
    } catch (const std::exception& e) {
        throw Error(std::string("the TorchScript model fails on one sample: ") + e.what());
    }
    if (!v.isTensor() || !full.isTensor() || v.toTensor().sizes() != full.toTensor().sizes() ||
        !torch::allclose(v.toTensor(), full.toTensor(), 1e-4, 1e-5))
        throw Error(notSequential);
    return layers;
}

FlintModel::HiddenFn predictorLayer(const std::shared_ptr<ModelImpl>& f, const std::string& name)
{
    if (!f)
        throw Error("post-hoc FLINT needs a predictor");
    if (name == "logits")
        return [f](const torch::Tensor& x) { return f->logits(x); };
    if (const auto* module = torchScriptModule(*f)) {
        if (name.empty() || name == "hidden")
            throw Error("post-hoc FLINT on a TorchScript model reads the child module you name; "
                        "its children are: " + joined(childNames(*module)));
        return torchScriptHidden(*module, name);
    }
    auto net = std::dynamic_pointer_cast<TorchModel>(f);
    if (net && !net->isSenn() && (name.empty() || name == "hidden"))
        return [net](const torch::Tensor& x) { return net->hiddenStd(net->standardize(x)); };
    throw Error("the predictor (" + toString(f->meta().config.kind) + ") has no layer '" + name +
                "' for FLINT to read; use 'hidden' (an MLP's or CNN's last hidden layer) or 'logits'");
}

} // namespace senn::models
