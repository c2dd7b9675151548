#include "core/models/torch_model.h"

#include "core/common/error.h"

#include <algorithm>
#include <sstream>

namespace senn::models {

SennTensors TorchModel::sennForward(const torch::Tensor&, bool)
{
    throw Error("this model is not a SENN: it has no concepts or relevances to show");
}

torch::Tensor TorchModel::hiddenStd(const torch::Tensor&)
{
    throw Error("this model exposes no hidden layer for a post-hoc interpreter; FLINT can read "
                "the hidden layer of an MLP or a CNN");
}

std::shared_ptr<ModelImpl> TorchModel::clone() const
{
    auto copy = createNetwork(m_meta);
    copy->to(m_device);
    copy->loadWeights(saveWeights());
    copy->module().train(module().is_training());
    return copy;
}

std::string TorchModel::saveWeights() const
{
    torch::serialize::OutputArchive archive;
    module().save(archive);
    std::ostringstream out(std::ios::binary);
    archive.save_to(out);
    return out.str();
}

void TorchModel::loadWeights(const std::string& bytes)
{
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(bytes.data(), bytes.size(), m_device);
        module().load(archive);
    } catch (const c10::Error& e) {
        std::string what = e.what_without_backtrace();
        throw Error("the stored weights do not fit the " + toString(m_meta.config.kind) +
                    " architecture described by the metadata (" + what.substr(0, 200) + ")");
    }
}

void TorchModel::to(torch::Device d)
{
    module().to(d);
    ModelImpl::to(d);
}

int64_t TorchModel::parameterCount() const
{
    int64_t n = 0;
    for (const auto& p : module().parameters())
        n += p.numel();
    return n;
}

std::string TorchModel::describeTail() const
{
    std::ostringstream s;
    s << parameterCount() << " parameters; input " << shapeString(m_meta.inputShape) << ", "
      << m_meta.classNames.size() << " classes";
    return s.str();
}

int64_t lenetSide(int64_t side)
{
    return ((side - 4) / 2 - 4) / 2;
}

std::string shapeString(const std::vector<int64_t>& shape)
{
    std::string s;
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? "x" : "") + std::to_string(shape[i]);
    return s.empty() ? "?" : s;
}

std::shared_ptr<TorchModel> createNetwork(const ModelMeta& meta)
{
    if (meta.inputShape.empty())
        throw Error("the model metadata has no input shape; the file is incomplete");
    if (meta.classNames.size() < 2)
        throw Error("a classifier needs at least 2 classes; the data has " +
                    std::to_string(meta.classNames.size()));
    switch (meta.config.kind) {
    case ModelKind::Senn: return createSenn(meta);
    case ModelKind::Mlp: return createMlp(meta);
    case ModelKind::Cnn: return createCnn(meta);
    case ModelKind::Flint:
        throw Error("FLINT models are not available in this build");
    case ModelKind::TorchScript:
        throw Error("a TorchScript model cannot be built or trained here; open its file instead");
    }
    throw Error("unknown model kind");
}

// ---- defaults per data kind (senn.md "Defaults") -----------------------------------------

ModelConfig ModelConfig::defaultsFor(data::DataKind kind, ModelKind model, int64_t features)
{
    ModelConfig c;
    c.kind = model;
    c.lambda = 1e-4;
    c.xi = 1.0;
    c.zeta = 2e-5;
    if (kind == data::DataKind::Image) {
        c.concepts = ConceptKind::Autoencoder;
        c.k = 5;
    } else {
        // Tabular: one concept per feature, so θ is a per-feature relevance (the paper's UCI setup).
        c.concepts = ConceptKind::Identity;
        c.k = static_cast<int>(std::max<int64_t>(features, 1));
        // Issue 12: the parametrizer as wide as the app's MLP (64, 32), θ started at the logistic
        // regression's weights (trainer), and the MLP with a linear skip started the same way:
        // over seeds 0-4 on five public tables both then match logistic regression
        // (tests/bench/accuracy_table.sh). Files without these settings keep their old networks.
        if (model == ModelKind::Senn)
            c.hidden = {64, 32};
        if (model == ModelKind::Mlp)
            c.linearSkip = true;
    }
    return c;
}

// Issue 12: training runs until it is done. `epochs` is a maximum; early stopping on the
// validation split (patience) ends it and keeps the best epoch; the learning rate halves on a
// plateau. The fixed 30 tabular epochs stopped SENN well before it matched a plain model.
TrainConfig TrainConfig::defaultsFor(data::DataKind kind)
{
    TrainConfig t;
    t.lr = 1e-3;
    t.schedule = "plateau";
    if (kind == data::DataKind::Image) {
        t.batch = 128;
        t.epochs = 30;
        t.patience = 5;
    } else {
        t.batch = 64;
        t.epochs = 300;
        t.patience = 30;
    }
    return t;
}

TrainConfig TrainConfig::defaultsFor(data::DataKind kind, ModelKind model)
{
    TrainConfig t = defaultsFor(kind);
    // The tabular MLP (with its linear skip started at the logistic regression) minimises the
    // baseline's own penalised objective, cross-entropy + ‖W‖²/(2·C·n) with C = 1, over
    // networks that include the baseline: unpenalised, its hidden layers bent the decision
    // boundary through single borderline test rows (iris: 0.867 where every linear model
    // with C ≥ 0.3 scores 0.933). Over seeds 0-9 on five tables it then meets the baseline
    // goal (tests/bench/accuracy_table.sh; README "Training defaults").
    if (kind != data::DataKind::Image && model == ModelKind::Mlp)
        t.l2 = 1.0;
    if (model == ModelKind::Flint) {
        // FLINT's loss terms switch on at fixed fractions of the run (flint.md's 12-epoch
        // schedule), so it trains for a fixed count; batch 32 reaches fidelity 0.974 on the
        // bundled MNIST digits (tests/bench/flint_table.sh).
        t.patience = 0;
        t.schedule = "none";
        if (kind == data::DataKind::Image) {
            t.batch = 32;
            t.epochs = 12;
        } else {
            t.epochs = 30;
        }
    }
    return t;
}

} // namespace senn::models
