// Opening a post-hoc FLINT interpreter's predictor from the file its metadata names, and the
// guard against predictor files that name each other in a cycle or nest without end.
#include "core/io/model_file_internal.h"

#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/io/model_file.h"
#include "core/models/data_description.h"

#include <filesystem>

namespace senn::io::detail {

namespace {

// The files loadModel is opening on this thread, outermost first: a post-hoc FLINT opens its
// predictor's file, which may itself be a post-hoc FLINT. A file seen twice is a cycle.
thread_local std::vector<std::string> t_loading;

} // namespace

LoadingScope::LoadingScope(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    std::string canon = fs::weakly_canonical(path, ec).string();
    if (ec || canon.empty())
        canon = path;
    auto chain = [&](const std::string& last) { // file names only: the message starts with the path
        std::string c;
        for (const auto& f : t_loading)
            c += files::echo(fs::path(f).filename().string(), 60) + " -> ";
        return c + files::echo(fs::path(last).filename().string(), 60);
    };
    for (const auto& f : t_loading)
        if (f == canon)
            throw PredictorChainError(
                files::echo(path, 200) + ": post-hoc FLINT predictor files name each other in a "
                "cycle (" + chain(canon) + "). Attach FLINT to an MLP, CNN or TorchScript model instead");
    if (static_cast<int>(t_loading.size()) >= limits::kMaxPredictorChain)
        throw PredictorChainError(
            files::echo(path, 200) + ": post-hoc FLINT predictor files are nested more than " +
            std::to_string(limits::kMaxPredictorChain) + " deep (" + chain(canon) +
            "). A FLINT interpreter's predictor must be an MLP, CNN or TorchScript model");
    t_loading.push_back(canon);
}

LoadingScope::~LoadingScope()
{
    t_loading.pop_back();
}

std::shared_ptr<models::FlintModel> postHocFlint(const models::ModelMeta& meta, const std::string& path)
{
    namespace fs = std::filesystem;
    std::string predictor = meta.flintPredictor;
    std::error_code ec;
    if (!fs::exists(predictor, ec)) {
        const auto beside = fs::path(path).parent_path() / fs::path(predictor).filename();
        if (fs::exists(beside, ec))
            predictor = beside.string();
        else
            throw Error("this post-hoc FLINT interpreter reads the model " + meta.flintPredictor +
                        ", which does not exist. Put the predictor back at that path or beside this file");
    }
    if (fs::equivalent(predictor, path, ec))
        throw Error("the post-hoc FLINT interpreter names itself as its predictor");
    if (meta.flintPredictorCrc != 0 && fileCrc32(predictor) != meta.flintPredictorCrc)
        throw Error("the predictor " + predictor + " changed since this FLINT interpreter was "
                    "trained on it. Attach and train FLINT on the current predictor again");
    models::Model f;
    if (detectModelFile(predictor) == ModelFileKind::TorchScript) {
        // The TorchScript file is checked on rows shaped like the FLINT's inputs.
        f = loadTorchScript(predictor, models::datasetLike(meta));
    } else {
        f = loadModel(predictor);
    }
    return models::FlintModel::attachPostHoc(meta, f.impl(),
                                             models::predictorLayer(f.impl(), meta.flintHiddenLayer));
}

} // namespace senn::io::detail
