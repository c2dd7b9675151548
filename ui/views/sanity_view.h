// Sanity view (metrics.md "Sanity checks"): re-draws the model's layers from the output down
// and shows how much of each method's explanation survives, with the random-logit and
// permuted-label tests and an edge-detector control that ignores the model.
#pragma once
#include "ui/views/view_page.h"
#include "ui/worker/results.h"
#include "ui/worker/sanity_results.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace senn::ui {

class SanityPlot;
class SanityStrip;

class SanityView : public ViewPage {
    Q_OBJECT
public:
    explicit SanityView(QWidget* parent = nullptr);
    void setModel(const ModelSummary& summary);
    void setResult(const metrics::SanityResult& result);
    void setRunning(bool running);
    // What Run sends (the window adds the explainer settings).
    SanityRequest request() const;
    bool hasResult() const { return m_have; }
    const metrics::SanityResult& result() const { return m_result; }
    // The similarity the figure shows: a metrics::similarityMeasures() id.
    void setMeasure(const std::string& id);
    std::string measure() const;
    SanityPlot* plot() const { return m_plot; }
    SanityStrip* strip() const { return m_strip; }
    // Writes the figure (plot and strip) without a dialog; false and error on failure.
    bool exportFigure(const QString& path, QString* error = nullptr) const;

signals:
    void runRequested(const senn::ui::SanityRequest& request);
    void cancelRequested();

private:
    void showResult();
    void exportFigureDialog();

    MethodPicker* m_methods;
    QCheckBox *m_edge, *m_randomLogit, *m_dataRandomisation;
    QComboBox *m_mode, *m_measure;
    QSpinBox *m_points, *m_seed, *m_epochs;
    QLabel* m_status;
    QPushButton *m_run, *m_cancel, *m_export;
    SanityPlot* m_plot;
    SanityStrip* m_strip;
    metrics::SanityResult m_result;
    bool m_have = false, m_running = false, m_canRun = false, m_canRetrain = false;
};

} // namespace senn::ui
