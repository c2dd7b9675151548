// `senn ground-truth` in shards (sharded_run.h): the result's JSON split into its values and its
// timing, so that shards merge to the unsharded run byte for byte once the timing is removed,
// and the merge of the shards' results, which `senn merge` calls.
#pragma once
#include "core/metrics/ground_truth_records.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace senn::cli {

// The result's values: `head` (model, data, truth, absolute, output, seed) with the points and
// the methods' scores of `r`.
nlohmann::json groundTruthValuesJson(const nlohmann::json& head, const metrics::GroundTruthResult& r);
nlohmann::json groundTruthTimingJson(const metrics::GroundTruthResult& r, double seconds, int threads);

// The rows ("points") of a ground-truth result; throws senn::Error naming `path`.
std::vector<int64_t> groundTruthRowsOf(const nlohmann::json& result, const std::string& path);

struct GroundTruthShard {
    std::string path;
    nlohmann::json result;
    std::vector<size_t> positions; // of its points in the run
};
// Writes the result of the whole run (rows: the run's points) from its shards to `out`.
void mergeGroundTruthShards(const std::string& out, const nlohmann::json& identity, const std::vector<int64_t>& rows,
                            const std::vector<GroundTruthShard>& shards, double seconds);

} // namespace senn::cli
