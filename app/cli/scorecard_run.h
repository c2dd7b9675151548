// `senn scorecard` in shards (sharded_run.h): the result's JSON split into its values and its
// timing (so that shards merge to the unsharded run byte for byte once the timing is removed),
// and the merge of the shards' results, which `senn merge` calls.
#pragma once
#include "core/metrics/scorecard.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace senn::cli {

// metrics::scorecardToJson without the seconds and threads, which go to scorecardTimingJson.
nlohmann::json scorecardValuesJson(const metrics::ScorecardResult& r);
nlohmann::json scorecardTimingJson(const metrics::ScorecardResult& r);

// The rows ("points") of a scorecard result; throws senn::Error naming `path`.
std::vector<int64_t> scorecardRowsOf(const nlohmann::json& result, const std::string& path);

struct ScorecardShard {
    std::string path;
    nlohmann::json result;
    std::vector<size_t> positions; // of its points in the run
};
// Writes the result of the whole run (rows: the run's points) from its shards to `out`.
void mergeScorecardShards(const std::string& out, const nlohmann::json& identity, const std::vector<int64_t>& rows,
                          const std::vector<ScorecardShard>& shards, double seconds);

} // namespace senn::cli
