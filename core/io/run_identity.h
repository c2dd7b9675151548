// What makes the shards of one run belong together, and a result file whole: the run's
// identity (model and data hashes, every setting, seed, code version), a description of the
// first difference between two identities, and a checksum over a result's values.
#pragma once
#include "core/data/dataset.h"

#include <nlohmann/json.hpp>

#include <string>

namespace senn::io {

// SHA-256 of the data as the model sees it: shape, values and labels (not the file's bytes,
// so the same rows in another copy or folder have the same hash).
std::string datasetSha256(const data::Dataset& data);

// The identity object of a run: {"command", "code", "model": {"path", "sha256"},
// "data": {"path", "sha256", "rows"}, "settings": {...}, "points": count}.
nlohmann::json runIdentity(const std::string& command, const std::string& modelPath,
                           const data::Dataset& data, const std::string& dataPath,
                           const nlohmann::json& settings, size_t points);

// "" when two identities describe the same run, else what differs, for a person ("the model
// file differs (sha256 1a2b… against 9f8e…)"). The paths do not count: shards may run where
// the same files sit in other folders.
std::string identityDifference(const nlohmann::json& a, const nlohmann::json& b);

// CRC32 (8 hex digits) of a result's JSON without its "checksum" and "timing" keys.
std::string resultChecksum(const nlohmann::json& result);
// Sets result["checksum"]; checksumMatches is true when it is there and right.
void addChecksum(nlohmann::json& result);
bool checksumMatches(const nlohmann::json& result);

// The code version written into identities ("senn 0.1.0").
std::string codeVersion();

} // namespace senn::io
