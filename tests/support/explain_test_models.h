// Tiny models with known explanations for the explainer and metric tests: linear, additive in
// probability, symmetric in two features, a SENN with constant θ and a quadratic logit. Built
// from torch ops so autograd (and double backprop) works, independent of the trainer.
#pragma once
#include "core/torch_include.h"

#include <ATen/CPUGeneratorImpl.h>

#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/explain/explanation.h"
#include "core/models/model_impl.h"

#include <cmath>
#include <functional>
#include <memory>
#include <random>

namespace senn::testing {

inline models::ModelMeta tabularMeta(int64_t d, int64_t classes, models::ModelKind kind = models::ModelKind::Mlp)
{
    models::ModelMeta m;
    m.config.kind = kind;
    m.dataKind = data::DataKind::Tabular;
    m.inputShape = {d};
    for (int64_t c = 0; c < classes; ++c)
        m.classNames.push_back("class " + std::to_string(c));
    for (int64_t j = 0; j < d; ++j)
        m.featureNames.push_back("f" + std::to_string(j));
    return m;
}

// Logits computed by a function of the raw input; everything else is boilerplate.
class FunctionModel : public models::ModelImpl {
public:
    using Fn = std::function<torch::Tensor(const torch::Tensor&)>;
    FunctionModel(models::ModelMeta meta, Fn fn) : ModelImpl(std::move(meta)), m_fn(std::move(fn)) {}
    torch::Tensor logits(const torch::Tensor& x) override { return m_fn(x.reshape({x.size(0), -1})); }
    std::shared_ptr<ModelImpl> clone() const override { return std::make_shared<FunctionModel>(m_meta, m_fn); }
    std::string describe() const override { return "test function model"; }
    std::string saveWeights() const override { return {}; }
    void loadWeights(const std::string&) override {}

private:
    Fn m_fn;
};

// z = W x + b, C outputs.
inline models::Model linearModel(const torch::Tensor& W, const torch::Tensor& b)
{
    auto meta = tabularMeta(W.size(1), W.size(0));
    return models::Model(std::make_shared<FunctionModel>(meta, [W, b](const torch::Tensor& x) {
        return torch::matmul(x, W.t()) + b;
    }));
}

// Two classes with logits [0, wᵀx + c]: p(class 1) = sigmoid(wᵀx + c), logit 1 is linear.
inline models::Model logitLinearModel(const torch::Tensor& w, double c)
{
    auto meta = tabularMeta(w.size(0), 2);
    return models::Model(std::make_shared<FunctionModel>(meta, [w, c](const torch::Tensor& x) {
        auto z = torch::matmul(x, w) + c;
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
}

// p(class 1) = 0.5 + 0.4/d Σ_j tanh(a_j x_j): additive in probability (logits [0, logit(p)]).
inline models::Model additiveProbabilityModel(const torch::Tensor& a)
{
    auto meta = tabularMeta(a.size(0), 2);
    const double scale = 0.4 / double(a.size(0));
    return models::Model(std::make_shared<FunctionModel>(meta, [a, scale](const torch::Tensor& x) {
        auto p = 0.5 + scale * torch::tanh(x * a).sum(1);
        auto z = torch::log(p) - torch::log1p(-p);
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
}

inline double additiveProbabilityTerm(double a, double x, int64_t d) { return 0.4 / double(d) * std::tanh(a * x); }

// Symmetric in features 0 and 1 (and nonlinear): z1 = tanh(x0 x1 + x0 + x1) + 0.5 x2 - 0.3 x3.
inline models::Model symmetricModel()
{
    auto meta = tabularMeta(4, 2);
    return models::Model(std::make_shared<FunctionModel>(meta, [](const torch::Tensor& x) {
        auto x0 = x.select(1, 0), x1 = x.select(1, 1);
        auto z = torch::tanh(x0 * x1 + x0 + x1) + 0.5 * x.select(1, 2) - 0.3 * x.select(1, 3);
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
}

// z1 = ½ xᵀ A x: the saliency map is A x, so its Lipschitz constant is the spectral norm of A.
inline models::Model quadraticModel(const torch::Tensor& A)
{
    auto meta = tabularMeta(A.size(0), 2);
    return models::Model(std::make_shared<FunctionModel>(meta, [A](const torch::Tensor& x) {
        auto z = 0.5 * (torch::matmul(x, A) * x).sum(1);
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
}

// SENN with identity concepts h = x and a constant parametrizer θ [d, C].
class ConstantThetaSenn : public models::ModelImpl {
public:
    ConstantThetaSenn(models::ModelMeta meta, torch::Tensor theta)
        : ModelImpl(std::move(meta)), m_theta(std::move(theta)) {}
    bool isSenn() const override { return true; }
    models::SennTensors senn(const torch::Tensor& x) override
    {
        models::SennTensors t;
        t.xStd = x;
        t.h = x.reshape({x.size(0), -1});
        t.hStd = t.h;
        t.theta = m_theta.unsqueeze(0).expand({x.size(0), m_theta.size(0), m_theta.size(1)}) + 0 * t.h.unsqueeze(2);
        t.logits = (t.theta * t.h.unsqueeze(2)).sum(1);
        return t;
    }
    torch::Tensor logits(const torch::Tensor& x) override { return senn(x).logits; }
    std::shared_ptr<ModelImpl> clone() const override { return std::make_shared<ConstantThetaSenn>(m_meta, m_theta); }
    std::string describe() const override { return "SENN with constant theta"; }
    std::string saveWeights() const override { return {}; }
    void loadWeights(const std::string&) override {}

private:
    torch::Tensor m_theta;
};

inline models::Model constantThetaSenn(const torch::Tensor& theta)
{
    auto meta = tabularMeta(theta.size(0), theta.size(1), models::ModelKind::Senn);
    meta.config.concepts = models::ConceptKind::Identity;
    return models::Model(std::make_shared<ConstantThetaSenn>(meta, theta));
}

// n rows of d Gaussian features, column j ~ N(mean_j, sd_j); the first 80% are training rows.
struct TabularFixture {
    data::Dataset data;
    data::Split split;
    explain::ExplainContext ctx;
};

inline std::unique_ptr<TabularFixture> makeTabular(int64_t n, int64_t d, uint64_t seed,
                                                   std::vector<double> means = {},
                                                   std::vector<double> sds = {})
{
    auto f = std::make_unique<TabularFixture>();
    f->data.kind = data::DataKind::Tabular;
    f->data.sampleShape = {d};
    f->data.classNames = {"class 0", "class 1"};
    for (int64_t j = 0; j < d; ++j)
        f->data.featureNames.push_back("f" + std::to_string(j));
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> nd(0.0, 1.0);
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t j = 0; j < d; ++j) {
            const double m = means.empty() ? 0.0 : means[size_t(j)];
            const double s = sds.empty() ? 1.0 : sds[size_t(j)];
            f->data.x.push_back(float(m + s * nd(rng)));
        }
        f->data.y.push_back(i % 2);
    }
    const int64_t nTrain = n * 8 / 10;
    for (int64_t i = 0; i < n; ++i)
        (i < nTrain ? f->split.train : f->split.test).push_back(i);
    f->ctx = explain::ExplainContext::make(f->data, f->split);
    return f;
}

inline std::vector<float> toStd(const torch::Tensor& t)
{
    auto c = t.to(torch::kFloat32).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

} // namespace senn::testing
