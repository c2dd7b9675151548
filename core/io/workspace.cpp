#include "core/io/workspace.h"

#include "core/common/error.h"
#include "core/common/remedy.h"
#include "core/data/decoy.h"
#include "core/data/loader.h"
#include "core/io/model_file.h"
#include "core/models/shape.h"

#include <algorithm>

namespace senn::io {

namespace {

bool hasTransform(const data::Dataset& data, const std::string& transform)
{
    return std::find(data.transforms.begin(), data.transforms.end(), transform) != data.transforms.end();
}

bool lacksTransform(const models::Model& model, const data::Dataset& data)
{
    const auto& wanted = model.meta().transforms;
    return std::any_of(wanted.begin(), wanted.end(),
                       [&](const std::string& t) { return !hasTransform(data, t); });
}

// Transforms already applied (a dataset loaded or generated with them recorded) are skipped.
void applyTransformsWithTest(data::Dataset& data, const std::vector<std::string>& transforms,
                             const std::vector<int64_t>& testRows)
{
    for (const auto& t : transforms) {
        if (auto seed = data::parseDecoyTransform(t)) {
            if (!hasTransform(data, t))
                data::applyDecoy(data, testRows, *seed);
            continue;
        }
        throw Error("the model was trained with the transform '" + t +
                    "', which this version of SENN Studio does not know");
    }
}

} // namespace

data::Split splitForModel(const models::Model& model, const data::Dataset& data)
{
    const auto& meta = model.meta();
    const std::string src = data.source.empty() ? std::string("the data") : data.source;
    if (data.featureCount() != model.featureCount())
        throw Error(src + " has " + std::to_string(data.featureCount()) + " input values per row (" +
                    models::shapeString(data.sampleShape) + "); the model expects " +
                    std::to_string(model.featureCount()) + " (" + models::shapeString(meta.inputShape) +
                    "). Use the dataset the model was trained on" +
                    (meta.dataSource.empty() ? std::string() : " (" + meta.dataSource + ")"));
    if (data.sampleShape != meta.inputShape)
        throw Error(src + " has samples shaped " + models::shapeString(data.sampleShape) +
                    "; the model expects " + models::shapeString(meta.inputShape));
    if (data.numClasses() != model.numClasses())
        throw ErrorWithRemedy(src + " has " + std::to_string(data.numClasses()) +
                                  " classes; the model has " + std::to_string(model.numClasses()) +
                                  (meta.targetName.empty() ? std::string()
                                                           : " (target '" + meta.targetName + "')") +
                                  ". Check the class column and the dataset",
                              Remedy::ChooseTarget);
    data::Split split = data::makeSplit(data, meta.splitSeed, meta.limit);
    return split;
}

data::Split fitToModel(const models::Model& model, data::Dataset& data)
{
    data::Split split = splitForModel(model, data);
    applyTransformsWithTest(data, model.meta().transforms, split.test);
    return split;
}

ModelData fitToModel(const models::Model& model, std::shared_ptr<const data::Dataset> data)
{
    if (!lacksTransform(model, *data))
        return {data, splitForModel(model, *data)};
    auto copy = std::make_shared<data::Dataset>(*data);
    data::Split split = fitToModel(model, *copy);
    return {std::move(copy), std::move(split)};
}

Workspace openWithModel(const std::string& modelPath, const std::string& dataPath,
                        const jobs::ProgressFn& progress, const jobs::CancelToken& cancel)
{
    Workspace ws;
    jobs::report(progress, 0.0, "model", "reading " + modelPath);
    const auto kind = detectModelFile(modelPath);
    data::LoadOptions options;
    if (kind == ModelFileKind::Senn) {
        ws.model = loadModel(modelPath);
        options.target = ws.model.meta().targetName;
    } else if (kind == ModelFileKind::NotAModel) {
        loadModel(modelPath); // throws the precise error (missing file, not a model, ...)
    }
    cancel.throwIfCancelled();
    jobs::report(progress, 0.1, "data", "loading " + dataPath);
    auto dataProgress = [&](const jobs::Progress& p) {
        jobs::report(progress, 0.1 + 0.8 * p.fraction, p.stage, p.message);
    };
    ws.data = data::loadDataset(dataPath, options, progress ? jobs::ProgressFn(dataProgress) : jobs::ProgressFn{}, cancel);
    if (kind == ModelFileKind::TorchScript)
        ws.model = loadTorchScript(modelPath, ws.data);
    ws.split = fitToModel(ws.model, ws.data);
    jobs::report(progress, 1.0, "done");
    return ws;
}

} // namespace senn::io
