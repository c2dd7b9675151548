// The `--attributions` options (attributions_option.h).
#include "cli/attributions_option.h"

#include "core/metrics/metrics.h"

#include <cctype>

namespace senn::cli {

namespace {
std::string defaultSplit(const AttributionArgs& args, const io::Workspace& ws)
{
    if (!args.split.empty())
        return args.split;
    // metricRows' rule: the points come from the test split, or from validation without one.
    return ws.split.test.empty() ? "val" : "test";
}
} // namespace

void addAttributionsOptions(CLI::App* cmd, AttributionArgs& args)
{
    cmd->add_option("--attributions", args.specs,
                    "NAME=FILE.npy: attributions computed elsewhere, one row per row of the split "
                    "(as `senn explain --split S --all --npy` writes them), evaluated as the row NAME; repeatable")
        ->type_size(1)
        ->allow_extra_args(false);
    cmd->add_option("--attributions-split", args.split,
                    "The split whose rows the --attributions files hold (default: test, the points' split)")
        ->check(CLI::IsMember({"train", "val", "test", "all"}));
}

namespace {
// "A=x.npy,B=y.npy" -> {"A=x.npy", "B=y.npy"}: a comma starts a new item only where a name and
// '=' follow, so a comma inside a path stays.
std::vector<std::string> splitSpecs(const std::string& text)
{
    std::vector<std::string> out(1);
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ',') {
            size_t j = i + 1;
            while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '-' ||
                                       text[j] == '_' || text[j] == '.'))
                ++j;
            if (j > i + 1 && j < text.size() && text[j] == '=') {
                out.emplace_back();
                continue;
            }
        }
        out.back() += text[i];
    }
    return out;
}
} // namespace

std::vector<metrics::AttributionSource> attributionSources(const AttributionArgs& args)
{
    std::vector<metrics::AttributionSource> out;
    for (const auto& spec : args.specs)
        for (const auto& s : splitSpecs(spec))
            out.push_back(metrics::parseAttributionSource(s, args.split.empty() ? "test" : args.split));
    return out;
}

metrics::ExternalList openAttributions(const AttributionArgs& args, const io::Workspace& ws)
{
    auto sources = attributionSources(args);
    for (auto& s : sources)
        s.split = defaultSplit(args, ws);
    return metrics::openAttributions(sources, ws.data, ws.split);
}

nlohmann::json attributionsJson(const AttributionArgs& args)
{
    nlohmann::json j = nlohmann::json::array();
    for (const auto& s : attributionSources(args))
        j.push_back(s.name + "=" + s.path);
    return j;
}

std::vector<std::string> rowIdsOf(const nlohmann::json& settings)
{
    auto ids = settings.value("methods", std::vector<std::string>{});
    for (const auto& spec : settings.value("attributions", std::vector<std::string>{}))
        ids.push_back(metrics::parseAttributionSource(spec).name);
    return ids;
}

void markAttributionRows(nlohmann::json& faithfulness, const nlohmann::json& files)
{
    for (const auto& spec : files) {
        const auto source = metrics::parseAttributionSource(spec.get<std::string>());
        if (!faithfulness["methods"].contains(source.name))
            continue;
        auto& row = faithfulness["methods"][source.name];
        row["source"] = source.path;
        for (auto& measure : row["measures"].items())
            if (const auto why = metrics::externalUnavailableReason(measure.key()); !why.empty())
                measure.value()["reason"] = why;
    }
}

void refuseAttributions(CLI::App* cmd, const std::string& why)
{
    static std::vector<std::string> ignored; // never filled: the check refuses every value
    cmd->add_option("--attributions", ignored, "Not taken here: " + why)
        ->check(CLI::Validator([why](std::string&) { return "attributions from a file cannot be used here: " + why; },
                               "", "refused"));
}

} // namespace senn::cli
