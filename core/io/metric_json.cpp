// Results and records as JSON (metric_json.h).
#include "core/io/metric_json.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace senn::io {

using nlohmann::json;

json finiteJson(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json finiteJson(const std::vector<double>& v)
{
    json a = json::array();
    for (double x : v)
        a.push_back(finiteJson(x));
    return a;
}

double numberOrNan(const json& j) { return j.is_number() ? j.get<double>() : std::nan(""); }

namespace {

const double kNan = std::nan("");

json matrix(const std::vector<std::vector<double>>& m)
{
    json a = json::array();
    for (const auto& row : m)
        a.push_back(finiteJson(row));
    return a;
}

json curveJson(const metrics::Curve& c)
{
    return json{{"median", finiteJson(c.median)}, {"q25", finiteJson(c.q25)}, {"q75", finiteJson(c.q75)},
                {"per_point", matrix(c.perPoint)}};
}

[[noreturn]] void bad(const std::string& what, const std::string& key, const std::string& problem)
{
    throw Error(what + ": \"" + key + "\" " + problem);
}

const json& need(const json& j, const std::string& key, const std::string& what)
{
    if (!j.is_object() || !j.contains(key))
        bad(what, key, "is missing");
    return j.at(key);
}

std::vector<double> numbers(const json& j, const std::string& key, const std::string& what)
{
    if (!j.is_array())
        bad(what, key, "is not a list of numbers");
    std::vector<double> out;
    out.reserve(j.size());
    for (const auto& v : j) {
        if (!v.is_number() && !v.is_null())
            bad(what, key, "is not a list of numbers");
        out.push_back(numberOrNan(v));
    }
    return out;
}

std::vector<std::vector<double>> numberMatrix(const json& j, const std::string& key, const std::string& what,
                                              size_t rows, size_t cols)
{
    if (!j.is_array() || j.size() != rows)
        bad(what, key, "should list " + std::to_string(rows) + " rows");
    std::vector<std::vector<double>> out;
    for (const auto& r : j) {
        out.push_back(numbers(r, key, what));
        if (out.back().size() != cols)
            bad(what, key, "should have " + std::to_string(cols) + " values per row");
    }
    return out;
}

metrics::Curve curveFromJson(const json& j, const std::string& key, const std::string& what, size_t E, size_t P)
{
    metrics::Curve c;
    c.median = numbers(need(j, "median", what), key + ".median", what);
    c.q25 = numbers(need(j, "q25", what), key + ".q25", what);
    c.q75 = numbers(need(j, "q75", what), key + ".q75", what);
    c.perPoint = numberMatrix(need(j, "per_point", what), key + ".per_point", what, E, P);
    for (size_t p = 0; p < P; ++p) {
        bool any = false;
        for (size_t e = 0; e < E; ++e)
            any = any || std::isfinite(c.perPoint[e][p]);
        c.pointsDone += any ? 1 : 0;
    }
    return c;
}

// The timing of a result: the "timing" object, or the top level of files of earlier versions.
const json& timingOf(const json& j)
{
    if (j.contains("timing") && j.at("timing").is_object())
        return j.at("timing");
    return j;
}

std::vector<int64_t> pointsOf(const json& j, const std::string& what)
{
    const auto& p = need(j, "points", what);
    if (!p.is_array())
        bad(what, "points", "is not a list of rows");
    std::vector<int64_t> out;
    for (const auto& v : p) {
        if (!v.is_number_integer())
            bad(what, "points", "is not a list of rows");
        out.push_back(v.get<int64_t>());
    }
    return out;
}

// The median of the finite values, interpolated as metrics' quantile does; NaN when none.
double medianOf(std::vector<double> v)
{
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.empty())
        return kNan;
    std::sort(v.begin(), v.end());
    const double pos = 0.5 * double(v.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

} // namespace

json stabilityToJson(const metrics::StabilityResult& r, const std::vector<metrics::StabilityRecord>& records)
{
    const size_t E = r.eps.size(), P = r.points.size();
    json out;
    out["eps"] = r.eps;
    out["points"] = r.points;
    out["draws"] = r.draws;
    out["perturbed_accuracy"] = finiteJson(r.perturbedAccuracy);
    out["noise_draws"] = r.noiseDraws;
    out["prediction_kept"] = finiteJson(r.predictionKept);
    out["noisy_accuracy"] = finiteJson(r.noisyAccuracy);
    // What the accuracies count, per point (a merge adds them up again).
    std::map<std::string, std::vector<std::vector<double>>> correct;
    std::vector<std::vector<double>> kept(E, std::vector<double>(P, kNan)), noisyCorrect = kept;
    for (const auto& [id, c] : r.methods)
        correct[id].assign(E, std::vector<double>(P, kNan));
    for (const auto& rec : records) {
        if (rec.point >= P || r.points[rec.point] != rec.row)
            continue;
        auto it = correct.find(rec.method);
        for (size_t e = 0; e < E && it != correct.end() && e < rec.argmaxCorrect.size(); ++e)
            it->second[e][rec.point] = rec.argmaxCorrect[e];
        for (size_t e = 0; e < E && e < rec.kept.size() && e < rec.noisyCorrect.size(); ++e) {
            kept[e][rec.point] = rec.kept[e];
            noisyCorrect[e][rec.point] = rec.noisyCorrect[e];
        }
    }
    out["methods"] = json::object();
    for (const auto& [id, c] : r.methods) {
        auto m = curveJson(c);
        m["argmax_correct"] = matrix(correct[id]);
        out["methods"][id] = m;
    }
    out["moves"] = json::object();
    for (const auto& [id, c] : r.moves)
        out["moves"][id] = curveJson(c);
    if (r.noiseDraws > 0) {
        out["noise_kept"] = matrix(kept);
        out["noise_correct"] = matrix(noisyCorrect);
    }
    return out;
}

json stabilityTimingJson(const metrics::StabilityResult& r)
{
    json t;
    t["seconds"] = r.seconds;
    t["threads"] = r.threads;
    t["point_seconds"] = json::object();
    for (const auto& [id, v] : r.pointSeconds)
        t["point_seconds"][id] = finiteJson(v);
    return t;
}

json faithfulnessToJson(const metrics::FaithfulnessResult& r)
{
    json out;
    out["points"] = r.points;
    out["senn_attribution"] = r.sennAttribution;
    out["methods"] = json::object();
    for (const auto& [id, m] : r.methods) {
        json measures = json::object();
        for (const auto& [mid, v] : m.measures) {
            measures[mid] = {{"per_point", finiteJson(v)}, {"median", finiteJson(medianOf(v))}};
        }
        out["methods"][id] = {{"per_point", finiteJson(m.perPoint)},
                              {"median", finiteJson(m.median)},
                              {"faithfulness_correlation", finiteJson(m.faithfulnessCorrelation)},
                              {"infidelity", finiteJson(m.infidelity)},
                              {"infidelity_normalized", finiteJson(m.infidelityNormalized)},
                              {"measures", measures}};
    }
    return out;
}

json faithfulnessTimingJson(const metrics::FaithfulnessResult& r)
{
    json t;
    t["seconds"] = r.seconds;
    t["threads"] = r.threads;
    t["point_seconds"] = json::object();
    for (const auto& [id, m] : r.methods)
        t["point_seconds"][id] = finiteJson(m.seconds);
    return t;
}

metrics::StabilityResult stabilityFromJson(const json& j, const std::string& what)
{
    if (!j.is_object())
        throw Error(what + ": not a stability result (a JSON object is expected)");
    metrics::StabilityResult r;
    r.eps = numbers(need(j, "eps", what), "eps", what);
    r.points = pointsOf(j, what);
    const size_t E = r.eps.size(), P = r.points.size();
    if (j.contains("draws") && j.at("draws").is_string())
        r.draws = j.at("draws").get<std::string>();
    r.perturbedAccuracy = numbers(need(j, "perturbed_accuracy", what), "perturbed_accuracy", what);
    r.noiseDraws = j.value("noise_draws", 0);
    if (j.contains("prediction_kept"))
        r.predictionKept = numbers(j.at("prediction_kept"), "prediction_kept", what);
    if (j.contains("noisy_accuracy"))
        r.noisyAccuracy = numbers(j.at("noisy_accuracy"), "noisy_accuracy", what);
    const auto& methods = need(j, "methods", what);
    if (!methods.is_object() || methods.empty())
        bad(what, "methods", "lists no method");
    for (const auto& [id, c] : methods.items())
        r.methods[id] = curveFromJson(c, "methods." + id, what, E, P);
    if (j.contains("moves") && j.at("moves").is_object())
        for (const auto& [id, c] : j.at("moves").items())
            r.moves[id] = curveFromJson(c, "moves." + id, what, E, P);
    const auto& t = timingOf(j);
    r.seconds = t.contains("seconds") ? numberOrNan(t.at("seconds")) : 0.0;
    r.threads = t.contains("threads") && t.at("threads").is_number_integer() ? t.at("threads").get<int>() : 1;
    if (t.contains("point_seconds") && t.at("point_seconds").is_object())
        for (const auto& [id, v] : t.at("point_seconds").items())
            r.pointSeconds[id] = numbers(v, "point_seconds." + id, what);
    for (const auto& [id, c] : r.methods)
        if (r.pointSeconds[id].size() != P)
            r.pointSeconds[id].assign(P, kNan);
    return r;
}

metrics::FaithfulnessResult faithfulnessFromJson(const json& j, const std::string& what)
{
    if (!j.is_object())
        throw Error(what + ": not a faithfulness result (a JSON object is expected)");
    metrics::FaithfulnessResult r;
    r.points = pointsOf(j, what);
    const size_t P = r.points.size();
    if (j.contains("senn_attribution") && j.at("senn_attribution").is_string())
        r.sennAttribution = j.at("senn_attribution").get<std::string>();
    const auto& methods = need(j, "methods", what);
    if (!methods.is_object() || methods.empty())
        bad(what, "methods", "lists no method");
    const auto& t = timingOf(j);
    for (const auto& [id, m] : methods.items()) {
        metrics::FaithfulnessResult::PerMethod pm;
        auto perPoint = [&](const char* key) {
            if (!m.contains(key))
                return std::vector<double>(P, kNan);
            auto v = numbers(m.at(key), "methods." + id + "." + key, what);
            if (v.size() != P)
                bad(what, "methods." + id + "." + key, "should have one value per point");
            return v;
        };
        pm.perPoint = numbers(need(m, "per_point", what), "methods." + id + ".per_point", what);
        if (pm.perPoint.size() != P)
            bad(what, "methods." + id + ".per_point", "should have one value per point");
        pm.median = m.contains("median") ? numberOrNan(m.at("median")) : kNan;
        pm.faithfulnessCorrelation = perPoint("faithfulness_correlation");
        pm.infidelity = perPoint("infidelity");
        pm.infidelityNormalized = perPoint("infidelity_normalized");
        pm.seconds = perPoint("point_seconds"); // files of earlier versions
        if (t.contains("point_seconds") && t.at("point_seconds").contains(id)) {
            pm.seconds = numbers(t.at("point_seconds").at(id), "point_seconds." + id, what);
            if (pm.seconds.size() != P)
                bad(what, "point_seconds." + id, "should have one value per point");
        }
        if (m.contains("measures") && m.at("measures").is_object())
            for (const auto& [mid, v] : m.at("measures").items()) {
                pm.measures[mid] = numbers(need(v, "per_point", what), "methods." + id + ".measures." + mid, what);
                if (pm.measures[mid].size() != P)
                    bad(what, "methods." + id + ".measures." + mid, "should have one value per point");
            }
        for (double v : pm.perPoint)
            pm.pointsDone += std::isfinite(v) ? 1 : 0;
        r.methods[id] = std::move(pm);
    }
    r.seconds = t.contains("seconds") ? numberOrNan(t.at("seconds")) : 0.0;
    r.threads = t.contains("threads") && t.at("threads").is_number_integer() ? t.at("threads").get<int>() : 1;
    return r;
}

json recordToJson(const metrics::StabilityRecord& r)
{
    return json{{"method", r.method},
                {"point", r.point},
                {"row", r.row},
                {"lhat", finiteJson(r.lhat)},
                {"argmax_correct", finiteJson(r.argmaxCorrect)},
                {"moved", finiteJson(r.moved)},
                {"kept", finiteJson(r.kept)},
                {"noisy_correct", finiteJson(r.noisyCorrect)},
                {"seconds", finiteJson(r.seconds)}};
}

json recordToJson(const metrics::FaithfulnessRecord& r)
{
    json m = json::object();
    for (const auto& [id, v] : r.measures)
        m[id] = finiteJson(v);
    return json{{"method", r.method}, {"point", r.point}, {"row", r.row}, {"measures", m},
                {"seconds", finiteJson(r.seconds)}};
}

namespace {

template <class R>
void recordKeys(R& r, const json& j, const std::string& what)
{
    const auto& method = need(j, "method", what);
    const auto& point = need(j, "point", what);
    const auto& row = need(j, "row", what);
    if (!method.is_string() || !point.is_number_unsigned() || !row.is_number_integer())
        throw Error(what + ": a record with a malformed method, point or row");
    r.method = method.get<std::string>();
    r.point = point.get<size_t>();
    r.row = row.get<int64_t>();
    r.seconds = j.contains("seconds") ? numberOrNan(j.at("seconds")) : kNan;
}

} // namespace

metrics::StabilityRecord stabilityRecordFromJson(const json& j, const std::string& what)
{
    metrics::StabilityRecord r;
    recordKeys(r, j, what);
    r.lhat = numbers(need(j, "lhat", what), "lhat", what);
    r.argmaxCorrect = numbers(need(j, "argmax_correct", what), "argmax_correct", what);
    r.moved = numbers(need(j, "moved", what), "moved", what);
    r.kept = numbers(need(j, "kept", what), "kept", what);
    r.noisyCorrect = numbers(need(j, "noisy_correct", what), "noisy_correct", what);
    return r;
}

metrics::FaithfulnessRecord faithfulnessRecordFromJson(const json& j, const std::string& what)
{
    metrics::FaithfulnessRecord r;
    recordKeys(r, j, what);
    const auto& m = need(j, "measures", what);
    if (!m.is_object())
        bad(what, "measures", "is not an object");
    for (const auto& [id, v] : m.items()) {
        if (!v.is_number() && !v.is_null())
            bad(what, "measures." + id, "is not a number");
        r.measures[id] = numberOrNan(v);
    }
    return r;
}

std::vector<metrics::StabilityRecord> stabilityRecordsFromJson(const json& j, const std::string& what)
{
    const auto r = stabilityFromJson(j, what);
    const size_t E = r.eps.size(), P = r.points.size();
    const bool noise = r.noiseDraws > 0;
    std::vector<std::vector<double>> kept, noisyCorrect;
    if (noise) {
        kept = numberMatrix(need(j, "noise_kept", what), "noise_kept", what, E, P);
        noisyCorrect = numberMatrix(need(j, "noise_correct", what), "noise_correct", what, E, P);
    }
    std::vector<metrics::StabilityRecord> out;
    for (const auto& [id, c] : r.methods) {
        const auto correct = numberMatrix(need(j.at("methods").at(id), "argmax_correct", what),
                                          "methods." + id + ".argmax_correct", what, E, P);
        const auto mv = r.moves.find(id);
        if (noise && mv == r.moves.end())
            bad(what, "moves." + id, "is missing");
        for (size_t p = 0; p < P; ++p) {
            metrics::StabilityRecord rec;
            rec.method = id;
            rec.point = p;
            rec.row = r.points[p];
            rec.seconds = r.pointSeconds.at(id)[p];
            for (size_t e = 0; e < E; ++e) {
                rec.lhat.push_back(c.perPoint[e][p]);
                rec.argmaxCorrect.push_back(correct[e][p]);
                if (noise) {
                    rec.moved.push_back(mv->second.perPoint[e][p]);
                    rec.kept.push_back(kept[e][p]);
                    rec.noisyCorrect.push_back(noisyCorrect[e][p]);
                }
            }
            out.push_back(std::move(rec));
        }
    }
    return out;
}

std::vector<metrics::FaithfulnessRecord> faithfulnessRecordsFromJson(const json& j, const std::string& what)
{
    const auto r = faithfulnessFromJson(j, what);
    std::vector<metrics::FaithfulnessRecord> out;
    for (const auto& [id, m] : r.methods)
        for (size_t p = 0; p < r.points.size(); ++p) {
            metrics::FaithfulnessRecord rec;
            rec.method = id;
            rec.point = p;
            rec.row = r.points[p];
            rec.seconds = m.seconds[p];
            rec.measures["removal_correlation"] = m.perPoint[p];
            rec.measures["faithfulness_correlation"] = m.faithfulnessCorrelation[p];
            rec.measures["infidelity"] = m.infidelity[p];
            rec.measures["infidelity_normalized"] = m.infidelityNormalized[p];
            for (const auto& [mid, v] : m.measures)
                rec.measures[mid] = v[p];
            out.push_back(std::move(rec));
        }
    return out;
}

} // namespace senn::io
