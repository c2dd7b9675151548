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
// The same for an archive in memory (the child has its own copy of `bytes` after the fork).
void probeTorchScriptBytes(const std::string& bytes, const torch::Tensor& trialInput, uint64_t inflatedBytes);

// The one way core reads a TorchScript archive: the zip and pickle checks (archive_guard.h),
// the probe above, then torch::jit::load in this process and the check of every tensor the
// module holds. Throws senn::Error without the file name (the caller adds it and what to do),
// in one short line: LibTorch's reasons are put in plain words, without its backtrace.
torch::jit::Module loadCheckedTorchScript(const std::string& path, const torch::Tensor& trialInput);
torch::jit::Module loadCheckedTorchScriptBytes(const std::string& bytes, const torch::Tensor& trialInput);

// LibTorch's message for a failed load (c10::Error::what_without_backtrace(), or what() of the
// TorchScript compiler's and the standard library's exceptions) as one short line a person can
// act on: its newer-format, missing-record, unknown-operator and syntax errors named as such,
// internal fragments ("stoull", "[enforce fail at ...]", source excerpts) left out.
std::string torchScriptLoadProblem(const std::string& what);

// The child's stack in bytes: half of what a thread gets by default (the usual 8 MiB stack
// limit), so a file that fits in it fits on any thread of the app that loads or runs a model.
constexpr size_t kProbeStackBytes = size_t(4) << 20;

} // namespace senn::io
