// scorecard_records.h: a scorecard's records and its JSON read back into a result.
#include "core/metrics/scorecard_records.h"

#include "core/common/error.h"

#include <cmath>
#include <limits>

namespace senn::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::json numbers(const std::vector<double>& v)
{
    nlohmann::json a = nlohmann::json::array();
    for (double x : v)
        a.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr));
    return a;
}

std::vector<double> numbersOf(const nlohmann::json& a, const std::string& what)
{
    if (!a.is_array())
        throw Error(what + ": a list of numbers is expected");
    std::vector<double> v;
    for (const auto& x : a) {
        if (!x.is_null() && !x.is_number())
            throw Error(what + ": a list of numbers is expected");
        v.push_back(x.is_null() ? kNaN : x.get<double>());
    }
    return v;
}

} // namespace

ScorecardResult scorecardFromRecords(const ScorecardResult& layout, const std::vector<int64_t>& points,
                                     const std::vector<ScorecardRecord>& records)
{
    ScorecardResult r;
    r.points = points;
    r.methods = layout.methods;
    r.sources = layout.sources;
    r.reasons = layout.reasons;
    r.measures = layout.measures;
    r.bootstrap = layout.bootstrap;
    r.level = layout.level;
    r.seed = layout.seed;
    r.threads = layout.threads;
    r.cancelled = layout.cancelled;
    const size_t M = r.methods.size(), K = r.measures.size(), P = points.size();
    r.values.assign(M, std::vector<std::vector<double>>(K, std::vector<double>(P, kNaN)));
    r.pointsDone.assign(M, 0);
    r.measureSeconds.assign(K, 0.0);
    for (const auto& rec : records) {
        size_t m = 0;
        while (m < M && r.methods[m] != rec.method)
            ++m;
        if (m == M)
            throw Error("a record names the row " + rec.method + ", which this scorecard does not have");
        if (rec.point >= P || points[rec.point] != rec.row)
            throw Error("a record of " + rec.method + " names point " + std::to_string(rec.point + 1) + " (row " +
                        std::to_string(rec.row) + "), which is not a point of this run");
        if (rec.values.size() != K)
            throw Error("a record of " + rec.method + " has " + std::to_string(rec.values.size()) +
                        " values for " + std::to_string(K) + " measures");
        for (size_t k = 0; k < K; ++k) {
            r.values[m][k][rec.point] = rec.values[k];
            r.measureSeconds[k] += k < rec.seconds.size() && std::isfinite(rec.seconds[k]) ? rec.seconds[k] : 0.0;
        }
        r.explainSeconds += rec.explainSeconds;
        r.pointsDone[m] += 1;
    }
    summarizeScorecard(r);
    return r;
}

nlohmann::json scorecardRecordToJson(const ScorecardRecord& r)
{
    return {{"method", r.method},          {"point", r.point},         {"row", r.row},
            {"values", numbers(r.values)}, {"seconds", numbers(r.seconds)}, {"explain_seconds", r.explainSeconds}};
}

ScorecardRecord scorecardRecordFromJson(const nlohmann::json& j, const std::string& what)
{
    if (!j.is_object() || !j.contains("method") || !j["method"].is_string() || !j.contains("point") ||
        !j["point"].is_number_unsigned() || !j.contains("row") || !j["row"].is_number_integer() || !j.contains("values"))
        throw Error(what + ": a record is not one of a scorecard run");
    ScorecardRecord r;
    r.method = j["method"].get<std::string>();
    r.point = j["point"].get<size_t>();
    r.row = j["row"].get<int64_t>();
    r.values = numbersOf(j["values"], what);
    if (j.contains("seconds"))
        r.seconds = numbersOf(j["seconds"], what);
    r.explainSeconds = j.value("explain_seconds", 0.0);
    return r;
}

ScorecardResult scorecardFromJson(const nlohmann::json& j, const std::string& what)
{
    auto need = [&](const char* key) -> const nlohmann::json& {
        if (!j.is_object() || !j.contains(key))
            throw Error(what + ": not a scorecard result (\"" + key + "\" is missing)");
        return j[key];
    };
    ScorecardResult r;
    try {
        r.points = need("points").get<std::vector<int64_t>>();
        r.methods = need("methods").get<std::vector<std::string>>();
        r.seed = need("seed").get<uint64_t>();
        r.bootstrap = need("bootstrap").get<int>();
        r.level = need("level").get<double>();
        for (const auto& m : need("measures"))
            r.measures.push_back(scorecardMeasure(m.at("id").get<std::string>()));
        const auto& cells = need("cells");
        const size_t K = r.measures.size();
        for (const auto& id : r.methods) {
            if (!cells.contains(id))
                throw Error(what + ": the cells of " + id + " are missing");
            const auto& row = cells[id];
            r.sources.push_back(row.value("source", std::string()));
            r.pointsDone.push_back(row.at("points_done").get<int>());
            std::vector<std::string> why(K);
            std::vector<std::vector<double>> values(K);
            for (size_t k = 0; k < K; ++k) {
                const auto& cell = row.at(r.measures[k].id);
                why[k] = cell.value("reason", std::string());
                values[k] = numbersOf(cell.at("per_point"), what);
                if (values[k].size() != r.points.size())
                    throw Error(what + ": " + id + "'s " + r.measures[k].id + " has " +
                                std::to_string(values[k].size()) + " values for " +
                                std::to_string(r.points.size()) + " points");
            }
            r.reasons.push_back(why);
            r.values.push_back(values);
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(what + ": not a scorecard result (" + e.what() + ")");
    }
    return r;
}

} // namespace senn::metrics
