// ModelMeta <-> JSON: the model card stored in .senn files and shown by `senn info`.
#include "core/common/error.h"
#include "core/io/model_file.h"

#include <nlohmann/json.hpp>

#include <cmath>
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
    return v.get<double>();
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
        const json& c = j.at("model");
        m.config.kind = models::modelKindFromString(c.at("kind").get<std::string>());
        m.config.concepts = models::conceptKindFromString(c.value("concepts", std::string("autoencoder")));
        m.config.k = integerOr(c, "k", 5);
        m.config.biasConcept = c.value("bias_concept", false);
        m.config.lambda = numberOr(c, "lambda", 1e-4);
        m.config.penalty = models::penaltyModeFromString(c.value("penalty", std::string("exact")));
        m.config.penaltySamples = integerOr(c, "penalty_samples", 1);
        m.config.xi = numberOr(c, "xi", 1.0);
        m.config.zeta = numberOr(c, "zeta", 2e-5);
        m.config.hidden = integersOr(c, "hidden", std::vector<int>{});
        m.config.linearSkip = c.value("linear_skip", false);
        m.config.rrrLambda = numberOr(c, "rrr_lambda", 0.0);
        m.config.rrrMask = c.value("rrr_mask", std::string());
        m.config.attributes = integerOr(c, "attributes", 25);
        if (j.contains("train")) {
            const json& t = j.at("train");
            m.train.epochs = integerOr(t, "epochs", 10);
            m.train.batch = integerOr(t, "batch", 128);
            m.train.lr = numberOr(t, "lr", 1e-3);
            m.train.seed = integerOr(t, "seed", std::uint64_t{0});
            m.train.threads = integerOr(t, "threads", 0);
            // Files from before early stopping ran every epoch with a constant rate.
            m.train.patience = integerOr(t, "patience", 0);
            m.train.schedule = t.value("schedule", std::string("none"));
            m.train.l2 = numberOr(t, "l2", 0.0); // files from before the L2 default: none
        }
        m.dataKind = j.value("data_kind", std::string("tabular")) == "image" ? data::DataKind::Image
                                                                             : data::DataKind::Tabular;
        if (!j.contains("input_shape"))
            throw Error("field \"input_shape\" is missing");
        m.inputShape = integersOr(j, "input_shape", std::vector<std::int64_t>{});
        m.classNames = j.at("class_names").get<std::vector<std::string>>();
        m.featureNames = j.value("feature_names", std::vector<std::string>{});
        if (j.contains("standardizer")) {
            const json& s = j.at("standardizer");
            m.standardizer.mean = floatsOr(s, "mean");
            m.standardizer.std = floatsOr(s, "std");
            m.standardizer.perChannel = s.value("per_channel", false);
            if (m.standardizer.mean.size() != m.standardizer.std.size())
                throw Error::inFile(file, "the stored standardizer has " +
                                              std::to_string(m.standardizer.mean.size()) + " means but " +
                                              std::to_string(m.standardizer.std.size()) + " deviations",
                                    "The file is corrupt");
        }
        if (j.contains("split")) {
            const json& s = j.at("split");
            m.splitSeed = integerOr(s, "seed", std::uint64_t{0});
            m.trainFraction = numberOr(s, "train_fraction", 0.8);
            m.valFraction = numberOr(s, "val_fraction", 0.1);
            m.limit = integerOr(s, "limit", std::int64_t{-1});
        }
        m.dataSource = j.value("data_source", std::string());
        m.targetName = j.value("target_name", std::string());
        m.transforms = j.value("transforms", std::vector<std::string>{});
        if (j.contains("metrics"))
            for (const auto& [key, value] : j.at("metrics").items())
                m.metrics[key] = value.is_null() ? std::numeric_limits<double>::quiet_NaN()
                                                 : value.get<double>();
        if (j.contains("history"))
            for (const auto& r : j.at("history"))
                m.history.push_back(epochFromJson(r));
        m.bestEpoch = integerOr(j, "best_epoch", -1);
        m.stopReason = j.value("stop_reason", std::string());
        m.createdAt = j.value("created_at", std::string());
        m.torchScriptPath = j.value("torchscript_path", std::string());
        if (j.contains("flint_predictor")) {
            const json& p = j.at("flint_predictor");
            m.flintPredictor = p.value("path", std::string());
            m.flintHiddenLayer = p.value("hidden_layer", std::string());
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
