// The cascading (or independent) randomisation figure of the sanity checks: the steps on x
// ("original", then each re-drawn layer), the median similarity to the original explanation
// with its inter-quartile band on y, one line per method; the random-logit and permuted-label
// tests as points with quartile bars after the steps.
#pragma once
#include "ui/plots/plot_frame.h"

#include "core/metrics/sanity.h"

#include <string>

namespace senn::ui {

class SanityPlot : public PlotFrame {
    Q_OBJECT
public:
    explicit SanityPlot(QWidget* parent = nullptr);
    // measure: a metrics::similarityMeasures() id.
    void setResult(const metrics::SanityResult& result, const std::string& measure);
    void clear();
    const std::string& measure() const { return m_measure; }
    int lineCount() const { return m_lines; } // methods drawn (tests)
    // Tick labels of the x axis, in order: the steps, then the tests that were run.
    QStringList categories() const;

    QString dataCsv() const override;  // method,step,median,q25,q75,points
    QString dataJson() const override;

private:
    void rebuild();
    metrics::SanityResult m_result;
    std::string m_measure = "spearman_abs";
    bool m_have = false;
    int m_lines = 0;
};

// The method's colour in every sanity figure: the explainers' own, the edge detector grey.
QColor sanityMethodColor(const std::string& id);

} // namespace senn::ui
