// MainWindow: the file dialogs, session save and open, and File > Export report (written by
// ReportWriter).
#include "ui/main_window.h"

#include "ui/plots/training_curves.h"
#include "ui/report/report_writer.h"
#include "ui/session_results.h"
#include "ui/shell/dataset_file_dialog.h"
#include "ui/shell/last_dirs.h"
#include "ui/shell/recent_files.h"
#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/model_view.h"
#include "ui/views/sanity_view.h"
#include "ui/views/scorecard_view.h"
#include "ui/views/stability_view.h"

#include <QFileDialog>
#include <QFileInfo>

namespace senn::ui {

void MainWindow::openDatasetDialog()
{
    const QString path = DatasetFileDialog::choose(this, lastDir("data"));
    if (path.isEmpty())
        return;
    rememberDir("data", path);
    openDataset(path);
}

void MainWindow::openModelDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), lastDir("model"),
                                                      tr("Models (*.senn *.pt *.ts);;All files (*)"));
    if (path.isEmpty())
        return;
    rememberDir("model", path);
    openPath(path);
}

void MainWindow::openTorchScriptDialog()
{
    QString shape = tr("[N, …] as the dataset's rows");
    if (m_dataset.data) {
        QStringList dims{"N"};
        for (auto v : m_dataset.data->sampleShape)
            dims << QString::number(v);
        shape = tr("float32 [%1] raw inputs%2 → logits [N, %3]")
                    .arg(dims.join(", "), m_dataset.data->isImage() ? tr(" in [0, 1]") : QString())
                    .arg(m_dataset.data->numClasses());
    }
    QFileDialog dlg(this, tr("Open TorchScript model — expects %1; written by PyTorch <= 1.13 "
                             "torch.jit.save").arg(shape),
                    lastDir("model"), tr("TorchScript (*.pt *.ts *.pth);;All files (*)"));
    dlg.setOption(QFileDialog::DontUseNativeDialog);
    dlg.setFileMode(QFileDialog::ExistingFile);
    if (dlg.exec() != QDialog::Accepted || dlg.selectedFiles().isEmpty())
        return;
    rememberDir("model", dlg.selectedFiles().first());
    openTorchScript(dlg.selectedFiles().first());
}

void MainWindow::saveModel()
{
    if (!m_model.valid)
        return;
    if (m_model.path.isEmpty() || !m_model.path.endsWith(".senn"))
        return saveModelAsDialog();
    saveModelTo(m_model.path);
}

void MainWindow::saveModelAsDialog()
{
    if (!m_model.valid)
        return;
    QString path = QFileDialog::getSaveFileName(this, tr("Save model"), lastDir("model") + "/model.senn",
                                                tr("SENN Studio model (*.senn)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(".senn"))
        path += ".senn";
    rememberDir("model", path);
    saveModelTo(path);
}

Session MainWindow::currentSession() const
{
    Session s;
    s.datasetPath = m_dataset.path;
    s.target = m_dataset.target;
    s.modelPath = m_model.valid ? m_model.path : QString();
    s.exampleRow = m_explainView->currentRow();
    s.methods = m_explainView->methodPicker()->methodIds();
    s.currentView = currentViewId();
    s.settings["model"] = m_modelView->settings();
    s.settings["stability"] = m_stabilityView->settings();
    s.settings["faithfulness"] = m_faithfulnessView->settings();
    // The memory budget belongs to this machine, not to the session.
    QJsonObject explainers = explainOptionsToJson(m_explainOptions, m_explainView->seedRuns());
    explainers.remove("memory_mb");
    s.settings["explainers"] = explainers;
    s.settings["explain"] = m_explainView->settings(); // shared scale, top K
    // The results themselves, so that a reopened session shows them again.
    if (m_stabilityView->hasResult())
        s.settings["stability_result"] = stabilityResultToJson(m_stabilityView->result());
    if (m_faithfulnessView->hasResult())
        s.settings["faithfulness_result"] = faithfulnessResultToJson(m_faithfulnessView->result());
    if (m_sanityView->hasResult())
        s.settings["sanity_result"] = sanityResultToJson(m_sanityView->result(), m_sanityView->measure());
    if (m_scorecardView->hasResult())
        s.settings["scorecard_result"] = scorecardResultToJson(m_scorecardView->result());
    return s;
}

bool MainWindow::saveSession(const QString& path)
{
    Session s = currentSession();
    if (m_model.valid && s.modelPath.isEmpty() && !m_model.torchScript) {
        // An unsaved model is saved next to the session so the session can reopen it.
        const QFileInfo fi(path);
        s.modelPath = fi.absoluteDir().filePath(fi.completeBaseName() + ".senn");
        saveModelTo(s.modelPath);
    }
    QString error;
    if (!s.save(path, &error)) {
        showError(tr("Save session"), error);
        return false;
    }
    addRecent(path);
    m_sessionPath = path;
    appendLog(tr("Session saved to %1").arg(path));
    return true;
}

bool MainWindow::openSession(const QString& path)
{
    Session s;
    QString error;
    if (!Session::load(path, &s, &error)) {
        showError(tr("Open session"), error);
        return false;
    }
    if (s.datasetPath.isEmpty()) {
        showError(tr("Open session"), tr("%1: the session names no dataset").arg(sessionEcho(path, 200)));
        return false;
    }
    if (!confirmDiscardModel(tr("open another session")))
        return false;
    appendLog(tr("Opening session %1").arg(sessionEcho(path, 200)));
    addRecent(path);
    m_sessionPath = path;
    m_modelView->applySettings(s.settings["model"].toObject());
    m_stabilityView->applySettings(s.settings["stability"].toObject());
    m_faithfulnessView->applySettings(s.settings["faithfulness"].toObject());
    if (s.settings.contains("explainers")) {
        const int64_t budget = m_explainOptions.memoryBudget; // this machine's setting stays
        m_explainOptions = explainOptionsFromJson(s.settings["explainers"].toObject());
        m_explainOptions.memoryBudget = budget;
        m_explainView->setSeedRuns(seedRunsFromJson(s.settings["explainers"].toObject()));
    }
    m_explainView->setExplainOptions(m_explainOptions);
    m_explainView->applySettings(s.settings["explain"].toObject());
    m_pendingSession = s;
    m_hasPendingSession = true;
    m_inOpen = true; // asked once above, not again for the session's parts
    openDataset(s.datasetPath, s.target);
    if (!s.modelPath.isEmpty())
        openModel(s.modelPath);
    m_inOpen = false;
    return true;
}

void MainWindow::applyPendingSession()
{
    if (!m_hasPendingSession)
        return;
    if (!m_pendingSession.modelPath.isEmpty()
        && QFileInfo(m_model.path).absoluteFilePath() != QFileInfo(m_pendingSession.modelPath).absoluteFilePath())
        return; // a model that was open before the session: wait for the session's own
    m_hasPendingSession = false;
    if (!m_pendingSession.methods.isEmpty())
        m_explainView->methodPicker()->setMethodIds(m_pendingSession.methods);
    if (m_pendingSession.exampleRow >= 0)
        m_explainView->setCurrentRow(m_pendingSession.exampleRow);
    // The results go on screen after the worker's model summary (which clears the views).
    m_pendingResults = {};
    for (const char* key : {"stability_result", "faithfulness_result", "sanity_result", "scorecard_result"})
        if (m_pendingSession.settings.contains(key))
            m_pendingResults[key] = m_pendingSession.settings[key];
    if (!m_pendingSession.currentView.isEmpty())
        showView(m_pendingSession.currentView);
    appendLog(tr("Session restored."));
    emit sessionRestored();
}

void MainWindow::applyPendingResults()
{
    if (m_pendingResults.isEmpty())
        return;
    const QJsonObject results = m_pendingResults;
    m_pendingResults = {};
    // A stored result with numbers out of range is left out, and the log says why.
    metrics::StabilityResult stability;
    QString why;
    if (results.contains("stability_result")) {
        if (stabilityResultFromJson(results["stability_result"].toObject(), &stability, &why)) {
            m_stabilityView->setResult(stability);
            emit stabilityShown();
        } else {
            appendLog(tr("Session: the stored stability result was not restored: %1").arg(why));
        }
    }
    metrics::FaithfulnessResult faithfulness;
    if (results.contains("faithfulness_result")) {
        if (faithfulnessResultFromJson(results["faithfulness_result"].toObject(), &faithfulness, &why)) {
            m_faithfulnessView->setResult(faithfulness);
            emit faithfulnessShown();
        } else {
            appendLog(tr("Session: the stored faithfulness result was not restored: %1").arg(why));
        }
    }
    metrics::SanityResult sanity;
    std::string measure;
    if (results.contains("sanity_result")) {
        if (sanityResultFromJson(results["sanity_result"].toObject(), &sanity, &measure, &why)) {
            if (!measure.empty())
                m_sanityView->setMeasure(measure);
            m_sanityView->setResult(sanity);
        } else {
            appendLog(tr("Session: the stored sanity result was not restored: %1").arg(why));
        }
    }
    metrics::ScorecardResult scorecard;
    if (results.contains("scorecard_result")) {
        if (scorecardResultFromJson(results["scorecard_result"].toObject(), &scorecard, &why))
            m_scorecardView->setResult(scorecard);
        else
            appendLog(tr("Session: the stored scorecard result was not restored: %1").arg(why));
    }
}

void MainWindow::saveSessionDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save session"), lastDir("session") + "/session.sennsession",
                                                tr("SENN Studio session (*.sennsession)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(".sennsession"))
        path += ".sennsession";
    rememberDir("session", path);
    saveSession(path);
}

void MainWindow::openSessionDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), lastDir("session"),
                                                      tr("SENN Studio session (*.sennsession)"));
    if (path.isEmpty())
        return;
    rememberDir("session", path);
    openSession(path);
}

void MainWindow::exportReportDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Export report"), lastDir("report") + "/senn-report.pdf",
                                                tr("PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(".pdf", Qt::CaseInsensitive))
        path += ".pdf";
    rememberDir("report", path);
    if (exportReport(path))
        appendLog(tr("Report written to %1").arg(path));
}

bool MainWindow::exportReport(const QString& path)
{
    if (!m_model.valid) {
        showError(tr("Export report"), tr("There is no model to report on."));
        return false;
    }
    ReportSources sources;
    sources.model = &m_model;
    sources.imageData = m_dataset.data && m_dataset.data->isImage();
    sources.trainingCurves = curvesAreCurrentModel() ? m_modelView->curves() : nullptr;
    sources.explain = m_explainView;
    sources.stability = m_stabilityView;
    sources.faithfulness = m_faithfulnessView;
    sources.stabilityRunning = isRunning(JobKind::Stability);
    sources.faithfulnessRunning = isRunning(JobKind::Faithfulness);
    sources.sanity = m_sanityView;
    sources.scorecard = m_scorecardView;
    sources.sanityRunning = isRunning(JobKind::Sanity);
    sources.scorecardRunning = isRunning(JobKind::Scorecard);
    ReportWriter writer(sources);
    const bool written = writer.write(path);
    m_lastReport = writer.layout();
    if (!written) {
        showError(tr("Export report"), writer.error());
        return false;
    }
    appendLog(tr("Report: %1 figures written to %2").arg(writer.figureCount()).arg(path));
    return QFileInfo(path).size() > 0;
}

void MainWindow::addRecent(const QString& path) { RecentFiles::add(path); }

} // namespace senn::ui
