// Explain view: the test examples (thumbnail, true label, prediction, confidence; filter to
// misclassified or one class; arrow keys move), method checkboxes, the scale choice (each
// column its own scale by default; "Shared scale"), top K features, and the comparison panel.
// Auto-explain runs only while the view is shown (a view shown later catches up), and only the
// methods that are cheap for this model and data (MethodEstimates): the perturbation methods
// and anything estimated above a couple of seconds wait for Explain. The checked methods are
// remembered per kind of data (images, tables). Images: the heat maps over the input (overlay,
// with an opacity slider) or beside it.
#pragma once
#include "ui/views/method_estimates.h"
#include "ui/views/view_page.h"
#include "ui/worker/results.h"

class QCheckBox;
class QSlider;
class QJsonObject;
class QComboBox;
class QLabel;
class QListWidget;
class QTimer;

namespace senn::ui {

class ComparisonPanel;
class GroundTruthPanel;

class ExplainView : public ViewPage {
    Q_OBJECT
public:
    explicit ExplainView(QWidget* parent = nullptr);

    void setDataset(const DatasetSummary& summary);
    void setModel(const ModelSummary& summary);
    void setResult(const ExplainResult& result);
    void setRunning(bool running, const QString& message = {});

    qint64 currentRow() const;          // dataset row of the chosen example, -1 none
    bool setCurrentRow(qint64 row);      // false when the row is not listed
    int exampleCount() const;            // examples listed under the current filter
    MethodPicker* methodPicker() const { return m_methods; }
    ComparisonPanel* panel() const { return m_panel; }
    GroundTruthPanel* truthPanel() const { return m_truth; }
    const ExplainResult& lastResult() const { return m_last; }
    void setMisclassifiedOnly(bool on);
    // Scale and top-K choice, saved in sessions: {"shared_scale": bool, "top_k": int (0 = all)}.
    QJsonObject settings() const;
    void applySettings(const QJsonObject& settings);
    void setSharedScale(bool on);
    void setTopK(int k);
    // Images: heat maps over the input (true) or side by side with it; overlay opacity 0..100.
    void setOverlay(bool on);
    void setOverlayOpacity(int percent);

    // The explainers' options, for the estimates (model rows per method).
    void setExplainOptions(const explain::ExplainOptions& options);
    // The settings' "Intervals over N seeds" (1 = off): what an Explain request asks for, and
    // the factor on the sampling methods' estimates.
    void setSeedRuns(int runs);
    int seedRuns() const { return m_estimates.seedRuns(); }
    // The checked methods auto-explain may run now (see the header comment).
    std::vector<explain::Method> autoMethods() const;
    // Estimated seconds for one example with `method`; negative when nothing is measured yet.
    double estimateSeconds(explain::Method method) const;
    int64_t estimatedRows(explain::Method method) const;
    // Auto-explain leaves out methods whose estimate is above this.
    static constexpr double kAutoBudgetSeconds = 2.0;

signals:
    // Explain was pressed (automatic false: every checked method), or the example or the
    // methods changed (debounced; automatic true: autoMethods() only).
    void explainRequested(qint64 row, bool automatic);
    void conceptClicked(int concept);
    void settingsRequested(); // the Settings… button: the explainers' options

protected:
    void showEvent(QShowEvent* event) override;

private:
    void rebuildList();
    void scheduleExplain();
    void updateEstimates();
    QString dataKind() const;

    DatasetSummary m_data;
    ModelSummary m_model;
    ExplainResult m_last;
    QListWidget* m_list;
    QCheckBox* m_misclassified;
    QComboBox* m_classFilter;
    QCheckBox* m_auto;
    QCheckBox* m_shared;
    QComboBox* m_topK;
    QComboBox* m_underlayMode;
    QSlider* m_opacity;
    QLabel* m_opacityLabel;
    MethodPicker* m_methods;
    QLabel* m_status;
    QLabel* m_autoNote;
    MethodEstimates m_estimates; // cleared with a new model or dataset
    QString m_kind; // "image" / "tabular": whose method choice the picker shows
    ComparisonPanel* m_panel;
    GroundTruthPanel* m_truth; // shown when the model or the data knows where the truth lies
    QTimer* m_debounce;
};

} // namespace senn::ui
