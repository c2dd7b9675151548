// The checks a .senn file's contents pass before a network is built from them: the metadata's
// architecture within the limits, and the stored weights (sizes, dtypes, storages, values,
// count and shapes) fitting the network it describes.
#include "core/io/model_file_internal.h"

#include "core/common/limits.h"
#include "core/io/archive_guard.h"
#include "core/models/torch_model.h"

#include <map>
#include <sstream>

namespace senn::io::detail {

namespace {

void collectTensors(torch::serialize::InputArchive& archive, const std::string& prefix, int depth,
                    StoredWeights& out)
{
    if (depth > 32)
        throw Error("the stored weights are nested too deeply");
    for (const auto& key : archive.keys()) {
        const std::string name = prefix + key;
        torch::Tensor t;
        if (archive.try_read(key, t)) {
            checkTensorInStorage(t, "the stored weight '" + name + "'");
            if (t.scalar_type() != torch::kFloat32)
                throw Error("the stored weight '" + name + "' holds " +
                            std::string(c10::toString(t.scalar_type())) + " values, not float32");
            if (!torch::isfinite(t).all().item<bool>())
                throw Error("the stored weight '" + name + "' holds NaN or infinite values");
            out.count += double(t.numel());
            out.tensors.emplace_back(name, t);
            continue;
        }
        torch::serialize::InputArchive child;
        if (archive.try_read(key, child))
            collectTensors(child, name + ".", depth + 1, out);
    }
}

std::string countText(double n)
{
    return n < 9e18 ? std::to_string(int64_t(n)) : std::string("more than 9e18");
}

} // namespace

void checkArchitecture(const models::ModelMeta& meta)
{
    const auto field = [](const std::string& name, const std::string& what) {
        return Error("field \"" + name + "\" " + what);
    };
    const auto& shape = meta.inputShape;
    if (shape.size() != 1 && shape.size() != 3)
        throw field("input_shape", "has " + std::to_string(shape.size()) +
                                       " dimensions; expected [features] or [channels, height, width]");
    double values = 1;
    for (auto s : shape) {
        if (s < 1)
            throw field("input_shape", "holds " + std::to_string(s) + "; every size must be at least 1");
        values *= double(s);
    }
    if (values > double(limits::kMaxModelInputValues))
        throw field("input_shape", "describes " + models::shapeString(shape) + " = " +
                                       std::to_string(int64_t(std::min(values, 9e18))) +
                                       " values per sample; at most " +
                                       std::to_string(limits::kMaxModelInputValues));
    const auto classes = int64_t(meta.classNames.size());
    if (classes < 2 || classes > limits::kMaxClasses)
        throw field("class_names", "has " + std::to_string(classes) + " names; a classifier has 2 to " +
                                       std::to_string(limits::kMaxClasses) + " classes");
    if (double(meta.featureNames.size()) > values)
        throw field("feature_names", "has " + std::to_string(meta.featureNames.size()) +
                                         " names for " + std::to_string(int64_t(values)) + " input values");
    const auto& c = meta.config;
    if (c.kind == models::ModelKind::Senn && c.concepts == models::ConceptKind::Autoencoder &&
        (c.k < 1 || c.k > limits::kMaxConcepts))
        throw field("k", "is " + std::to_string(c.k) + "; a SENN has 1 to " +
                             std::to_string(limits::kMaxConcepts) + " concepts");
    if (c.kind == models::ModelKind::Flint && (c.attributes < 1 || c.attributes > limits::kMaxConcepts))
        throw field("attributes", "is " + std::to_string(c.attributes) + "; FLINT has 1 to " +
                                      std::to_string(limits::kMaxConcepts) + " attributes");
    if (c.hidden.size() > size_t(limits::kMaxHiddenLayers))
        throw field("hidden", "lists " + std::to_string(c.hidden.size()) + " layers; at most " +
                                  std::to_string(limits::kMaxHiddenLayers));
    for (int h : c.hidden)
        if (h < 1 || h > limits::kMaxHidden)
            throw field("hidden", "holds " + std::to_string(h) + "; a hidden layer has 1 to " +
                                      std::to_string(limits::kMaxHidden) + " units");
}

StoredWeights readStoredWeights(const std::string& bytes)
{
    try {
        std::map<std::string, uint64_t> entries;
        checkZipSizes(bytes, &entries);
        std::istringstream in(bytes, std::ios::binary);
        caffe2::serialize::PyTorchStreamReader reader(&in);
        checkPickledStorages(reader, entries);
    } catch (const Error& e) {
        throw Error(std::string("cannot restore the network from the stored weights (") + e.what() +
                    "). The file is damaged; train or copy it again");
    }
    StoredWeights w;
    torch::serialize::InputArchive archive;
    archive.load_from(bytes.data(), bytes.size(), torch::kCPU);
    collectTensors(archive, "", 0, w);
    return w;
}

void checkParameterCount(const models::ModelMeta& meta, const StoredWeights& stored)
{
    bool exact = true;
    const double described = models::parameterCountOf(meta, &exact);
    if (described > double(limits::kMaxModelParameters))
        throw Error("the metadata describes a " + models::toString(meta.config.kind) + " network of " +
                    countText(described) + " parameters; at most " +
                    std::to_string(limits::kMaxModelParameters) + " are supported");
    if (exact ? described != stored.count : described > stored.count)
        throw Error("the metadata describes a " + models::toString(meta.config.kind) + " network of " +
                    (exact ? "" : "at least ") + countText(described) + " parameters but the file stores " +
                    countText(stored.count) + "; the file is damaged or was edited");
}

void checkShapes(const models::ModelMeta& meta, models::ModelImpl& net, const StoredWeights& stored)
{
    const auto params = net.parameters();
    if (params.size() != stored.tensors.size())
        throw Error("the file stores " + std::to_string(stored.tensors.size()) +
                    " weight tensors; the " + models::toString(meta.config.kind) +
                    " network its metadata describes has " + std::to_string(params.size()));
    for (size_t i = 0; i < params.size(); ++i)
        if (params[i].sizes() != stored.tensors[i].second.sizes())
            throw Error("the stored weight '" + stored.tensors[i].first + "' has shape " +
                        models::shapeString(stored.tensors[i].second.sizes().vec()) +
                        "; the network its metadata describes needs " +
                        models::shapeString(params[i].sizes().vec()));
}

} // namespace senn::io::detail
