// TorchScript files (.pt/.ts) as black boxes for the post-hoc explainers (cli.md "Models").
#include "core/models/torch_model.h"

#include "core/common/error.h"
#include "core/io/isolated_probe.h"

#include <sstream>

namespace senn::models {

namespace {
class TorchScriptModel : public ModelImpl {
public:
    TorchScriptModel(torch::jit::Module module, const ModelMeta& meta)
        : ModelImpl(meta), m_module(std::move(module))
    {
        m_meta.config.kind = ModelKind::TorchScript;
        m_meta.standardizer = {}; // TorchScript models take raw inputs as the loader gives them
        m_module.eval();
    }

    torch::Tensor logits(const torch::Tensor& xRaw) override
    {
        // The model gets a private copy of its input: the explainers hand in views of their
        // own buffers (perturbed rows, baselines), and a model that writes into its input
        // (x.add_(1), x.mul_(0) after computing) would otherwise change them under our feet.
        // A row copy costs little beside any forward pass.
        torch::Tensor x = xRaw.clone();
        const auto version = x._version();
        try {
            auto out = m_module.forward({x});
            if (!out.isTensor())
                throw Error(fileName() + " returned something other than a tensor of logits");
            torch::Tensor z = out.toTensor();
            checkOutput(z, xRaw.dim() > 0 ? xRaw.size(0) : 1);
            if (xRaw.requires_grad() && torch::GradMode::is_enabled()) {
                // Gradients through a model that overwrote its input are unreliable (autograd
                // may have saved the old values), and a detached output has none at all.
                if (x._version() != version)
                    throw Error(fileName() + " writes into its input tensor (an in-place operation "
                                "such as x.add_() or x.mul_()), so its gradients cannot be trusted. "
                                "Export it without in-place operations on the input, or use a "
                                "perturbation explainer (LIME, KernelSHAP, occlusion)");
                if (!z.requires_grad())
                    throw Error(fileName() + " returns logits detached from its input (no "
                                "gradient flows back), so gradient explainers cannot run on it. "
                                "Export it without detach()/no_grad, or use a perturbation "
                                "explainer (LIME, KernelSHAP, occlusion)");
            }
            return z;
        } catch (const Error&) {
            throw;
        } catch (const c10::Error& e) {
            throw Error(fileName() + " failed: " +
                        std::string(e.what_without_backtrace()).substr(0, 300));
        } catch (const std::exception& e) { // interpreter errors are std::runtime_error
            std::string what = e.what();
            const auto pos = what.rfind("Error: ");
            throw Error(fileName() + " failed: " +
                        (pos == std::string::npos ? what : what.substr(pos + 7)).substr(0, 300));
        }
    }

    std::string fileName() const { return "the TorchScript model " + m_meta.torchScriptPath; }

    // Every call's output: float32 logits [N, classes], all finite. A model that returns
    // integers, half precision or NaN/inf would otherwise give silent nonsense (or a LibTorch
    // type error without the file's name) downstream, where every reader expects float32.
    void checkOutput(const torch::Tensor& z, int64_t n) const
    {
        const std::string file = fileName();
        if (!z.defined())
            throw Error(file + " returns an undefined tensor; it must return float32 logits [N, classes]");
        if (z.scalar_type() != torch::kFloat32)
            throw Error(file + " returns " + std::string(c10::toString(z.scalar_type())) +
                        " values; it must return float32 logits [N, classes]. Export "
                        "it with a float output (e.g. return logits.float())");
        if (z.layout() != torch::kStrided)
            throw Error(file + " returns a " + (z.is_sparse() ? std::string("sparse") : std::string("non-dense")) +
                        " tensor; it must return dense float32 logits [N, classes]");
        const int64_t classes = static_cast<int64_t>(m_meta.classNames.size());
        if (z.dim() != 2 || z.size(0) != n || (classes > 0 && z.size(1) != classes))
            throw Error(file + " returns shape " + shapeString(z.sizes().vec()) + " for " +
                        std::to_string(n) + " inputs; expected [" + std::to_string(n) + ", " +
                        std::to_string(classes) + "] logits");
        const torch::Tensor bad = torch::isfinite(z.detach()).logical_not().any(1);
        if (bad.any().item<bool>()) {
            const int64_t row = bad.nonzero().flatten()[0].item<int64_t>();
            throw Error(file + " returns NaN or infinite logits for input row " +
                        std::to_string(row) + " of " + std::to_string(n) +
                        ". Check the model on that input; its output must be finite");
        }
    }

    std::shared_ptr<ModelImpl> clone() const override
    {
        return std::make_shared<TorchScriptModel>(m_module.clone(), m_meta);
    }

    std::string describe() const override
    {
        int64_t params = 0;
        for (const auto& p : m_module.parameters())
            params += p.numel();
        std::ostringstream s;
        s << "TorchScript black box (" << m_meta.torchScriptPath << "); " << params
          << " parameters; input " << shapeString(m_meta.inputShape) << " (raw values), "
          << m_meta.classNames.size() << " classes.";
        return s.str();
    }

    std::string saveWeights() const override
    {
        std::ostringstream out(std::ios::binary);
        m_module.save(out);
        return out.str();
    }

    // An archive handed back is read like a file from anywhere: through the one guarded load
    // (archive checks, the separate-process probe on two rows shaped like the inputs).
    void loadWeights(const std::string& bytes) override
    {
        std::vector<int64_t> shape{2};
        shape.insert(shape.end(), m_meta.inputShape.begin(), m_meta.inputShape.end());
        try {
            torch::jit::Module module = io::loadCheckedTorchScriptBytes(bytes, torch::zeros(shape));
            module.to(m_device);
            module.eval();
            m_module = std::move(module);
        } catch (const Error& e) {
            throw Error(fileName() + ": cannot restore it from the bytes given (" + e.what() + ")");
        }
    }

    void to(torch::Device d) override
    {
        m_module.to(d);
        ModelImpl::to(d);
    }

    const torch::jit::Module& module() const { return m_module; }

private:
    torch::jit::Module m_module;
};
} // namespace

const torch::jit::Module* torchScriptModule(const ModelImpl& model)
{
    const auto* ts = dynamic_cast<const TorchScriptModel*>(&model);
    return ts ? &ts->module() : nullptr;
}

std::shared_ptr<ModelImpl> createTorchScript(torch::jit::Module module, const ModelMeta& meta)
{
    return std::make_shared<TorchScriptModel>(std::move(module), meta);
}

} // namespace senn::models
