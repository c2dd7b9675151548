// Cluster runs in the window (cluster_runs.h): the views' "Run on a cluster…" buttons become a
// ClusterDialog with the view's run as `senn` arguments (cluster_command.h); File > Open results… checks a result's
// model and data hashes against the open ones on the worker's thread, then shows it; a running
// shard's results file is rebuilt into its points so far and watched for growth.
#include "ui/shell/cluster_runs.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/sha256.h"
#include "core/io/metric_json.h"
#include "core/io/run_identity.h"
#include "core/jobs/slurm_script.h"
#include "core/metrics/partial_results.h"
#include "core/metrics/sanity_records.h"
#include "ui/main_window.h"
#include "ui/shell/cluster_command.h"
#include "ui/shell/last_dirs.h"
#include "ui/views/cluster_dialog.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/sanity_view.h"
#include "ui/views/stability_view.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <memory>

namespace senn::ui {

namespace {

std::vector<std::string> toStd(const QStringList& list)
{
    std::vector<std::string> out;
    for (const auto& s : list)
        out.push_back(s.toStdString());
    return out;
}

QStringList toQt(const std::vector<std::string>& list)
{
    QStringList out;
    for (const auto& s : list)
        out << QString::fromStdString(s);
    return out;
}

// A result file's check and values, computed off the GUI thread.
struct OpenedResult {
    QString command, error, note;
    QString status; // the view's status line for a partial run; empty for a whole result
    metrics::StabilityResult stability;
    metrics::FaithfulnessResult faithfulness;
    metrics::SanityResult sanity;
};

// Growing results files are read again at most this often, and never more often than twice
// the time the last read took, so that a huge file leaves the worker mostly free.
constexpr int kReloadMs = 2000;

std::string field(const nlohmann::json& j, const char* a, const char* b)
{
    if (!j.is_object() || !j.contains(a) || !j[a].is_object() || !j[a].contains(b) || !j[a][b].is_string())
        return {};
    return j[a][b].get<std::string>();
}

// The run's model file and data must be the open ones (by their hashes); the message says which differs.
void checkModelAndData(const std::string& path, const nlohmann::json& run, const std::string& modelPath,
                       const data::Dataset& data)
{
    if (field(run, "model", "sha256") != common::sha256File(modelPath))
        throw Error::inFile(path, "was measured on another model (" + files::echo(field(run, "model", "path")) +
                                      ") than the open one (" + modelPath + ")",
                            "Open that model and its data first");
    if (field(run, "data", "sha256") != io::datasetSha256(data))
        throw Error::inFile(path, "was measured on other data (" + files::echo(field(run, "data", "path")) +
                                      ") than the open data set",
                            "Open the data it was measured on first");
}

bool isRecordsFile(const QString& path) { return path.endsWith(".records"); }

// The points so far of one or several shards' results files (a torn last record, which a
// writer in the middle of an append leaves, is dropped without a word).
OpenedResult readRecords(const std::vector<std::string>& paths, const std::string& modelPath,
                         std::shared_ptr<const data::Dataset> data)
{
    OpenedResult out;
    try {
        for (const auto& p : paths)
            files::requireRegularFile(p, "results file");
        const auto run = metrics::partialRun(paths); // records converted as they are read
        checkModelAndData(paths.front(), run.identity, modelPath, *data);
        out.command = QString::fromStdString(run.command);
        if (run.command == "stability")
            out.stability = run.stability;
        else
            out.faithfulness = run.faithfulness;
        QStringList ks;
        for (int k : run.shardKs)
            ks << QString::number(k);
        const QString shards = ks.size() == 1 ? QObject::tr("shard %1/%2").arg(ks.front()).arg(run.shardN)
                                              : QObject::tr("shards %1 of %2").arg(ks.join(", ")).arg(run.shardN);
        out.status = QObject::tr("partial: %1 of %2 points (%3)").arg(run.pointsDone).arg(run.pointsPlanned).arg(shards);
        const QString name = QFileInfo(QString::fromStdString(paths.front())).fileName();
        out.note = (paths.size() == 1 ? name : QObject::tr("%1 results files").arg(paths.size())) + ": " + out.status;
    } catch (const std::exception& e) {
        out.error = QString::fromStdString(files::cleanMessage(e.what(), 1000));
    }
    return out;
}

OpenedResult readResult(const std::string& path, const std::string& modelPath,
                        std::shared_ptr<const data::Dataset> data)
{
    OpenedResult out;
    const QString name = QFileInfo(QString::fromStdString(path)).fileName();
    try {
        files::requireRegularFile(path, "results file");
        std::ifstream in(path, std::ios::binary);
        const auto j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            throw Error::inFile(path, "is not a results JSON (senn stability, faithfulness, sanity or merge --json)");
        if (!j.contains("run") || !j["run"].is_object())
            throw Error::inFile(path, "does not say which model and data it measured (no \"run\")",
                                "Results written before runs carried their identity cannot be checked; run it again");
        const auto& run = j["run"];
        const std::string command = run.value("command", "");
        if (command != "stability" && command != "faithfulness" && command != "sanity")
            throw Error::inFile(path, "is a result of `" + files::echo(command) +
                                          "`, not of stability, faithfulness or sanity");
        if (!io::checksumMatches(j))
            throw Error::inFile(path, "its checksum does not match its values", "The file was changed or damaged");
        checkModelAndData(path, run, modelPath, *data);
        out.command = QString::fromStdString(command);
        if (command == "stability")
            out.stability = io::stabilityFromJson(j, path);
        else if (command == "faithfulness")
            out.faithfulness = io::faithfulnessFromJson(j, path);
        else
            out.sanity = metrics::sanityFromJson(j, path);
        if (j.contains("shard") && j["shard"].is_object())
            out.note = QObject::tr("%1: shard %2 of %3, a part of the run's points")
                           .arg(name)
                           .arg(j["shard"].value("k", 0))
                           .arg(j["shard"].value("n", 0));
        else
            out.note = QObject::tr("%1: opened").arg(name);
    } catch (const std::exception& e) {
        out.error = QString::fromStdString(files::cleanMessage(e.what(), 1000));
    }
    return out;
}

} // namespace

ClusterRuns::ClusterRuns(MainWindow* window, QObject* worker) : QObject(window), m_window(window), m_worker(worker)
{
    setObjectName("clusterRuns");
    if (auto* b = window->stabilityView()->findChild<QPushButton*>("clusterStability"))
        connect(b, &QPushButton::clicked, this, [this] { openDialog("stability"); });
    if (auto* b = window->faithfulnessView()->findChild<QPushButton*>("clusterFaithfulness"))
        connect(b, &QPushButton::clicked, this, [this] { openDialog("faithfulness"); });
    // File > Open results…, before the session entries.
    for (auto* a : window->menuBar()->actions()) {
        auto* menu = a->menu();
        if (!menu || menu->title() != tr("&File"))
            continue;
        QAction* before = nullptr;
        for (auto* item : menu->actions())
            if (item->text() == tr("Open sess&ion…"))
                before = item;
        auto* open = new QAction(tr("Open res&ults…"), this);
        open->setObjectName("openResults");
        open->setToolTip(tr("Show a stability, faithfulness or sanity result (senn stability|faithfulness|sanity|merge --json) "
                            "measured on the open model and data, or the points so far of running shards "
                            "(their .records files)"));
        connect(open, &QAction::triggered, this, &ClusterRuns::openResultsDialog);
        menu->insertAction(before, open);
        break;
    }
    m_watcher = new QFileSystemWatcher(this);
    m_reload = new QTimer(this);
    m_reload->setSingleShot(true);
    m_reload->setInterval(kReloadMs);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this] {
        if (!m_reload->isActive())
            m_reload->start();
    });
    connect(m_reload, &QTimer::timeout, this, [this] {
        if (m_watched.isEmpty())
            return;
        if (m_reading) // the last read is not back yet: try again later
            return m_reload->start();
        // A file replaced by rename drops out of the watcher: watch it again.
        for (const auto& p : m_watched)
            if (!m_watcher->files().contains(p) && QFileInfo::exists(p))
                m_watcher->addPath(p);
        read(m_watched, true);
    });
}

QString ClusterRuns::sennBinary()
{
    const QString env = qEnvironmentVariable("SENN_BINARY");
    if (!env.isEmpty())
        return QFileInfo(env).isExecutable() ? QFileInfo(env).absoluteFilePath() : QString();
    const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath("senn");
    return QFileInfo(beside).isExecutable() ? beside : QString();
}

void ClusterRuns::refuse(const QString& title, const QString& message)
{
    m_window->statusBar()->showMessage(message, 10000);
    emit resultsRefused(message);
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, m_window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // never blocks the window
}

ClusterDialog* ClusterRuns::openDialog(const QString& command)
{
    const auto& model = m_window->model();
    const auto& data = m_window->dataset();
    const QString title = tr("Run on a cluster");
    if (!model.valid || !model.hasData || !data.data) {
        refuse(title, tr("Open a model and its data first."));
        return nullptr;
    }
    if (model.path.isEmpty()) {
        refuse(title, tr("Save the model first (File > Save model): the cluster's tasks open it from its file."));
        return nullptr;
    }
    ClusterRunSpec spec;
    spec.senn = sennBinary();
    if (spec.senn.isEmpty()) {
        refuse(title, tr("The senn command-line program was not found beside senn-studio (%1); set "
                         "SENN_BINARY to its path.").arg(QCoreApplication::applicationDirPath()));
        return nullptr;
    }
    spec.command = command;
    const int available = int(model.rows.empty() ? (data.testRows.empty() ? data.valRows.size() : data.testRows.size())
                                                  : model.rows.size());
    // The settings the view's own Run would use: the window's explainer settings included.
    const auto& options = m_window->explainOptions();
    ClusterCommand planned;
    int points = 0;
    bool noMethod = false;
    if (command == "stability") {
        const auto r = m_window->stabilityView()->request();
        noMethod = r.methods.empty();
        planned = stabilityClusterCommand(model.path, data.path, r, options);
        points = r.points;
    } else if (command == "faithfulness") {
        const auto* v = m_window->faithfulnessView();
        noMethod = v->methods().empty();
        planned = faithfulnessClusterCommand(model.path, data.path, v->methods(), v->points(), v->seed(),
                                             v->measureGroups(), v->attributions(), options);
        points = v->points();
    } else {
        const auto r = m_window->sanityView()->request();
        noMethod = r.methods.empty();
        planned = sanityClusterCommand(model.path, data.path, r, options);
        points = r.points;
    }
    if (noMethod) {
        refuse(title, tr("Check at least one method."));
        return nullptr;
    }
    spec.args = toQt(jobs::taskArgs(toStd(planned.args)));
    spec.notCarried = planned.notCarried;
    spec.points = std::min(points, available);
    spec.defaultOutDir = QDir(QFileInfo(model.path).absolutePath()).filePath("cluster-" + command);
    auto* dialog = new ClusterDialog(spec, m_worker, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void ClusterRuns::openResultsDialog()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        m_window, tr("Open results"), lastDir("results"),
        tr("Results (*.json *.records);;All files (*)"));
    if (paths.isEmpty())
        return;
    rememberDir("results", paths.front());
    openResults(paths);
}

void ClusterRuns::openResults(const QString& path) { openResults(QStringList{path}); }

void ClusterRuns::openResults(const QStringList& paths)
{
    const QString title = tr("Open results");
    if (paths.isEmpty())
        return;
    if (paths.size() > 1 && !std::all_of(paths.begin(), paths.end(), isRecordsFile))
        return refuse(title, tr("Several files are combined only as the results files (.records) of one run's "
                                "shards; open a result JSON on its own."));
    read(paths, false);
}

void ClusterRuns::watch(const QStringList& paths)
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    m_reload->stop();
    m_watched = paths;
    if (!paths.isEmpty())
        m_watcher->addPaths(paths);
}

void ClusterRuns::read(const QStringList& paths, bool reload)
{
    const auto& model = m_window->model();
    const auto& data = m_window->dataset();
    const QString title = tr("Open results");
    if (!model.valid || !model.hasData || !data.data) {
        watch({});
        return refuse(title, tr("Open the model and data the results were measured on first."));
    }
    if (model.path.isEmpty()) {
        watch({});
        return refuse(title, tr("The open model has no file yet, so no result can be matched to it: save it first."));
    }
    std::vector<std::string> files;
    for (const auto& p : paths)
        files.push_back(p.toStdString());
    const bool records = isRecordsFile(paths.front());
    const std::string modelPath = model.path.toStdString();
    const auto dataset = data.data;
    QPointer<ClusterRuns> self(this);
    m_reading = true;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    QMetaObject::invokeMethod(m_worker, [=] {
        auto opened = std::make_shared<OpenedResult>(records ? readRecords(files, modelPath, dataset)
                                                             : readResult(files.front(), modelPath, dataset));
        QMetaObject::invokeMethod(qApp, [=] {
            if (!self)
                return;
            self->m_reading = false;
            self->m_reload->setInterval(int(std::max<qint64>(kReloadMs, 2 * clock->elapsed())));
            if (reload && self->m_watched != paths)
                return; // another result was opened meanwhile
            if (!opened->error.isEmpty()) {
                self->watch({});
                return self->refuse(title, opened->error);
            }
            auto* w = self->m_window;
            QLabel* status = nullptr;
            if (opened->command == "stability") {
                w->stabilityView()->setResult(opened->stability);
                status = w->stabilityView()->findChild<QLabel*>("stabilityStatus");
            } else if (opened->command == "sanity") {
                w->sanityView()->setResult(opened->sanity);
            } else {
                w->faithfulnessView()->setResult(opened->faithfulness);
                status = w->faithfulnessView()->findChild<QLabel*>("faithfulnessStatus");
            }
            if (!reload)
                w->showView(opened->command);
            if (status && !opened->status.isEmpty())
                status->setText(opened->status);
            w->statusBar()->showMessage(opened->note, 10000);
            if (!reload)
                self->watch(records ? paths : QStringList{});
            emit self->resultsOpened(opened->command, paths.front());
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

} // namespace senn::ui
