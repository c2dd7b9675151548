// Sanity runs from records, and their JSON (sanity_records.h).
#include "core/metrics/sanity_records.h"

#include "core/common/error.h"
#include "core/metrics/metrics_internal.h"
#include "core/metrics/similarity.h"

#include <cmath>

namespace senn::metrics {

using nlohmann::json;

namespace {

const double kNan = std::nan("");

json finite(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json finiteArray(const std::vector<double>& v)
{
    json a = json::array();
    for (double x : v)
        a.push_back(finite(x));
    return a;
}

double numberOrNan(const json& j) { return j.is_number() ? j.get<double>() : kNan; }

std::vector<double> numbers(const json& j, size_t n, const std::string& what, const std::string& key)
{
    if (!j.is_array() || j.size() != n)
        throw Error(what + ": \"" + key + "\" should hold " + std::to_string(n) + " values, one per point");
    std::vector<double> out;
    for (const auto& x : j)
        out.push_back(numberOrNan(x));
    return out;
}

void summarise(SimilaritySeries& s)
{
    const size_t n = s.perPoint.size();
    s.median.assign(n, kNan);
    s.q25.assign(n, kNan);
    s.q75.assign(n, kNan);
    for (size_t k = 0; k < n; ++k) {
        s.median[k] = detail::quantile(s.perPoint[k], 0.5);
        s.q25[k] = detail::quantile(s.perPoint[k], 0.25);
        s.q75[k] = detail::quantile(s.perPoint[k], 0.75);
    }
}

json seriesJson(const SimilaritySeries& s)
{
    json perPoint = json::array();
    for (const auto& v : s.perPoint)
        perPoint.push_back(finiteArray(v));
    return {{"median", finiteArray(s.median)}, {"q25", finiteArray(s.q25)}, {"q75", finiteArray(s.q75)},
            {"per_point", perPoint}};
}

json byMeasure(const std::map<std::string, std::vector<double>>& m)
{
    json out = json::object();
    for (const auto& [measure, v] : m)
        out[measure] = finiteArray(v);
    return out;
}

template <class T>
T need(const json& j, const char* key, const std::string& what)
{
    if (!j.is_object() || !j.contains(key))
        throw Error(what + ": \"" + key + "\" is missing: not the result of senn sanity");
    try {
        return j.at(key).get<T>();
    } catch (const json::exception&) {
        throw Error(what + ": \"" + key + "\" has the wrong type");
    }
}

} // namespace

SanityResult sanityFromRecords(const SanityResult& layout, const std::vector<SanityRecord>& records)
{
    SanityResult res;
    res.mode = layout.mode;
    res.points = layout.points;
    res.layers = layout.layers;
    res.steps = layout.steps;
    res.methods = layout.methods;
    res.randomLogit = layout.randomLogit;
    res.dataRandomisation = layout.dataRandomisation;
    res.seed = layout.seed;
    res.threads = layout.threads;
    res.seconds = layout.seconds;
    const size_t P = res.points.size(), S = res.steps.size();
    for (const auto& id : res.methods) {
        SanityMethodResult r;
        for (const auto& measure : similarityMeasures()) {
            r.steps[measure].perPoint.assign(S, std::vector<double>(P, kNan));
            if (res.randomLogit)
                r.randomLogit[measure].assign(P, kNan);
            if (res.dataRandomisation)
                r.dataRandomisation[measure].assign(P, kNan);
        }
        r.example.resize(S);
        auto it = layout.results.find(id);
        if (it != layout.results.end()) {
            r.shape = it->second.shape;
            if (it->second.example.size() == S)
                r.example = it->second.example;
        }
        res.results[id] = std::move(r);
    }
    res.targets.assign(P, -1);
    if (res.randomLogit)
        res.randomTargets.assign(P, -1);
    // Steps whose every (method, point) is recorded, for stepsDone.
    std::vector<size_t> stepCount(S, 0);
    for (const auto& rec : records) {
        if (rec.point >= P || res.points[rec.point] != rec.row)
            throw Error("a sanity record of " + rec.method + " names point " + std::to_string(rec.point + 1) +
                        " (row " + std::to_string(rec.row) + "), which is not that point of this run");
        auto it = res.results.find(rec.method);
        if (it == res.results.end())
            throw Error("a sanity record names the method " + rec.method + ", which this run does not check");
        auto& r = it->second;
        auto fill = [&](auto&& slot) {
            for (const auto& [measure, v] : rec.similarity)
                if (auto* values = slot(measure))
                    (*values)[rec.point] = v;
        };
        if (rec.check == "step") {
            if (rec.step < 0 || size_t(rec.step) >= S)
                throw Error("a sanity record of " + rec.method + " names step " + std::to_string(rec.step) +
                            ", but the run has " + std::to_string(S) + " steps");
            fill([&](const std::string& m) -> std::vector<double>* {
                auto s = r.steps.find(m);
                return s == r.steps.end() ? nullptr : &s->second.perPoint[size_t(rec.step)];
            });
            if (rec.step == 0)
                res.targets[rec.point] = rec.target;
            stepCount[size_t(rec.step)] += 1;
        } else if (rec.check == "random_logit" && res.randomLogit) {
            fill([&](const std::string& m) -> std::vector<double>* {
                auto s = r.randomLogit.find(m);
                return s == r.randomLogit.end() ? nullptr : &s->second;
            });
            res.randomTargets[rec.point] = rec.target;
        } else if (rec.check == "data_randomisation" && res.dataRandomisation) {
            fill([&](const std::string& m) -> std::vector<double>* {
                auto s = r.dataRandomisation.find(m);
                return s == r.dataRandomisation.end() ? nullptr : &s->second;
            });
            res.randomisedEpochs = rec.epochs;
            res.randomisedAccuracy = rec.testAccuracy;
        } else {
            throw Error("a sanity record of " + rec.method + " is of the check \"" + rec.check +
                        "\", which this run does not make");
        }
    }
    res.stepsDone = 0;
    while (size_t(res.stepsDone) < S && stepCount[size_t(res.stepsDone)] >= P * res.methods.size())
        ++res.stepsDone;
    for (auto& [id, r] : res.results)
        for (auto& [measure, series] : r.steps)
            summarise(series);
    return res;
}

json sanityToJson(const SanityResult& r)
{
    json out;
    out["mode"] = r.mode;
    out["seed"] = r.seed;
    out["cancelled"] = r.cancelled;
    out["points"] = r.points;
    out["targets"] = r.targets;
    out["layers"] = r.layers;
    out["steps"] = r.steps;
    out["measures"] = similarityMeasures();
    out["methods"] = json::object();
    for (const auto& id : r.methods) {
        const auto& m = r.results.at(id);
        json j;
        j["steps"] = json::object();
        for (const auto& [measure, s] : m.steps)
            j["steps"][measure] = seriesJson(s);
        if (r.randomLogit)
            j["random_logit"] = byMeasure(m.randomLogit);
        if (r.dataRandomisation)
            j["data_randomisation"] = byMeasure(m.dataRandomisation);
        out["methods"][id] = j;
    }
    if (r.randomLogit)
        out["random_logit"] = {{"targets", r.randomTargets}};
    if (r.dataRandomisation)
        out["data_randomisation"] = {{"epochs", r.randomisedEpochs}, {"test_accuracy", finite(r.randomisedAccuracy)}};
    return out;
}

json sanityTimingJson(const SanityResult& r) { return {{"seconds", r.seconds}, {"threads", r.threads}}; }

SanityResult sanityFromJson(const json& j, const std::string& what)
{
    SanityResult r;
    r.mode = need<std::string>(j, "mode", what);
    r.seed = need<uint64_t>(j, "seed", what);
    r.points = need<std::vector<int64_t>>(j, "points", what);
    r.targets = need<std::vector<int>>(j, "targets", what);
    r.layers = need<std::vector<std::string>>(j, "layers", what);
    r.steps = need<std::vector<std::string>>(j, "steps", what);
    const json methods = need<json>(j, "methods", what);
    if (!methods.is_object())
        throw Error(what + ": \"methods\" should be an object");
    // The order asked, as the run's identity keeps it; else the JSON's.
    const json settings = j.contains("run") && j["run"].is_object() ? j["run"].value("settings", json::object()) : json::object();
    if (settings.contains("methods") && settings["methods"].is_array())
        r.methods = settings["methods"].get<std::vector<std::string>>();
    else
        for (const auto& [id, m] : methods.items())
            r.methods.push_back(id);
    r.randomLogit = j.contains("random_logit");
    r.dataRandomisation = j.contains("data_randomisation");
    if (r.randomLogit)
        r.randomTargets = need<std::vector<int>>(need<json>(j, "random_logit", what), "targets", what);
    if (r.dataRandomisation) {
        const json d = need<json>(j, "data_randomisation", what);
        r.randomisedEpochs = need<int>(d, "epochs", what);
        r.randomisedAccuracy = numberOrNan(d.value("test_accuracy", json()));
    }
    r.cancelled = j.value("cancelled", false);
    if (j.contains("timing") && j["timing"].is_object()) {
        r.seconds = numberOrNan(j["timing"].value("seconds", json()));
        r.threads = j["timing"].value("threads", 1);
    }
    const size_t P = r.points.size(), S = r.steps.size();
    if (r.targets.size() != P || (r.randomLogit && r.randomTargets.size() != P))
        throw Error(what + ": \"targets\" should hold one class per point");
    for (const auto& id : r.methods) {
        if (!methods.contains(id))
            throw Error(what + ": the method " + id + " is missing from \"methods\"");
        const json& m = methods[id];
        SanityMethodResult out;
        const json steps = need<json>(m, "steps", what);
        for (const auto& [measure, s] : steps.items()) {
            SimilaritySeries series;
            const json perPoint = need<json>(s, "per_point", what);
            if (!perPoint.is_array() || perPoint.size() != S)
                throw Error(what + ": " + id + "'s " + measure + " should hold one row per step");
            for (const auto& row : perPoint)
                series.perPoint.push_back(numbers(row, P, what, "per_point"));
            summarise(series);
            out.steps[measure] = std::move(series);
        }
        if (r.randomLogit) {
            const json values = need<json>(m, "random_logit", what);
            for (const auto& [measure, v] : values.items())
                out.randomLogit[measure] = numbers(v, P, what, "random_logit");
        }
        if (r.dataRandomisation) {
            const json values = need<json>(m, "data_randomisation", what);
            for (const auto& [measure, v] : values.items())
                out.dataRandomisation[measure] = numbers(v, P, what, "data_randomisation");
        }
        out.example.resize(S);
        r.results[id] = std::move(out);
    }
    r.stepsDone = int(S);
    return r;
}

std::vector<SanityRecord> sanityRecordsFromJson(const json& j, const std::string& what)
{
    const SanityResult r = sanityFromJson(j, what);
    std::vector<SanityRecord> out;
    const size_t P = r.points.size();
    for (const auto& id : r.methods) {
        const auto& m = r.results.at(id);
        for (size_t p = 0; p < P; ++p) {
            SanityRecord base;
            base.method = id;
            base.point = p;
            base.row = r.points[p];
            for (size_t s = 0; s < r.steps.size(); ++s) {
                SanityRecord rec = base;
                rec.step = int(s);
                rec.target = r.targets[p];
                for (const auto& [measure, series] : m.steps)
                    rec.similarity[measure] = series.perPoint[s][p];
                out.push_back(std::move(rec));
            }
            if (r.randomLogit) {
                SanityRecord rec = base;
                rec.check = "random_logit";
                rec.target = r.randomTargets[p];
                for (const auto& [measure, v] : m.randomLogit)
                    rec.similarity[measure] = v[p];
                out.push_back(std::move(rec));
            }
            if (r.dataRandomisation) {
                SanityRecord rec = base;
                rec.check = "data_randomisation";
                rec.target = r.targets[p];
                rec.epochs = r.randomisedEpochs;
                rec.testAccuracy = r.randomisedAccuracy;
                for (const auto& [measure, v] : m.dataRandomisation)
                    rec.similarity[measure] = v[p];
                out.push_back(std::move(rec));
            }
        }
    }
    return out;
}

json sanityRecordToJson(const SanityRecord& r)
{
    json sims = json::object();
    for (const auto& [measure, v] : r.similarity)
        sims[measure] = finite(v);
    json j = {{"method", r.method}, {"point", r.point},   {"row", r.row},
              {"check", r.check},   {"target", r.target}, {"similarity", sims}};
    if (r.check == "step")
        j["step"] = r.step;
    if (r.check == "data_randomisation") {
        j["epochs"] = r.epochs;
        j["test_accuracy"] = finite(r.testAccuracy);
    }
    return j;
}

SanityRecord sanityRecordFromJson(const json& j, const std::string& what)
{
    SanityRecord r;
    const std::string w = what + ": a sanity record";
    r.method = need<std::string>(j, "method", w);
    r.point = need<size_t>(j, "point", w);
    r.row = need<int64_t>(j, "row", w);
    r.check = need<std::string>(j, "check", w);
    r.target = need<int>(j, "target", w);
    if (r.check == "step")
        r.step = need<int>(j, "step", w);
    if (r.check == "data_randomisation") {
        r.epochs = need<int>(j, "epochs", w);
        r.testAccuracy = numberOrNan(j.value("test_accuracy", json()));
    }
    const json sims = need<json>(j, "similarity", w);
    if (!sims.is_object())
        throw Error(w + ": \"similarity\" should be an object");
    for (const auto& [measure, v] : sims.items())
        r.similarity[measure] = numberOrNan(v);
    return r;
}

} // namespace senn::metrics
