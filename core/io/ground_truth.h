// A model's known answer: which input values its output depends on (and which pairs interact),
// stored inside the model file, and the unit models that carry one (a TorchScript module
// written from C++: linear in a few columns, a product of columns, linear in an image patch).
#pragma once
#include "core/data/dataset.h"
#include "core/models/model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace senn::io {

struct GroundTruth {
    std::string kind;                 // "linear" | "interaction" | "patch"
    std::string description;          // one sentence for the model card and the GUI
    std::vector<int64_t> shape;       // one input's
    std::vector<int64_t> relevant;    // flat indices of the values the logits depend on
    std::vector<std::pair<int64_t, int64_t>> interactions; // pairs entering as a product

    // One byte per input value: 1 on the relevant values.
    std::vector<uint8_t> mask() const;
};

std::string groundTruthToJson(const GroundTruth& truth);
GroundTruth groundTruthFromJson(const std::string& json, const std::string& fileForErrors);

// The truth a model carries: unit models written by writeUnitModel do; other models
// (and TorchScript files from elsewhere) do not.
std::optional<GroundTruth> groundTruthOf(const models::Model& model);

// The unit models: "linear" (tabular: softmax regression on the five columns that separate
// the classes best, no two of them correlated above 0.8; the other columns weigh exactly 0),
// "interaction" (tabular: the logits are weighted products of two pairs of those columns,
// nothing else) and "patch" (images: softmax regression on the centre square of half the
// side). Weights are fitted on the training rows of the split a TorchScript model gets
// (seed 0), deterministically.
std::vector<std::string> unitModelIds();
// Fits the unit model `id` on `data` and writes it to `path` as TorchScript (atomically),
// its truth inside. Throws senn::Error for an unknown id or data it does not fit (a table
// with fewer columns than it needs, an image model on a table).
GroundTruth writeUnitModel(const std::string& id, const data::Dataset& data, const std::string& path);

} // namespace senn::io
