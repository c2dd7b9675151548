// A stability or faithfulness result built from its points' records (point_records.h): what a
// resumed run or a merge of shards returns, equal value for value to the result of one run
// that computed every point itself.
#pragma once
#include "core/metrics/metrics.h"
#include "core/metrics/point_records.h"

#include <string>
#include <vector>

namespace senn::metrics {

// record.point is the position in `points`; points without records stay NaN (not done).
StabilityResult stabilityFromRecords(const std::vector<std::string>& methodIds,
                                     const std::vector<int64_t>& points, const std::vector<double>& eps,
                                     int noiseDraws, const std::string& draws,
                                     const std::vector<StabilityRecord>& records);

FaithfulnessResult faithfulnessFromRecords(const std::vector<std::string>& methodIds,
                                           const std::vector<int64_t>& points,
                                           const std::string& sennAttribution,
                                           const std::vector<FaithfulnessRecord>& records);

} // namespace senn::metrics
