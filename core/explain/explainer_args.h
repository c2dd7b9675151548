// The explainer settings (ExplainOptions) as command-line options and as a run's settings: one
// table that `senn stability`, `senn faithfulness` and `senn sanity` read and that the app's
// "Run on a cluster…" writes, so that a cluster's tasks explain with the app's settings.
// Torch-free: the app includes it.
#pragma once
#include "core/explain/explanation.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace senn::explain {

struct ExplainerOption {
    std::string name;  // "--ig-steps"; without the dashes it is the key in a run's settings
    std::string help;  // for --help
};

// Every option, in the order the commands list them.
const std::vector<ExplainerOption>& explainerOptions();

// The options that give o's settings where they differ from ExplainOptions' defaults, as
// {"--samples", "2000", "--ig-steps", "100", ...}. The seed, the target and the memory budget
// are not among them: the commands' own --seed (the run's one seed) and --memory carry those.
std::vector<std::string> explainerArgs(const ExplainOptions& o);
// The same settings as a run's settings keep them: {"samples": 2000, "ig-steps": 100, ...}
// (numbers as numbers); empty for the defaults, so runs without them keep their identity.
nlohmann::json explainerSettings(const ExplainOptions& o);
// Sets one option given as text (name as in explainerOptions()). Throws senn::Error naming the
// option, the value and what it takes.
void applyExplainerOption(ExplainOptions& o, const std::string& name, const std::string& value);
// The settings of o that differ from the defaults and that no option carries (a person's names
// for them); empty when every setting is carried.
std::vector<std::string> uncarriedExplainerSettings(const ExplainOptions& o);

} // namespace senn::explain
