// MainWindow's requests: opening files, training, explaining. Each checks what the window knows
// (a dataset, a model, a running job) and hands the work to the JobDispatcher.
#include "ui/main_window.h"

#include "ui/shell/status_panel.h"
#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/model_view.h"

#include "core/data/loader.h"
#include "core/io/model_file.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace senn::ui {

void MainWindow::cancelJob(JobKind kind) { m_jobs->cancel(kind); }

void MainWindow::cancelAll()
{
    m_jobs->cancelAll();
    m_faithfulnessView->removalEnded(); // a queued job that is cancelled never reports
    appendLog(tr("Cancel requested."));
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
    m_jobs->loadDataset(path, t);
}

void MainWindow::openModel(const QString& path)
{
    if (!confirmDiscardModel(tr("open another model")))
        return;
    m_jobs->loadModel(path);
}

void MainWindow::openTorchScript(const QString& path)
{
    if (!confirmDiscardModel(tr("open another model")))
        return;
    m_jobs->loadTorchScript(path);
}

void MainWindow::saveModelTo(const QString& path)
{
    m_jobs->saveModel(path);
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
    m_jobs->train(config, trainConfig);
}

void MainWindow::restorePreviousModel()
{
    if (isRunning(JobKind::Train))
        return;
    m_jobs->restorePreviousModel();
}

void MainWindow::requestExplain(qint64 row, bool automatic)
{
    if (!m_model.valid || !m_model.hasData || row < 0)
        return;
    ExplainRequest r;
    r.row = row;
    r.methods = automatic ? m_explainView->autoMethods() : m_explainView->methodPicker()->methods();
    r.options = m_explainOptions;
    r.seedRuns = m_explainView->seedRuns();
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
    m_jobs->explain(r);
}

void MainWindow::requestRemoval()
{
    if (m_tabs->currentWidget() != m_faithfulnessView || !m_faithfulnessView->needsRemoval()
        || !m_model.valid || !m_model.hasData)
        return;
    m_faithfulnessView->setRemovalRunning();
    m_jobs->removalCurves(m_faithfulnessView->example());
}

void MainWindow::cancelRemoval()
{
    m_jobs->cancel(JobKind::Removal);
    m_faithfulnessView->removalEnded(); // a queued job that is cancelled never reports
}

void MainWindow::setExplainOptions(const explain::ExplainOptions& options)
{
    m_explainOptions = options;
    m_explainView->setExplainOptions(options);
    const QByteArray json =
        QJsonDocument(explainOptionsToJson(options, m_explainView->seedRuns())).toJson(QJsonDocument::Compact);
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
        connect(dialog, &QDialog::accepted, this, [this, dialog] {
            m_explainView->setSeedRuns(dialog->seedRuns());
            setExplainOptions(dialog->options());
        });
    }
    dialog->setOptions(m_explainOptions);
    dialog->setSeedRuns(m_explainView->seedRuns());
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
    m_jobs->perturb(r);
}

} // namespace senn::ui
