// The sanity checks as one figure for `senn sanity --figure` and the view's export: the
// randomisation plot above the strip of one example's explanations (PNG, SVG or PDF).
#pragma once
#include "core/metrics/sanity.h"

#include <QString>

#include <string>

class QWidget;

namespace senn::ui {

class SanityPlot;
class SanityStrip;

// Needs a QApplication. Returns false and fills error on failure.
bool renderSanityFigure(const metrics::SanityResult& result, const std::string& measure, const QString& path,
                        QString* error = nullptr, int width = 0, int height = 0, double scale = 1.0);

} // namespace senn::ui
