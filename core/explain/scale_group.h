// Which explanations may share one colour scale or axis when a plot shows several: only those
// whose values are in the same unit. Decided here, from the method and the explained output,
// so every plot groups them alike.
#pragma once
#include "core/explain/explanation.h"

#include <string>

namespace senn::explain {

// "additive:logit", "additive:probability", "gradient:logit", "gradient:probability", or ""
// for a scale of its own. Additive attributions (LIME, KernelSHAP, Shapley, gradient × input,
// integrated gradients, occlusion) split a change of the output among the features, so those
// of one output compare directly; plain gradients (saliency, SmoothGrad) are rates of change
// of it. SENN's θ and FLINT's contributions are in units of their own.
std::string scaleGroup(Method method, Output output);
// The group of an explanation's values: by its method id and output; "" for an unknown id.
std::string scaleGroup(const Explanation& e);
// SENN's contributions θ·h sum to the logit it explains: additive attributions of its output.
std::string contributionScaleGroup(const Explanation& e);

} // namespace senn::explain
