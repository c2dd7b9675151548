// Scorecard view (metrics.md "Scorecard"): which explanation method does best on which measure,
// with intervals, ranks and how far the measures agree, so no single measure decides alone.
#pragma once
#include "ui/views/view_page.h"
#include "ui/worker/results.h"
#include "ui/worker/scorecard_results.h"

#include <map>

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace senn::ui {

class AgreementPlot;
class AttributionFilesBox;
class ScorecardPlot;

class ScorecardView : public ViewPage {
    Q_OBJECT
public:
    explicit ScorecardView(QWidget* parent = nullptr);
    void setModel(const ModelSummary& summary);
    void setResult(const metrics::ScorecardResult& result);
    void setRunning(bool running);
    // What Run sends (the window adds the explainer settings).
    ScorecardRequest request() const;
    void setMeasures(const std::vector<std::string>& ids);
    MethodPicker* methods() const { return m_methods; }
    bool hasResult() const { return m_have; }
    const metrics::ScorecardResult& result() const { return m_result; }
    ScorecardPlot* plot() const { return m_plot; }
    AgreementPlot* agreementPlot() const { return m_agreement; }
    // The LaTeX table of the result (metrics::scorecardLatex) without a dialog.
    bool exportLatex(const QString& path, QString* error = nullptr) const;
    // A file of attributions computed elsewhere, a row of the next run named `name`, holding
    // the rows of `split` (train, val, test, all). False with the reason (naming the file) when
    // the name is not allowed or already taken; the file itself is read by the worker.
    bool addAttributions(const QString& name, const QString& path, const QString& split, QString* error = nullptr);
    const std::vector<metrics::AttributionSource>& attributions() const;

signals:
    void runRequested(const senn::ui::ScorecardRequest& request);
    void cancelRequested();

private:
    void exportLatexDialog();

    MethodPicker* m_methods;
    std::map<std::string, QCheckBox*> m_measures;
    QSpinBox *m_points, *m_seed, *m_bootstrap;
    QLabel* m_status;
    QPushButton *m_run, *m_cancel, *m_export;
    AttributionFilesBox* m_files;
    ScorecardPlot* m_plot;
    AgreementPlot* m_agreement;
    metrics::ScorecardResult m_result;
    bool m_have = false, m_running = false, m_canRun = false;
};

} // namespace senn::ui
