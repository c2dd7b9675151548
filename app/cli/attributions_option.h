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
    std::vector<std::string> specs; // NAME=FILE.npy, or several joined by commas
    std::string split;              // "" = the split the points come from (test, or val)
};

void addAttributionsOptions(CLI::App* cmd, AttributionArgs& args);
// The sources, names checked (before the model loads: exit code 2 for a bad name).
std::vector<metrics::AttributionSource> attributionSources(const AttributionArgs& args);
// Opens every file against the workspace's data and split (their header checks).
metrics::ExternalList openAttributions(const AttributionArgs& args, const io::Workspace& ws);
// ["NAME=FILE", ...] for a run's settings: shards of other files do not merge, and the rerun
// command of a shard (`--attributions NAME=FILE,NAME2=FILE2`) reads back as given.
nlohmann::json attributionsJson(const AttributionArgs& args);
// The rows of a run from its settings: "methods", then the names of "attributions".
std::vector<std::string> rowIdsOf(const nlohmann::json& settings);
// A faithfulness result's JSON: each file's row (files: attributionsJson's list, as a run's
// settings keep it) gets "source" and, under each measure that needs the method, "reason".
// The run and `senn merge` both call it, so their JSON is the same.
void markAttributionRows(nlohmann::json& faithfulness, const nlohmann::json& files);

// An `--attributions` that the command refuses at parse time with `why` (exit code 2).
void refuseAttributions(CLI::App* cmd, const std::string& why);

} // namespace senn::cli
