// The black-box baselines the post-hoc explainers are compared on: a plain MLP (tabular or
// flattened images) and a small LeNet-like CNN (images).
#include "core/models/torch_model.h"

#include "core/common/error.h"
#include "core/common/remedy.h"

#include <sstream>

namespace senn::models {

namespace {
namespace nn = torch::nn;
namespace F = torch::nn::functional;

std::vector<int64_t> mlpSizes(const ModelMeta& meta)
{
    const bool image = meta.inputShape.size() == 3;
    std::vector<int64_t> hidden(meta.config.hidden.begin(), meta.config.hidden.end());
    if (hidden.empty())
        hidden = image ? std::vector<int64_t>{128, 64} : std::vector<int64_t>{64, 32};
    std::vector<int64_t> sizes{shapeProduct(meta.inputShape)};
    sizes.insert(sizes.end(), hidden.begin(), hidden.end());
    sizes.push_back(static_cast<int64_t>(meta.classNames.size()));
    return sizes;
}

class MlpModel : public TorchModel {
public:
    explicit MlpModel(const ModelMeta& meta) : TorchModel(meta)
    {
        m_sizes = mlpSizes(meta);
        m_net = std::make_shared<MlpNet>(m_sizes, false);
        if (meta.config.linearSkip)
            m_skip = m_net->register_module("skip", nn::Linear(m_sizes.front(), m_sizes.back()));
    }
    torch::Tensor logitsStd(const torch::Tensor& xStd) override
    {
        auto z = m_net->forward(xStd);
        return m_skip ? z + m_skip->forward(xStd.flatten(1)) : z;
    }
    torch::Tensor hiddenStd(const torch::Tensor& xStd) override { return m_net->penultimate(xStd); }
    bool warmStartLinear(const torch::Tensor& w, const torch::Tensor& b) override
    {
        if (!m_skip || w.dim() != 2 || w.size(0) != m_sizes.front() || w.size(1) != m_sizes.back() ||
            b.numel() != m_sizes.back())
            return false;
        torch::NoGradGuard noGrad;
        m_skip->weight.copy_(w.t().to(m_skip->weight.options()));
        m_skip->bias.copy_(b.reshape({-1}).to(m_skip->bias.options()));
        m_net->layers.back()->weight.zero_();
        m_net->layers.back()->bias.zero_();
        return true;
    }
    std::string describe() const override
    {
        std::ostringstream s;
        s << "MLP ";
        for (size_t i = 0; i < m_sizes.size(); ++i)
            s << (i ? "-" : "") << m_sizes[i];
        s << " with ReLU";
        if (m_skip)
            s << ", plus a linear layer from the input to the logits (started at the logistic regression)";
        if (m_meta.train.l2 > 0) // the model card says how it was regularised
            s << "; weights L2-penalised as a logistic regression with C = " << 1.0 / m_meta.train.l2;
        s << ". " << describeTail() << ".";
        return s.str();
    }

protected:
    torch::nn::Module& module() override { return *m_net; }
    const torch::nn::Module& module() const override { return *m_net; }

private:
    std::vector<int64_t> m_sizes;
    std::shared_ptr<MlpNet> m_net;
    nn::Linear m_skip{nullptr};
};

// conv(c->16,5,pad 2) -> ReLU -> pool2 -> conv(16->32,5,pad 2) -> ReLU -> pool2 -> 128 -> C.
struct CnnNet : nn::Module {
    CnnNet(int64_t c, int64_t h, int64_t w, int64_t classes)
        : conv1(register_module("conv1", nn::Conv2d(nn::Conv2dOptions(c, 16, 5).padding(2)))),
          conv2(register_module("conv2", nn::Conv2d(nn::Conv2dOptions(16, 32, 5).padding(2)))),
          fc1(register_module("fc1", nn::Linear(32 * (h / 4) * (w / 4), 128))),
          fc2(register_module("fc2", nn::Linear(128, classes)))
    {
    }
    torch::Tensor forward(torch::Tensor x) { return fc2->forward(penultimate(x)); }
    torch::Tensor penultimate(torch::Tensor x)
    {
        x = maxPool2x2(torch::relu(conv1->forward(x)));
        x = maxPool2x2(torch::relu(conv2->forward(x)));
        return torch::relu(fc1->forward(x.flatten(1)));
    }
    nn::Conv2d conv1, conv2;
    nn::Linear fc1, fc2;
};

class CnnModel : public TorchModel {
public:
    explicit CnnModel(const ModelMeta& meta) : TorchModel(meta)
    {
        const auto& s = meta.inputShape;
        if (s.size() != 3)
            throw ErrorWithRemedy("the CNN needs image data (channels x height x width); this data "
                                  "is tabular: choose an MLP or a SENN",
                                  Remedy::TabularModel);
        if (s[1] < 4 || s[2] < 4)
            throw Error("the CNN needs images of at least 4x4 pixels; these are " + shapeString(s));
        m_net = std::make_shared<CnnNet>(s[0], s[1], s[2], static_cast<int64_t>(meta.classNames.size()));
    }
    torch::Tensor logitsStd(const torch::Tensor& xStd) override { return m_net->forward(xStd); }
    torch::Tensor hiddenStd(const torch::Tensor& xStd) override { return m_net->penultimate(xStd); }
    std::string describe() const override
    {
        return "CNN: conv 16 (5x5) - pool - conv 32 (5x5) - pool - linear 128 - linear " +
               std::to_string(m_meta.classNames.size()) + ", ReLU. " + describeTail() + ".";
    }

protected:
    torch::nn::Module& module() override { return *m_net; }
    const torch::nn::Module& module() const override { return *m_net; }

private:
    std::shared_ptr<CnnNet> m_net;
};
} // namespace

// Both mirror the constructors above; tests/test_hostile_models.cpp compares them with the
// built networks.
double mlpParameterCount(const ModelMeta& meta)
{
    const auto sizes = mlpSizes(meta);
    return count::mlp(sizes) +
           (meta.config.linearSkip ? count::linear(double(sizes.front()), double(sizes.back())) : 0.0);
}

double cnnParameterCount(const ModelMeta& meta)
{
    using namespace count;
    const auto& s = meta.inputShape;
    if (s.size() != 3)
        return 0; // the constructor refuses it
    const double classes = double(meta.classNames.size());
    return conv(double(s[0]), 16, 5) + conv(16, 32, 5) + linear(32.0 * double(s[1] / 4) * double(s[2] / 4), 128) +
           linear(128, classes);
}

std::shared_ptr<TorchModel> createMlp(const ModelMeta& meta)
{
    return std::make_shared<MlpModel>(meta);
}

std::shared_ptr<TorchModel> createCnn(const ModelMeta& meta)
{
    return std::make_shared<CnnModel>(meta);
}

} // namespace senn::models
