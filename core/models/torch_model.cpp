#include "core/models/torch_model.h"

#include "core/common/error.h"

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

} // namespace senn::models
