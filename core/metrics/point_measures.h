// The measures of one (method, point) of a faithfulness run beyond its removal correlation,
// faithfulness correlation and infidelity: the curves' areas (deletion, insertion, ROAD) and
// the robustness measures (RIS, ROS, average and max sensitivity), by measures.h group.
#pragma once
#include "core/explain/explanation.h"

#include <map>
#include <string>
#include <vector>

namespace senn::metrics {

// True when one of `groups` is computed by pointMeasures (not by the run's own three).
bool hasPointMeasures(const std::vector<std::string>& groups);

// Measure id -> value for the ids of the asked groups that pointMeasures computes. e is the
// method's explanation at x (row `row` of the data); explainOptions the point's (its memory
// share); every draw derives from (seed, row). Curves use the training mean as baseline, as
// the removal correlation does.
std::map<std::string, double> pointMeasures(const std::vector<std::string>& groups, explain::Method method,
                                            const models::Model& model, const explain::ExplainContext& ctx,
                                            const float* xRaw, const explain::Explanation& e,
                                            const explain::ExplainOptions& explainOptions, uint64_t seed,
                                            int64_t row, const jobs::CancelToken& cancel = {});

} // namespace senn::metrics
