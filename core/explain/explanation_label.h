// A method's name as the run made it, for titles, captions and exports: "Shapley (exact)",
// "Shapley (sampled, 100 permutations)", "KernelSHAP (2108 coalitions)"; the plain display
// name for the others.
#pragma once
#include "core/explain/explanation.h"

#include <string>

namespace senn::explain {

// Read from the diagnostics the run wrote; an unknown method id is returned as it is.
std::string explanationLabel(const Explanation& e);

} // namespace senn::explain
