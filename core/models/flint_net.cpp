// FLINT's network (flint_net.h): its own predictor f or a frozen foreign one, the attribute
// network Ψ, the interpreter g and the decoder d, and the weights they save and load. The
// layers of a foreign predictor that Ψ may read are in flint_predictor_layers.cpp.
#include "core/models/flint_net.h"

#include "core/common/error.h"
#include "core/models/torch_model.h"

#include <algorithm>
#include <sstream>

namespace senn::models {

namespace nn = torch::nn;

namespace {

bool isImageShape(const std::vector<int64_t>& shape) { return shape.size() == 3; }

void checkMeta(const ModelMeta& meta)
{
    if (meta.inputShape.empty())
        throw Error("the FLINT model has no input shape; the model metadata is incomplete");
    if (meta.inputShape.size() != 1 && meta.inputShape.size() != 3)
        throw Error("FLINT needs tabular rows {d} or images {C,H,W}; got input shape " +
                    shapeString(meta.inputShape));
    if (isImageShape(meta.inputShape) && (meta.inputShape[1] < 2 || meta.inputShape[2] < 2))
        throw Error("FLINT's CNN needs images of at least 2x2 pixels; got " +
                    shapeString(meta.inputShape));
    if (meta.classNames.size() < 2)
        throw Error("a classifier needs at least 2 classes; the data has " +
                    std::to_string(meta.classNames.size()));
    if (meta.config.attributes < 1 || meta.config.attributes > 4096)
        throw Error("FLINT's attribute count must be in 1..4096 (flint.md uses 25 for MNIST); got " +
                    std::to_string(meta.config.attributes));
}

} // namespace

// All trainable pieces in one module so one archive holds them. The predictor entries exist
// only when f is FLINT's own.
struct FlintModel::Nets : nn::Module {
    nn::Sequential fFeatures{nullptr}, fHead{nullptr}, psi{nullptr}, decoder{nullptr};
    nn::Dropout gDrop{nullptr};
    nn::Linear g{nullptr};
    std::vector<int64_t> inputShape;

    // f (flint.md): the CNN for images, an MLP d -> 64 -> 32 -> C for rows; the hidden layer
    // is the CNN's 32 x H/2 x W/2 map or the MLP's penultimate layer.
    void buildPredictor(const std::vector<int64_t>& in, int64_t classes)
    {
        if (isImageShape(in)) {
            const int64_t c = in[0], h2 = in[1] / 2, w2 = in[2] / 2;
            fFeatures = nn::Sequential(nn::Conv2d(nn::Conv2dOptions(c, 16, 3).padding(1)), nn::ReLU(),
                                       nn::Conv2d(nn::Conv2dOptions(16, 32, 3).padding(1)),
                                       nn::MaxPool2d(nn::MaxPool2dOptions(2)),
                                       nn::Dropout(nn::DropoutOptions(0.5)), nn::ReLU());
            fHead = nn::Sequential(nn::Flatten(), nn::Linear(32 * h2 * w2, 128), nn::ReLU(),
                                   nn::Dropout(nn::DropoutOptions(0.5)), nn::Linear(128, classes));
        } else {
            fFeatures = nn::Sequential(nn::Linear(in[0], 64), nn::ReLU(), nn::Linear(64, 32), nn::ReLU());
            fHead = nn::Sequential(nn::Linear(32, classes));
        }
        register_module("f_features", fFeatures);
        register_module("f_head", fHead);
    }

    void buildHeads(const std::vector<int64_t>& hidden, const std::vector<int64_t>& in,
                    int64_t attributes, int64_t classes)
    {
        if (hidden.size() == 3) {
            psi = nn::Sequential(nn::Conv2d(nn::Conv2dOptions(hidden[0], 64, 3).padding(1)),
                                 nn::LeakyReLU(), nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(3)),
                                 nn::Flatten(), nn::Linear(64 * 9, attributes), nn::LeakyReLU());
        } else {
            psi = nn::Sequential(nn::Flatten(), nn::Linear(shapeProduct(hidden), 64), nn::LeakyReLU(),
                                 nn::Linear(64, attributes), nn::LeakyReLU());
        }
        gDrop = nn::Dropout(nn::DropoutOptions(0.01));
        g = nn::Linear(attributes, classes);
        if (isImageShape(in)) {
            // Two stride-2 transposed convolutions from a (H/4 x W/4) seed, rounded up, then
            // cropped: 7x7 -> 14x14 -> 28x28 on MNIST exactly as flint.md.
            const int64_t a = (in[1] + 3) / 4, b = (in[2] + 3) / 4;
            decoder = nn::Sequential(
                nn::Linear(attributes, 2 * a * b),
                nn::Unflatten(nn::UnflattenOptions(1, {2, a, b})),
                nn::ConvTranspose2d(nn::ConvTranspose2dOptions(2, 8, 3).stride(2).padding(1).output_padding(1)),
                nn::ReLU(),
                nn::ConvTranspose2d(nn::ConvTranspose2dOptions(8, in[0], 3).stride(2).padding(1).output_padding(1)));
        } else {
            decoder = nn::Sequential(nn::Linear(attributes, 64), nn::ReLU(), nn::Linear(64, in[0]));
        }
        register_module("psi", psi);
        register_module("g_dropout", gDrop);
        register_module("g", g);
        register_module("decoder", decoder);
        inputShape = in;
    }

    torch::Tensor decode(const torch::Tensor& phi)
    {
        auto out = decoder->forward(phi);
        if (isImageShape(inputShape))
            out = out.slice(2, 0, inputShape[1]).slice(3, 0, inputShape[2]);
        return out;
    }
};

FlintModel::FlintModel(ModelMeta meta) : ModelImpl(std::move(meta))
{
    m_meta.config.kind = ModelKind::Flint;
    checkMeta(m_meta);
    m_attributes = m_meta.config.attributes;
    m_nets = std::make_shared<Nets>();
    const auto& in = m_meta.inputShape;
    m_nets->buildPredictor(in, static_cast<int64_t>(m_meta.classNames.size()));
    if (isImageShape(in))
        m_hiddenShape = {32, in[1] / 2, in[2] / 2};
    else
        m_hiddenShape = {32};
    buildHeads();
}

FlintModel::FlintModel(ModelMeta meta, std::shared_ptr<ModelImpl> foreign, HiddenFn hidden)
    : ModelImpl(std::move(meta)), m_foreign(std::move(foreign)), m_hidden(std::move(hidden)),
      m_frozen(true)
{
    m_meta.config.kind = ModelKind::Flint;
    checkMeta(m_meta);
    if (!m_foreign || !m_hidden)
        throw Error("post-hoc FLINT needs a predictor and a function giving its hidden layer");
    m_attributes = m_meta.config.attributes;
    m_device = m_foreign->device();
    // One trial pass tells Ψ what it reads.
    torch::NoGradGuard noGrad;
    m_foreign->setTraining(false);
    std::vector<int64_t> full{1};
    full.insert(full.end(), m_meta.inputShape.begin(), m_meta.inputShape.end());
    auto probe = torch::zeros(full, torch::TensorOptions().device(m_device));
    auto h = m_hidden(probe);
    if (!h.defined() || h.dim() < 2 || h.size(0) != 1)
        throw Error("the chosen hidden layer must return one row per input sample");
    m_hiddenShape.assign(h.sizes().begin() + 1, h.sizes().end());
    if (m_hiddenShape.size() != 3)
        m_hiddenShape = {shapeProduct(m_hiddenShape)};
    const auto z = m_foreign->logits(probe);
    if (z.dim() != 2 || z.size(1) != static_cast<int64_t>(m_meta.classNames.size()))
        throw Error("the predictor's output has " + std::to_string(z.dim() == 2 ? z.size(1) : -1) +
                    " classes but the FLINT metadata names " +
                    std::to_string(m_meta.classNames.size()));
    m_nets = std::make_shared<Nets>();
    buildHeads();
}

void FlintModel::buildHeads()
{
    m_nets->buildHeads(m_hiddenShape, m_meta.inputShape, m_attributes,
                       static_cast<int64_t>(m_meta.classNames.size()));
    m_nets->to(m_device);
}

std::shared_ptr<FlintModel> FlintModel::attachPostHoc(ModelMeta meta, std::shared_ptr<ModelImpl> f,
                                                      HiddenFn hidden)
{
    return std::shared_ptr<FlintModel>(new FlintModel(std::move(meta), std::move(f), std::move(hidden)));
}

std::shared_ptr<FlintModel> FlintModel::postHocFrom(const FlintModel& trained, int attributes)
{
    ModelMeta meta = trained.m_meta;
    if (attributes > 0)
        meta.config.attributes = attributes;
    if (trained.m_foreign)
        return attachPostHoc(meta, trained.m_foreign, trained.m_hidden);
    auto copy = std::make_shared<FlintModel>(meta);
    copy->to(trained.m_device);
    // Copy f only: Ψ, g, d stay freshly initialised.
    torch::NoGradGuard noGrad;
    auto dstF = copy->predictorParameters();
    auto srcF = const_cast<FlintModel&>(trained).predictorParameters();
    for (size_t i = 0; i < dstF.size(); ++i)
        dstF[i].copy_(srcF[i]);
    auto srcBuf = trained.m_nets->fFeatures->buffers();
    auto dstBuf = copy->m_nets->fFeatures->buffers();
    for (size_t i = 0; i < dstBuf.size() && i < srcBuf.size(); ++i)
        dstBuf[i].copy_(srcBuf[i]);
    copy->m_frozen = true;
    for (auto& p : copy->predictorParameters())
        p.set_requires_grad(false);
    return copy;
}

FlintTensors FlintModel::forward(const torch::Tensor& xRaw, bool withDecoder)
{
    FlintTensors t;
    t.xStd = standardize(xRaw);
    if (m_foreign) {
        t.hidden = m_hidden(xRaw);
        t.logits = m_foreign->logits(xRaw);
    } else {
        t.hidden = m_nets->fFeatures->forward(t.xStd);
        t.logits = m_nets->fHead->forward(t.hidden);
    }
    // A frozen f needs no graph unless someone differentiates w.r.t. the input (explainers).
    if (m_frozen && !xRaw.requires_grad()) {
        t.hidden = t.hidden.detach();
        t.logits = t.logits.detach();
    }
    auto h = t.hidden;
    if (m_hiddenShape.size() != 3)
        h = h.reshape({h.size(0), -1});
    t.phi = m_nets->psi->forward(h);
    t.gLogits = m_nets->g->forward(m_nets->gDrop->forward(t.phi));
    if (withDecoder)
        t.recon = m_nets->decode(t.phi);
    return t;
}

torch::Tensor FlintModel::logits(const torch::Tensor& xRaw)
{
    if (m_foreign)
        return m_foreign->logits(xRaw);
    return m_nets->fHead->forward(m_nets->fFeatures->forward(standardize(xRaw)));
}

torch::Tensor FlintModel::attributes(const torch::Tensor& xRaw) { return forward(xRaw).phi; }
torch::Tensor FlintModel::interpreterLogits(const torch::Tensor& xRaw) { return forward(xRaw).gLogits; }
torch::Tensor FlintModel::decode(const torch::Tensor& phi) { return m_nets->decode(phi); }
torch::Tensor FlintModel::interpreterWeight() const { return m_nets->g->weight.t(); }
torch::Tensor FlintModel::interpreterBias() const { return m_nets->g->bias; }

std::vector<torch::Tensor> FlintModel::predictorParameters()
{
    if (m_foreign)
        return {};
    auto p = m_nets->fFeatures->parameters();
    auto h = m_nets->fHead->parameters();
    p.insert(p.end(), h.begin(), h.end());
    return p;
}

std::vector<torch::Tensor> FlintModel::parameters()
{
    std::vector<torch::Tensor> p;
    if (!m_frozen)
        p = predictorParameters();
    for (auto* m : {static_cast<nn::Module*>(m_nets->psi.get()),
                    static_cast<nn::Module*>(m_nets->g.get()),
                    static_cast<nn::Module*>(m_nets->decoder.get())}) {
        auto q = m->parameters();
        p.insert(p.end(), q.begin(), q.end());
    }
    return p;
}

void FlintModel::setTraining(bool on)
{
    m_nets->train(on);
    if (m_frozen) {
        if (m_foreign)
            m_foreign->setTraining(false);
        else {
            m_nets->fFeatures->eval();
            m_nets->fHead->eval();
        }
    }
}

std::shared_ptr<ModelImpl> FlintModel::clone() const
{
    std::shared_ptr<FlintModel> copy;
    if (m_foreign) {
        copy = attachPostHoc(m_meta, m_foreign, m_hidden); // f is frozen, so sharing it is safe
    } else {
        copy = std::make_shared<FlintModel>(m_meta);
        copy->to(m_device);
        if (m_frozen) {
            copy->m_frozen = true;
            for (auto& p : copy->predictorParameters())
                p.set_requires_grad(false);
        }
    }
    copy->m_meta = m_meta;
    copy->loadWeights(saveWeights());
    copy->m_nets->train(m_nets->is_training());
    return copy;
}

std::string FlintModel::saveWeights() const
{
    torch::serialize::OutputArchive archive;
    m_nets->save(archive);
    std::ostringstream out(std::ios::binary);
    archive.save_to(out);
    return out.str();
}

void FlintModel::loadWeights(const std::string& bytes)
{
    // LibTorch's load replaces tensors whatever their shape, so check the shapes ourselves and
    // put the previous weights back when they do not fit.
    std::vector<std::vector<int64_t>> shapes;
    for (const auto& p : m_nets->parameters())
        shapes.push_back(p.sizes().vec());
    const std::string previous = saveWeights();
    auto restore = [&] {
        torch::serialize::InputArchive back;
        back.load_from(previous.data(), previous.size(), m_device);
        m_nets->load(back);
    };
    std::string problem;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(bytes.data(), bytes.size(), m_device);
        m_nets->load(archive);
        const auto now = m_nets->parameters();
        for (size_t i = 0; i < now.size() && problem.empty(); ++i)
            if (now[i].sizes().vec() != shapes[i])
                problem = "a weight tensor has another shape";
    } catch (const c10::Error& e) {
        problem = std::string(e.what_without_backtrace()).substr(0, 200);
    }
    if (!problem.empty()) {
        restore();
        throw Error("the stored weights do not fit the FLINT architecture described by the "
                    "metadata (" + problem + "); check the attribute count and input shape");
    }
    // load() replaces tensors in place; a frozen f must stay out of autograd.
    if (m_frozen)
        for (auto& p : predictorParameters())
            p.set_requires_grad(false);
}

void FlintModel::to(torch::Device d)
{
    m_nets->to(d);
    if (m_foreign && m_foreign->device() != d)
        m_foreign->to(d);
    ModelImpl::to(d);
}

int64_t FlintModel::parameterCount() const
{
    int64_t n = 0;
    for (const auto& p : m_nets->parameters())
        n += p.numel();
    return n;
}

std::string FlintModel::describe() const
{
    std::ostringstream s;
    s << "FLINT (" << (m_frozen ? "post-hoc, predictor frozen" : "joint training") << "): predictor ";
    if (m_foreign)
        s << "'" << m_foreign->describe().substr(0, 60) << "...'";
    else
        s << (isImageShape(m_meta.inputShape) ? "CNN" : "MLP");
    s << ", hidden layer " << shapeString(m_hiddenShape) << " -> " << m_attributes
      << " attributes -> linear interpreter over " << m_meta.classNames.size()
      << " classes, with a decoder; " << parameterCount() << " parameters"
      << (m_foreign ? " (besides the predictor's)" : "") << "; input "
      << shapeString(m_meta.inputShape);
    return s.str();
}

std::shared_ptr<FlintModel> createFlint(const ModelMeta& meta)
{
    return std::make_shared<FlintModel>(meta);
}

} // namespace senn::models
