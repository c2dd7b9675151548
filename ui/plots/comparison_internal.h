// What the comparison panel's files share: which explanations make SENN's cell and which are
// maps, the caption text and the diagnostics tooltip under every column.
#pragma once
#include "core/explain/explanation.h"

#include <QString>

namespace senn::ui {

// SENN's column: θ with its concepts h (and θ·h), drawn as SENN's cell of three charts.
inline bool isSennColumn(const senn::explain::Explanation& e)
{
    return e.method == "senn" && !e.h.empty() && e.h.size() == e.values.size();
}

// Values over an image ({C,H,W} or {H,W}): a heat map, not bars.
inline bool isImageShaped(const senn::explain::Explanation& e)
{
    return e.shape.size() == 3 || e.shape.size() == 2;
}

// Under each column: the time, the fit or completeness figures, the model rows and, for the
// methods that can take either, the output explained.
QString captionFor(const senn::explain::Explanation& e);
// Every diagnostic, one "key = value" line each.
QString diagnosticsTooltip(const senn::explain::Explanation& e);

} // namespace senn::ui
