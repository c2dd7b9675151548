// SENN (senn.md): conceptizer h, parametrizer θ, sum aggregator, on standardised inputs.
#include "core/models/torch_model.h"

#include "core/common/error.h"

#include <algorithm>
#include <sstream>

namespace senn::models {

namespace {
namespace nn = torch::nn;
namespace F = torch::nn::functional;

// Encoder Conv(c->10,5) -> MaxPool2 -> ReLU -> Conv(10->k,5) -> MaxPool2 -> ReLU, then one
// shared Linear(side² -> 1) per channel: k scalar concepts.
struct ImageEncoder : nn::Module {
    ImageEncoder(int64_t c, int64_t k, int64_t cells)
        : conv1(register_module("conv1", nn::Conv2d(nn::Conv2dOptions(c, 10, 5)))),
          conv2(register_module("conv2", nn::Conv2d(nn::Conv2dOptions(10, k, 5)))),
          fc(register_module("fc", nn::Linear(cells, 1)))
    {
    }
    torch::Tensor forward(torch::Tensor x)
    {
        x = torch::relu(maxPool2x2(conv1->forward(x)));
        x = torch::relu(maxPool2x2(conv2->forward(x)));
        return fc->forward(x.flatten(2)).squeeze(2);
    }
    nn::Conv2d conv1, conv2;
    nn::Linear fc;
};

// Mirror of ImageEncoder. Ends with no squashing: standardised pixels span about [-0.4, 2.8].
struct ImageDecoder : nn::Module {
    ImageDecoder(int64_t c, int64_t k, int64_t sh, int64_t sw, int64_t outH, int64_t outW)
        : fc(register_module("fc", nn::Linear(1, sh * sw))),
          d1(register_module("d1", nn::ConvTranspose2d(nn::ConvTranspose2dOptions(k, 16, 5).stride(2)))),
          d2(register_module("d2", nn::ConvTranspose2d(nn::ConvTranspose2dOptions(16, 8, 5)))),
          d3(register_module("d3", nn::ConvTranspose2d(
                                       nn::ConvTranspose2dOptions(8, c, 2).stride(2).padding(1)))),
          m_k(k), m_sh(sh), m_sw(sw), m_outH(outH), m_outW(outW)
    {
    }
    torch::Tensor forward(const torch::Tensor& h)
    {
        auto x = fc->forward(h.unsqueeze(2)).view({-1, m_k, m_sh, m_sw});
        x = torch::relu(d1->forward(x));
        x = torch::relu(d2->forward(x));
        x = d3->forward(x);
        if (x.size(2) != m_outH || x.size(3) != m_outW) // sizes other than 28x28
            x = F::interpolate(x, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{m_outH, m_outW})
                                      .mode(torch::kBilinear)
                                      .align_corners(false));
        return x;
    }
    nn::Linear fc;
    nn::ConvTranspose2d d1, d2, d3;
    int64_t m_k, m_sh, m_sw, m_outH, m_outW;
};

// Conv(c->10,5) -> MaxPool2 -> ReLU -> Conv(10->20,5) -> Dropout2d(0.5) -> MaxPool2 -> ReLU ->
// Linear(-> k*C) -> tanh. No dropout on θ itself (the reference's bug 4).
struct ImageParametrizer : nn::Module {
    ImageParametrizer(int64_t c, int64_t cells, int64_t k, int64_t classes)
        : conv1(register_module("conv1", nn::Conv2d(nn::Conv2dOptions(c, 10, 5)))),
          conv2(register_module("conv2", nn::Conv2d(nn::Conv2dOptions(10, 20, 5)))),
          drop(register_module("drop", nn::Dropout2d(0.5))),
          fc(register_module("fc", nn::Linear(20 * cells, k * classes))), m_k(k), m_c(classes)
    {
    }
    torch::Tensor forward(torch::Tensor x)
    {
        x = torch::relu(maxPool2x2(conv1->forward(x)));
        x = torch::relu(maxPool2x2(drop->forward(conv2->forward(x))));
        return tanhActivation(fc->forward(x.flatten(1))).view({-1, m_k, m_c});
    }
    nn::Conv2d conv1, conv2;
    nn::Dropout2d drop;
    nn::Linear fc;
    int64_t m_k, m_c;
};

// The tabular parametrizer's layer sizes. Empty hidden sizes (older files): the
// reference's UCI parametrizer (d/2, 10, 5). New tabular models get (64, 32) from
// ModelConfig::defaultsFor, which with θ started at the logistic regression's weights matched
// it over five seeds on five tables (tests/bench/accuracy_table.sh).
std::vector<int64_t> parametrizerSizes(const ModelConfig& cfg, int64_t d, int64_t k, int64_t classes)
{
    std::vector<int64_t> sizes{d};
    std::vector<int64_t> hidden(cfg.hidden.begin(), cfg.hidden.end());
    if (hidden.empty())
        hidden = {std::max<int64_t>(d / 2, 10), 10, 5};
    sizes.insert(sizes.end(), hidden.begin(), hidden.end());
    sizes.push_back(k * classes);
    return sizes;
}

struct SennNet : nn::Module {
    std::shared_ptr<ImageEncoder> imageEncoder;
    std::shared_ptr<ImageDecoder> imageDecoder;
    std::shared_ptr<MlpNet> mlpEncoder, mlpDecoder, mlpParametrizer;
    std::shared_ptr<ImageParametrizer> imageParametrizer;
    bool identity = true, bias = false;
    int64_t k = 0, classes = 0;
    std::vector<int64_t> inputShape;
};

class SennModel : public TorchModel {
public:
    explicit SennModel(const ModelMeta& meta) : TorchModel(meta)
    {
        m_net = std::make_shared<SennNet>();
        auto& n = *m_net;
        const auto& cfg = meta.config;
        const auto& shape = meta.inputShape;
        const int64_t d = shapeProduct(shape);
        n.inputShape = shape;
        n.classes = static_cast<int64_t>(meta.classNames.size());
        n.identity = cfg.concepts == ConceptKind::Identity;
        n.bias = n.identity && cfg.biasConcept;
        n.k = n.identity ? d + (n.bias ? 1 : 0) : cfg.k;
        if (n.k < 1)
            throw Error("a SENN needs at least one concept (-k)");
        m_meta.config.k = static_cast<int>(n.k);

        const bool image = shape.size() == 3;
        const int64_t sh = image ? lenetSide(shape[1]) : 0, sw = image ? lenetSide(shape[2]) : 0;
        m_conv = image && sh >= 1 && sw >= 1; // tiny images fall back to the MLP networks
        if (m_conv)
            n.imageParametrizer = n.register_module(
                "parametrizer", std::make_shared<ImageParametrizer>(shape[0], sh * sw, n.k, n.classes));
        else {
            n.mlpParametrizer = n.register_module(
                "parametrizer", std::make_shared<MlpNet>(parametrizerSizes(cfg, d, n.k, n.classes), true));
        }
        if (!n.identity) {
            if (m_conv) {
                n.imageEncoder = n.register_module(
                    "encoder", std::make_shared<ImageEncoder>(shape[0], n.k, sh * sw));
                n.imageDecoder = n.register_module(
                    "decoder", std::make_shared<ImageDecoder>(shape[0], n.k, sh, sw, shape[1], shape[2]));
            } else {
                n.mlpEncoder = n.register_module(
                    "encoder", std::make_shared<MlpNet>(std::vector<int64_t>{d, 64, 32, n.k}, false));
                n.mlpDecoder = n.register_module(
                    "decoder", std::make_shared<MlpNet>(std::vector<int64_t>{n.k, 32, 64, d}, false));
            }
        }
    }

    bool isSenn() const override { return true; }

    bool warmStartLinear(const torch::Tensor& w, const torch::Tensor&) override
    {
        auto& n = *m_net;
        if (!n.identity || m_conv || !n.mlpParametrizer || w.dim() != 2 || w.size(0) != n.k ||
            w.size(1) != n.classes)
            return false;
        torch::NoGradGuard noGrad;
        auto& last = n.mlpParametrizer->layers.back();
        last->weight.zero_();
        last->bias.copy_(w.reshape({-1}).to(last->bias.options()));
        return true;
    }

    // Logits alone skip the decoder: explainers and metrics evaluate the class scores only, and
    // on MNIST's convolutional autoencoder the reconstruction was part of every forward they paid for.
    torch::Tensor logitsStd(const torch::Tensor& xStd) override { return sennForward(xStd, false).logits; }

    SennTensors sennForward(const torch::Tensor& xStd, bool reconstruct) override
    {
        auto& n = *m_net;
        SennTensors out;
        out.xStd = xStd;
        if (n.identity) {
            out.h = xStd.flatten(1);
            if (n.bias)
                out.h = torch::cat({out.h, torch::ones({xStd.size(0), 1}, xStd.options())}, 1);
        } else {
            out.h = m_conv ? n.imageEncoder->forward(xStd) : n.mlpEncoder->forward(xStd);
            if (reconstruct) {
                auto r = m_conv ? n.imageDecoder->forward(out.h) : n.mlpDecoder->forward(out.h);
                out.recon = r.view(xStd.sizes());
            }
        }
        out.hStd = out.h;
        out.theta = m_conv ? n.imageParametrizer->forward(xStd)
                           : n.mlpParametrizer->forward(xStd).view({-1, n.k, n.classes});
        // Sum aggregator: z_c = Σ_i θ_ic h_i.
        out.logits = sumAggregate(out.h, out.theta);
        return out;
    }

    std::string describe() const override
    {
        const auto& n = *m_net;
        std::ostringstream s;
        s << "SENN with " << n.k << " concepts. Conceptizer: ";
        if (n.identity)
            s << "identity (h(x) = x" << (n.bias ? ", plus a constant bias concept" : "") << ")";
        else if (m_conv)
            s << "convolutional autoencoder (conv 10, conv " << n.k
              << ", shared linear per concept; mirrored transposed-conv decoder)";
        else
            s << "MLP autoencoder (64-32-" << n.k << ", mirrored decoder)";
        s << ". Parametrizer: ";
        if (m_conv)
            s << "CNN (conv 10, conv 20, dropout2d, linear to " << n.k << "x" << n.classes << ", tanh)";
        else {
            s << "MLP (";
            const auto& layers = n.mlpParametrizer->layers;
            for (size_t i = 0; i < layers.size(); ++i)
                s << (i ? "-" : "") << layers[i]->options.in_features();
            s << "-" << n.k * n.classes << ", tanh between layers)";
        }
        s << ". Aggregator: sum. " << describeTail() << ".";
        return s.str();
    }

protected:
    torch::nn::Module& module() override { return *m_net; }
    const torch::nn::Module& module() const override { return *m_net; }

private:
    std::shared_ptr<SennNet> m_net;
    bool m_conv = false;
};
} // namespace

// Mirrors SennModel's constructor; tests/test_hostile_models.cpp compares it with the built
// networks.
double sennParameterCount(const ModelMeta& meta)
{
    using namespace count;
    const auto& cfg = meta.config;
    const auto& shape = meta.inputShape;
    const int64_t d = shapeProduct(shape);
    const int64_t classes = static_cast<int64_t>(meta.classNames.size());
    const bool identity = cfg.concepts == ConceptKind::Identity;
    const int64_t k = identity ? d + (cfg.biasConcept ? 1 : 0) : cfg.k;
    const bool image = shape.size() == 3;
    const int64_t sh = image ? lenetSide(shape[1]) : 0, sw = image ? lenetSide(shape[2]) : 0;
    const bool conv2d = image && sh >= 1 && sw >= 1;
    const double c = image ? double(shape[0]) : 0, cells = double(sh) * double(sw);
    double n = conv2d ? conv(c, 10, 5) + conv(10, 20, 5) + linear(20 * cells, double(k) * double(classes))
                      : mlp(parametrizerSizes(cfg, d, k, classes));
    if (!identity) {
        if (conv2d)
            n += conv(c, 10, 5) + conv(10, double(k), 5) + linear(cells, 1) // encoder
                 + linear(1, cells) + conv(double(k), 16, 5) + conv(16, 8, 5) + conv(8, c, 2); // decoder
        else
            n += mlp({d, 64, 32, k}) + mlp({k, 32, 64, d});
    }
    return n;
}

std::shared_ptr<TorchModel> createSenn(const ModelMeta& meta)
{
    return std::make_shared<SennModel>(meta);
}

} // namespace senn::models
