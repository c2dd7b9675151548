// Core-internal pieces of reading a .senn file (model_file.cpp): the bounds on its metadata,
// the checks on its stored weights, and reopening a post-hoc FLINT's predictor from its file.
// Includes LibTorch.
#pragma once
#include "core/common/error.h"
#include "core/models/flint_net.h"
#include "core/models/model_impl.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace senn::io::detail {

// Bounds on what the metadata may ask for, checked before any network is built: the same
// limits the command line applies to its options and the loaders to data. Throws senn::Error
// naming the field.
void checkArchitecture(const models::ModelMeta& meta);

// The weights archive inside a .senn file, read and checked before any of it reaches a network:
// its declared sizes (before anything is inflated), then every tensor: float32, inside its
// storage, finite. `tensors` lists them in the order nn::Module::save wrote them, which is the
// order of the network's parameters().
struct StoredWeights {
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    double count = 0;
};
StoredWeights readStoredWeights(const std::string& bytes);

// The network the metadata describes against the stored weights, counted before it is built: a
// small file must not make us allocate a large network only to find its weights do not fit.
void checkParameterCount(const models::ModelMeta& meta, const StoredWeights& stored);
// Every stored tensor against the built network's parameter of the same place: LibTorch's load
// puts each stored tensor in place whatever its shape.
void checkShapes(const models::ModelMeta& meta, models::ModelImpl& net, const StoredWeights& stored);

// Passed through loadModel's wrapping unchanged: the message already names every file.
class PredictorChainError : public Error {
public:
    using Error::Error;
};

// Marks `path` as being opened on this thread for its lifetime; throws PredictorChainError when
// post-hoc FLINT predictor files name each other in a cycle or nest too deep.
class LoadingScope {
public:
    explicit LoadingScope(const std::string& path);
    ~LoadingScope();
    LoadingScope(const LoadingScope&) = delete;
    LoadingScope& operator=(const LoadingScope&) = delete;
};

// A post-hoc FLINT's predictor, reopened from the file its metadata names (or, when that was
// moved, from the same name beside the FLINT file), checked against the recorded CRC.
// Errors do not name the FLINT file: loadModel adds it.
std::shared_ptr<models::FlintModel> postHocFlint(const models::ModelMeta& meta, const std::string& path);

} // namespace senn::io::detail
