// MainWindow's answers to the worker: connectWorker wires the worker's signals, and each
// on*() function decides what a result changes (which views, which follow-up request).
#include "ui/main_window.h"

#include "ui/shell/status_panel.h"
#include "ui/views/concepts_view.h"
#include "ui/views/data_view.h"
#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h" // withMemorySettingHint
#include "ui/views/faithfulness_view.h"
#include "ui/views/flint_view.h"
#include "ui/views/model_view.h"
#include "ui/views/stability_view.h"

#include <QFileInfo>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

namespace senn::ui {

// Which model a summary is: its creation time, training time and description (a restore
// swaps two models, an open brings a third); empty for none.
static QString modelIdentity(const ModelSummary& s)
{
    if (!s.valid)
        return {};
    const auto t = s.meta.metrics.find("train_seconds");
    return QStringLiteral("%1|%2|%3").arg(QString::fromStdString(s.meta.createdAt))
        .arg(t == s.meta.metrics.end() ? -1.0 : t->second, 0, 'g', 17).arg(s.description);
}

bool MainWindow::curvesAreCurrentModel() const
{
    return m_model.valid && !m_curvesOf.isEmpty() && m_curvesOf == modelIdentity(m_model);
}

void MainWindow::connectWorker()
{
    auto* w = m_jobs->worker();
    connect(w, &CoreWorker::log, this, &MainWindow::appendLog);
    connect(w, &CoreWorker::jobStarted, this, &MainWindow::onJobStarted);
    connect(w, &CoreWorker::jobProgress, m_status, &StatusPanel::jobProgress);
    connect(w, &CoreWorker::jobFinished, this, [this](JobKind k, double, bool cancelled) { onJobEnded(k, cancelled); });
    connect(w, &CoreWorker::jobFailed, this, &MainWindow::onJobFailed);
    connect(w, &CoreWorker::datasetLoaded, this, &MainWindow::onDatasetLoaded);
    connect(w, &CoreWorker::modelReady, this, &MainWindow::onModelReady);
    connect(w, &CoreWorker::modelSaved, this, &MainWindow::onModelSaved);
    connect(w, &CoreWorker::trainingProgress, m_modelView, &ModelView::addProgress);
    connect(w, &CoreWorker::trainingFinished, this, &MainWindow::onTrainingFinished);
    connect(w, &CoreWorker::previousModelReplaced, this, &MainWindow::onPreviousModelReplaced);
    connect(w, &CoreWorker::explanationReady, this, &MainWindow::onExplanation);
    connect(w, &CoreWorker::removalReady, this, &MainWindow::onRemovalCurves);
    // Removal curves cost about one model row per feature and method: computed only for the
    // Faithfulness view, when it is current.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { requestRemoval(); });
    // Streamed results: the curves and boxes grow point by point while a run goes on.
    connect(w, &CoreWorker::stabilityPartial, this, [this](const metrics::StabilityResult& r) { onStability(r, false); });
    connect(w, &CoreWorker::stabilityReady, this, [this](const metrics::StabilityResult& r) { onStability(r, true); });
    connect(w, &CoreWorker::faithfulnessPartial, m_faithfulnessView, &FaithfulnessView::setResult);
    connect(w, &CoreWorker::faithfulnessReady, this, [this](const metrics::FaithfulnessResult& r) {
        m_faithfulnessView->setResult(r);
        emit faithfulnessShown();
    });
    connect(w, &CoreWorker::prototypesReady, this, [this](const metrics::Prototypes& p) {
        m_conceptsView->setPrototypes(p);
        emit prototypesShown();
    });
}

void MainWindow::onJobStarted(JobKind k, const QString& what)
{
    m_status->jobStarted(k, what + QStringLiteral("…"));
    if (k == JobKind::Explain)
        m_explainView->setRunning(true, what + QStringLiteral("…"));
    if (k == JobKind::Removal)
        m_faithfulnessView->setRemovalRunning();
}

void MainWindow::onJobEnded(JobKind k, bool cancelled)
{
    m_status->jobEnded(k);
    if (k == JobKind::Train)
        m_modelView->setTraining(false);
    if (k == JobKind::Stability)
        m_stabilityView->setRunning(false);
    if (k == JobKind::Faithfulness)
        m_faithfulnessView->setRunning(false);
    if (k == JobKind::Removal)
        m_faithfulnessView->removalEnded();
    if (k == JobKind::Flint || k == JobKind::Train)
        m_flintView->setRunning(isRunning(JobKind::Flint) || isRunning(JobKind::Train));
    updateStatus();
    updateActions();
    emit jobEnded(k, cancelled);
}

void MainWindow::onJobFailed(JobKind k, const QString& refusal)
{
    // A job that did not fit its memory says where the budget is set.
    const QString msg = withMemorySettingHint(refusal);
    // Explanation failures of single methods are shown in the view, not as dialogs.
    if (k == JobKind::Explain || k == JobKind::Perturb) {
        m_lastError = msg;
        appendLog(tr("Error: %1").arg(msg));
        emit errorShown(msg);
        m_explainView->setRunning(false, msg);
    } else if (k == JobKind::Removal) {
        // Computed in the background for the Faithfulness view: its plot says so, no dialog.
        appendLog(tr("Error: %1").arg(msg));
        emit errorShown(msg);
    } else {
        showError(tr("%1 failed").arg(jobName(k)), msg);
    }
    onJobEnded(k, false);
    if (k == JobKind::Load)
        m_hasPendingSession = false;
}

void MainWindow::onDatasetLoaded(const DatasetSummary& s)
{
    m_dataset = s;
    // The worker's verdict on the current model follows (modelReady); until then a model
    // that does not fit the new data is not used with it (no explain, no predictions).
    if (m_model.valid && !modelFitsDataset(m_model, s)) {
        m_model.hasData = false;
        m_model.rows.clear();
        m_model.predictions.clear();
        m_model.confidence.clear();
    }
    m_dataView->setDataset(s);
    m_modelView->setDataset(s);
    m_explainView->setDataset(s);
    m_conceptsView->setDataset(s);
    m_stabilityView->setDataset(s);
    m_flintView->setDataset(s);
    addRecent(s.path);
    setWindowTitle(tr("SENN Studio — %1").arg(QFileInfo(s.path).fileName()));
    appendLog(tr("Dataset %1: %2 rows, %3 classes").arg(s.path).arg(s.data->rows()).arg(s.data->numClasses()));
    updateActions();
    emit datasetChanged(s);
    if (m_hasPendingSession && m_pendingSession.modelPath.isEmpty())
        applyPendingSession();
}

void MainWindow::onModelReady(const ModelSummary& s)
{
    m_model = s;
    m_modelView->setModel(s);
    // A model that arrives outside a training (restore, open, session) brings its own
    // curves; during a training trainingFinished decides (the live curves or the kept model's).
    if (!isRunning(JobKind::Train) && modelIdentity(s) != m_curvesOf) {
        m_modelView->showHistoryOf(s);
        m_curvesOf = modelIdentity(s);
    }
    m_explainView->setModel(s);
    m_conceptsView->setModel(s);
    m_stabilityView->setModel(s);
    m_faithfulnessView->setModel(s);
    cancelRemoval(); // its example was explained by the model this one replaces
    m_flintView->setModel(s);
    if (s.valid && !s.path.isEmpty())
        addRecent(s.path);
    updateActions();
    updateStatus();
    emit modelChanged(s);
    if (m_hasPendingSession && s.valid)
        applyPendingSession();
    applyPendingResults();
}

void MainWindow::onModelSaved(const QString& path)
{
    m_model.path = path;
    m_modelView->setModelPath(path);
    addRecent(path);
    statusBar()->showMessage(tr("Model saved to %1").arg(path), 5000);
    emit modelSaved(path);
}

void MainWindow::onTrainingFinished(const ModelSummary& s, bool cancelled)
{
    // A cancelled training keeps the previous model, or with none its best epoch: the live
    // curves are the current model's unless the previous one was kept.
    if (cancelled && (m_hadModelBeforeTraining || !s.valid))
        m_modelView->showHistoryOf(s);
    m_curvesOf = modelIdentity(s);
    appendLog(!cancelled ? tr("Training finished.")
              : m_hadModelBeforeTraining ? tr("Training cancelled; the previous model is kept.")
              : s.valid ? tr("Training cancelled; the best finished epoch is kept.")
                        : tr("Training cancelled before an epoch finished; there is no model."));
    emit trainingFinished(s, cancelled);
}

void MainWindow::onPreviousModelReplaced(const QString& previous, double before, double now)
{
    const QString text = tr("The new model reaches %1% test accuracy; the model it replaced "
                            "reached %2%.").arg(now * 100.0, 0, 'f', 2).arg(before * 100.0, 0, 'f', 2);
    appendLog(text + tr(" File > Restore previous model brings it back."));
    m_modelView->setPreviousAccuracy(before);
    emit previousModelReplaced(before, now);
    if (!m_errorDialogs)
        return;
    // Non-modal: the user may keep working; the previous model stays restorable.
    auto* box = new QMessageBox(QMessageBox::Question, tr("Compare with the previous model"),
                                text, QMessageBox::NoButton, this);
    box->setInformativeText(tr("Previous model: %1").arg(previous));
    box->addButton(tr("Keep the new model"), QMessageBox::AcceptRole);
    auto* restore = box->addButton(tr("Restore the previous model"), QMessageBox::RejectRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, restore] {
        if (box->clickedButton() == restore)
            restorePreviousModel();
    });
    box->open();
}

void MainWindow::onExplanation(ExplainResult r)
{
    for (QString& f : r.failures)
        f = withMemorySettingHint(f);
    if (r.request.requestId != (r.request.noise > 0 ? m_perturbRequest : m_explainRequest))
        return; // superseded by a newer request
    if (r.request.noise > 0) {
        m_stabilityView->setPerturbResult(r);
    } else {
        m_explainView->setResult(r);
        m_faithfulnessView->setExample(r);
        requestRemoval();
    }
    emit explanationShown(r);
}

void MainWindow::onRemovalCurves(const ExplainResult& r)
{
    // Only for the example the view still shows, explained by the latest request.
    const ExplainResult& shown = m_faithfulnessView->example();
    if (r.request.requestId == m_explainRequest && r.request.requestId == shown.request.requestId
        && r.request.row == shown.request.row)
        m_faithfulnessView->setExample(r);
}

void MainWindow::onStability(const metrics::StabilityResult& r, bool final)
{
    m_stabilityView->setResult(r);
    emit stabilityUpdated();
    if (final)
        emit stabilityShown();
}

} // namespace senn::ui
