// Checks on LibTorch's zip archives (TorchScript files, the weights inside a .senn file) that
// LibTorch 1.13 does not make itself: the sizes the zip declares are allocated and inflated as
// stated, and unpickled tensors may point past the end of their storage. Core-internal.
#pragma once
#include "core/torch_include.h"

#include "core/io/archive_scan.h" // the zip and pickle checks on plain bytes

#include <caffe2/serialize/inline_container.h>

#include <cstdint>
#include <map>
#include <string>

namespace senn::io {

// LibTorch 1.13 gives each storage the size its pickle states and fills it from a record of
// any length: every storage data.pkl and constants.pkl name must fit in its record (`entries`
// from checkZip*; checkPickleStorages on each pickle's bytes). Throws senn::Error (no file
// name) otherwise.
void checkPickledStorages(caffe2::serialize::PyTorchStreamReader& reader,
                          const std::map<std::string, uint64_t>& entries);

// One tensor read from a file: strided, with every element it addresses inside its storage.
// Throws senn::Error naming `what` otherwise.
void checkTensorInStorage(const torch::Tensor& t, const std::string& what);
// Every tensor a TorchScript module holds: parameters, buffers and attributes (also inside
// lists, tuples and dicts) of it and its submodules, and the tensor constants of their code.
void checkModuleTensors(const torch::jit::Module& module);

} // namespace senn::io
