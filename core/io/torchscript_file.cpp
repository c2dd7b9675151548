// Opening a TorchScript black box (model_file.h's loadTorchScript): the archive checks and the
// separate-process probe, then trial calls that the model takes the data's shape, returns one
// float32 logit per class, and is a deterministic function of each row alone.
#include "core/io/model_file.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/io/isolated_probe.h"
#include "core/models/data_description.h"
#include "core/models/torch_model.h"

namespace senn::io {

namespace {

// The interpreter's message ends with the Python-style error line; the traceback before it
// is noise for a person.
std::string lastLine(const std::string& what)
{
    std::string s = what;
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    const auto nl = s.rfind('\n');
    return (nl == std::string::npos ? s : s.substr(nl + 1)).substr(0, 300);
}

// Rows for the trial calls: `n` rows of the data spread over it, or (too few rows, or none as
// for a post-hoc FLINT's predictor) values drawn from a private generator, so the global seed
// stays untouched. Distinct rows let a model that centres its batch show it.
torch::Tensor trialRows(const data::Dataset& data, int64_t n)
{
    std::vector<int64_t> shape{n};
    shape.insert(shape.end(), data.sampleShape.begin(), data.sampleShape.end());
    const int64_t d = data.featureCount();
    if (data.rows() >= n && int64_t(data.x.size()) >= data.rows() * d) {
        std::vector<float> rows(size_t(n * d));
        for (int64_t i = 0; i < n; ++i)
            std::copy_n(data.row(i * data.rows() / n), d, rows.begin() + i * d);
        return models::toTensor(rows.data(), n, data.sampleShape);
    }
    auto gen = at::make_generator<at::CPUGeneratorImpl>(20240611);
    return torch::rand(shape, gen, torch::kFloat32);
}

// Do a and b agree up to the rounding a batched matrix product may add? Relative to the
// largest logit, so a small logit beside large ones is not held to its own scale.
bool sameLogits(const torch::Tensor& aOut, const torch::Tensor& bOut)
{
    // Outputs of the wrong type or shape are the per-call checks' business (torch_model.h).
    if (!aOut.defined() || !bOut.defined() || aOut.layout() != torch::kStrided ||
        bOut.layout() != torch::kStrided || !aOut.is_floating_point() || !bOut.is_floating_point())
        return true;
    if (aOut.sizes() != bOut.sizes())
        return true;
    const torch::Tensor a = aOut.detach().to(torch::kDouble), b = bOut.detach().to(torch::kDouble);
    const double scale = std::max(a.abs().nan_to_num(0, 0, 0).max().item<double>(),
                                  b.abs().nan_to_num(0, 0, 0).max().item<double>());
    return torch::allclose(a, b, 1e-4, 1e-4 * scale + 1e-6, /*equal_nan=*/true);
}

} // namespace

models::Model loadTorchScript(const std::string& path, const data::Dataset& data)
{
    const char* hint = "A TorchScript model must be exported with torch.jit.trace/script from "
                       "PyTorch <= 1.13, take float32 inputs shaped like the data and return logits [N, classes]";
    // What to do when the archive itself cannot be read (the longer hint is for its behaviour).
    const char* exportHint = "Export it with torch.jit.trace/script from PyTorch 1.13 or older";
    files::requireRegularFile(path, "TorchScript file");
    torch::jit::Module module;
    // Trial forward pass on two rows shaped (and scaled) as the loader gives them.
    std::vector<int64_t> shape{2};
    shape.insert(shape.end(), data.sampleShape.begin(), data.sampleShape.end());
    const std::string expected = "[" + [&] {
        std::string s;
        for (size_t i = 0; i < shape.size(); ++i)
            s += (i ? ", " : "") + (i ? std::to_string(shape[i]) : std::string("N"));
        return s;
    }() + "] float32";
    torch::Tensor x = torch::zeros(shape, torch::kFloat32);
    if (data.rows() >= 2)
        x = models::toTensor(data.x.data(), 2, data.sampleShape);
    try {
        module = loadCheckedTorchScript(path, x); // the archive checks and the separate-process probe
    } catch (const Error& e) {
        throw Error::inFile(path, std::string("cannot load as TorchScript: ") + e.what(), exportHint);
    }
    models::ModelMeta meta;
    meta.config.kind = models::ModelKind::TorchScript;
    models::describeData(meta, data);
    meta.torchScriptPath = path;
    auto impl = models::createTorchScript(module, meta);

    torch::NoGradGuard noGrad;
    const auto run = [&](const torch::Tensor& in, const std::string& shaped) {
        try {
            auto out = module.forward({in.clone()}); // a model may write into its input
            if (!out.isTensor())
                throw Error::inFile(path, "the model's forward() does not return a tensor", hint);
            return out.toTensor();
        } catch (const Error&) {
            throw;
        } catch (const c10::Error& e) {
            throw Error::inFile(path, "the model fails on input shaped " + shaped + " (" +
                                          std::string(e.what_without_backtrace()).substr(0, 300) + ")",
                                hint);
        } catch (const std::exception& e) { // the TorchScript interpreter throws std::runtime_error
            throw Error::inFile(path, "the model fails on input shaped " + shaped + " (" +
                                          lastLine(e.what()) + ")",
                                hint);
        }
    };
    const torch::Tensor z = run(x, expected);
    if (z.scalar_type() != torch::kFloat32 || z.layout() != torch::kStrided)
        throw Error::inFile(path, "the model returns " + std::string(c10::toString(z.scalar_type())) +
                                      (z.layout() != torch::kStrided ? " sparse" : "") +
                                      " values; expected float32 logits (e.g. return logits.float())", hint);
    const int64_t classes = data.numClasses();
    if (z.dim() != 2 || z.size(0) != 2 || z.size(1) != classes)
        throw Error::inFile(path, "the model returns shape " + models::shapeString(z.sizes().vec()) +
                                      " for 2 inputs shaped " + expected + "; expected [2, " +
                                      std::to_string(classes) + "] logits (the data has " +
                                      std::to_string(classes) + " classes)",
                            hint);

    // Every explainer assumes f(x) is a function of x alone. A model that draws random numbers
    // (dropout left on, torch.rand) or uses its batch's statistics (batch norm in training mode,
    // x - x.mean(0)) would be explained as if it were one, giving confident nonsense.
    const torch::Tensor rows = trialRows(data, 4);
    const torch::Tensor once = run(rows, expected);
    const torch::Tensor again = run(rows, expected);
    if (!sameLogits(once, again))
        throw Error::inFile(path, "the model gives different outputs for the same input: it is random "
                                  "(dropout left on, or torch.rand in forward?)",
                            "Export it in eval mode without random operations");
    const torch::Tensor alone = run(rows.slice(0, 0, 1), "[1" + expected.substr(2));
    if (!sameLogits(alone, once.slice(0, 0, 1)))
        throw Error::inFile(path, "a row's output depends on the other rows of its batch (batch "
                                  "statistics, e.g. batch norm in training mode or x - x.mean(0)?)",
                            "Export it in eval mode, with statistics fixed at training time");
    return models::Model(impl);
}

} // namespace senn::io
