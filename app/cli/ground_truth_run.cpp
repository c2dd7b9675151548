// ground_truth_run.h: the ground-truth JSON as a sharded run writes it, and the merge of shards.
#include "cli/ground_truth_run.h"

#include "cli/sharded_run.h"
#include "core/common/error.h"

#include <cmath>

namespace senn::cli {

using nlohmann::json;

namespace {

// The run's settings echoed in its result, equal in every shard.
const char* const kHeadKeys[] = {"model", "data", "truth", "absolute", "output", "seed"};

} // namespace

json groundTruthValuesJson(const json& head, const metrics::GroundTruthResult& r)
{
    json out = metrics::groundTruthMethodsJson(r);
    for (const char* k : kHeadKeys)
        if (head.contains(k))
            out[k] = head[k];
    return out;
}

json groundTruthTimingJson(const metrics::GroundTruthResult& r, double seconds, int threads)
{
    json t = {{"seconds", seconds}, {"threads", threads}, {"method_seconds", json::object()}};
    for (const auto& m : r.methods)
        t["method_seconds"][m.id] = m.seconds;
    return t;
}

std::vector<int64_t> groundTruthRowsOf(const json& result, const std::string& path)
{
    if (!result.contains("points") || !result["points"].is_array())
        throw Error(path + ": \"points\" is missing");
    return result["points"].get<std::vector<int64_t>>();
}

void mergeGroundTruthShards(const std::string& out, const json& identity, const std::vector<int64_t>& rows,
                            const std::vector<GroundTruthShard>& shards, double seconds)
{
    metrics::GroundTruthResult whole;
    whole.points = rows;
    const size_t P = rows.size();
    for (const auto& s : shards) {
        const auto part = metrics::groundTruthFromJson(s.result, s.path);
        if (whole.methods.empty()) {
            for (const auto& m : part.methods) {
                metrics::GroundTruthMethod w;
                w.id = m.id;
                w.name = m.name;
                w.source = m.source;
                for (auto* v : {&w.mass, &w.rank, &w.pointing, &w.topK, &w.irrelevant})
                    v->assign(P, std::nan(""));
                whole.methods.push_back(std::move(w));
            }
        }
        if (part.methods.size() != whole.methods.size())
            throw Error(s.path + ": its methods are not those of " + shards.front().path);
        for (size_t m = 0; m < whole.methods.size(); ++m) {
            auto& w = whole.methods[m];
            const auto& p = part.methods[m];
            if (p.id != w.id)
                throw Error(s.path + ": its methods are not those of " + shards.front().path);
            w.skipped = w.skipped || p.skipped;
            const std::vector<double>* from[] = {&p.mass, &p.rank, &p.pointing, &p.topK, &p.irrelevant};
            std::vector<double>* to[] = {&w.mass, &w.rank, &w.pointing, &w.topK, &w.irrelevant};
            for (size_t k = 0; k < 5; ++k)
                for (size_t i = 0; i < s.positions.size(); ++i)
                    (*to[k])[s.positions[i]] = (*from[k])[i];
        }
    }
    writeRunResult(out, groundTruthValuesJson(shards.front().result, whole), identity, Shard{},
                   json{{"seconds", seconds}, {"shards", shards.size()}});
}

} // namespace senn::cli
