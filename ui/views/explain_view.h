// Explain view: the test examples (thumbnail, true label, prediction, confidence; filter to
// misclassified or one class; arrow keys move), method checkboxes, the scale choice (each
// column its own scale by default; "Shared scale"), top K features, and the comparison panel.
// Auto-explain runs only while the view is shown; a view shown later catches up.
#pragma once
#include "ui/views/view_page.h"
#include "ui/worker/results.h"

class QCheckBox;
class QJsonObject;
class QComboBox;
class QLabel;
class QListWidget;
class QTimer;

namespace senn::ui {

class ComparisonPanel;

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
    const ExplainResult& lastResult() const { return m_last; }
    void setMisclassifiedOnly(bool on);
    // Scale and top-K choice, saved in sessions: {"shared_scale": bool, "top_k": int (0 = all)}.
    QJsonObject settings() const;
    void applySettings(const QJsonObject& settings);
    void setSharedScale(bool on);
    void setTopK(int k);

signals:
    // The example or the methods changed (debounced), or Explain was pressed.
    void explainRequested(qint64 row);
    void conceptClicked(int concept);
    void settingsRequested(); // the Settings… button: the explainers' options

protected:
    void showEvent(QShowEvent* event) override;

private:
    void rebuildList();
    void scheduleExplain();

    DatasetSummary m_data;
    ModelSummary m_model;
    ExplainResult m_last;
    QListWidget* m_list;
    QCheckBox* m_misclassified;
    QComboBox* m_classFilter;
    QCheckBox* m_auto;
    QCheckBox* m_shared;
    QComboBox* m_topK;
    MethodPicker* m_methods;
    QLabel* m_status;
    ComparisonPanel* m_panel;
    QTimer* m_debounce;
};

} // namespace senn::ui
