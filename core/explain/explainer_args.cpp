// The explainer settings as options (explainer_args.h): each row reads its setting from an
// ExplainOptions (empty text for the default) and parses it back.
#include "core/explain/explainer_args.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"

#include <charconv>
#include <cmath>
#include <functional>

namespace senn::explain {

namespace {

struct Row {
    ExplainerOption option;
    bool number; // the settings JSON keeps the value as a number
    std::function<std::string(const ExplainOptions&, const ExplainOptions&)> get; // (o, defaults); "" = default
    std::function<void(ExplainOptions&, const std::string&)> set;
};

Error bad(const std::string& name, const std::string& value, const std::string& takes)
{
    return Error(name + " " + files::echo(value) + ": give " + takes);
}

int wholeIn(const std::string& name, const std::string& value, int lo, int hi)
{
    int v = 0;
    const auto* end = value.data() + value.size();
    const auto [p, ec] = std::from_chars(value.data(), end, v);
    if (value.empty() || ec != std::errc() || p != end || v < lo || v > hi)
        throw bad(name, value, "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v;
}

std::string text(int v) { return std::to_string(v); }

// The shortest text that reads back as v.
std::string text(double v)
{
    char buf[64];
    const auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, p) : std::to_string(v);
}

template <class T> std::string ifChanged(T v, T def) { return v == def ? std::string() : text(v); }

Row wholeRow(const char* name, const char* help, int ExplainOptions::*field, int lo, int hi)
{
    return {{name, help}, true,
            [field](const ExplainOptions& o, const ExplainOptions& d) { return ifChanged(o.*field, d.*field); },
            [field, name, lo, hi](ExplainOptions& o, const std::string& v) { o.*field = wholeIn(name, v, lo, hi); }};
}

// mean, zeros, kmeans:K or sample:N with K, N in 1..100000, as the app's settings take them.
std::string checkedBackground(const std::string& value)
{
    const auto colon = value.find(':');
    const std::string kind = value.substr(0, colon);
    if (colon == std::string::npos && (kind == "mean" || kind == "zeros"))
        return value;
    const std::string takes = "mean, zeros, kmeans:K or sample:N with K, N from 1 to 100000";
    if (colon != std::string::npos && (kind == "kmeans" || kind == "sample")) {
        try {
            wholeIn("--background", value.substr(colon + 1), 1, 100000);
        } catch (const Error&) {
            throw bad("--background", value, takes);
        }
        return value;
    }
    throw bad("--background", value, takes);
}

const std::vector<Row>& rows()
{
    static const std::vector<Row> table = [] {
        std::vector<Row> t;
        t.push_back({{"--background", "Reference inputs of KernelSHAP and Shapley, baseline of integrated gradients "
                                      "and occlusion: mean, zeros, kmeans:K or sample:N (default: the method's)"},
                     false,
                     [](const ExplainOptions& o, const ExplainOptions& d) {
                         return o.background == d.background ? std::string() : o.background;
                     },
                     [](ExplainOptions& o, const std::string& v) { o.background = checkedBackground(v); }});
        t.push_back(wholeRow("--samples", "LIME samples, KernelSHAP coalitions (default: the method's)",
                             &ExplainOptions::samples, 1, limits::kMaxSamples));
        t.push_back({{"--output", "Explained output of every method: logit (default) or probability"},
                     false,
                     [](const ExplainOptions& o, const ExplainOptions& d) {
                         return o.output == d.output ? std::string() : outputId(o.output);
                     },
                     [](ExplainOptions& o, const std::string& v) {
                         if (v != "logit" && v != "probability")
                             throw bad("--output", v, "logit or probability");
                         o.output = outputFromId(v);
                     }});
        t.push_back({{"--lime-sampling", "LIME on tables: quartile (the discretizer, default) or continuous "
                                         "(normal around the training mean)"},
                     false,
                     [](const ExplainOptions& o, const ExplainOptions& d) {
                         return o.limeDiscretize == d.limeDiscretize ? std::string()
                                                                     : o.limeDiscretize ? "quartile" : "continuous";
                     },
                     [](ExplainOptions& o, const std::string& v) {
                         if (v != "quartile" && v != "continuous")
                             throw bad("--lime-sampling", v, "quartile or continuous");
                         o.limeDiscretize = v == "quartile";
                     }});
        t.push_back(wholeRow("--lime-features", "Features in LIME's local model (default 0: all)",
                             &ExplainOptions::limeFeatures, 0, 100000));
        t.push_back({{"--segmentation", "LIME on images: slic superpixels (default) or a square grid"},
                     false,
                     [](const ExplainOptions& o, const ExplainOptions& d) {
                         return o.segmentation == d.segmentation ? std::string() : o.segmentation;
                     },
                     [](ExplainOptions& o, const std::string& v) {
                         if (v != "slic" && v != "grid")
                             throw bad("--segmentation", v, "slic or grid");
                         o.segmentation = v;
                     }});
        t.push_back(wholeRow("--segment-size", "SLIC region size or grid cell in pixels (default 0: from the image)",
                             &ExplainOptions::segmentSize, 0, 512));
        t.push_back(wholeRow("--shap-keep", "KernelSHAP: keep the top K features by LARS (default 0: all)",
                             &ExplainOptions::shapKeepFeatures, 0, limits::kMaxShapKeep));
        t.push_back(wholeRow("--permutations", "Shapley: antithetic permutation samples instead of exact "
                                               "enumeration (default 0: exact up to 16 features)",
                             &ExplainOptions::permutations, 0, limits::kMaxPermutations));
        t.push_back({{"--saliency", "Saliency: signed gradient (default) or absolute"},
                     false,
                     [](const ExplainOptions& o, const ExplainOptions& d) {
                         return o.absoluteSaliency == d.absoluteSaliency ? std::string()
                                : o.absoluteSaliency                     ? "absolute"
                                                                         : "signed";
                     },
                     [](ExplainOptions& o, const std::string& v) {
                         if (v != "signed" && v != "absolute")
                             throw bad("--saliency", v, "signed or absolute");
                         o.absoluteSaliency = v == "absolute";
                     }});
        t.push_back(wholeRow("--ig-steps", "Integrated gradients: Gauss-Legendre nodes (default 50)",
                             &ExplainOptions::igSteps, 1, 1000));
        t.push_back(wholeRow("--smoothgrad-samples", "SmoothGrad: noisy copies averaged (default 50)",
                             &ExplainOptions::smoothGradSamples, 1, 10000));
        t.push_back({{"--smoothgrad-sigma", "SmoothGrad: noise as a fraction of the input range (default 0.15)"},
                     true,
                     [](const ExplainOptions& o, const ExplainOptions& d) {
                         return ifChanged(o.smoothGradSigma, d.smoothGradSigma);
                     },
                     [](ExplainOptions& o, const std::string& v) {
                         double s = 0;
                         const auto* end = v.data() + v.size();
                         const auto [p, ec] = std::from_chars(v.data(), end, s);
                         if (v.empty() || ec != std::errc() || p != end || !std::isfinite(s) || s < 0 || s > 1)
                             throw bad("--smoothgrad-sigma", v, "a number from 0 to 1");
                         o.smoothGradSigma = s;
                     }});
        t.push_back(wholeRow("--occlusion-window", "Occlusion patch in pixels (features on tables; default 0: "
                                                   "from the image)",
                             &ExplainOptions::occlusionWindow, 0, 512));
        t.push_back(wholeRow("--occlusion-stride", "Occlusion stride in pixels (default 0: half the window)",
                             &ExplainOptions::occlusionStride, 0, 512));
        return t;
    }();
    return table;
}

} // namespace

const std::vector<ExplainerOption>& explainerOptions()
{
    static const std::vector<ExplainerOption> options = [] {
        std::vector<ExplainerOption> out;
        for (const auto& r : rows())
            out.push_back(r.option);
        return out;
    }();
    return options;
}

std::vector<std::string> explainerArgs(const ExplainOptions& o)
{
    const ExplainOptions defaults;
    std::vector<std::string> out;
    for (const auto& r : rows()) {
        const std::string v = r.get(o, defaults);
        if (!v.empty()) {
            out.push_back(r.option.name);
            out.push_back(v);
        }
    }
    return out;
}

nlohmann::json explainerSettings(const ExplainOptions& o)
{
    const ExplainOptions defaults;
    auto out = nlohmann::json::object();
    for (const auto& r : rows()) {
        const std::string v = r.get(o, defaults);
        if (v.empty())
            continue;
        const std::string key = r.option.name.substr(2);
        if (!r.number)
            out[key] = v;
        else if (v.find_first_of(".eE") != std::string::npos)
            out[key] = std::stod(v);
        else
            out[key] = std::stoll(v);
    }
    return out;
}

void applyExplainerOption(ExplainOptions& o, const std::string& name, const std::string& value)
{
    for (const auto& r : rows())
        if (r.option.name == name)
            return r.set(o, value);
    throw Error("unknown explainer option " + files::echo(name));
}

std::vector<std::string> uncarriedExplainerSettings(const ExplainOptions& o)
{
    const ExplainOptions d;
    std::vector<std::string> out;
    if (o.target != d.target)
        out.push_back("the explained class");
    if (o.limeSampleAroundInstance != d.limeSampleAroundInstance)
        out.push_back("LIME sampling around the instance");
    if (o.limeKernelWidth != d.limeKernelWidth)
        out.push_back("LIME's kernel width");
    if (o.exactShapleyMaxFeatures != d.exactShapleyMaxFeatures)
        out.push_back("exact Shapley's feature limit");
    if (o.chunkRows != d.chunkRows)
        out.push_back("rows per model call");
    return out;
}

} // namespace senn::explain
