// Stability view (metrics.md): perturbation-stability curves per method with median and band,
// how far explanations move under noise, box plots of L̂ over test points, and a "perturb this
// example" slider that explains the Explain view's example again under noise.
#pragma once
#include "ui/views/view_page.h"
#include "ui/worker/results.h"

#include <QJsonObject>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QSplitter;
class QTimer;

namespace senn::ui {

class BoxPlot;
class ComparisonPanel;
class CurvePlot;

class StabilityView : public ViewPage {
    Q_OBJECT
public:
    explicit StabilityView(QWidget* parent = nullptr);
    void setDataset(const DatasetSummary& summary);
    void setModel(const ModelSummary& summary);
    void setResult(const metrics::StabilityResult& result);
    void setPerturbResult(const ExplainResult& result);
    void setRunning(bool running);
    StabilityRequest request() const;
    uint64_t seed() const;           // the run's one seed (the explainer settings' seed is not used)
    double perturbation() const;     // t of the slider (noise in training-std units)
    CurvePlot* curves() const { return m_curves; }
    CurvePlot* moves() const { return m_moves; }     // explanation moves at noise σ
    BoxPlot* boxes() const { return m_boxes; }
    bool hasResult() const { return !m_result.eps.empty(); }
    const metrics::StabilityResult& result() const { return m_result; }
    QJsonObject settings() const;
    void applySettings(const QJsonObject& json);

signals:
    void runRequested(const senn::ui::StabilityRequest& request);
    void cancelRequested();
    void perturbRequested(double t);

private:
    void showBoxesAt(int epsIndex);
    void clearResult();               // a new dataset or model: nothing of the last run stays
    void applyDefaults(bool image);   // core's ε grid and N for the kind of data
    void showPerturbPanel(bool show);

    DatasetSummary m_data;
    bool m_image = false;
    metrics::StabilityResult m_result;
    MethodPicker* m_methods;
    QSpinBox *m_points, *m_seed;
    QComboBox* m_draws;
    QLabel* m_status;
    QLineEdit* m_eps;
    QPushButton *m_run, *m_cancel;
    QComboBox* m_boxEps;
    CurvePlot *m_curves, *m_moves;
    BoxPlot* m_boxes;
    QSlider* m_slider;
    QLabel* m_perturbLabel;
    QWidget* m_perturbBox;
    QWidget* m_perturbScroll;
    QSplitter* m_split;
    ComparisonPanel* m_perturbPanel;
    QTimer* m_debounce;
};

} // namespace senn::ui
