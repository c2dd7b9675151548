// Opening a model together with its data the way training saw it: the same target column,
// the same transforms (e.g. Decoy MNIST) and the same split. Used by the CLI and the GUI.
#pragma once
#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/jobs/job.h"
#include "core/models/model.h"

#include <string>

namespace senn::io {

struct Workspace {
    data::Dataset data;
    data::Split split;
    models::Model model;
};

// Applies the model's recorded transforms to freshly loaded data (no-op when none).
void applyTransforms(data::Dataset& data, const std::vector<std::string>& transforms);

// The split recorded in the model's metadata, recomputed for `data`. Throws senn::Error when
// the data does not match the model (feature count, shape, classes).
data::Split splitForModel(const models::Model& model, const data::Dataset& data);

// Loads the model (.senn or TorchScript), then the data with the model's target and
// transforms, then its split.
Workspace openWithModel(const std::string& modelPath, const std::string& dataPath,
                        const jobs::ProgressFn& progress = {}, const jobs::CancelToken& cancel = {});

} // namespace senn::io
