// The `--attributions` options (attributions_option.h).
#include "cli/attributions_option.h"

#include "core/metrics/metrics.h"

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

std::vector<metrics::AttributionSource> attributionSources(const AttributionArgs& args)
{
    std::vector<metrics::AttributionSource> out;
    for (const auto& s : args.specs)
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
    nlohmann::json j = nlohmann::json::object();
    for (const auto& s : attributionSources(args))
        j[s.name] = s.path;
    return j;
}

void refuseAttributions(CLI::App* cmd, const std::string& why)
{
    static std::vector<std::string> ignored; // never filled: the check refuses every value
    cmd->add_option("--attributions", ignored, "Not taken here: " + why)
        ->check(CLI::Validator([why](std::string&) { return "attributions from a file cannot be used here: " + why; },
                               "", "refused"));
}

} // namespace senn::cli
