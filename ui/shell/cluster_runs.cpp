// Cluster runs in the window (cluster_runs.h): the views' "Run on a cluster…" buttons become a
// ClusterDialog with the view's run as `senn` arguments; File > Open results… checks a result's
// model and data hashes against the open ones on the worker's thread, then shows it.
#include "ui/shell/cluster_runs.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/sha256.h"
#include "core/io/metric_json.h"
#include "core/io/run_identity.h"
#include "core/jobs/slurm_script.h"
#include "ui/main_window.h"
#include "ui/shell/last_dirs.h"
#include "ui/views/cluster_dialog.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/stability_view.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QStatusBar>

#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>

namespace senn::ui {

namespace {

QString joinIds(const std::vector<explain::Method>& methods)
{
    QStringList ids;
    for (auto m : methods)
        ids << QString::fromStdString(explain::methodId(m));
    return ids.join(',');
}

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

// The shortest text that reads back as v: the ε the view shows, not 0.10000000000000001.
QString number(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }

// A result file's check and values, computed off the GUI thread.
struct OpenedResult {
    QString command, error, note;
    metrics::StabilityResult stability;
    metrics::FaithfulnessResult faithfulness;
};

std::string field(const nlohmann::json& j, const char* a, const char* b)
{
    if (!j.is_object() || !j.contains(a) || !j[a].is_object() || !j[a].contains(b) || !j[a][b].is_string())
        return {};
    return j[a][b].get<std::string>();
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
            throw Error::inFile(path, "is not a results JSON (senn stability, faithfulness or merge --json)");
        if (!j.contains("run") || !j["run"].is_object())
            throw Error::inFile(path, "does not say which model and data it measured (no \"run\")",
                                "Results written before runs carried their identity cannot be checked; run it again");
        const auto& run = j["run"];
        const std::string command = run.value("command", "");
        if (command != "stability" && command != "faithfulness")
            throw Error::inFile(path, "is a result of `" + files::echo(command) + "`, not of stability or faithfulness");
        if (!io::checksumMatches(j))
            throw Error::inFile(path, "its checksum does not match its values", "The file was changed or damaged");
        if (field(run, "model", "sha256") != common::sha256File(modelPath))
            throw Error::inFile(path, "was measured on another model (" + files::echo(field(run, "model", "path")) +
                                          ") than the open one (" + modelPath + ")",
                                "Open that model and its data first");
        if (field(run, "data", "sha256") != io::datasetSha256(*data))
            throw Error::inFile(path, "was measured on other data (" + files::echo(field(run, "data", "path")) +
                                          ") than the open data set",
                                "Open the data it was measured on first");
        out.command = QString::fromStdString(command);
        if (command == "stability")
            out.stability = io::stabilityFromJson(j, path);
        else
            out.faithfulness = io::faithfulnessFromJson(j, path);
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
        open->setToolTip(tr("Show a stability or faithfulness result (senn stability|faithfulness|merge --json) "
                            "measured on the open model and data"));
        connect(open, &QAction::triggered, this, &ClusterRuns::openResultsDialog);
        menu->insertAction(before, open);
        break;
    }
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
    spec.args << "--model" << QFileInfo(model.path).absoluteFilePath() << "--data" << QFileInfo(data.path).absoluteFilePath();
    const int available = int(model.rows.empty() ? (data.testRows.empty() ? data.valRows.size() : data.testRows.size())
                                                  : model.rows.size());
    int points = 0;
    if (command == "stability") {
        const auto r = m_window->stabilityView()->request();
        if (r.methods.empty()) {
            refuse(title, tr("Check at least one method."));
            return nullptr;
        }
        QStringList eps;
        for (double e : r.eps)
            eps << number(e);
        spec.args << "--methods" << joinIds(r.methods) << "--points" << QString::number(r.points) << "--eps"
                  << eps.join(',') << "--seed" << QString::number(r.seed) << "--draws"
                  << QString::fromStdString(metrics::toString(r.draws));
        points = r.points;
    } else {
        const auto* v = m_window->faithfulnessView();
        if (v->methods().empty()) {
            refuse(title, tr("Check at least one method."));
            return nullptr;
        }
        spec.args << "--methods" << joinIds(v->methods()) << "--points" << QString::number(v->points()) << "--seed"
                  << QString::number(v->seed());
        points = v->points();
    }
    spec.args = toQt(jobs::taskArgs(toStd(spec.args)));
    spec.points = std::min(points, available);
    spec.defaultOutDir = QDir(QFileInfo(model.path).absolutePath()).filePath("cluster-" + command);
    auto* dialog = new ClusterDialog(spec, m_worker, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void ClusterRuns::openResultsDialog()
{
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open results"), lastDir("results"),
                                                      tr("Results (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    rememberDir("results", path);
    openResults(path);
}

void ClusterRuns::openResults(const QString& path)
{
    const auto& model = m_window->model();
    const auto& data = m_window->dataset();
    const QString title = tr("Open results");
    if (!model.valid || !model.hasData || !data.data)
        return refuse(title, tr("Open the model and data the results were measured on first."));
    if (model.path.isEmpty())
        return refuse(title, tr("The open model has no file yet, so no result can be matched to it: save it first."));
    const std::string file = path.toStdString(), modelPath = model.path.toStdString();
    const auto dataset = data.data;
    QPointer<ClusterRuns> self(this);
    QMetaObject::invokeMethod(m_worker, [=] {
        auto opened = std::make_shared<OpenedResult>(readResult(file, modelPath, dataset));
        QMetaObject::invokeMethod(qApp, [=] {
            if (!self)
                return;
            if (!opened->error.isEmpty())
                return self->refuse(title, opened->error);
            if (opened->command == "stability") {
                self->m_window->stabilityView()->setResult(opened->stability);
                self->m_window->showView("stability");
            } else {
                self->m_window->faithfulnessView()->setResult(opened->faithfulness);
                self->m_window->showView("faithfulness");
            }
            self->m_window->statusBar()->showMessage(opened->note, 10000);
            emit self->resultsOpened(opened->command, path);
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

} // namespace senn::ui
