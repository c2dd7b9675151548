// A sanity run point by point (sanity.h): the values of one finished (method, point, check),
// as a shard's results file stores them, the run resumed from them, and its result rebuilt from
// records, which is what a merge of shards returns. Every value of a point derives from the
// run's seed and the point's row, so the records of any shards give the unsharded result.
#pragma once
#include "core/metrics/sanity.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace senn::metrics {

// The checks of a point: "step" (model randomisation step `step`, 0 = the original model),
// "random_logit" and "data_randomisation".
struct SanityRecord {
    std::string method;
    size_t point = 0;                         // position in the run's points
    int64_t row = 0;                          // the point's row in the data
    std::string check = "step";
    int step = 0;                             // check "step" only
    int target = -1;                          // the class explained
    std::map<std::string, double> similarity; // by measure id (similarity.h); NaN where undefined
    // check "data_randomisation": the retrained model's epochs and test accuracy.
    int epochs = 0;
    double testAccuracy = 0;
};

struct SanityRecording {
    // Whether (method index, point index, check, step) is recorded already: a resumed run
    // computes only the rest (it explains a point on the original model again only when a
    // later check of it needs that explanation).
    std::function<bool(size_t method, size_t point, const std::string& check, int step)> done;
    // Called, serialised, with every finished (method, point, check); point = index in points.
    std::function<void(const SanityRecord&)> record;
};

// sanityChecks (sanity.h) with records; the returned result holds only what this call computed.
SanityResult sanityChecks(const std::vector<std::string>& methods, const models::Model& model,
                          const explain::ExplainContext& ctx, const std::vector<int64_t>& points,
                          const explain::ExplainOptions& explainOptions, const SanityOptions& options,
                          const SanityRecording& recording, const jobs::ProgressFn& progress = {},
                          const jobs::CancelToken& cancel = {});

// The result of `layout`'s run (its mode, layers, steps, methods, points, seed and which tests
// run) with the values of `records` (point = position in layout.points); what no record holds
// stays NaN (targets −1). Summaries as sanityChecks computes them.
SanityResult sanityFromRecords(const SanityResult& layout, const std::vector<SanityRecord>& records);

// The result's values as `senn sanity --json` writes them (cli.md): everything but the seconds
// and threads (sanityTimingJson), so that equal points give equal bytes.
nlohmann::json sanityToJson(const SanityResult& r);
nlohmann::json sanityTimingJson(const SanityResult& r);
// A result written by sanityToJson: the layout and values. Throws senn::Error naming `what`.
SanityResult sanityFromJson(const nlohmann::json& j, const std::string& what);
// The records of every point of such a result (point = its position in "points").
std::vector<SanityRecord> sanityRecordsFromJson(const nlohmann::json& j, const std::string& what);

nlohmann::json sanityRecordToJson(const SanityRecord& r);
SanityRecord sanityRecordFromJson(const nlohmann::json& j, const std::string& what);

} // namespace senn::metrics
