// ModelMeta <-> JSON: the model card stored in .senn files and shown by `senn info`.
#include "core/common/error.h"
#include "core/common/limits.h"
#include "core/io/model_file.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

namespace senn::io {

using nlohmann::json;

namespace {

// Integers from an untrusted file. nlohmann's value<int>() / get<int>() cast whatever number
// is stored (static_cast): 2.7e21 into an int is undefined behaviour and 4294967297 silently
// wraps. Every integer field goes through here instead: a JSON integer in T's range, or a
// float with an integral value in range (older writers may store 5.0); anything else is an
// error that names the field.
template <typename T>
T checkedInteger(const json& v, const std::string& key)
{
    static_assert(std::is_integral_v<T>);
    const auto bad = [&](const std::string& what) {
        return Error("field \"" + key + "\" " + what + " (expected an integer from " +
                     std::to_string(std::numeric_limits<T>::min()) + " to " +
                     std::to_string(std::numeric_limits<T>::max()) + ")");
    };
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
            throw bad("is " + std::to_string(u) + ", out of range");
        return static_cast<T>(u);
    }
    if (v.is_number_integer()) {
        const auto i = v.get<std::int64_t>();
        if (i < 0 && !std::is_signed_v<T>)
            throw bad("is " + std::to_string(i) + ", out of range");
        if (std::is_signed_v<T> && (i < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
                                    i > static_cast<std::int64_t>(std::numeric_limits<T>::max())))
            throw bad("is " + std::to_string(i) + ", out of range");
        return static_cast<T>(i);
    }
    if (v.is_number_float()) {
        const double d = v.get<double>();
        // Bounds as exact doubles: min is 0 or -2^(bits-1); max + 1 is a power of two.
        const double lo = static_cast<double>(std::numeric_limits<T>::min());
        const double hiExclusive = std::ldexp(1.0, std::numeric_limits<T>::digits);
        if (!std::isfinite(d) || d != std::trunc(d) || d < lo || d >= hiExclusive)
            throw bad("is not an integer in range");
        return static_cast<T>(d);
    }
    throw bad(std::string("is ") + v.type_name());
}

template <typename T>
T integerOr(const json& j, const char* key, T fallback)
{
    if (!j.contains(key))
        return fallback;
    return checkedInteger<T>(j.at(key), key);
}

template <typename T>
std::vector<T> integersOr(const json& j, const char* key, std::vector<T> fallback)
{
    if (!j.contains(key))
        return fallback;
    const json& a = j.at(key);
    if (!a.is_array())
        throw Error(std::string("field \"") + key + "\" is " + a.type_name() + ", not a list of integers");
    std::vector<T> out;
    out.reserve(a.size());
    for (const auto& v : a)
        out.push_back(checkedInteger<T>(v, key));
    return out;
}

// Floats for the standardizer: finite and within float's range (a double beyond it has no
// float value: converting it is undefined behaviour).
std::vector<float> floatsOr(const json& j, const char* key)
{
    if (!j.contains(key))
        return {};
    const json& a = j.at(key);
    if (!a.is_array())
        throw Error(std::string("field \"") + key + "\" is " + a.type_name() + ", not a list of numbers");
    std::vector<float> out;
    out.reserve(a.size());
    for (const auto& v : a) {
        if (!v.is_number())
            throw Error(std::string("field \"") + key + "\" holds " + v.type_name() + ", not a number");
        const double d = v.get<double>();
        if (!std::isfinite(d) || std::fabs(d) > double(std::numeric_limits<float>::max()))
            throw Error(std::string("field \"") + key + "\" holds a value that is not a finite float");
        out.push_back(static_cast<float>(d));
    }
    return out;
}

// NaN / inf are written as null by nlohmann; read them back as NaN.
double numberOr(const json& j, const char* key, double fallback)
{
    if (!j.contains(key))
        return fallback;
    const auto& v = j.at(key);
    if (v.is_null())
        return std::numeric_limits<double>::quiet_NaN();
    if (!v.is_number())
        throw Error(std::string("field \"") + key + "\" is " + v.type_name() + ", not a number");
    return v.get<double>();
}

// Typed reads that name the field: nlohmann's own type errors do not.
const json& objectAt(const json& j, const char* key)
{
    if (!j.contains(key))
        throw Error(std::string("field \"") + key + "\" is missing");
    const json& v = j.at(key);
    if (!v.is_object())
        throw Error(std::string("field \"") + key + "\" is " + v.type_name() + ", not an object");
    return v;
}

std::string checkedString(const json& v, const char* key)
{
    if (!v.is_string())
        throw Error(std::string("field \"") + key + "\" holds " + v.type_name() + ", not a string");
    std::string s = v.get<std::string>();
    if (int64_t(s.size()) > limits::kMaxNameBytes)
        throw Error(std::string("field \"") + key + "\" holds a text of " + std::to_string(s.size()) +
                    " bytes; at most " + std::to_string(limits::kMaxNameBytes));
    return s;
}

std::string stringOr(const json& j, const char* key, const std::string& fallback)
{
    return j.contains(key) ? checkedString(j.at(key), key) : fallback;
}

bool boolOr(const json& j, const char* key, bool fallback)
{
    if (!j.contains(key))
        return fallback;
    const json& v = j.at(key);
    if (!v.is_boolean())
        throw Error(std::string("field \"") + key + "\" is " + v.type_name() + ", not true or false");
    return v.get<bool>();
}

std::vector<std::string> stringsOr(const json& j, const char* key)
{
    if (!j.contains(key))
        return {};
    const json& a = j.at(key);
    if (!a.is_array())
        throw Error(std::string("field \"") + key + "\" is " + a.type_name() + ", not a list of strings");
    std::vector<std::string> out;
    out.reserve(a.size());
    for (const auto& v : a)
        out.push_back(checkedString(v, key));
    return out;
}

// The stored standardizer divides every input: a deviation of 0, denormal or negative would
// turn the inputs into inf, NaN or mirrored values, and one of the wrong length would not fit
// the input. Training never writes one below 1e-8 (Standardizer::fit leaves such a feature
// unscaled), so nothing smaller is a real file.
void checkStandardizer(const models::ModelMeta& m)
{
    const auto& st = m.standardizer;
    if (st.std.empty())
        return;
    const auto& shape = m.inputShape;
    double expected = 1;
    for (auto s : shape)
        expected *= double(s);
    if (st.perChannel && shape.size() == 3)
        expected = double(shape[0]);
    if (double(st.std.size()) != expected)
        throw Error("field \"std\" (standardizer) has " + std::to_string(st.std.size()) +
                    " values; input_shape " + [&] {
                        std::string t;
                        for (size_t i = 0; i < shape.size(); ++i)
                            t += (i ? "x" : "") + std::to_string(shape[i]);
                        return t;
                    }() + " needs " + std::to_string(int64_t(std::min(expected, 9e18))) +
                    (st.perChannel ? " (one per channel)" : " (one per feature)"));
    for (size_t i = 0; i < st.std.size(); ++i)
        if (!(st.std[i] >= 1e-8f)) {
            char v[32];
            std::snprintf(v, sizeof v, "%g", double(st.std[i]));
            throw Error("field \"std\" (standardizer) value " + std::to_string(i) + " is " + v +
                        "; a standard deviation must be at least 1e-08");
        }
}

json epochToJson(const models::EpochRecord& r)
{
    return json{{"epoch", r.epoch},
                {"loss", r.loss},
                {"ce", r.ce},
                {"robustness", r.robustness},
                {"reconstruction", r.reconstruction},
                {"sparsity", r.sparsity},
                {"rrr", r.rrr},
                {"train_accuracy", r.trainAccuracy},
                {"val_accuracy", r.valAccuracy},
                {"val_loss", r.valLoss},
                {"seconds", r.seconds},
                {"lr", r.lr}};
}

models::EpochRecord epochFromJson(const json& j)
{
    if (!j.is_object())
        throw Error(std::string("a history entry is ") + j.type_name() + ", not an object");
    models::EpochRecord r;
    r.epoch = integerOr(j, "epoch", 0);
    r.loss = numberOr(j, "loss", 0);
    r.ce = numberOr(j, "ce", 0);
    r.robustness = numberOr(j, "robustness", 0);
    r.reconstruction = numberOr(j, "reconstruction", 0);
    r.sparsity = numberOr(j, "sparsity", 0);
    r.rrr = numberOr(j, "rrr", 0);
    r.trainAccuracy = numberOr(j, "train_accuracy", 0);
    r.valAccuracy = numberOr(j, "val_accuracy", 0);
    r.valLoss = numberOr(j, "val_loss", 0);
    r.seconds = numberOr(j, "seconds", 0);
    r.lr = numberOr(j, "lr", 0);
    return r;
}

} // namespace

std::string metaToJson(const models::ModelMeta& m, int indent)
{
    const auto& c = m.config;
    json config{{"kind", models::toString(c.kind)},
                {"concepts", models::toString(c.concepts)},
                {"k", c.k},
                {"bias_concept", c.biasConcept},
                {"lambda", c.lambda},
                {"penalty", models::toString(c.penalty)},
                {"penalty_samples", c.penaltySamples},
                {"xi", c.xi},
                {"zeta", c.zeta},
                {"hidden", c.hidden},
                {"linear_skip", c.linearSkip},
                {"rrr_lambda", c.rrrLambda},
                {"rrr_mask", c.rrrMask},
                {"attributes", c.attributes}};
    json train{{"epochs", m.train.epochs},
               {"batch", m.train.batch},
               {"lr", m.train.lr},
               {"seed", m.train.seed},
               {"threads", m.train.threads},
               {"patience", m.train.patience},
               {"schedule", m.train.schedule},
               {"keep", m.train.keep},
               {"l2", m.train.l2}};
    json history = json::array();
    for (const auto& r : m.history)
        history.push_back(epochToJson(r));
    json j{{"format_version", m.formatVersion},
           {"model", config},
           {"train", train},
           {"data_kind", m.dataKind == data::DataKind::Image ? "image" : "tabular"},
           {"input_shape", m.inputShape},
           {"class_names", m.classNames},
           {"feature_names", m.featureNames},
           {"standardizer",
            {{"mean", m.standardizer.mean},
             {"std", m.standardizer.std},
             {"per_channel", m.standardizer.perChannel}}},
           {"split",
            {{"seed", m.splitSeed},
             {"train_fraction", m.trainFraction},
             {"val_fraction", m.valFraction},
             {"limit", m.limit}}},
           {"data_source", m.dataSource},
           {"target_name", m.targetName},
           {"transforms", m.transforms},
           {"metrics", m.metrics},
           {"history", history},
           {"best_epoch", m.bestEpoch},
           {"stop_reason", m.stopReason},
           {"created_at", m.createdAt},
           {"torchscript_path", m.torchScriptPath}};
    if (!m.flintPredictor.empty() || !m.flintHiddenLayer.empty())
        j["flint_predictor"] = json{{"path", m.flintPredictor},
                                    {"hidden_layer", m.flintHiddenLayer},
                                    {"crc32", m.flintPredictorCrc}};
    return j.dump(indent, ' ', false, json::error_handler_t::replace); // invalid UTF-8 never stops a save
}

models::ModelMeta metaFromJson(const std::string& text, const std::string& file)
{
    models::ModelMeta m;
    try {
        const json j = json::parse(text);
        if (!j.is_object())
            throw Error::inFile(file, "the model metadata is not a JSON object", "The file is corrupt");
        m.formatVersion = integerOr(j, "format_version", 1);
        const json& c = objectAt(j, "model");
        if (!c.contains("kind"))
            throw Error("field \"kind\" is missing");
        m.config.kind = models::modelKindFromString(checkedString(c.at("kind"), "kind"));
        m.config.concepts = models::conceptKindFromString(stringOr(c, "concepts", "autoencoder"));
        m.config.k = integerOr(c, "k", 5);
        m.config.biasConcept = boolOr(c, "bias_concept", false);
        m.config.lambda = numberOr(c, "lambda", 1e-4);
        m.config.penalty = models::penaltyModeFromString(stringOr(c, "penalty", "exact"));
        m.config.penaltySamples = integerOr(c, "penalty_samples", 1);
        m.config.xi = numberOr(c, "xi", 1.0);
        m.config.zeta = numberOr(c, "zeta", 2e-5);
        m.config.hidden = integersOr(c, "hidden", std::vector<int>{});
        m.config.linearSkip = boolOr(c, "linear_skip", false);
        m.config.rrrLambda = numberOr(c, "rrr_lambda", 0.0);
        m.config.rrrMask = stringOr(c, "rrr_mask", "");
        m.config.attributes = integerOr(c, "attributes", 25);
        if (j.contains("train")) {
            const json& t = objectAt(j, "train");
            m.train.epochs = integerOr(t, "epochs", 10);
            m.train.batch = integerOr(t, "batch", 128);
            m.train.lr = numberOr(t, "lr", 1e-3);
            m.train.seed = integerOr(t, "seed", std::uint64_t{0});
            m.train.threads = integerOr(t, "threads", 0);
            // Files from before early stopping ran every epoch with a constant rate.
            m.train.patience = integerOr(t, "patience", 0);
            m.train.schedule = stringOr(t, "schedule", "none");
            m.train.keep = stringOr(t, "keep", "best");
            m.train.l2 = numberOr(t, "l2", 0.0); // files from before the L2 default: none
        }
        m.dataKind = stringOr(j, "data_kind", "tabular") == "image" ? data::DataKind::Image
                                                                             : data::DataKind::Tabular;
        if (!j.contains("input_shape"))
            throw Error("field \"input_shape\" is missing");
        m.inputShape = integersOr(j, "input_shape", std::vector<std::int64_t>{});
        if (!j.contains("class_names"))
            throw Error("field \"class_names\" is missing");
        m.classNames = stringsOr(j, "class_names");
        m.featureNames = stringsOr(j, "feature_names");
        if (j.contains("standardizer")) {
            const json& s = objectAt(j, "standardizer");
            m.standardizer.mean = floatsOr(s, "mean");
            m.standardizer.std = floatsOr(s, "std");
            m.standardizer.perChannel = boolOr(s, "per_channel", false);
            if (m.standardizer.mean.size() != m.standardizer.std.size())
                throw Error::inFile(file, "the stored standardizer has " +
                                              std::to_string(m.standardizer.mean.size()) + " means but " +
                                              std::to_string(m.standardizer.std.size()) + " deviations",
                                    "The file is corrupt");
            checkStandardizer(m);
        }
        if (j.contains("split")) {
            const json& s = objectAt(j, "split");
            m.splitSeed = integerOr(s, "seed", std::uint64_t{0});
            m.trainFraction = numberOr(s, "train_fraction", 0.8);
            m.valFraction = numberOr(s, "val_fraction", 0.1);
            m.limit = integerOr(s, "limit", std::int64_t{-1});
        }
        m.dataSource = stringOr(j, "data_source", "");
        m.targetName = stringOr(j, "target_name", "");
        m.transforms = stringsOr(j, "transforms");
        if (j.contains("metrics"))
            for (const auto& [key, value] : objectAt(j, "metrics").items()) {
                if (!value.is_null() && !value.is_number())
                    throw Error("field \"metrics\" holds " + std::string(value.type_name()) + ", not a number");
                m.metrics[key] = value.is_null() ? std::numeric_limits<double>::quiet_NaN()
                                                 : value.get<double>();
            }
        if (j.contains("history")) {
            if (!j.at("history").is_array())
                throw Error(std::string("field \"history\" is ") + j.at("history").type_name() + ", not a list");
            for (const auto& r : j.at("history"))
                m.history.push_back(epochFromJson(r));
        }
        m.bestEpoch = integerOr(j, "best_epoch", -1);
        m.stopReason = stringOr(j, "stop_reason", "");
        m.createdAt = stringOr(j, "created_at", "");
        m.torchScriptPath = stringOr(j, "torchscript_path", "");
        if (j.contains("flint_predictor")) {
            const json& p = objectAt(j, "flint_predictor");
            m.flintPredictor = stringOr(p, "path", "");
            m.flintHiddenLayer = stringOr(p, "hidden_layer", "");
            m.flintPredictorCrc = integerOr(p, "crc32", std::uint32_t{0});
        }
    } catch (const json::exception& e) {
        throw Error::inFile(file, std::string("bad model metadata: ") + e.what(),
                            "The file is corrupt or was not written by SENN Studio");
    } catch (const Error& e) {
        const std::string what = e.what();
        if (what.rfind(file, 0) == 0)
            throw;
        throw Error::inFile(file, "bad model metadata: " + what);
    }
    return m;
}

} // namespace senn::io
