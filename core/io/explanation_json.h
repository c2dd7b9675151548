// One explanation as JSON: the objects of `senn explain --json`'s "explanations" list, which
// the app's comparison export (Export data as JSON) writes too. One writer and one reader for
// both, nlohmann-based and without Qt.
#pragma once
#include "core/explain/explanation.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace senn::io {

// Keys: method, label (explanationLabel), output ("logit" | "probability"), target, values,
// shape, seconds, model_rows, diagnostics (a value that is not finite becomes null;
// "output_logit", 1 or 0, repeats output for readers of earlier files), and when the
// explanation has them labels, h with contribution, baseline, segments, standard_error, and
// for one repeated over seeds (uncertainty.h) seed_runs, interval_low with interval_high and
// order_agreement.
nlohmann::json explanationToJson(const explain::Explanation& e);
std::string explanationToJsonText(const explain::Explanation& e, int indent = -1);

// Reads what explanationToJson writes, and earlier files: without "output" the explained
// output comes from the diagnostic "output_logit", or, where that is missing too, from the
// method (LIME, KernelSHAP, Shapley and occlusion explained the probability then). Throws
// senn::Error naming `where` (a file, an entry) and the field at fault.
explain::Explanation explanationFromJson(const nlohmann::json& j, const std::string& where);
explain::Explanation explanationFromJsonText(const std::string& text, const std::string& where);

} // namespace senn::io
