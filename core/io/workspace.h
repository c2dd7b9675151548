// Opening a model together with its data the way training saw it: the same target column,
// the same transforms (e.g. Decoy MNIST) and the same split. Used by the CLI and the GUI.
#pragma once
#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/jobs/job.h"
#include "core/models/model.h"

#include <memory>
#include <string>

namespace senn::io {

struct Workspace {
    data::Dataset data;
    data::Split split;
    models::Model model;
};

// The split recorded in the model's metadata, recomputed for `data`. Throws senn::Error when
// the data does not match the model (feature count, shape, classes).
data::Split splitForModel(const models::Model& model, const data::Dataset& data);

// A dataset as a model sees it: the model's transforms applied, and the model's split.
struct ModelData {
    std::shared_ptr<const data::Dataset> data;
    data::Split split;
};

// The one way a model adopts data loaded with its target: checks that the data fits
// (splitForModel), recomputes the model's split and applies the model's transforms (Decoy
// MNIST) to that split's test rows. Data that already carries every transform is shared as it
// is; otherwise the result is a transformed copy and `data` stays untouched for its holders.
ModelData fitToModel(const models::Model& model, std::shared_ptr<const data::Dataset> data);
// The same for data the caller owns alone: transformed in place. Returns the split.
data::Split fitToModel(const models::Model& model, data::Dataset& data);

// Loads the model (.senn or TorchScript), then the data with the model's target, and fits
// the data to the model (fitToModel).
Workspace openWithModel(const std::string& modelPath, const std::string& dataPath,
                        const jobs::ProgressFn& progress = {}, const jobs::CancelToken& cancel = {});

} // namespace senn::io
