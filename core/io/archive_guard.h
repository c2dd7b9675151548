// Checks on LibTorch's zip archives (TorchScript files, the weights inside a .senn file) that
// LibTorch 1.13 does not make itself: the sizes the zip declares are allocated and inflated as
// stated, and unpickled tensors may point past the end of their storage. Core-internal.
#pragma once
#include "core/torch_include.h"

#include <caffe2/serialize/inline_container.h>

#include <cstdint>
#include <map>
#include <string>

namespace senn::io {

// What the archive would take once inflated: the sum of the uncompressed sizes its central
// directory declares. Throws senn::Error (without a file name: the caller adds it) when the
// bytes are not a zip archive or the total exceeds limits::archiveInflationBudget(size).
// `entries`, when given, receives every entry's name and declared size.
uint64_t checkZipSizes(const std::string& bytes, std::map<std::string, uint64_t>* entries = nullptr);
// The same for a file, reading only its end record and central directory.
uint64_t checkZipFileSizes(const std::string& path, std::map<std::string, uint64_t>* entries = nullptr);

// LibTorch 1.13 gives each storage the size its pickle states and fills it from a record of
// any length: every storage data.pkl and constants.pkl name must fit in its record (`entries`
// from checkZip*). Throws senn::Error (no file name) otherwise.
void checkPickledStorages(caffe2::serialize::PyTorchStreamReader& reader,
                          const std::map<std::string, uint64_t>& entries);

// One tensor read from a file: strided, with every element it addresses inside its storage.
// Throws senn::Error naming `what` otherwise.
void checkTensorInStorage(const torch::Tensor& t, const std::string& what);
// Every tensor a TorchScript module holds: parameters, buffers and attributes (also inside
// lists, tuples and dicts) of it and its submodules, and the tensor constants of their code.
void checkModuleTensors(const torch::jit::Module& module);

} // namespace senn::io
