// A stability curve plot whose data exports add, after the curves, each test point's value with
// its data row: CSV columns row_<id> beside the median, JSON "points" and per series "per_point",
// so every number on the Stability view leads back to its row.
#pragma once
#include "core/metrics/metrics.h"
#include "ui/plots/curve_plot.h"

namespace senn::ui {

class StabilityCurvePlot : public CurvePlot {
public:
    // moves: the "explanation moves" curves (StabilityResult::moves) instead of L̂. The result is
    // the view's, read at export time.
    StabilityCurvePlot(const metrics::StabilityResult* result, bool moves) : m_result(result), m_moves(moves) {}

    QString dataCsv() const override;
    QString dataJson() const override;

private:
    const std::map<std::string, metrics::Curve>& curves() const;

    const metrics::StabilityResult* m_result;
    bool m_moves;
};

} // namespace senn::ui
