// Stability view (perturbation-stability curves per method with median and band, box plots of
// L̂ over test points, and a "perturb this example" slider) and Faithfulness view (box plots of
// removal correlation per method, the removal curve of the current example).
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

class FaithfulnessView : public ViewPage {
    Q_OBJECT
public:
    explicit FaithfulnessView(QWidget* parent = nullptr);
    void setModel(const ModelSummary& summary);
    void setResult(const metrics::FaithfulnessResult& result);
    void setExample(const ExplainResult& result); // removal curves of the current example
    void setRunning(bool running);
    std::vector<explain::Method> methods() const;
    int points() const;
    BoxPlot* boxes() const { return m_boxes; }
    CurvePlot* removal() const { return m_removal; }
    // The measure the box plot shows: 0 removal correlation, 1 faithfulness correlation,
    // 2 infidelity, 3 infidelity normalised by the optimal scale β.
    void setMeasure(int index);
    int measure() const;
    bool hasResult() const { return m_have; }
    const metrics::FaithfulnessResult& result() const { return m_result; }
    QJsonObject settings() const;
    void applySettings(const QJsonObject& json);

signals:
    void runRequested(const std::vector<senn::explain::Method>& methods, int points);
    void cancelRequested();

private:
    void showMeasure();

    MethodPicker* m_methods;
    QComboBox* m_measure;
    metrics::FaithfulnessResult m_result;
    QSpinBox* m_points;
    QLabel* m_status;
    QPushButton *m_run, *m_cancel;
    BoxPlot* m_boxes;
    CurvePlot* m_removal;
    bool m_have = false;
};

} // namespace senn::ui
