// What the Sanity view asks the worker (sanity_job.h) and the result type it gets back, as Qt
// metatypes for the queued signals. Registered by registerSanityTypes().
#pragma once
#include "core/metrics/sanity.h"

#include <QMetaType>

#include <string>
#include <vector>

namespace senn::ui {

struct SanityRequest {
    std::vector<std::string> methods; // explain's ids and metrics::kEdgeDetectorId
    int points = 10;
    uint64_t seed = 0;
    metrics::SanityMode mode = metrics::SanityMode::Cascading;
    bool randomLogit = false;
    bool dataRandomisation = false;
    int epochs = 3;
    explain::ExplainOptions options; // the explainer settings (their seed is replaced by `seed`)
};

void registerSanityTypes();

} // namespace senn::ui

Q_DECLARE_METATYPE(senn::ui::SanityRequest)
Q_DECLARE_METATYPE(senn::metrics::SanityResult)
