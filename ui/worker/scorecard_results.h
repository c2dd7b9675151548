// What the Scorecard view asks the worker (scorecard_job.h) and the result it gets back, as Qt
// metatypes for the queued signals. Registered by registerScorecardTypes().
#pragma once
#include "core/metrics/external_attributions.h"
#include "core/metrics/scorecard.h"

#include <QMetaType>

#include <string>
#include <vector>

namespace senn::ui {

struct ScorecardRequest {
    std::vector<explain::Method> methods;
    std::vector<std::string> measures; // scorecard measure ids; empty = the default
    int points = 50;
    uint64_t seed = 0;
    int bootstrap = 1000;
    explain::ExplainOptions options; // the explainer settings (their seed is replaced by `seed`)
    // Files of attributions computed elsewhere, each a row after the methods'; the worker opens
    // them (their checks name the file) and reads one point's row at a time.
    std::vector<metrics::AttributionSource> attributions;
};

void registerScorecardTypes();

} // namespace senn::ui

Q_DECLARE_METATYPE(senn::ui::ScorecardRequest)
Q_DECLARE_METATYPE(senn::metrics::ScorecardResult)
