// ground_truth_records.h: the records of `senn ground-truth` and its result rebuilt from them.
#include "core/metrics/ground_truth_records.h"

#include "core/common/error.h"
#include "core/metrics/localisation.h"
#include "core/metrics/metrics_internal.h"

#include <cmath>
#include <limits>

namespace senn::metrics {

using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The five scores in the JSON's order and names.
const char* const kScoreNames[] = {"mass_accuracy", "rank_accuracy", "pointing_game", "top_k_intersection",
                                   "irrelevant_mass"};

json number(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

json numbers(const std::vector<double>& v)
{
    json a = json::array();
    for (double x : v)
        a.push_back(number(x));
    return a;
}

double numberOf(const json& j, const char* key, const std::string& what)
{
    if (!j.contains(key))
        throw Error(what + ": a record lacks \"" + key + "\"");
    const auto& x = j[key];
    if (!x.is_null() && !x.is_number())
        throw Error(what + ": \"" + key + "\" should be a number or null");
    return x.is_null() ? kNaN : x.get<double>();
}

std::vector<double> numbersOf(const json& a, const std::string& what)
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

std::vector<double>* scoresOf(GroundTruthMethod& m, size_t k)
{
    std::vector<double>* all[] = {&m.mass, &m.rank, &m.pointing, &m.topK, &m.irrelevant};
    return all[k];
}

json summaryJson(const std::vector<double>& v)
{
    const auto s = summarise(v);
    return {{"median", number(s.median)}, {"max", number(s.max)}, {"mean", number(s.mean)}, {"n", s.n}};
}

} // namespace

GroundTruthResult groundTruthFromRecords(const std::vector<GroundTruthMethod>& layout,
                                         const std::vector<int64_t>& points,
                                         const std::vector<GroundTruthRecord>& records)
{
    GroundTruthResult r;
    r.points = points;
    const size_t P = points.size();
    for (const auto& l : layout) {
        GroundTruthMethod m;
        m.id = l.id;
        m.name = l.name;
        m.source = l.source;
        for (size_t k = 0; k < 5; ++k)
            scoresOf(m, k)->assign(P, kNaN);
        r.methods.push_back(std::move(m));
    }
    for (const auto& rec : records) {
        size_t m = 0;
        while (m < r.methods.size() && r.methods[m].id != rec.method)
            ++m;
        if (m == r.methods.size())
            throw Error("a ground-truth record of \"" + rec.method + "\", which is not one of the run's methods");
        if (rec.point >= P || points[rec.point] != rec.row)
            throw Error("a ground-truth record of " + rec.method + " at point " + std::to_string(rec.point + 1) +
                        " (row " + std::to_string(rec.row) + "), which is not one of the run's points");
        auto& out = r.methods[m];
        out.skipped = out.skipped || !rec.onInput;
        const double v[] = {rec.mass, rec.rank, rec.pointing, rec.topK, rec.irrelevant};
        for (size_t k = 0; k < 5; ++k)
            (*scoresOf(out, k))[rec.point] = v[k];
        out.seconds += rec.seconds;
        ++out.pointsDone;
    }
    return r;
}

json groundTruthRecordToJson(const GroundTruthRecord& r)
{
    json j = {{"method", r.method}, {"point", r.point}, {"row", r.row}, {"on_input", r.onInput}};
    const double v[] = {r.mass, r.rank, r.pointing, r.topK, r.irrelevant};
    for (size_t k = 0; k < 5; ++k)
        j[kScoreNames[k]] = number(v[k]);
    j["seconds"] = r.seconds;
    return j;
}

GroundTruthRecord groundTruthRecordFromJson(const json& j, const std::string& what)
{
    if (!j.is_object() || !j.contains("method") || !j["method"].is_string() || !j.contains("point") ||
        !j["point"].is_number_unsigned() || !j.contains("row") || !j["row"].is_number_integer() ||
        !j.contains("on_input") || !j["on_input"].is_boolean())
        throw Error(what + ": not a ground-truth record (method, point, row, on_input, scores)");
    GroundTruthRecord r;
    r.method = j["method"].get<std::string>();
    r.point = j["point"].get<size_t>();
    r.row = j["row"].get<int64_t>();
    r.onInput = j["on_input"].get<bool>();
    double* v[] = {&r.mass, &r.rank, &r.pointing, &r.topK, &r.irrelevant};
    for (size_t k = 0; k < 5; ++k)
        *v[k] = numberOf(j, kScoreNames[k], what);
    r.seconds = j.contains("seconds") && j["seconds"].is_number() ? j["seconds"].get<double>() : 0.0;
    return r;
}

json groundTruthMethodsJson(const GroundTruthResult& r)
{
    json methods = json::array();
    for (auto m : r.methods) {
        json j;
        j["method"] = m.id;
        j["name"] = m.name;
        if (!m.source.empty())
            j["source"] = m.source;
        if (m.skipped) {
            j["skipped"] = "its values are on concepts, not on the input";
            methods.push_back(j);
            continue;
        }
        json perPoint, summary;
        for (size_t k = 0; k < 5; ++k) {
            perPoint[kScoreNames[k]] = numbers(*scoresOf(m, k));
            summary[kScoreNames[k]] = summaryJson(*scoresOf(m, k));
        }
        j["per_point"] = perPoint;
        j["summary"] = summary;
        methods.push_back(j);
    }
    return {{"points", r.points}, {"methods", methods}};
}

GroundTruthResult groundTruthFromJson(const json& j, const std::string& what)
{
    if (!j.is_object() || !j.contains("points") || !j["points"].is_array() || !j.contains("methods") ||
        !j["methods"].is_array())
        throw Error(what + ": not a ground-truth result (\"points\" and \"methods\" are expected)");
    GroundTruthResult r;
    for (const auto& p : j["points"]) {
        if (!p.is_number_integer())
            throw Error(what + ": \"points\" should be row numbers");
        r.points.push_back(p.get<int64_t>());
    }
    const size_t P = r.points.size();
    for (const auto& mj : j["methods"]) {
        if (!mj.is_object() || !mj.contains("method") || !mj["method"].is_string())
            throw Error(what + ": a method without its \"method\" id");
        GroundTruthMethod m;
        m.id = mj["method"].get<std::string>();
        m.name = mj.value("name", m.id);
        m.source = mj.value("source", std::string());
        m.skipped = mj.contains("skipped");
        for (size_t k = 0; k < 5; ++k) {
            auto& v = *scoresOf(m, k);
            if (m.skipped) {
                v.assign(P, kNaN);
                continue;
            }
            if (!mj.contains("per_point") || !mj["per_point"].contains(kScoreNames[k]))
                throw Error(what + ": " + m.id + " lacks per_point." + kScoreNames[k]);
            v = numbersOf(mj["per_point"][kScoreNames[k]], what + ": " + m.id + " per_point." + kScoreNames[k]);
            if (v.size() != P)
                throw Error(what + ": " + m.id + " has " + std::to_string(v.size()) + " " + kScoreNames[k] +
                            " values for " + std::to_string(P) + " points");
        }
        m.pointsDone = P;
        r.methods.push_back(std::move(m));
    }
    return r;
}

void groundTruthParallel(int64_t n, int threads, const std::function<void(int64_t)>& task)
{
    detail::parallelTasks(n, detail::resolveThreads(threads), task);
}

} // namespace senn::metrics
