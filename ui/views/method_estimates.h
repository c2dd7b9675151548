// How long each explainer would take on one example: the model rows it needs (from the data and
// the explainer settings) times the time per row measured on this model's last explanations.
// The Explain view shows the estimates beside the methods and auto-explains only cheap ones.
#pragma once
#include "core/data/dataset.h"
#include "core/explain/explanation.h"

#include <QCoreApplication>
#include <QString>

#include <map>
#include <memory>
#include <vector>

namespace senn::ui {

class MethodEstimates {
    Q_DECLARE_TR_FUNCTIONS(MethodEstimates)
public:
    // Another dataset or model: what was measured no longer applies.
    void setData(std::shared_ptr<const data::Dataset> data);
    void forget();
    // Other samples, steps or background: other times per method (per-row times stay).
    void setOptions(const explain::ExplainOptions& options);
    // Intervals over this many seeds (1 = off): the methods that draw randomly
    // (core/explain/uncertainty.h) cost that many explanations; the others run once.
    void setSeedRuns(int runs);
    int seedRuns() const { return m_seedRuns; }
    void measure(const std::vector<explain::Explanation>& explanations);

    int64_t rows(explain::Method method) const;    // model rows per example (all seeds); -1 without data
    double seconds(explain::Method method) const;  // all seeds; negative when nothing is measured yet
    // Whether the method may run when the example changes: never a perturbation method, else
    // an estimate within `budget` seconds, or, unmeasured, a method that is cheap on this data.
    bool runsAutomatically(explain::Method method, double budget) const;
    // A note ("~2 s") and a tooltip per method, for MethodPicker::setNotes.
    void notes(double budget, std::map<explain::Method, QString>* notes,
               std::map<explain::Method, QString>* tips) const;
    static QString formatSeconds(double seconds);

private:
    std::shared_ptr<const data::Dataset> m_data;
    explain::ExplainOptions m_options;
    int m_seedRuns = 1;
    // Seconds per model row (forward-only methods, gradient methods) and each method's own
    // last time, on the current model.
    double m_rowSecondsForward = -1, m_rowSecondsGradient = -1;
    std::map<explain::Method, double> m_measured; // seconds of one seed's run
    int runsOf(explain::Method method) const;     // m_seedRuns where it draws randomly, else 1
};

} // namespace senn::ui
