// The scorecard as a figure: methods (rows) × measures (columns), each cell "median [lo, hi]"
// over "(rank)", coloured by the method's rank in its column (green best, purple worst), the
// best per column in bold, and the measures' agreement (Kendall's W) under the title.
#pragma once
#include "ui/plots/plot_frame.h"

#include "core/metrics/scorecard.h"

class QCPColorMap;
class QCPColorScale;
class QCPTextElement;

namespace senn::ui {

class ScorecardPlot : public PlotFrame {
    Q_OBJECT
public:
    explicit ScorecardPlot(QWidget* parent = nullptr);
    void setResult(const metrics::ScorecardResult& result); // summarised (cells, ranks, W)
    void clear();
    const metrics::ScorecardResult& result() const { return m_result; }
    // The text of cell (method, measure) as drawn; empty outside the table. "n/a" where the
    // result gives a reason the cell cannot have a value (a file's row).
    QString cellText(int method, int measure) const;
    // The tooltip of a cell: the reason of an "n/a" cell, else empty.
    QString cellToolTip(int method, int measure) const;

    QString dataCsv() const override;  // metrics::scorecardCsv
    QString dataJson() const override; // metrics::scorecardToJson

private:
    void rebuild();
    metrics::ScorecardResult m_result;
    QCPColorMap* m_map = nullptr;
    QCPColorScale* m_scale = nullptr;
    QCPTextElement* m_agreement = nullptr;
};

// Kendall's τ-b between every two measures' rankings of the methods, as a heat map from −1
// (opposite rankings, blue) to +1 (the same ranking, red), with the value in each cell.
class AgreementPlot : public PlotFrame {
    Q_OBJECT
public:
    explicit AgreementPlot(QWidget* parent = nullptr);
    void setResult(const metrics::ScorecardResult& result);
    void clear();

    QString dataCsv() const override;
    QString dataJson() const override;

private:
    void rebuild();
    metrics::ScorecardResult m_result;
    QCPColorMap* m_map = nullptr;
};

} // namespace senn::ui
