// `--attributions NAME=FILE.npy` (repeatable) and `--attributions-split`: attributions computed
// elsewhere, evaluated beside the methods (core/metrics/external_attributions.h). The commands
// that must re-run a method (stability, sanity) take the option only to refuse it with the reason.
#pragma once
#include "core/io/workspace.h"
#include "core/metrics/external_attributions.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace senn::cli {

struct AttributionArgs {
    std::vector<std::string> specs; // NAME=FILE.npy
    std::string split;              // "" = the split the points come from (test, or val)
};

void addAttributionsOptions(CLI::App* cmd, AttributionArgs& args);
// The sources, names checked (before the model loads: exit code 2 for a bad name).
std::vector<metrics::AttributionSource> attributionSources(const AttributionArgs& args);
// Opens every file against the workspace's data and split (their header checks).
metrics::ExternalList openAttributions(const AttributionArgs& args, const io::Workspace& ws);
// "NAME": "FILE" for a run's identity (so shards of different files do not merge).
nlohmann::json attributionsJson(const AttributionArgs& args);

// An `--attributions` that the command refuses at parse time with `why` (exit code 2).
void refuseAttributions(CLI::App* cmd, const std::string& why);

} // namespace senn::cli
