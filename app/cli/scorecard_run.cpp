// scorecard_run.h: the scorecard's JSON as a sharded run writes it, and the merge of shards.
#include "cli/scorecard_run.h"

#include "cli/sharded_run.h"
#include "core/common/error.h"
#include "core/metrics/scorecard_export.h"
#include "core/metrics/scorecard_records.h"

#include <cmath>

namespace senn::cli {

using nlohmann::json;

json scorecardValuesJson(const metrics::ScorecardResult& r)
{
    json j = metrics::scorecardToJson(r);
    for (const char* key : {"seconds", "threads", "explain_seconds"})
        j.erase(key);
    for (auto& m : j["measures"]) {
        m.erase("seconds");
        m.erase("seconds_per_point");
    }
    return j;
}

json scorecardTimingJson(const metrics::ScorecardResult& r)
{
    json t = {{"seconds", r.seconds}, {"threads", r.threads}, {"explain_seconds", r.explainSeconds}};
    t["measure_seconds"] = json::object();
    for (size_t k = 0; k < r.measures.size() && k < r.measureSeconds.size(); ++k)
        t["measure_seconds"][r.measures[k].id] = r.measureSeconds[k];
    return t;
}

std::vector<int64_t> scorecardRowsOf(const json& result, const std::string& path)
{
    if (!result.contains("points") || !result["points"].is_array())
        throw Error(path + ": \"points\" is missing");
    return result["points"].get<std::vector<int64_t>>();
}

void mergeScorecardShards(const std::string& out, const json& identity, const std::vector<int64_t>& rows,
                          const std::vector<ScorecardShard>& shards, double seconds)
{
    metrics::ScorecardResult whole;
    for (const auto& s : shards) {
        const auto part = metrics::scorecardFromJson(s.result, s.path);
        if (whole.methods.empty()) {
            whole = part;
            whole.points = rows;
            for (auto& byMeasure : whole.values)
                for (auto& v : byMeasure)
                    v.assign(rows.size(), std::nan(""));
            std::fill(whole.pointsDone.begin(), whole.pointsDone.end(), 0);
        } else if (part.methods != whole.methods || part.measures.size() != whole.measures.size()) {
            throw Error(s.path + ": its rows or measures are not those of " + shards.front().path);
        }
        for (size_t m = 0; m < whole.methods.size(); ++m) {
            whole.pointsDone[m] += part.pointsDone[m];
            for (size_t k = 0; k < whole.measures.size(); ++k)
                for (size_t i = 0; i < s.positions.size(); ++i)
                    whole.values[m][k][s.positions[i]] = part.values[m][k][i];
        }
    }
    metrics::summarizeScorecard(whole);
    writeRunResult(out, scorecardValuesJson(whole), identity, Shard{},
                   json{{"seconds", seconds}, {"shards", shards.size()}});
}

} // namespace senn::cli
