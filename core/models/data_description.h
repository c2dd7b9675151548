// The model card fields that describe the data a model takes (kind, sample shape, class and
// feature names, source, target column, transforms), filled from a dataset and read back as an
// empty dataset of that description. Torch-free.
#pragma once
#include "core/data/dataset.h"
#include "core/models/model.h"

namespace senn::models {

// Copies data's description into meta; leaves every other field as it is.
void describeData(ModelMeta& meta, const data::Dataset& data);

// A dataset without rows described as meta describes its data (for checking a model file
// against the inputs of the model that reads it).
data::Dataset datasetLike(const ModelMeta& meta);

} // namespace senn::models
