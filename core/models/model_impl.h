// Core-internal side of models::Model: the LibTorch network behind it. Explainers, metrics
// and the trainer work on these tensors; nothing outside core/ includes this header.
#pragma once
#include "core/models/model.h"
#include "core/torch_include.h"

namespace senn::models {

struct SennTensors {
    torch::Tensor logits; // [N, C]
    torch::Tensor theta;  // [N, k, C]
    torch::Tensor h;      // [N, k]
    torch::Tensor hStd;   // [N, k] concepts of the standardised input (same as h); kept for clarity
    torch::Tensor recon;  // [N, ...] decoder output in standardised space (learned concepts only)
    torch::Tensor xStd;   // the standardised input the net saw
};

// Abstract: SENN, MLP, CNN, FLINT and TorchScript models implement it. All functions take
// RAW inputs shaped [N, ...inputShape] (float32, on device()) and are differentiable with
// respect to them, so gradient explainers and penalties see the raw input space.
class ModelImpl {
public:
    explicit ModelImpl(ModelMeta meta) : m_meta(std::move(meta)) {}
    virtual ~ModelImpl() = default;

    const ModelMeta& meta() const { return m_meta; }
    ModelMeta& meta() { return m_meta; }

    virtual torch::Tensor logits(const torch::Tensor& xRaw) = 0;
    virtual bool isSenn() const { return false; }
    virtual SennTensors senn(const torch::Tensor& xRaw); // throws senn::Error unless SENN
    // Parameters the trainer optimises (empty for frozen / TorchScript models).
    virtual std::vector<torch::Tensor> parameters() { return {}; }
    virtual void setTraining(bool) {}
    virtual std::shared_ptr<ModelImpl> clone() const = 0;
    virtual std::string describe() const = 0;
    // Weights to / from a byte string (torch::serialize archives).
    virtual std::string saveWeights() const = 0;
    virtual void loadWeights(const std::string& bytes) = 0;

    torch::Device device() const { return m_device; }
    virtual void to(torch::Device d) { m_device = d; }

    // Standardise raw inputs with the stored standardizer (identity when none is stored).
    torch::Tensor standardize(const torch::Tensor& xRaw) const;

protected:
    ModelMeta m_meta;
    torch::Device m_device = torch::kCPU;
};

// Parameters of the network `meta` describes, from the metadata alone (nothing allocated), so a
// model file can be checked against what it stores before its network is built. *exact is false
// where only a lower bound is known (FLINT, whose predictor may live in another file). A double:
// a hostile file may describe more than int64 holds.
double parameterCountOf(const ModelMeta& meta, bool* exact = nullptr);
// Per kind, beside each network's constructor (senn_model.cpp, blackbox_models.cpp).
double sennParameterCount(const ModelMeta& meta);
double mlpParameterCount(const ModelMeta& meta);
double cnnParameterCount(const ModelMeta& meta);
namespace count {
inline double linear(double in, double out) { return in * out + out; }
inline double conv(double in, double out, double k) { return in * out * k * k + out; }
inline double mlp(const std::vector<int64_t>& sizes)
{
    double n = 0;
    for (size_t i = 0; i + 1 < sizes.size(); ++i)
        n += linear(double(sizes[i]), double(sizes[i + 1]));
    return n;
}
} // namespace count

// Raw float rows -> tensor [n, ...shape] on the model's device (copies).
torch::Tensor toTensor(const float* x, int64_t n, const std::vector<int64_t>& shape,
                       torch::Device device = torch::kCPU);
std::vector<float> toVector(const torch::Tensor& t); // contiguous CPU float copy

} // namespace senn::models
