// `senn explain --all`: the explanations of every row of a split (or of a shard's share) as
// one float32 .npy array per method, [rows, ...shape], and a JSON listing the rows, methods,
// shapes and each array's SHA-256; `senn merge` joins the shards' arrays in the run's order.
#pragma once
#include "cli/options.h"
#include "cli/sharded_run.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace senn::cli {

int cmdExplainAll(const ExplainArgs& args);

// One shard's listing for a merge: its path, its JSON, and the run positions of its rows.
struct ExplainShard {
    std::string path;
    nlohmann::json result;
    std::vector<size_t> positions;
    Shard shard;
};
std::vector<int64_t> explainRowsOf(const nlohmann::json& result, const std::string& path);
// Writes OUT (the listing) and OUT's stem + "_METHOD.npy" for the whole run.
void mergeExplainShards(const std::string& out, const nlohmann::json& identity,
                        const std::vector<int64_t>& rows, const std::vector<ExplainShard>& shards,
                        double seconds);

} // namespace senn::cli
