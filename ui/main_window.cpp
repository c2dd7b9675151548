// MainWindow: building the window (views, log dock, status bar, menus), the error and log
// lines, drag and drop, and closing: the unsaved-model question and stopping the worker.
#include "ui/main_window.h"

#include "core/common/system_info.h"

#include "ui/help/help_pages.h"
#include "ui/paths.h"
#include "ui/protected_inputs.h"
#include "ui/shell/cluster_runs.h"
#include "ui/shell/last_dirs.h"
#include "ui/shell/recent_files.h"
#include "ui/shell/status_panel.h"
#include "ui/startup.h"
#include "ui/views/concepts_view.h"
#include "ui/views/data_view.h"
#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/flint_view.h"
#include "ui/views/model_view.h"
#include "ui/views/rrr_view.h"
#include "ui/views/stability_view.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>

#include <cstdio>
#include <cstdlib>

namespace senn::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    initResources();
    m_jobs = new JobDispatcher(this);
    setWindowTitle(tr("SENN Studio"));
    setObjectName("MainWindow");
    setAcceptDrops(true);
    buildViews();
    m_status = new StatusPanel(statusBar(), this);
    connect(m_status, &StatusPanel::cancelRequested, this, &MainWindow::cancelAll);
    buildMenus();
    new ClusterRuns(this, m_jobs->worker()); // "Run on a cluster…" and File > Open results…
    connectWorker();
    buildFlintView();
    buildRrrView();
    buildSanityView();
    buildScorecardView();
    m_jobs->start();

    QSettings settings;
    QJsonObject explainers = QJsonDocument::fromJson(settings.value("explainers").toByteArray()).object();
    const bool beforeLogitDefault = !explainers.isEmpty() && explainers.value("settings_version").toInt(1) < 2;
    const bool migrated = migrateStoredExplainerSettings(explainers);
    if (migrated) // once: stored back with the current version
        settings.setValue("explainers", QJsonDocument(explainers).toJson(QJsonDocument::Compact));
    m_explainOptions = explainOptionsFromJson(explainers);
    m_explainView->setExplainOptions(m_explainOptions);
    m_explainView->setSeedRuns(seedRunsFromJson(explainers));
    if (!restoreGeometry(settings.value("window/geometry").toByteArray()))
        resize(defaultWindowSize());
    if (!restoreState(settings.value("window/state").toByteArray()))
        resizeDocks({m_logDock}, {90}, Qt::Vertical); // the views get the room by default
    updateActions();
    // No save or export may overwrite the files in use: ui/protected_inputs.h.
    setProtectedInputsProvider([this] {
        return QStringList{m_dataset.path, m_model.valid ? m_model.path : QString(), m_sessionPath};
    });
    appendLog(tr("SENN Studio started; worker thread ready."));
    if (beforeLogitDefault)
        appendLog(tr("Explainer settings from an earlier version: the explained output is now the "
                     "logit by default (Explain > Explainer settings… offers the probability)."));
    if (const auto w = common::blasWarning(common::systemInfo()); !w.empty())
        appendLog(QString::fromStdString(w));
}

QSize MainWindow::defaultWindowSize() const
{
    // Most of the screen the window opens on, never more than it: a fixed size would run off a
    // laptop's screen and leave a large monitor mostly empty.
    const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return {1280, 800};
    const QRect avail = screen->availableGeometry();
    const int w = std::min(int(avail.width() * 0.85), 1920), h = std::min(int(avail.height() * 0.85), 1200);
    return QSize(w, h).expandedTo(QSize(640, 480)).boundedTo(avail.size());
}

MainWindow::~MainWindow()
{
    setProtectedInputsProvider({});
    shutdown();
}

void MainWindow::buildViews()
{
    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_dataView = new DataView;
    m_modelView = new ModelView;
    m_explainView = new ExplainView;
    m_conceptsView = new ConceptsView;
    m_stabilityView = new StabilityView;
    m_faithfulnessView = new FaithfulnessView;
    m_flintView = new FlintView;
    m_rrrView = new RrrView;
    m_pages = {m_dataView, m_modelView, m_explainView, m_conceptsView, m_stabilityView, m_faithfulnessView,
               m_flintView, m_rrrView};
    for (auto* p : m_pages) {
        m_tabs->addTab(p, p->viewTitle());
        connect(p, &ViewPage::helpRequested, this, &MainWindow::showHelp);
    }
    setCentralWidget(m_tabs);

    m_logDock = new QDockWidget(tr("Log"), this);
    m_logDock->setObjectName("logDock");
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setObjectName("log");
    m_logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_logDock->resize(m_logDock->width(), 120);

    connect(m_dataView, &DataView::openRequested, this, &MainWindow::openDatasetDialog);
    connect(m_dataView, &DataView::reloadRequested, this, &MainWindow::openDataset);
    connect(m_modelView, &ModelView::trainRequested, this, &MainWindow::train);
    connect(m_modelView, &ModelView::cancelRequested, this, [this] { cancelJob(JobKind::Train); });
    connect(m_explainView, &ExplainView::explainRequested, this,
            [this](qint64 row, bool automatic) { requestExplain(row, automatic); });
    connect(m_explainView, &ExplainView::conceptClicked, this, [this](int c) {
        showView("concepts");
        if (!m_conceptsView->hasPrototypes() && m_model.isSenn && !isRunning(JobKind::Prototypes))
            m_jobs->prototypes(m_conceptsView->topL());
        m_conceptsView->showConcept(c);
    });
    connect(m_explainView, &ExplainView::settingsRequested, this, &MainWindow::showExplainerSettings);
    connect(m_conceptsView, &ConceptsView::computeRequested, m_jobs, &JobDispatcher::prototypes);
    connect(m_stabilityView, &StabilityView::runRequested, this, [this](StabilityRequest r) {
        r.options = m_explainOptions;
        if (r.methods.empty())
            return showError(tr("Stability"), tr("Check at least one method."));
        m_stabilityView->setRunning(true);
        m_jobs->stability(r, poolThreads());
    });
    connect(m_stabilityView, &StabilityView::cancelRequested, this, [this] { cancelJob(JobKind::Stability); });
    connect(m_stabilityView, &StabilityView::perturbRequested, this, &MainWindow::requestPerturb);
    connect(m_faithfulnessView, &FaithfulnessView::runRequested, this,
            [this](const std::vector<explain::Method>& methods, int points) {
        if (methods.empty())
            return showError(tr("Faithfulness"), tr("Check at least one method."));
        m_faithfulnessView->setRunning(true);
        // The view's seed is the run's.
        m_jobs->faithfulness(methods, points, m_faithfulnessView->seed(), m_explainOptions, poolThreads(),
                             m_faithfulnessView->measureGroups(), m_faithfulnessView->attributions());
    });
    connect(m_faithfulnessView, &FaithfulnessView::cancelRequested, this, [this] { cancelJob(JobKind::Faithfulness); });
}

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open dataset…"), QKeySequence::Open, this, &MainWindow::openDatasetDialog);
    file->addAction(tr("Open &model…"), QKeySequence(tr("Ctrl+Shift+O")), this, &MainWindow::openModelDialog);
    m_openTorchScript = file->addAction(tr("Open &TorchScript model…"), this, &MainWindow::openTorchScriptDialog);
    m_saveModel = file->addAction(tr("&Save model"), QKeySequence::Save, this, &MainWindow::saveModel);
    m_saveModelAs = file->addAction(tr("Save model &as…"), QKeySequence::SaveAs, this, &MainWindow::saveModelAsDialog);
    file->addAction(tr("Restore &previous model"), this, &MainWindow::restorePreviousModel)
        ->setToolTip(tr("Bring back the model the last training replaced (again: swap back)"));
    file->addSeparator();
    m_recent = new RecentFiles(file->addMenu(tr("&Recent")), this);
    connect(m_recent, &RecentFiles::openRequested, this, &MainWindow::openPath);
    auto* examples = file->addMenu(tr("E&xamples"));
    bool unitModels = false; // the ground-truth examples follow a separator
    for (const auto& ex : exampleDatasets()) {
        if (!ex.model.isEmpty() && !std::exchange(unitModels, true))
            examples->addSeparator();
        examples->addAction(ex.title, this, [this, ex] {
            const QString dir = bundledDataDir();
            if (dir.isEmpty())
                return showError(tr("Examples"), tr("The bundled example data was not found. Looked "
                                                    "in: %1. Set SENN_DATA_DIR to the folder holding "
                                                    "mnist-10k and breast-cancer.csv.")
                                                     .arg(bundledDataCandidates().join(", ")));
            if (!ex.model.isEmpty()) { // the data, then the unit model on it (the worker keeps the order)
                if (!confirmDiscardModel(tr("open the example model")))
                    return;
                appendLog(tr("Opening example %1").arg(QString(ex.title).remove('&')));
                m_jobs->loadDataset(QDir(dir).filePath(ex.relative), ex.target);
                m_jobs->loadTorchScript(QDir(dir).filePath(ex.model));
                return;
            }
            openDataset(QDir(dir).filePath(ex.relative), ex.target);
        });
    }
    file->addSeparator();
    file->addAction(tr("Open sess&ion…"), this, &MainWindow::openSessionDialog);
    m_saveSession = file->addAction(tr("Sav&e session…"), this, &MainWindow::saveSessionDialog);
    m_exportReport = file->addAction(tr("Export &report (PDF)…"), QKeySequence(tr("Ctrl+P")), this,
                                     &MainWindow::exportReportDialog);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    auto* view = menuBar()->addMenu(tr("&View"));
    int i = 1;
    for (auto* p : m_pages) {
        auto* a = view->addAction(QStringLiteral("&%1 %2").arg(i).arg(p->viewTitle()), this,
                                  [this, p] { m_tabs->setCurrentWidget(p); });
        a->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(i)));
        ++i;
    }
    view->addSeparator();
    auto* logAction = m_logDock->toggleViewAction();
    logAction->setText(tr("&Log panel"));
    logAction->setShortcut(QKeySequence(tr("Ctrl+L")));
    view->addAction(logAction);
    auto* theme = view->addAction(tr("Theme follows the system palette"));
    theme->setCheckable(true);
    theme->setChecked(true);
    theme->setEnabled(false);

    auto* explainMenu = menuBar()->addMenu(tr("&Explain"));
    explainMenu->addAction(tr("Explainer &settings…"), QKeySequence(tr("Ctrl+,")), this,
                           &MainWindow::showExplainerSettings);

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Help for this view"), QKeySequence::HelpContents, this,
                    [this] { showHelp(currentViewId()); });
    help->addAction(tr("&About SENN Studio"), this, [this] {
        QMessageBox::about(this, tr("About SENN Studio"),
                           tr("<h3>SENN Studio %1</h3><p>Train self-explaining neural networks "
                              "(Alvarez-Melis &amp; Jaakkola, NeurIPS 2018) and compare their "
                              "explanations with LIME, SHAP and gradient methods, measuring how "
                              "faithful and stable each one is.</p><p>Qt %2, LibTorch 1.13.</p><p>%3</p>")
                               .arg(QApplication::applicationVersion(), qVersion(),
                                    QString::fromStdString(common::describe(common::systemInfo()))
                                        .toHtmlEscaped().trimmed().replace('\n', QStringLiteral("<br>"))));
    });
}

// The Model view's Threads setting (0 = auto: every core), which also sizes the stability and
// faithfulness pools.
int MainWindow::poolThreads() const
{
    const auto* spin = m_modelView->findChild<QSpinBox*>(QStringLiteral("threads"));
    const int t = spin ? spin->value() : 0;
    return t > 0 ? t : std::max(1, QThread::idealThreadCount());
}

QString MainWindow::currentViewId() const
{
    auto* p = qobject_cast<ViewPage*>(m_tabs->currentWidget());
    return p ? p->viewId() : QString("data");
}

void MainWindow::showView(const QString& id)
{
    for (auto* p : m_pages)
        if (p->viewId() == id)
            m_tabs->setCurrentWidget(p);
}

void MainWindow::showHelp(const QString& viewId)
{
    help::showHelpWindow(this, viewId);
}

void MainWindow::appendLog(const QString& text)
{
    m_log->appendPlainText(QStringLiteral("%1  %2").arg(QTime::currentTime().toString("HH:mm:ss"), text));
}

QString MainWindow::logText() const { return m_log->toPlainText(); }

void MainWindow::showError(const QString& title, const QString& message)
{
    m_lastError = message;
    appendLog(tr("Error: %1").arg(message));
    statusBar()->showMessage(message, 10000);
    emit errorShown(message);
    if (!m_errorDialogs)
        return;
    // Non-blocking: the window keeps running (and tests never hang on a modal loop).
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::updateStatus()
{
    m_status->setIdleText(m_model.valid ? tr("Ready · %1 model%2").arg(
                              QString::fromStdString(models::toString(m_model.meta.config.kind)).toUpper(),
                              m_model.hasData && m_model.test.n ? tr(", test accuracy %1%").arg(m_model.test.accuracy * 100, 0, 'f', 2) : QString())
                                        : tr("Ready"));
}

bool MainWindow::isRunning(JobKind kind) const { return m_status->isRunning(kind); }

QString MainWindow::etaText(JobKind kind, double f, double elapsed, double f0, double t0)
{
    return StatusPanel::etaText(kind, f, elapsed, f0, t0);
}

void MainWindow::updateActions()
{
    m_saveModel->setEnabled(m_model.valid && !m_model.torchScript);
    m_saveModelAs->setEnabled(m_model.valid && !m_model.torchScript);
    m_openTorchScript->setEnabled(m_dataset.data != nullptr);
    m_saveSession->setEnabled(m_dataset.data != nullptr);
    m_exportReport->setEnabled(m_model.valid);
}

bool MainWindow::confirmDiscardModel(const QString& action)
{
    if (!m_askUnsaved || m_inOpen || !hasUnsavedModel())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved model"),
                    tr("The trained model has not been saved. Save it before you %1?").arg(action),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName("unsavedModelBox");
    box.setInformativeText(tr("Discard loses it: %1").arg(m_model.description));
    box.setDefaultButton(QMessageBox::Save);
    const int answer = box.exec();
    if (answer == QMessageBox::Discard)
        return true;
    if (answer != QMessageBox::Save)
        return false;
    QString path = QFileDialog::getSaveFileName(this, tr("Save model"), lastDir("model") + "/model.senn",
                                                tr("SENN Studio model (*.senn)"));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(".senn"))
        path += ".senn";
    // Wait for the worker: quitting right after must not lose the file.
    QEventLoop loop;
    bool saved = false;
    auto ok = connect(this, &MainWindow::modelSaved, &loop, [&] { saved = true; loop.quit(); });
    auto failed = connect(this, &MainWindow::jobEnded, &loop, [&](JobKind k, bool) {
        if (k == JobKind::Save)
            loop.quit();
    });
    saveModelTo(path);
    if (!saved)
        loop.exec();
    disconnect(ok);
    disconnect(failed);
    return saved;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!confirmDiscardModel(tr("quit"))) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    shutdown();
    event->accept();
}

void MainWindow::quitOnSignal()
{
    appendLog(tr("Quit requested by a signal: cancelling running jobs."));
    m_askUnsaved = false;
    close();
}

void MainWindow::shutdown()
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    // A model call cannot be interrupted: a TorchScript model that loops never returns to the
    // worker's cancellation checks. Quit must work all the same, so the wait is bounded; past
    // it the process ends without the worker. Every file is written atomically (a temporary
    // file renamed into place), so none is left half written; the settings are flushed first.
    if (!m_jobs->stop(m_workerStopMs)) {
        QSettings().sync();
        std::fprintf(stderr,
                     "senn-studio: a model call did not return within %.0f s of the request to "
                     "quit (a model that loops?); quitting without waiting for it\n",
                     m_workerStopMs / 1000.0);
        std::fflush(nullptr);
        std::_Exit(0);
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        for (const auto& u : event->mimeData()->urls())
            if (u.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
}

void MainWindow::dropEvent(QDropEvent* event)
{
    for (const auto& u : event->mimeData()->urls())
        if (u.isLocalFile()) {
            openPath(u.toLocalFile());
            event->acceptProposedAction();
            return;
        }
}

void MainWindow::saveScreenshots(const QString& dir, const QString& prefix)
{
    QDir().mkpath(dir);
    const int keep = m_tabs->currentIndex();
    for (auto* p : m_pages) {
        m_tabs->setCurrentWidget(p);
        QApplication::processEvents();
        grab().save(QDir(dir).filePath(prefix + p->viewId() + ".png"));
    }
    m_tabs->setCurrentIndex(keep);
}

} // namespace senn::ui
