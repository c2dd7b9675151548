// Copies of a model with some layers' weights re-drawn, for the model randomisation checks
// (metrics.md "Sanity checks"): the layers that hold parameters, listed from the output down,
// each re-drawn from the distribution its own initialisation uses. Torch-free.
#pragma once
#include "core/models/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace senn::models {

// The layers (modules holding parameters themselves: "fc2", "parametrizer.fc") from the output
// layer down: the reverse of the order the network registers them. A SENN's decoder is left
// out (it only reconstructs the input; no output depends on it). Works on the app's own
// networks (SENN, MLP, CNN) and on TorchScript modules; throws senn::Error for any other model
// (FLINT), naming why.
std::vector<std::string> randomisableLayers(const Model& model);

// Re-draws the parameters of `layer` in `model` in place, from `seed`: a weight of fan-in n
// (its second dimension times the kernel size) and the layer's bias from U(−1/√n, 1/√n), the
// default initialisation of LibTorch's and PyTorch's linear and convolution layers; a layer
// with no weight matrix (a normalisation) from a normal with its parameters' own mean and
// standard deviation. `model` must be a private copy (Model::clone): the weights change for
// every holder of it. Throws senn::Error for an unknown layer.
void randomiseLayer(Model& model, const std::string& layer, uint64_t seed);

} // namespace senn::models
