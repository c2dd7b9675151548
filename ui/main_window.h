// MainWindow: menus, the views, the log dock, sessions; the status bar is a StatusPanel, File >
// Recent a RecentFiles and the PDF report a ReportWriter (ui/shell/, ui/report/).
// Its JobDispatcher owns the worker thread; the window decides what each result changes in
// the views and re-emits it, so views (and tests) never touch the worker directly.
#pragma once
#include "ui/report/report_writer.h"
#include "ui/session.h"
#include "ui/worker/job_dispatcher.h"

#include <QMainWindow>

class QDockWidget;
class QPlainTextEdit;
class QTabWidget;

namespace senn::ui {

class ConceptsView;
class DataView;
class ExplainView;
class FaithfulnessView;
class FlintView;
class ModelView;
class RecentFiles;
class RrrView;
class SanityView;
class ScorecardView;
class StabilityView;
class StatusPanel;
class ViewPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // File > Open (and the command line, drag and drop): dataset, model or session by content.
    void openPath(const QString& path);
    // The dialog's code path after a file was chosen; empty target = guess from the header.
    void openDataset(const QString& path, const QString& target = {});
    void openModel(const QString& path);
    void openTorchScript(const QString& path);
    void saveModelTo(const QString& path);
    bool saveSession(const QString& path);
    bool openSession(const QString& path);
    // File > Export report: the PDF that ReportWriter writes from the views.
    bool exportReport(const QString& path);
    using ReportPage = senn::ui::ReportPage;
    using ReportLayout = senn::ui::ReportLayout;
    // What the last exportReport put on its pages (for tests; see ReportLayout).
    const ReportLayout& lastReport() const { return m_lastReport; }
    void train(const models::ModelConfig& config, const models::TrainConfig& trainConfig);
    void cancelJob(JobKind kind);
    // Makes the model that the last training replaced current again (a second call swaps back).
    void restorePreviousModel();
    void cancelAll();
    // The explainers' settings (Explain > Explainer settings…) used by the Explain, Stability
    // and Faithfulness views; setting them explains the current example again.
    const explain::ExplainOptions& explainOptions() const { return m_explainOptions; }
    void setExplainOptions(const explain::ExplainOptions& options);
    void showExplainerSettings();
    // The size a window without saved geometry opens at: 85% of its screen's available area
    // (at most 1920 x 1200, never more than the screen).
    QSize defaultWindowSize() const;
    bool isRunning(JobKind kind) const;
    // The status bar's time text for a job (StatusPanel::etaText).
    static QString etaText(JobKind kind, double fraction, double elapsedSeconds,
                           double firstFraction = 0, double firstSeconds = 0);

    // Errors go to the log and status bar always, and to a (non-blocking) dialog unless off.
    // Off also turns off the unsaved-model question (scripts, tests); see setAskBeforeDiscarding.
    void setErrorDialogsEnabled(bool on) { m_errorDialogs = on; m_askUnsaved = on; }
    // Quit, or opening another dataset, model or session while a trained model is unsaved,
    // asks Save / Discard / Cancel first (on by default).
    void setAskBeforeDiscarding(bool on) { m_askUnsaved = on; }
    // How long quitting waits for the worker thread before it ends the process without it (a
    // model call that never returns cannot be cancelled).
    void setWorkerStopTimeout(int ms) { m_workerStopMs = ms; }
    // Quit on a signal (SIGTERM, SIGINT, SIGHUP: a logout, kill, Ctrl-C in the terminal):
    // running jobs are cancelled and the window closes without asking about an unsaved model.
    void quitOnSignal();
    bool hasUnsavedModel() const { return m_model.valid && !m_model.torchScript && m_model.path.isEmpty(); }
    // The question itself: true = go on (saved or discarded), false = cancelled.
    bool confirmDiscardModel(const QString& action);
    QString lastError() const { return m_lastError; }

    const DatasetSummary& dataset() const { return m_dataset; }
    const ModelSummary& model() const { return m_model; }
    Session currentSession() const;
    QString logText() const;

    DataView* dataView() const { return m_dataView; }
    ModelView* modelView() const { return m_modelView; }
    ExplainView* explainView() const { return m_explainView; }
    ConceptsView* conceptsView() const { return m_conceptsView; }
    StabilityView* stabilityView() const { return m_stabilityView; }
    FaithfulnessView* faithfulnessView() const { return m_faithfulnessView; }
    FlintView* flintView() const { return m_flintView; }
    RrrView* rrrView() const { return m_rrrView; }
    SanityView* sanityView() const { return m_sanityView; }
    ScorecardView* scorecardView() const { return m_scorecardView; }
    QTabWidget* tabs() const { return m_tabs; }
    void showView(const QString& id);
    QString currentViewId() const;
    int poolThreads() const; // the Threads setting, for the stability/faithfulness pools
    void showHelp(const QString& viewId);
    // Saves a PNG of every view into dir (named <prefix><view>.png); for docs and checks.
    void saveScreenshots(const QString& dir, const QString& prefix = {});

    // CSV target guess used when no target is given: a column named like a label, else the last.
    static QString guessCsvTarget(const QString& path);

signals:
    void datasetChanged(const senn::ui::DatasetSummary& summary);
    void modelChanged(const senn::ui::ModelSummary& summary);
    void trainingFinished(const senn::ui::ModelSummary& summary, bool cancelled);
    void previousModelReplaced(double previousAccuracy, double newAccuracy);
    void explanationShown(const senn::ui::ExplainResult& result);
    void stabilityShown();
    // The Stability view shows a new result: streamed while a run goes on, or the final one.
    void stabilityUpdated();
    void faithfulnessShown();
    void prototypesShown();
    void flintInterpretationShown();
    void flintVisualisationShown(int attribute);
    void modelSaved(const QString& path);
    void errorShown(const QString& message);
    void jobEnded(senn::ui::JobKind kind, bool cancelled);
    void sessionRestored();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildViews();
    void buildFlintView(); // main_window_flint.cpp; after the worker exists
    void buildRrrView();   // main_window_rrr.cpp; after the worker exists
    void buildSanityView(); // main_window_sanity.cpp; after the worker exists
    void buildScorecardView(); // main_window_scorecard.cpp; after the worker exists
    void buildMenus();
    void connectWorker();
    void shutdown();
    // What each worker answer changes (main_window_results.cpp); connectWorker wires them.
    void onJobStarted(JobKind kind, const QString& what);
    void onJobEnded(JobKind kind, bool cancelled);
    void onJobFailed(JobKind kind, const QString& refusal);
    void onDatasetLoaded(const DatasetSummary& summary);
    void onModelReady(const ModelSummary& summary);
    void onModelSaved(const QString& path);
    void onTrainingFinished(const ModelSummary& summary, bool cancelled);
    void onPreviousModelReplaced(const QString& previous, double before, double now);
    void onExplanation(ExplainResult result);
    void onRemovalCurves(const ExplainResult& result);
    void onStability(const metrics::StabilityResult& result, bool final);
    void showError(const QString& title, const QString& message);
    void appendLog(const QString& text);
    void addRecent(const QString& path); // File > Recent (RecentFiles)
    void updateActions();
    void updateStatus(); // the status bar's text while no job runs: the model and its accuracy
    // automatic: auto-explain's request (the example or methods changed): only the methods
    // ExplainView::autoMethods() allows; otherwise every checked method.
    void requestExplain(qint64 row, bool automatic = false);
    void requestPerturb(double t);
    // The current example's removal curves, when the Faithfulness view is current and lacks them.
    void requestRemoval();
    void cancelRemoval();
    void applyPendingSession();
    void applyPendingResults(); // a session's stability/faithfulness results, after the model
    // Dialog slots
    void openDatasetDialog();
    void openModelDialog();
    void openTorchScriptDialog();
    void saveModelAsDialog();
    void saveModel();
    void saveSessionDialog();
    void openSessionDialog();
    void exportReportDialog();

    JobDispatcher* m_jobs = nullptr;
    DatasetSummary m_dataset;
    ModelSummary m_model;
    explain::ExplainOptions m_explainOptions;
    int m_explainRequest = 0, m_perturbRequest = 0;
    bool m_errorDialogs = true, m_shutDown = false;
    int m_workerStopMs = 5000;
    bool m_askUnsaved = true, m_inOpen = false; // m_inOpen: a session opening its parts
    // Which model the Model view's curves show (modelIdentity; empty: none). After a restore,
    // an open or a cancelled training that kept the previous model they are replaced by that
    // model's own history, so the view and the report never show a rejected model's curves.
    QString m_curvesOf;
    ReportLayout m_lastReport;
    bool m_hadModelBeforeTraining = false;
    bool curvesAreCurrentModel() const;
    QString m_lastError;
    bool m_hasPendingSession = false;
    Session m_pendingSession;
    QString m_sessionPath; // the session last opened or saved (exports may not overwrite it)
    QJsonObject m_pendingResults; // {"stability_result", "faithfulness_result"} until the model is set

    QTabWidget* m_tabs = nullptr;
    DataView* m_dataView = nullptr;
    ModelView* m_modelView = nullptr;
    ExplainView* m_explainView = nullptr;
    ConceptsView* m_conceptsView = nullptr;
    StabilityView* m_stabilityView = nullptr;
    FaithfulnessView* m_faithfulnessView = nullptr;
    FlintView* m_flintView = nullptr;
    RrrView* m_rrrView = nullptr;
    SanityView* m_sanityView = nullptr;
    ScorecardView* m_scorecardView = nullptr;
    QList<ViewPage*> m_pages;
    QDockWidget* m_logDock = nullptr;
    QPlainTextEdit* m_log = nullptr;
    RecentFiles* m_recent = nullptr;
    QAction *m_saveModel = nullptr, *m_saveModelAs = nullptr, *m_openTorchScript = nullptr,
            *m_saveSession = nullptr, *m_exportReport = nullptr;
    StatusPanel* m_status = nullptr;
};

} // namespace senn::ui
