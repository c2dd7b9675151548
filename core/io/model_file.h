// The app's model file (.senn) and TorchScript black boxes (.pt/.ts). A .senn file is a small
// container: magic, format version, JSON metadata, weights, and a CRC32 over everything, written
// atomically (temp file + rename). Corrupt, truncated or newer files give a clear senn::Error.
// A post-hoc FLINT on a predictor in another file stores Ψ, g, d and a reference to that file.
#pragma once
#include "core/models/model.h"

#include <cstdint>
#include <string>

namespace senn::io {

constexpr int kModelFormatVersion = 1;

void saveModel(const models::Model& model, const std::string& path);
models::Model loadModel(const std::string& path);

// A TorchScript classifier taking float32 [N, ...inputShape] raw inputs, returning logits
// [N, C]. The shape and classes come from `data`; the file is checked with a trial forward
// pass and a wrong input shape or output size is reported clearly.
models::Model loadTorchScript(const std::string& path, const data::Dataset& data);

// Is `path` a .senn model file (by magic), a TorchScript archive (zip), or neither?
enum class ModelFileKind { Senn, TorchScript, NotAModel };
ModelFileKind detectModelFile(const std::string& path);

// Metadata <-> JSON text (used by the file format, `senn info` and the GUI's model card).
std::string metaToJson(const models::ModelMeta& meta, int indent = 2);
models::ModelMeta metaFromJson(const std::string& json, const std::string& fileForErrors);

// CRC32 of a whole file (a post-hoc FLINT records its predictor file's). Throws senn::Error
// naming the file when it cannot be read.
uint32_t fileCrc32(const std::string& path);

// Atomic write helper: writes to PATH.tmp-XXXX then renames over PATH.
void writeFileAtomically(const std::string& path, const std::string& bytes);

} // namespace senn::io
