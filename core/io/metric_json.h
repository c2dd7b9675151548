// Stability and faithfulness results as the JSON that `senn stability|faithfulness|merge`
// write (cli.md), read back (the app opens a merged or a shard's result), and the per-point
// records of a results file (point_records.h) to and from JSON. Keys are sorted and numbers
// written shortest-exact, so equal results give equal bytes; NaN is written as null.
#pragma once
#include "core/metrics/metrics.h"
#include "core/metrics/point_records.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace senn::io {

// The result's values: everything but the timing (timingJson) and the run's identity. A
// stability result also lists, per point, what its accuracies count (the prediction at L̂'s
// argmax, the noise draws that keep the prediction or the label), from `records` (any order;
// those of points not in r.points are ignored), so that results of shards merge exactly.
nlohmann::json stabilityToJson(const metrics::StabilityResult& r,
                               const std::vector<metrics::StabilityRecord>& records);
nlohmann::json faithfulnessToJson(const metrics::FaithfulnessResult& r);
// Seconds of the whole run, points in parallel and seconds per (method, point).
nlohmann::json stabilityTimingJson(const metrics::StabilityResult& r);
nlohmann::json faithfulnessTimingJson(const metrics::FaithfulnessResult& r);

// A result written by *ToJson (with or without "timing"; files of earlier versions, with the
// timing at the top level, too). Throws senn::Error naming `what` (the file) when a key is
// missing or has the wrong shape.
metrics::StabilityResult stabilityFromJson(const nlohmann::json& j, const std::string& what);
metrics::FaithfulnessResult faithfulnessFromJson(const nlohmann::json& j, const std::string& what);

// One finished (method, point) as a results file stores it, and back.
nlohmann::json recordToJson(const metrics::StabilityRecord& r);
nlohmann::json recordToJson(const metrics::FaithfulnessRecord& r);
metrics::StabilityRecord stabilityRecordFromJson(const nlohmann::json& j, const std::string& what);
metrics::FaithfulnessRecord faithfulnessRecordFromJson(const nlohmann::json& j, const std::string& what);

// The records of every finished point of a result JSON (point = its position in "points"):
// what a merge takes from a shard's result. Throws senn::Error naming `what`.
std::vector<metrics::StabilityRecord> stabilityRecordsFromJson(const nlohmann::json& j, const std::string& what);
std::vector<metrics::FaithfulnessRecord> faithfulnessRecordsFromJson(const nlohmann::json& j, const std::string& what);

// Numbers with NaN and infinities as null, and back.
nlohmann::json finiteJson(double v);
nlohmann::json finiteJson(const std::vector<double>& v);
double numberOrNan(const nlohmann::json& j);

} // namespace senn::io
