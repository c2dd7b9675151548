#include "core/io/explanation_json.h"

#include "core/common/error.h"
#include "core/explain/explanation_label.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

namespace senn::io {

using nlohmann::json;

namespace {

constexpr const char* kOutputLogit = "output_logit"; // earlier files' form of "output"

json finite(double v)
{
    return std::isfinite(v) ? json(v) : json(nullptr);
}

// The reader's checks: each names the entry and the field, as nlohmann's own errors do not.
struct Reader {
    const json& j;
    const std::string& where;

    Error bad(const std::string& key, const std::string& what) const
    {
        return Error(where + ": field \"" + key + "\" " + what);
    }
    const json* find(const std::string& key) const
    {
        const auto it = j.find(key);
        return it == j.end() ? nullptr : &*it;
    }
    const json& array(const std::string& key) const
    {
        const json* a = find(key);
        if (!a->is_array())
            throw bad(key, std::string("is ") + a->type_name() + ", not a list");
        return *a;
    }
    // Numbers; null (how a value that is not finite is written) reads as NaN.
    double number(const json& v, const std::string& key) const
    {
        if (v.is_null())
            return std::numeric_limits<double>::quiet_NaN();
        if (!v.is_number())
            throw bad(key, std::string("holds ") + v.type_name() + ", not a number");
        return v.get<double>();
    }
    // An integer within [lo, hi]; a float with an integral value passes (5.0 for 5).
    int64_t integer(const json& v, const std::string& key, int64_t lo, int64_t hi) const
    {
        const double d = v.is_number() ? v.get<double>() : std::nan("");
        if (!(d >= double(lo) && d <= double(hi)) || d != std::trunc(d))
            throw bad(key, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
        return v.is_number_integer() ? v.get<int64_t>() : int64_t(d);
    }
    std::vector<float> floats(const std::string& key) const
    {
        std::vector<float> out;
        if (!find(key))
            return out;
        for (const json& v : array(key)) {
            const double d = number(v, key);
            if (std::isfinite(d) && std::fabs(d) > double(std::numeric_limits<float>::max()))
                throw bad(key, "holds a value beyond a float's range");
            out.push_back(float(d));
        }
        return out;
    }
    template <class T>
    std::vector<T> integers(const std::string& key, int64_t lo) const
    {
        std::vector<T> out;
        if (!find(key))
            return out;
        for (const json& v : array(key))
            out.push_back(T(integer(v, key, lo, std::numeric_limits<T>::max())));
        return out;
    }
    std::string text(const json& v, const std::string& key) const
    {
        if (!v.is_string())
            throw bad(key, std::string("holds ") + v.type_name() + ", not a text");
        return v.get<std::string>();
    }
};

// Earlier files without "output" or "output_logit": the sampling methods and occlusion
// explained the probability, every other method the logit.
explain::Output legacyOutput(const std::string& method)
{
    const bool probability = method == "lime" || method == "kernel-shap" || method == "shapley" || method == "occlusion";
    return probability ? explain::Output::Probability : explain::Output::Logit;
}

} // namespace

json explanationToJson(const explain::Explanation& e)
{
    json j;
    j["method"] = e.method;
    j["label"] = explain::explanationLabel(e);
    j["output"] = explain::outputId(e.output);
    j["target"] = e.target;
    j["values"] = e.values;
    j["shape"] = e.shape;
    j["seconds"] = e.seconds;
    j["model_rows"] = e.modelRows;
    json diag = json::object();
    for (const auto& [k, v] : e.diagnostics)
        diag[k] = finite(v);
    diag[kOutputLogit] = e.output == explain::Output::Logit ? 1 : 0;
    j["diagnostics"] = diag;
    if (!e.labels.empty())
        j["labels"] = e.labels;
    if (!e.h.empty()) {
        j["h"] = e.h;
        j["contribution"] = e.contribution;
    }
    if (!e.baseline.empty())
        j["baseline"] = e.baseline;
    if (!e.segments.empty())
        j["segments"] = e.segments;
    if (!e.standardError.empty())
        j["standard_error"] = e.standardError;
    // Repeated over seeds (uncertainty.h): seed_runs alone when the method had nothing random.
    // Order agreement is NaN for the last-ranked feature and intervals where a run was not
    // finite: those become null.
    if (e.seedRuns > 0)
        j["seed_runs"] = e.seedRuns;
    auto finiteArray = [](const std::vector<float>& v) {
        json a = json::array();
        for (float x : v)
            a.push_back(finite(double(x)));
        return a;
    };
    if (!e.intervalLow.empty()) {
        j["interval_low"] = finiteArray(e.intervalLow);
        j["interval_high"] = finiteArray(e.intervalHigh);
    }
    if (!e.orderAgreement.empty())
        j["order_agreement"] = finiteArray(e.orderAgreement);
    return j;
}

std::string explanationToJsonText(const explain::Explanation& e, int indent)
{
    return explanationToJson(e).dump(indent);
}

explain::Explanation explanationFromJson(const json& j, const std::string& where)
{
    if (!j.is_object())
        throw Error(where + ": an explanation must be a JSON object, not " + j.type_name());
    const Reader r{j, where};
    explain::Explanation e;
    if (!r.find("method"))
        throw r.bad("method", "is missing");
    e.method = r.text(j.at("method"), "method");
    if (!r.find("values"))
        throw r.bad("values", "is missing");
    e.values = r.floats("values");
    if (r.find("target"))
        e.target = int(r.integer(j.at("target"), "target", -1, std::numeric_limits<int>::max()));
    e.shape = r.integers<int64_t>("shape", 0);
    int64_t size = 1;
    for (int64_t s : e.shape)
        size = s > 0 && size > std::numeric_limits<int64_t>::max() / s ? -1 : size * s;
    if (!e.shape.empty() && size != int64_t(e.values.size()))
        throw r.bad("shape", "does not match the " + std::to_string(e.values.size()) + " values");
    if (r.find("labels"))
        for (const json& v : r.array("labels"))
            e.labels.push_back(r.text(v, "labels"));
    e.h = r.floats("h");
    e.contribution = r.floats("contribution");
    e.baseline = r.floats("baseline");
    e.standardError = r.floats("standard_error");
    e.segments = r.integers<int>("segments", 0);
    e.intervalLow = r.floats("interval_low");
    e.intervalHigh = r.floats("interval_high");
    e.orderAgreement = r.floats("order_agreement");
    if (r.find("seed_runs"))
        e.seedRuns = int(r.integer(j.at("seed_runs"), "seed_runs", 1, std::numeric_limits<int>::max()));
    if ((r.find("interval_low") != nullptr) != (r.find("interval_high") != nullptr))
        throw r.bad(r.find("interval_low") ? "interval_high" : "interval_low",
                    "is missing: intervals need both interval_low and interval_high");
    for (const char* key : {"h", "contribution", "standard_error", "interval_low", "interval_high", "order_agreement"})
        if (r.find(key) && r.array(key).size() != e.values.size())
            throw r.bad(key, "has " + std::to_string(r.array(key).size()) + " entries; values has " +
                                 std::to_string(e.values.size()));
    if (r.find("seconds"))
        e.seconds = r.number(j.at("seconds"), "seconds");
    if (r.find("model_rows"))
        e.modelRows = r.integer(j.at("model_rows"), "model_rows", 0, std::numeric_limits<int64_t>::max());
    if (r.find("diagnostics")) {
        const json& d = j.at("diagnostics");
        if (!d.is_object())
            throw r.bad("diagnostics", std::string("is ") + d.type_name() + ", not an object");
        for (const auto& [k, v] : d.items())
            e.diagnostics[k] = r.number(v, "diagnostics." + k);
    }
    // The explained output: the field, else the diagnostic earlier files carried, else the
    // method's output in those files. The diagnostic is not kept: e.output says it.
    const auto logitFlag = e.diagnostics.find(kOutputLogit);
    if (r.find("output")) {
        try {
            e.output = explain::outputFromId(r.text(j.at("output"), "output"));
        } catch (const Error& err) {
            throw r.bad("output", err.what());
        }
    } else if (logitFlag != e.diagnostics.end()) {
        e.output = logitFlag->second != 0 ? explain::Output::Logit : explain::Output::Probability;
    } else {
        e.output = legacyOutput(e.method);
    }
    if (logitFlag != e.diagnostics.end())
        e.diagnostics.erase(logitFlag);
    return e;
}

explain::Explanation explanationFromJsonText(const std::string& text, const std::string& where)
{
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded())
        throw Error(where + ": not valid JSON");
    return explanationFromJson(j, where);
}

} // namespace senn::io
