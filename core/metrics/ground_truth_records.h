// `senn ground-truth` as records: one record per (method, point) with that point's localisation
// scores, the result rebuilt from them (so that one whole run, a resumed shard and a merge of
// shards write the same values), the records and the result as JSON, and the pool that runs
// the points. Torch-free.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace senn::metrics {

// The scores of one method at one point (localisation.h); NaN = undefined there.
struct GroundTruthRecord {
    std::string method;   // the method's id or a file's name
    size_t point = 0;     // position in the run's points
    int64_t row = -1;     // row id in the data
    bool onInput = true;  // false: the values are on concepts, so no mask applies
    double mass = 0, rank = 0, pointing = 0, topK = 0, irrelevant = 0;
    double seconds = 0;   // the explanation's
};

// One row of the result: per-point scores in the order of the result's points.
struct GroundTruthMethod {
    std::string id, name, source; // source: the file of attributions, "" for a method
    bool skipped = false;          // its values are on concepts, not on the input
    std::vector<double> mass, rank, pointing, topK, irrelevant;
    double seconds = 0;
    size_t pointsDone = 0;
};

struct GroundTruthResult {
    std::vector<int64_t> points;
    std::vector<GroundTruthMethod> methods;
};

// The result of `layout`'s rows (id, name, source) at `points` from the records (record.point =
// index in points). Throws senn::Error for a record of another row or point.
GroundTruthResult groundTruthFromRecords(const std::vector<GroundTruthMethod>& layout,
                                         const std::vector<int64_t>& points,
                                         const std::vector<GroundTruthRecord>& records);

// NaN as null, both ways. `what` names the file in errors.
nlohmann::json groundTruthRecordToJson(const GroundTruthRecord& r);
GroundTruthRecord groundTruthRecordFromJson(const nlohmann::json& j, const std::string& what);

// The "points" and "methods" of a result as `senn ground-truth --json` writes them (per-point
// scores and their summaries, without timing), and read back (summaries ignored). Throws
// senn::Error naming `what`.
nlohmann::json groundTruthMethodsJson(const GroundTruthResult& r);
GroundTruthResult groundTruthFromJson(const nlohmann::json& j, const std::string& what);

// Runs task(i) for i in [0, n) on `threads` workers of the metrics' pool (1: in this thread).
void groundTruthParallel(int64_t n, int threads, const std::function<void(int64_t)>& task);

} // namespace senn::metrics
