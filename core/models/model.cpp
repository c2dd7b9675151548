#include "core/models/model.h"

#include "core/common/error.h"
#include "core/models/model_impl.h"
#include "core/models/shape.h"

#include <sstream>

namespace senn::models {

namespace {
ModelImpl& need(const std::shared_ptr<ModelImpl>& impl)
{
    if (!impl)
        throw Error("no model: train one or open a model file first");
    return *impl;
}
} // namespace

// ---- Model (pimpl facade) ------------------------------------------------------------

Model::Model() = default;
Model::Model(std::shared_ptr<ModelImpl> impl) : m_impl(std::move(impl)) {}

const ModelMeta& Model::meta() const { return need(m_impl).meta(); }
ModelMeta& Model::meta() { return need(m_impl).meta(); }
int64_t Model::numClasses() const { return static_cast<int64_t>(meta().classNames.size()); }
std::vector<int64_t> Model::inputShape() const { return meta().inputShape; }
int64_t Model::featureCount() const { return shapeProduct(meta().inputShape); }
bool Model::isSenn() const { return m_impl && m_impl->isSenn(); }
std::string Model::describe() const { return need(m_impl).describe(); }

std::vector<float> Model::logits(const float* xRaw, int64_t n) const
{
    auto& impl = need(m_impl);
    torch::NoGradGuard noGrad;
    impl.setTraining(false);
    return toVector(impl.logits(toTensor(xRaw, n, impl.meta().inputShape, impl.device())));
}

std::vector<float> Model::probabilities(const float* xRaw, int64_t n) const
{
    auto& impl = need(m_impl);
    torch::NoGradGuard noGrad;
    impl.setTraining(false);
    auto z = impl.logits(toTensor(xRaw, n, impl.meta().inputShape, impl.device()));
    return toVector(torch::softmax(z, 1));
}

std::vector<int64_t> Model::predict(const float* xRaw, int64_t n) const
{
    auto& impl = need(m_impl);
    torch::NoGradGuard noGrad;
    impl.setTraining(false);
    auto z = impl.logits(toTensor(xRaw, n, impl.meta().inputShape, impl.device()));
    auto idx = z.argmax(1).to(torch::kCPU).contiguous();
    return std::vector<int64_t>(idx.data_ptr<int64_t>(), idx.data_ptr<int64_t>() + idx.numel());
}

std::vector<SennOutput> Model::senn(const float* xRaw, int64_t n) const
{
    auto& impl = need(m_impl);
    if (!impl.isSenn())
        throw Error("this model is not a SENN: it has no concepts or relevances to show");
    torch::NoGradGuard noGrad;
    impl.setTraining(false);
    auto out = impl.senn(toTensor(xRaw, n, impl.meta().inputShape, impl.device()));
    auto theta = out.theta.to(torch::kCPU).contiguous();
    auto h = out.h.to(torch::kCPU).contiguous();
    auto z = out.logits.to(torch::kCPU).contiguous();
    const int64_t k = theta.size(1), c = theta.size(2);
    std::vector<SennOutput> result(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        auto& r = result[static_cast<size_t>(i)];
        r.k = k;
        r.classes = c;
        r.theta = toVector(theta[i]);
        r.h = toVector(h[i]);
        r.logits = toVector(z[i]);
    }
    return result;
}

Model Model::clone() const
{
    return Model(need(m_impl).clone());
}

// ---- ModelImpl defaults --------------------------------------------------------------

SennTensors ModelImpl::senn(const torch::Tensor&)
{
    throw Error("this model is not a SENN: it has no concepts or relevances to show");
}

torch::Tensor ModelImpl::standardize(const torch::Tensor& xRaw) const
{
    const auto& st = m_meta.standardizer;
    if (st.mean.empty())
        return xRaw;
    const auto& shape = m_meta.inputShape;
    auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(xRaw.device());
    torch::Tensor mean = torch::tensor(st.mean, opts);
    torch::Tensor sd = torch::tensor(st.std, opts);
    if (st.perChannel && shape.size() == 3) {
        mean = mean.view({1, -1, 1, 1});
        sd = sd.view({1, -1, 1, 1});
    } else {
        std::vector<int64_t> view{1};
        view.insert(view.end(), shape.begin(), shape.end());
        mean = mean.view(view);
        sd = sd.view(view);
    }
    return (xRaw - mean) / sd;
}

double parameterCountOf(const ModelMeta& meta, bool* exact)
{
    if (exact)
        *exact = true;
    switch (meta.config.kind) {
    case ModelKind::Senn: return sennParameterCount(meta);
    case ModelKind::Mlp: return mlpParameterCount(meta);
    case ModelKind::Cnn: return cnnParameterCount(meta);
    case ModelKind::TorchScript: return 0;
    case ModelKind::Flint: break;
    }
    // FLINT (flint_net.cpp): a lower bound from the layers whose size the input sets, enough
    // to stop a small file describing a huge network. Joint: the predictor's first dense layer
    // (rows: d -> 64; images: 32·(H/2)·(W/2) -> 128); both: the rows' decoder (64 -> d).
    if (exact)
        *exact = false;
    const auto& s = meta.inputShape;
    const bool image = s.size() == 3;
    const double d = double(shapeProduct(s));
    double n = image ? 0.0 : count::linear(64, d);
    if (meta.flintPredictor.empty())
        n += image ? count::linear(32.0 * double(s[1] / 2) * double(s[2] / 2), 128) : count::linear(d, 64);
    return n;
}

torch::Tensor toTensor(const float* x, int64_t n, const std::vector<int64_t>& shape,
                       torch::Device device)
{
    std::vector<int64_t> full{n};
    full.insert(full.end(), shape.begin(), shape.end());
    auto t = torch::from_blob(const_cast<float*>(x), full, torch::kFloat32).clone();
    return device.is_cpu() ? t : t.to(device);
}

std::vector<float> toVector(const torch::Tensor& t)
{
    auto c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

} // namespace senn::models
