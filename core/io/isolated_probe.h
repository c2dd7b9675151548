// LibTorch's TorchScript loader (parser, compiler, unpickler) recurses without bound: a crafted
// file overflows the stack and kills the process before any check of ours can run. So an
// untrusted file is first loaded in a forked child, where a crash costs nothing. Core-internal.
#pragma once
#include "core/torch_include.h"

#include <cstdint>
#include <string>

namespace senn::io {

// Loads `path` with torch::jit::load in a forked child (on a thread with a small, fixed stack,
// under a memory and a time limit), checks its tensors and runs forward() on `trialInput` a few
// times (the graph executor optimises on the first calls, recursively too). Returns normally
// when the child got through, or when it failed with an ordinary error (the caller's own load
// then reports it). Throws senn::Error (without the file name: the caller adds it) when the
// child crashed, ran out of memory or time.
// `inflatedBytes`: what the archive's entries declare (checkZipFileSizes), for the memory limit.
void probeTorchScript(const std::string& path, const torch::Tensor& trialInput, uint64_t inflatedBytes);

// The child's stack in bytes: half of what a thread gets by default (the usual 8 MiB stack
// limit), so a file that fits in it fits on any thread of the app that loads or runs a model.
constexpr size_t kProbeStackBytes = size_t(4) << 20;

} // namespace senn::io
