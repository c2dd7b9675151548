// The explainer settings of `senn stability`, `senn faithfulness` and `senn sanity` (--samples,
// --background, --ig-steps, ...): the options of core's table (core/explain/explainer_args.h),
// the one the app's "Run on a cluster…" writes, so a task explains as the app would.
#pragma once
#include "core/explain/explanation.h"

#include <CLI/CLI.hpp>

#include <map>
#include <string>

namespace senn::cli {

struct ExplainerArgs {
    std::map<std::string, std::string> values; // by option name, as given
    std::map<std::string, CLI::Option*> options;
};

void addExplainerOptions(CLI::App* cmd, ExplainerArgs& args);
// The options given, applied to the defaults; throws senn::Error naming a bad value.
explain::ExplainOptions explainerOptionsOf(const ExplainerArgs& args);

} // namespace senn::cli
