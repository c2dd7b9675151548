// A scorecard rebuilt from its finished (row, point) records or from the JSON of a run, as a
// resumed run and a merge of shards need it, and a record as JSON (a line of the results file
// of `senn scorecard --shard`). Plain C++ and nlohmann-json.
#pragma once
#include "core/metrics/scorecard.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace senn::metrics {

// The result of `layout`'s rows and measures (methods, sources, reasons, measures, bootstrap,
// level, seed) at `points`, each record's values at its point (record.point = index in
// points), summarised. Throws senn::Error for a record of another row, point or measure count.
ScorecardResult scorecardFromRecords(const ScorecardResult& layout, const std::vector<int64_t>& points,
                                     const std::vector<ScorecardRecord>& records);

// NaN as null, both ways. `what` names the file in errors.
nlohmann::json scorecardRecordToJson(const ScorecardRecord& r);
ScorecardRecord scorecardRecordFromJson(const nlohmann::json& j, const std::string& what);

// The rows, measures, per-point values and points done of a result written by
// scorecardToJson (scorecard_export.h), not summarised. Throws senn::Error naming `what`.
ScorecardResult scorecardFromJson(const nlohmann::json& j, const std::string& what);

} // namespace senn::metrics
