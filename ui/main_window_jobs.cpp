// MainWindow: sending requests to the CoreWorker and routing its results to the views.
#include "ui/main_window.h"

#include "ui/shell/status_panel.h"
#include "ui/views/concepts_view.h"
#include "ui/views/data_view.h"
#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h"
#include "ui/views/flint_view.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/stability_view.h"
#include "ui/views/model_view.h"

#include "core/data/loader.h"
#include "core/io/model_file.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>

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

jobs::CancelToken MainWindow::startToken(JobKind kind)
{
    // A new request of the same kind supersedes the previous one (e.g. a new example).
    if (m_tokens.contains(int(kind)))
        m_tokens[int(kind)].cancel();
    jobs::CancelToken t;
    m_tokens[int(kind)] = t;
    return t;
}

void MainWindow::cancelJob(JobKind kind)
{
    if (m_tokens.contains(int(kind)))
        m_tokens[int(kind)].cancel();
}

void MainWindow::cancelAll()
{
    for (auto it = m_tokens.begin(); it != m_tokens.end(); ++it)
        it.value().cancel();
    m_faithfulnessView->removalEnded(); // a queued job that is cancelled never reports
    appendLog(tr("Cancel requested."));
}

void MainWindow::connectWorker()
{
    auto* w = m_worker;
    connect(m_thread, &QThread::finished, this, [] {});
    connect(w, &CoreWorker::log, this, &MainWindow::appendLog);
    connect(w, &CoreWorker::jobStarted, this, [this](JobKind k, const QString& what) {
        m_status->jobStarted(k, what + QStringLiteral("…"));
        if (k == JobKind::Explain)
            m_explainView->setRunning(true, what + QStringLiteral("…"));
        if (k == JobKind::Removal)
            m_faithfulnessView->setRemovalRunning();
    });
    connect(w, &CoreWorker::jobProgress, m_status, &StatusPanel::jobProgress);
    auto ended = [this](JobKind k, bool cancelled) {
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
    };
    connect(w, &CoreWorker::jobFinished, this, [ended](JobKind k, double, bool cancelled) { ended(k, cancelled); });
    connect(w, &CoreWorker::jobFailed, this, [this, ended](JobKind k, const QString& refusal) {
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
        ended(k, false);
        if (k == JobKind::Load)
            m_hasPendingSession = false;
    });
    connect(w, &CoreWorker::datasetLoaded, this, [this](const DatasetSummary& s) {
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
    });
    connect(w, &CoreWorker::modelReady, this, [this](const ModelSummary& s) {
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
    });
    connect(w, &CoreWorker::modelSaved, this, [this](const QString& path) {
        m_model.path = path;
        m_modelView->setModelPath(path);
        addRecent(path);
        statusBar()->showMessage(tr("Model saved to %1").arg(path), 5000);
        emit modelSaved(path);
    });
    connect(w, &CoreWorker::trainingProgress, this, [this](const train::BatchReport& r) {
        m_modelView->addProgress(r);
    });
    connect(w, &CoreWorker::trainingFinished, this, [this](const ModelSummary& s, bool cancelled) {
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
    });
    connect(w, &CoreWorker::previousModelReplaced, this,
            [this](const QString& previous, double before, double now) {
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
    });
    connect(w, &CoreWorker::explanationReady, this, [this](ExplainResult r) {
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
    });
    connect(w, &CoreWorker::removalReady, this, [this](const ExplainResult& r) {
        const ExplainResult& shown = m_faithfulnessView->example();
        if (r.request.requestId == m_explainRequest && r.request.requestId == shown.request.requestId
            && r.request.row == shown.request.row)
            m_faithfulnessView->setExample(r);
    });
    // Removal curves cost about one model row per feature and method: computed only for the
    // Faithfulness view, when it is current.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { requestRemoval(); });
    connect(w, &CoreWorker::stabilityReady, this, [this](const metrics::StabilityResult& r) {
        m_stabilityView->setResult(r);
        emit stabilityUpdated();
        emit stabilityShown();
    });
    connect(w, &CoreWorker::faithfulnessReady, this, [this](const metrics::FaithfulnessResult& r) {
        m_faithfulnessView->setResult(r);
        emit faithfulnessShown();
    });
    // Streamed results: the curves and boxes grow point by point while a run goes on.
    connect(w, &CoreWorker::stabilityPartial, this, [this](const metrics::StabilityResult& r) {
        m_stabilityView->setResult(r);
        emit stabilityUpdated();
    });
    connect(w, &CoreWorker::faithfulnessPartial, m_faithfulnessView, &FaithfulnessView::setResult);
    connect(w, &CoreWorker::prototypesReady, this, [this](const metrics::Prototypes& p) {
        m_conceptsView->setPrototypes(p);
        emit prototypesShown();
    });
}

void MainWindow::openPath(const QString& path)
{
    const QFileInfo fi(path);
    if (!fi.exists())
        return showError(tr("Open"), tr("%1: no such file or folder. Check the path.").arg(path));
    if (fi.suffix().compare("sennsession", Qt::CaseInsensitive) == 0) {
        openSession(path);
        return;
    }
    if (fi.isFile()) {
        const auto kind = io::detectModelFile(path.toStdString());
        if (kind == io::ModelFileKind::Senn) {
            openModel(path);
            return;
        }
        if (kind == io::ModelFileKind::TorchScript) {
            openTorchScript(path);
            return;
        }
    }
    openDataset(path);
}

QString MainWindow::guessCsvTarget(const QString& path)
{
    // Runs on the GUI thread: only a regular file (a FIFO would block the window) and only the
    // first 64 KiB of its first line (a file of 1 GB with no line break is the loader's to refuse).
    if (!QFileInfo(path).isFile())
        return {};
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QString header = QString::fromUtf8(f.readLine(64 * 1024)).trimmed();
    QStringList cols;
    for (auto c : header.split(','))
        cols << c.trimmed().remove('"');
    static const QStringList names = {"target", "label", "class", "diagnosis", "digit", "y", "outcome"};
    for (const auto& n : names)
        for (const auto& c : cols)
            if (c.compare(n, Qt::CaseInsensitive) == 0)
                return c;
    return {}; // the loader's default: the last column
}

void MainWindow::openDataset(const QString& path, const QString& target)
{
    if (QFileInfo(path).absoluteFilePath() != QFileInfo(m_dataset.path).absoluteFilePath()
        && !confirmDiscardModel(tr("open another dataset")))
        return;
    QString t = target;
    if (t.isEmpty() && data::detectFormat(path.toStdString()) == data::SourceFormat::Csv)
        t = guessCsvTarget(path);
    appendLog(tr("Opening dataset %1%2").arg(path, t.isEmpty() ? QString() : tr(" (target %1)").arg(t)));
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path, t, tok = startToken(JobKind::Load)] {
        w->loadDataset(path, t, tok);
    }, Qt::QueuedConnection);
}

void MainWindow::openModel(const QString& path)
{
    if (!confirmDiscardModel(tr("open another model")))
        return;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path] { w->loadModel(path); }, Qt::QueuedConnection);
}

void MainWindow::openTorchScript(const QString& path)
{
    if (!confirmDiscardModel(tr("open another model")))
        return;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path] { w->loadTorchScript(path); }, Qt::QueuedConnection);
}

void MainWindow::saveModelTo(const QString& path)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path] { w->saveModel(path); }, Qt::QueuedConnection);
}

void MainWindow::train(const models::ModelConfig& config, const models::TrainConfig& trainConfig)
{
    if (!m_dataset.data)
        return showError(tr("Train"), tr("Open a dataset first (File > Open dataset… or File > Examples)."));
    if (isRunning(JobKind::Train))
        return;
    m_modelView->setTraining(true);
    m_hadModelBeforeTraining = m_model.valid;
    appendLog(tr("Training %1: up to %2 epochs (patience %5), batch %3, lr %4 (%6 schedule)")
                  .arg(QString::fromStdString(models::toString(config.kind)))
                  .arg(trainConfig.epochs).arg(trainConfig.batch).arg(trainConfig.lr)
                  .arg(trainConfig.patience > 0 ? QString::number(trainConfig.patience) : tr("off"))
                  .arg(QString::fromStdString(trainConfig.schedule)));
    QMetaObject::invokeMethod(m_worker, [w = m_worker, config, trainConfig, t = startToken(JobKind::Train)] {
        w->trainModel(config, trainConfig, t);
    }, Qt::QueuedConnection);
}

void MainWindow::restorePreviousModel()
{
    if (isRunning(JobKind::Train))
        return;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->restorePreviousModel(); }, Qt::QueuedConnection);
}

void MainWindow::requestExplain(qint64 row, bool automatic)
{
    if (!m_model.valid || !m_model.hasData || row < 0)
        return;
    ExplainRequest r;
    r.row = row;
    r.methods = automatic ? m_explainView->autoMethods() : m_explainView->methodPicker()->methods();
    r.options = m_explainOptions;
    if (r.methods.empty())
        return;
    r.requestId = ++m_explainRequest;
    cancelRemoval(); // its example is being replaced
    // The worker runs one job at a time: say what this request waits for.
    for (const JobKind running : m_status->runningJobs())
        if (running != JobKind::Explain) {
            const QString msg = tr("Explain queued behind %1…").arg(jobName(running));
            statusBar()->showMessage(msg, 5000);
            m_explainView->setRunning(true, msg);
            break;
        }
    QMetaObject::invokeMethod(m_worker, [w = m_worker, r, t = startToken(JobKind::Explain)] {
        w->explain(r, t);
    }, Qt::QueuedConnection);
}

void MainWindow::requestRemoval()
{
    if (m_tabs->currentWidget() != m_faithfulnessView || !m_faithfulnessView->needsRemoval()
        || !m_model.valid || !m_model.hasData)
        return;
    m_faithfulnessView->setRemovalRunning();
    QMetaObject::invokeMethod(m_worker, [w = m_worker, ex = m_faithfulnessView->example(),
                                         t = startToken(JobKind::Removal)] {
        w->removalCurves(ex, t);
    }, Qt::QueuedConnection);
}

void MainWindow::cancelRemoval()
{
    cancelJob(JobKind::Removal);
    m_faithfulnessView->removalEnded(); // a queued job that is cancelled never reports
}

void MainWindow::setExplainOptions(const explain::ExplainOptions& options)
{
    m_explainOptions = options;
    m_explainView->setExplainOptions(options);
    const QByteArray json = QJsonDocument(explainOptionsToJson(options)).toJson(QJsonDocument::Compact);
    QSettings().setValue("explainers", json);
    appendLog(tr("Explainer settings: %1").arg(QString::fromUtf8(json)));
    const qint64 row = m_explainView->currentRow();
    if (row >= 0)
        requestExplain(row);
}

void MainWindow::showExplainerSettings()
{
    // Non-modal: the GUI keeps working (and jobs keep running) while it is open.
    auto* dialog = findChild<ExplainerSettingsDialog*>();
    if (!dialog) {
        dialog = new ExplainerSettingsDialog(this);
        connect(dialog, &QDialog::accepted, this, [this, dialog] { setExplainOptions(dialog->options()); });
    }
    dialog->setOptions(m_explainOptions);
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void MainWindow::requestPerturb(double t)
{
    const qint64 row = m_explainView->currentRow();
    if (!m_model.valid || !m_model.hasData || row < 0)
        return;
    ExplainRequest r;
    r.row = row;
    r.methods = m_explainView->methodPicker()->methods();
    r.options = m_explainOptions;
    r.noise = t;
    r.noiseSeed = 1234;
    r.requestId = ++m_perturbRequest;
    if (t <= 0) { // t = 0 is the example itself
        r.noise = 1e-12;
    }
    QMetaObject::invokeMethod(m_worker, [w = m_worker, r, tok = startToken(JobKind::Perturb)] {
        w->explain(r, tok);
    }, Qt::QueuedConnection);
}

} // namespace senn::ui
