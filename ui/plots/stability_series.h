// The curves of a stability result as plot series, shared by the Stability view and the
// CLI's --figure so both draw the same thing: L̂ per method over ε, and how far each
// method's explanation moves under Gaussian noise σ with the share of noisy points whose
// prediction is kept (dashed).
#pragma once
#include "core/metrics/metrics.h"
#include "ui/plots/curve_plot.h"

#include <vector>

namespace senn::ui {

std::vector<CurveSeries> lipschitzSeries(const metrics::StabilityResult& result);
std::vector<CurveSeries> movesSeries(const metrics::StabilityResult& result);

} // namespace senn::ui
