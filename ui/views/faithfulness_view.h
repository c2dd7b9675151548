// Faithfulness view (metrics.md): box plots over test points of each method's removal
// correlation, faithfulness correlation, infidelity, deletion/insertion/ROAD areas or
// robustness, and the removal, deletion, insertion or ROAD curves of the Explain view's example.
#pragma once
#include "ui/views/view_page.h"
#include "ui/worker/results.h"

#include "core/metrics/external_attributions.h"

#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace senn::ui {

class AttributionFilesBox;
class BoxPlot;
class CurvePlot;

class FaithfulnessView : public ViewPage {
    Q_OBJECT
public:
    explicit FaithfulnessView(QWidget* parent = nullptr);
    void setModel(const ModelSummary& summary);
    void setResult(const metrics::FaithfulnessResult& result);
    // The Explain view's current example. Its removal curves are shown when result.removal
    // holds them; otherwise the window asks the worker for them while this view is current
    // (needsRemoval), and setRemovalRunning / removalEnded keep the plot's title truthful.
    void setExample(const ExplainResult& result);
    const ExplainResult& example() const { return m_example; }
    bool needsRemoval() const;
    void setRemovalRunning();
    void removalEnded(); // the removal job ended without curves (cancelled or failed)
    void setRunning(bool running);
    std::vector<explain::Method> methods() const;
    int points() const;
    uint64_t seed() const; // the run's one seed (the explainer settings' seed is not used)
    BoxPlot* boxes() const { return m_boxes; }
    CurvePlot* removal() const { return m_removal; }
    // The measure the box plot shows: 0 removal correlation, 1 faithfulness correlation,
    // 2 infidelity, 3 infidelity normalised by the optimal scale β, then the other measures of
    // core/metrics/measures.h in catalogue order (measureId names the current one).
    void setMeasure(int index);
    int measure() const;
    std::string measureId() const;
    // The curves the right-hand plot shows: 0 removal, 1 deletion, 2 insertion, 3 ROAD.
    void setCurveKind(int index);
    // The measure groups a run computes: the default three, and with "Curves and robustness"
    // checked also deletion, insertion, ROAD, RIS, ROS and the sensitivities.
    std::vector<std::string> measureGroups() const;
    // Files of attributions computed elsewhere that a run scores beside the methods.
    const std::vector<metrics::AttributionSource>& attributions() const;
    AttributionFilesBox* attributionFiles() const { return m_files; }
    void setExtraMeasures(bool on);
    bool hasResult() const { return m_have; }
    const metrics::FaithfulnessResult& result() const { return m_result; }
    QJsonObject settings() const;
    void applySettings(const QJsonObject& json);

signals:
    void runRequested(const std::vector<senn::explain::Method>& methods, int points);
    void cancelRequested();

private:
    void showMeasure();
    void showCurves();

    MethodPicker* m_methods;
    QComboBox *m_measure, *m_curveKind;
    QCheckBox* m_extra;
    metrics::FaithfulnessResult m_result;
    QSpinBox *m_points, *m_seed;
    QLabel* m_status;
    QPushButton *m_run, *m_cancel;
    AttributionFilesBox* m_files;
    BoxPlot* m_boxes;
    CurvePlot* m_removal;
    bool m_have = false;
    ExplainResult m_example; // request.row < 0: none
    enum class Removal { Missing, Computing, Shown } m_removalState = Removal::Missing;
};

} // namespace senn::ui
