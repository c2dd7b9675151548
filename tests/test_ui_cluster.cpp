// Cluster runs from the app (ui/shell/cluster_runs.h, ui/views/cluster_dialog.h): the dialog of
// the Stability view writes a Slurm array of the view's run with the right size and shard
// arguments; its tasks and merge, run here without a scheduler, give a merged result that File >
// Open results… shows with curves equal to the JSON's; a shard's part and a faithfulness result
// open too; the results files (.records) of running shards show their points so far, one shard
// or several combined, and are read again as they grow; results of another model, or not
// results at all, are refused with a clear message. The planned command carries every setting of
// the app's run: a task of it gives the settings the app set and the values the app computes. The
// Sanity view plans its run too, and a merged sanity result opens there with the JSON's curves.
#include "support/senn_cli.h"
#include "support/test_ui_util.h"
#include "core/io/metric_json.h"
#include "core/metrics/measures.h"
#include "core/metrics/sanity_records.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/sanity_plot.h"
#include "ui/shell/cluster_command.h"
#include "ui/shell/cluster_runs.h"
#include "ui/views/attribution_files_box.h"
#include "ui/views/cluster_dialog.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/sanity_view.h"
#include "ui/views/stability_view.h"
#include "ui/views/view_page.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QProcess>
#include <QSpinBox>
#include <QPushButton>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <memory>

using namespace senn;
using namespace senn::ui;

namespace {

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

nlohmann::json readJson(const QString& path)
{
    std::ifstream in(path.toStdString());
    return nlohmann::json::parse(in);
}

// bash SCRIPT with SLURM_ARRAY_TASK_ID=task (0: unset); the exit code, its output in *out.
int runScript(const QString& script, int task, QString* out)
{
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    if (task > 0)
        env.insert("SLURM_ARRAY_TASK_ID", QString::number(task));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start("/bin/bash", {script});
    if (!p.waitForFinished(240000))
        return -1;
    *out = QString::fromUtf8(p.readAll());
    return p.exitCode();
}

bool sameValue(double a, const nlohmann::json& b)
{
    if (!std::isfinite(a))
        return b.is_null();
    return b.is_number() && a == b.get<double>();
}

// An explainer setting other than the default in every field a command carries (the seed is
// the view's: a metric run replaces it).
explain::ExplainOptions nonDefaultExplainer()
{
    explain::ExplainOptions o;
    o.background = "kmeans:5";
    o.samples = 300;
    o.output = explain::Output::Probability;
    o.limeDiscretize = false;
    o.limeFeatures = 6;
    o.segmentation = "grid";
    o.segmentSize = 7;
    o.shapKeepFeatures = 4;
    o.permutations = 6;
    o.absoluteSaliency = true;
    o.igSteps = 20;
    o.smoothGradSamples = 8;
    o.smoothGradSigma = 0.1;
    o.occlusionWindow = 2;
    o.occlusionStride = 1;
    o.seed = 77;
    o.memoryBudget = int64_t(1536) << 20;
    return o;
}

// Those settings as a run's settings keep them (written out, not computed).
nlohmann::json nonDefaultExplainerSettings()
{
    return {{"background", "kmeans:5"}, {"samples", 300}, {"output", "probability"},
            {"lime-sampling", "continuous"}, {"lime-features", 6}, {"segmentation", "grid"},
            {"segment-size", 7}, {"shap-keep", 4}, {"permutations", 6}, {"saliency", "absolute"},
            {"ig-steps", 20}, {"smoothgrad-samples", 8}, {"smoothgrad-sigma", 0.1},
            {"occlusion-window", 2}, {"occlusion-stride", 1}};
}

// Whether a job of `kind` ended (not cancelled) since the spy on MainWindow::jobEnded began.
bool endedKind(const QSignalSpy& spy, JobKind kind)
{
    for (const auto& args : spy)
        if (qvariant_cast<JobKind>(args.at(0)) == kind && !args.at(1).toBool())
            return true;
    return false;
}

// The same numbers, nested alike (1 and 1.0 are equal; null only where the other is null).
bool sameNumbers(const nlohmann::json& a, const nlohmann::json& b)
{
    if (a.is_array() != b.is_array())
        return false;
    if (!a.is_array())
        return a.is_null() ? b.is_null() : a.is_number() && sameValue(a.get<double>(), b);
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!sameNumbers(a[i], b[i]))
            return false;
    return true;
}

// A result JSON without what only a shard file has (its identity, checksum, timing).
nlohmann::json valuesOf(nlohmann::json j)
{
    for (const char* k : {"run", "checksum", "timing", "shard"})
        j.erase(k);
    return j;
}

} // namespace

class TestUiCluster : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void dialogWritesTheScripts();
    void openResultsRestoresCurves();
    void openRecordsOfRunningShards();
    void refusesOtherModelsAndFiles();
    void faithfulnessTaskComputesTheAppsRun();
    void stabilityTaskComputesTheAppsRun();
    void faithfulnessTaskCarriesAttributionFiles();
    void sanityOnTheClusterOpensMerged();
    void uncarriedSettingsAreListed();

private:
    // Opens the view's dialog (its button), writes a `tasks`-task array in `dir` without
    // calibrating and runs every task and the merge here; the merged JSON's path, or empty.
    QString runOnCluster(const QString& button, int tasks, const QString& dir, ClusterRunSpec* spec = nullptr);
    bool openResults(const QString& path, QString* refusal = nullptr);
    bool openResults(const QStringList& paths, QString* refusal = nullptr);
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_model, m_merged;
};

void TestUiCluster::initTestCase()
{
    test::prepare();
    QVERIFY(m_dir.isValid());
    qputenv("SENN_BINARY", QByteArray(SENN_CLI));
    m_window = std::make_unique<MainWindow>();
    QVERIFY(test::showWithTrainedBreastCancer(*m_window));
    m_model = m_dir.filePath("bc.senn");
    QSignalSpy saved(m_window.get(), &MainWindow::modelSaved);
    m_window->saveModelTo(m_model);
    QVERIFY(QTest::qWaitFor([&] { return saved.count() > 0; }, 60000));
}

bool TestUiCluster::openResults(const QString& path, QString* refusal)
{
    return openResults(QStringList{path}, refusal);
}

bool TestUiCluster::openResults(const QStringList& path, QString* refusal)
{
    auto* runs = m_window->findChild<ClusterRuns*>();
    if (!runs)
        return false;
    QSignalSpy opened(runs, &ClusterRuns::resultsOpened);
    QSignalSpy refused(runs, &ClusterRuns::resultsRefused);
    runs->openResults(path);
    if (!QTest::qWaitFor([&] { return opened.count() + refused.count() > 0; }, 60000))
        return false;
    if (refusal && refused.count() > 0)
        *refusal = refused.first().at(0).toString();
    return opened.count() > 0;
}

void TestUiCluster::dialogWritesTheScripts()
{
    auto& w = *m_window;
    w.showView("stability");
    auto* st = w.stabilityView();
    st->applySettings(QJsonObject{{"methods", QJsonArray{"saliency", "lime"}}, {"points", 9},
                                  {"eps", "0.01, 0.1"}, {"seed", 3}});
    QTest::mouseClick(st->findChild<QPushButton*>("clusterStability"), Qt::LeftButton);
    auto* dialog = w.findChild<ClusterDialog*>();
    QVERIFY(dialog);
    QCOMPARE(dialog->spec().points, 9);
    const QString run = m_dir.filePath("run");
    dialog->setTasks(3);
    dialog->setOutputDir(run);
    dialog->setPartition("short");
    dialog->setExtraOptions("--qos=quick  --constraint=avx2");
    dialog->setCalibrationPoints(2);
    QSignalSpy saved(dialog, &ClusterDialog::saved);
    QSignalSpy failed(dialog, &ClusterDialog::failed);
    dialog->save();
    QVERIFY(QTest::qWaitFor([&] { return saved.count() + failed.count() > 0; }, 180000));
    QVERIFY2(saved.count() == 1, qPrintable(dialog->statusText()));
    QCOMPARE(dialog->submitLine(), "sh " + run + "/submit.sh");

    const QString array = readText(run + "/array.sbatch");
    const QString senn = QFileInfo(SENN_CLI).absoluteFilePath();
    for (const QString& line : {QString("#SBATCH --array=1-3\n"), QString("#SBATCH --partition=short\n"),
                                QString("#SBATCH --qos=quick\n"), QString("#SBATCH --constraint=avx2\n"),
                                QString("# Calibration: 2 points with 1 thread(s)"),
                                QString("# A task runs 3 of 9 points")})
        QVERIFY2(array.contains(line), qPrintable(line + " not in:\n" + array));
    const QString exec = "exec " + senn + " stability --model " + QFileInfo(m_model).absoluteFilePath() + " --data " +
                         QFileInfo(test::breastCancer()).absoluteFilePath() +
                         " --methods lime,saliency --points 9 --eps 0.01,0.1 --seed 3 --draws independent --memory 2048"
                         " --threads 1 --shard \"$task/3\" --resume --json " + run + "/shard-\"$task\".json\n";
    QVERIFY2(array.contains(exec), qPrintable("\n" + array.section(QChar(10), -2) + "\n" + exec));
    QVERIFY(readText(run + "/merge.sbatch").contains(senn + " merge " + run + "/merged.json \"${shards[@]}\""));
    QVERIFY(readText(run + "/submit.sh").contains("--dependency=afterok:\"$array\""));

    // The tasks and the merge, run here as Slurm would run them.
    for (int task = 1; task <= 3; ++task) {
        QString out;
        QVERIFY2(runScript(run + "/array.sbatch", task, &out) == 0, qPrintable(out));
        QVERIFY(QFileInfo::exists(run + QString("/shard-%1.json").arg(task)));
    }
    QString out;
    QVERIFY2(runScript(run + "/merge.sbatch", 0, &out) == 0, qPrintable(out));
    m_merged = run + "/merged.json";
    QVERIFY(QFileInfo::exists(m_merged));

    // Time and memory given: no calibration, the given values in the script.
    dialog->setOutputDir(m_dir.filePath("given"));
    dialog->setTimeAndMemory("1:30:00", "1G");
    dialog->save();
    QVERIFY(QTest::qWaitFor([&] { return saved.count() + failed.count() > 1; }, 60000));
    QCOMPARE(saved.count(), 2);
    const QString given = readText(m_dir.filePath("given/array.sbatch"));
    QVERIFY(given.contains("#SBATCH --time=0-01:30:00\n"));
    QVERIFY(given.contains("#SBATCH --mem=1024M\n"));
    QVERIFY(!QFileInfo::exists(m_dir.filePath("given/calibration.json")));
    // A bad time is named before anything runs.
    dialog->setTimeAndMemory("soon", "1G");
    dialog->save();
    QCOMPARE(failed.count(), 1);
    QVERIFY(dialog->statusText().contains("--time soon"));
    dialog->close();
}

void TestUiCluster::openResultsRestoresCurves()
{
    QVERIFY2(!m_merged.isEmpty(), "needs dialogWritesTheScripts");
    auto& w = *m_window;
    w.showView("data");
    QString refusal;
    QVERIFY2(openResults(m_merged, &refusal), qPrintable(refusal));
    QCOMPARE(w.currentViewId(), QString("stability"));
    const auto j = readJson(m_merged);
    const auto& r = w.stabilityView()->result();
    QCOMPARE(r.points, j["points"].get<std::vector<int64_t>>());
    QCOMPARE(r.points.size(), size_t(9));
    QCOMPARE(r.eps, (std::vector<double>{0.01, 0.1}));
    for (const char* id : {"saliency", "lime"}) {
        const auto& c = r.methods.at(id);
        const auto& jc = j["methods"][id];
        for (size_t e = 0; e < r.eps.size(); ++e) {
            QVERIFY(sameValue(c.median[e], jc["median"][e]));
            for (size_t p = 0; p < r.points.size(); ++p)
                QVERIFY(sameValue(c.perPoint[e][p], jc["per_point"][e][p]));
        }
    }
    // The plot draws the JSON's medians: its export lists them per method.
    const QString plotJson = m_dir.filePath("curves.json");
    QVERIFY(w.stabilityView()->curves()->exportJson(plotJson));
    const auto plot = readJson(plotJson);
    int matched = 0;
    for (const auto& s : plot["series"]) {
        const std::string id = s["name"] == "Saliency" ? "saliency" : s["name"] == "LIME" ? "lime" : "";
        if (id.empty())
            continue;
        for (size_t e = 0; e < r.eps.size(); ++e) {
            const double drawn = s["median"][e].get<double>(), json = j["methods"][id]["median"][e].get<double>();
            QVERIFY(std::abs(drawn - json) <= 1e-12 * std::max(1.0, std::abs(json)));
        }
        ++matched;
    }
    QCOMPARE(matched, 2);

    // A shard's part: its own points (positions 1, 4, 7 of the run), values equal to the merged ones.
    const QString shard = QFileInfo(m_merged).absolutePath() + "/shard-2.json";
    QVERIFY2(openResults(shard, &refusal), qPrintable(refusal));
    const auto& part = w.stabilityView()->result();
    QCOMPARE(part.points, (std::vector<int64_t>{j["points"][1].get<int64_t>(), j["points"][4].get<int64_t>(),
                                                j["points"][7].get<int64_t>()}));
    for (size_t p = 0; p < part.points.size(); ++p)
        QVERIFY(sameValue(part.methods.at("lime").perPoint[0][p], j["methods"]["lime"]["per_point"][0][1 + 3 * p]));
}

void TestUiCluster::openRecordsOfRunningShards()
{
    QVERIFY2(!m_merged.isEmpty(), "needs dialogWritesTheScripts");
    auto& w = *m_window;
    const QString run = QFileInfo(m_merged).absolutePath();
    const auto j = readJson(m_merged);
    auto* status = w.stabilityView()->findChild<QLabel*>("stabilityStatus");
    QVERIFY(status);
    // Values at the shard's points equal the merged result's; the view says how far it is.
    auto sameAsMerged = [&](const std::vector<size_t>& positions) {
        const auto& r = w.stabilityView()->result();
        if (r.points.size() != positions.size())
            return false;
        for (size_t i = 0; i < positions.size(); ++i) {
            if (r.points[i] != j["points"][positions[i]].get<int64_t>())
                return false;
            for (const char* id : {"saliency", "lime"})
                for (size_t e = 0; e < r.eps.size(); ++e) {
                    const double v = r.methods.at(id).perPoint[e][i];
                    if (!std::isnan(v) && !sameValue(v, j["methods"][id]["per_point"][e][positions[i]]))
                        return false;
                }
        }
        return true;
    };
    w.showView("data");
    QString refusal;
    QVERIFY2(openResults(run + "/shard-2.json.records", &refusal), qPrintable(refusal));
    QCOMPARE(w.currentViewId(), QString("stability"));
    QVERIFY(sameAsMerged({1, 4, 7}));
    QCOMPARE(status->text(), QString("partial: 3 of 3 points (shard 2/3)"));

    // A shard still writing: its last record cut short is ignored; when the file grows, the
    // view reads it again by itself.
    const QByteArray whole = readText(run + "/shard-2.json.records").toUtf8();
    const int lastStart = whole.lastIndexOf('\n', whole.size() - 2) + 1;
    const QString growing = m_dir.filePath("growing.json.records");
    {
        QFile f(growing);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(whole.left(lastStart + 20)); // the last record, torn
    }
    QVERIFY2(openResults(growing, &refusal), qPrintable(refusal));
    QCOMPARE(status->text(), QString("partial: 2 of 3 points (shard 2/3)"));
    QVERIFY(sameAsMerged({1, 4, 7}));
    QCOMPARE(w.findChild<ClusterRuns*>()->watchedFiles(), QStringList{growing});
    {
        QFile f(growing);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(whole);
    }
    QVERIFY2(QTest::qWaitFor([&] { return status->text() == "partial: 3 of 3 points (shard 2/3)"; }, 15000),
             qPrintable(status->text()));

    // Two shards at once, combined as senn merge would.
    QVERIFY2(openResults(QStringList{run + "/shard-3.json.records", run + "/shard-1.json.records"}, &refusal),
             qPrintable(refusal));
    QVERIFY(sameAsMerged({0, 2, 3, 5, 6, 8}));
    QCOMPARE(status->text(), QString("partial: 6 of 6 points (shards 1, 3 of 3)"));
    // A shard of another run (another seed) does not combine: refused, saying why.
    const QString otherSeed = m_dir.filePath("seed9.json");
    QString err;
    QCOMPARE(test::runSenn({"stability", "--model", m_model, "--data", test::breastCancer(), "--methods",
                            "lime,saliency", "--points", "9", "--eps", "0.01,0.1", "--seed", "9", "--draws",
                            "independent", "--memory", "2048", "--shard", "2/3", "--json", otherSeed},
                           &err),
             0);
    QVERIFY(!openResults(QStringList{run + "/shard-1.json.records", otherSeed + ".records"}, &refusal));
    QVERIFY2(refusal.contains("not shards of the same run") && refusal.contains("seed"), qPrintable(refusal));
}

void TestUiCluster::refusesOtherModelsAndFiles()
{
    auto& w = *m_window;
    // The Faithfulness view's button plans that view's run.
    w.showView("faithfulness");
    w.faithfulnessView()->applySettings(QJsonObject{{"methods", QJsonArray{"saliency"}}, {"points", 4}, {"seed", 2}});
    QTest::mouseClick(w.faithfulnessView()->findChild<QPushButton*>("clusterFaithfulness"), Qt::LeftButton);
    auto* dialog = w.findChild<ClusterDialog*>();
    QVERIFY(dialog);
    QCOMPARE(dialog->spec().command, QString("faithfulness"));
    QCOMPARE(dialog->spec().points, 4);
    QCOMPARE(dialog->spec().args.mid(4), (QStringList{"--methods", "saliency", "--points", "4", "--seed", "2", "--memory", "2048"}));
    dialog->close();
    QTest::qWait(0);

    // A faithfulness result of the same model opens in its view.
    const QString faith = m_dir.filePath("faith.json");
    QString err;
    QCOMPARE(test::runSenn({"faithfulness", "--model", m_model, "--data", test::breastCancer(), "--methods",
                            "saliency", "--points", "4", "--seed", "2", "--json", faith},
                           &err),
             0);
    QString refusal;
    QVERIFY2(openResults(faith, &refusal), qPrintable(refusal));
    QCOMPARE(w.currentViewId(), QString("faithfulness"));
    const auto fj = readJson(faith);
    const auto& fr = w.faithfulnessView()->result();
    QCOMPARE(fr.points, fj["points"].get<std::vector<int64_t>>());
    for (size_t p = 0; p < fr.points.size(); ++p)
        QVERIFY(sameValue(fr.methods.at("saliency").perPoint[p], fj["methods"]["saliency"]["per_point"][p]));

    // Not a result: refused, the file named.
    const QString junk = m_dir.filePath("junk.json");
    {
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"eps\": [1]}");
    }
    QVERIFY(!openResults(junk, &refusal));
    QVERIFY2(refusal.contains("junk.json") && refusal.contains("which model and data"), qPrintable(refusal));

    // Another model open: the merged result is refused and says so.
    const QString other = m_dir.filePath("other.senn");
    QCOMPARE(test::runSenn({"train", "--data", test::breastCancer(), "--target", "diagnosis", "--model", "senn",
                            "--epochs", "1", "--seed", "99", "--out", other},
                           &err),
             0);
    QSignalSpy changed(&w, &MainWindow::modelChanged);
    w.openModel(other);
    QVERIFY(QTest::qWaitFor([&] { return changed.count() > 0 && !w.isRunning(JobKind::Load); }, 60000));
    QVERIFY(QTest::qWaitFor([&] { return w.model().path == other && w.model().hasData; }, 60000));
    QVERIFY(!openResults(m_merged, &refusal));
    QVERIFY2(refusal.contains("another model"), qPrintable(refusal));
}

QString TestUiCluster::runOnCluster(const QString& button, int tasks, const QString& dir, ClusterRunSpec* spec)
{
    auto& w = *m_window;
    auto* b = w.findChild<QPushButton*>(button);
    if (!b)
        return {};
    QTest::mouseClick(b, Qt::LeftButton);
    auto* dialog = w.findChild<ClusterDialog*>();
    if (!dialog)
        return {};
    if (spec)
        *spec = dialog->spec();
    dialog->setTasks(tasks);
    dialog->setOutputDir(dir);
    dialog->setTimeAndMemory("10", "2G"); // no calibration: the tasks below are the check
    QSignalSpy saved(dialog, &ClusterDialog::saved);
    QSignalSpy failed(dialog, &ClusterDialog::failed);
    dialog->save();
    if (!QTest::qWaitFor([&] { return saved.count() + failed.count() > 0; }, 60000) || saved.count() != 1) {
        qWarning() << dialog->statusText();
        return {};
    }
    dialog->close();
    QTest::qWait(0);
    QString out;
    for (int task = 1; task <= tasks; ++task)
        if (runScript(dir + "/array.sbatch", task, &out) != 0) {
            qWarning().noquote() << out;
            return {};
        }
    if (runScript(dir + "/merge.sbatch", 0, &out) != 0) {
        qWarning().noquote() << out;
        return {};
    }
    return dir + "/merged.json";
}

// Every explainer setting, the measures and the seed of the Faithfulness view go into the
// task's command: the task's result keeps them as its run's settings, and its values are the
// app's own run's.
void TestUiCluster::faithfulnessTaskComputesTheAppsRun()
{
    auto& w = *m_window;
    if (w.model().path != m_model) { // refusesOtherModelsAndFiles opened another model
        QSignalSpy changed(&w, &MainWindow::modelChanged);
        w.openModel(m_model);
        QVERIFY(QTest::qWaitFor([&] { return w.model().path == m_model && w.model().hasData && !w.isRunning(JobKind::Load); },
                                60000));
    }
    w.setExplainOptions(nonDefaultExplainer());
    w.showView("faithfulness");
    auto* v = w.faithfulnessView();
    v->applySettings(QJsonObject{{"methods", QJsonArray{"lime", "kernel-shap", "shapley", "saliency",
                                                        "integrated-gradients", "smoothgrad", "occlusion"}},
                                 {"points", 2}, {"seed", 5}, {"curves_and_robustness", true}});
    // The app's run.
    QSignalSpy ended(&w, &MainWindow::jobEnded);
    QTest::mouseClick(v->findChild<QPushButton*>("runFaithfulness"), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return endedKind(ended, JobKind::Faithfulness); }, 120000));
    const auto app = io::faithfulnessToJson(v->result());

    ClusterRunSpec spec;
    const QString merged = runOnCluster("clusterFaithfulness", 1, m_dir.filePath("faith-settings"), &spec);
    QVERIFY(!merged.isEmpty());
    QVERIFY2(!spec.args.contains("--seed-runs") && spec.notCarried.isEmpty(), qPrintable(spec.notCarried.join(", ")));
    QVERIFY2(spec.args.contains("--memory") && spec.args.at(spec.args.indexOf("--memory") + 1) == "1536",
             qPrintable(spec.args.join(' ')));
    const auto shard = readJson(m_dir.filePath("faith-settings/shard-1.json"));
    auto expected = nonDefaultExplainerSettings();
    expected.update(nlohmann::json{{"methods", {"lime", "kernel-shap", "shapley", "saliency", "integrated-gradients",
                                                "smoothgrad", "occlusion"}},
                                   {"points", 2},
                                   {"seed", 5},
                                   {"senn-attribution", "theta_h"},
                                   {"measure", metrics::measureGroups()}});
    QCOMPARE(QString::fromStdString(shard["run"]["settings"].dump()), QString::fromStdString(expected.dump()));
    QCOMPARE(QString::fromStdString(valuesOf(shard).dump()), QString::fromStdString(app.dump()));
    w.setExplainOptions({});
}

// The Stability view's ε grid, draws and seed with the explainer settings: the same check.
void TestUiCluster::stabilityTaskComputesTheAppsRun()
{
    auto& w = *m_window;
    w.setExplainOptions(nonDefaultExplainer());
    w.showView("stability");
    auto* st = w.stabilityView();
    st->applySettings(QJsonObject{{"methods", QJsonArray{"saliency", "lime"}}, {"points", 2},
                                  {"eps", "0.05, 0.2"}, {"seed", 4}, {"draws", "shared"}});
    QVERIFY(st->request().draws == metrics::Draws::Shared);
    QSignalSpy ended(&w, &MainWindow::jobEnded);
    QTest::mouseClick(st->findChild<QPushButton*>("runStability"), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return endedKind(ended, JobKind::Stability); }, 120000));
    const auto app = st->result();

    const QString merged = runOnCluster("clusterStability", 1, m_dir.filePath("stab-settings"));
    QVERIFY(!merged.isEmpty());
    const auto shard = readJson(m_dir.filePath("stab-settings/shard-1.json"));
    auto expected = nonDefaultExplainerSettings();
    expected.update(nlohmann::json{{"methods", {"lime", "saliency"}}, {"points", 2}, {"eps", {0.05, 0.2}},
                                   {"seed", 4}, {"draws", "shared"}});
    QCOMPARE(QString::fromStdString(shard["run"]["settings"].dump()), QString::fromStdString(expected.dump()));
    QCOMPARE(app.points, shard["points"].get<std::vector<int64_t>>());
    for (const char* id : {"saliency", "lime"})
        for (size_t e = 0; e < 2; ++e)
            for (size_t p = 0; p < 2; ++p) {
                QVERIFY(sameValue(app.methods.at(id).perPoint[e][p], shard["methods"][id]["per_point"][e][p]));
                QVERIFY(sameValue(app.moves.at(id).perPoint[e][p], shard["moves"][id]["per_point"][e][p]));
            }
    w.setExplainOptions({});
}

// The Faithfulness view's files of attributions go to the task as --attributions NAME=FILE
// with the file's absolute path; the file's row has the app's values.
void TestUiCluster::faithfulnessTaskCarriesAttributionFiles()
{
    auto& w = *m_window;
    const QString stem = m_dir.filePath("ext");
    QString err;
    QCOMPARE(test::runSenn({"explain", "--model", m_model, "--data", test::breastCancer(), "--methods", "saliency",
                            "--split", "test", "--all", "--npy", stem},
                           &err),
             0);
    const QString npy = stem + "_saliency.npy";
    QVERIFY(QFileInfo::exists(npy));
    w.setExplainOptions({});
    w.showView("faithfulness");
    auto* v = w.faithfulnessView();
    v->applySettings(QJsonObject{{"methods", QJsonArray{"saliency"}}, {"points", 3}, {"seed", 1},
                                 {"curves_and_robustness", false}});
    QString error;
    QVERIFY2(v->attributionFiles()->add("ext", npy, "test", &error), qPrintable(error));
    QSignalSpy ended(&w, &MainWindow::jobEnded);
    QTest::mouseClick(v->findChild<QPushButton*>("runFaithfulness"), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return endedKind(ended, JobKind::Faithfulness); }, 120000));
    const auto app = v->result();

    QVERIFY(!runOnCluster("clusterFaithfulness", 1, m_dir.filePath("faith-files")).isEmpty());
    const auto shard = readJson(m_dir.filePath("faith-files/shard-1.json"));
    const nlohmann::json expected = {{"methods", {"saliency"}},
                                     {"points", 3},
                                     {"seed", 1},
                                     {"senn-attribution", "theta_h"},
                                     {"attributions", {"ext=" + QFileInfo(npy).absoluteFilePath().toStdString()}}};
    QCOMPARE(QString::fromStdString(shard["run"]["settings"].dump()), QString::fromStdString(expected.dump()));
    QCOMPARE(app.points, shard["points"].get<std::vector<int64_t>>());
    for (const char* id : {"saliency", "ext"})
        for (size_t p = 0; p < app.points.size(); ++p)
            QVERIFY(sameValue(app.methods.at(id).perPoint[p], shard["methods"][id]["per_point"][p]));
}

// The Sanity view's run on two tasks: the merged JSON keeps the view's and the explainer
// settings, and opens in the Sanity view with its curves.
void TestUiCluster::sanityOnTheClusterOpensMerged()
{
    auto& w = *m_window;
    auto o = explain::ExplainOptions{};
    o.absoluteSaliency = true;
    o.igSteps = 12;
    w.setExplainOptions(o);
    w.showView("sanity");
    auto* sv = w.sanityView();
    sv->findChild<MethodPicker*>()->setMethodIds({"saliency", "integrated-gradients"});
    sv->findChild<QSpinBox*>("sanityPoints")->setValue(4);
    sv->findChild<QSpinBox*>("sanitySeed")->setValue(3);
    sv->findChild<QComboBox*>("sanityMode")->setCurrentIndex(1);
    sv->findChild<QCheckBox*>("sanityRandomLogit")->setChecked(true);
    sv->findChild<QCheckBox*>("sanityEdge")->setChecked(true);
    const QString merged = runOnCluster("clusterSanity", 2, m_dir.filePath("sanity"));
    QVERIFY(!merged.isEmpty());
    const auto j = readJson(merged);
    const nlohmann::json expected = {{"methods", {"saliency", "integrated-gradients", "edge-detector"}},
                                     {"points", 4},
                                     {"mode", "independent"},
                                     {"seed", 3},
                                     {"random-logit", true},
                                     {"data-randomisation", false},
                                     {"saliency", "absolute"},
                                     {"ig-steps", 12}};
    QCOMPARE(QString::fromStdString(j["run"]["settings"].dump()), QString::fromStdString(expected.dump()));

    w.showView("data");
    QString refusal;
    QVERIFY2(openResults(merged, &refusal), qPrintable(refusal));
    QCOMPARE(w.currentViewId(), QString("sanity"));
    QCOMPARE(QString::fromStdString(metrics::sanityToJson(sv->result()).dump()),
             QString::fromStdString(valuesOf(j).dump()));
    // The plot draws the JSON's curves (its export lists them for the measure shown).
    const auto plot = nlohmann::json::parse(sv->plot()->dataJson().toStdString());
    const std::string measure = sv->measure();
    QCOMPARE(plot["points"].size(), size_t(4));
    int matched = 0;
    for (const char* id : {"saliency", "integrated-gradients", "edge-detector"}) {
        const auto& drawn = plot["methods"][id];
        const auto& json = j["methods"][id]["steps"][measure];
        for (const char* k : {"median", "q25", "q75", "per_point"})
            QVERIFY2(sameNumbers(drawn[k], json[k]), qPrintable(QString::fromStdString(drawn[k].dump() + " / " + json[k].dump())));
        QVERIFY(sameNumbers(drawn["random_logit"], j["methods"][id]["random_logit"][measure]));
        ++matched;
    }
    QCOMPARE(matched, 3);
    w.setExplainOptions({});
}

// A setting no option carries (none the explainer settings dialog shows) is named in the
// dialog, not dropped: the command keeps the others.
void TestUiCluster::uncarriedSettingsAreListed()
{
    auto o = explain::ExplainOptions{};
    o.limeKernelWidth = 0.5;
    o.igSteps = 30;
    StabilityRequest r;
    r.methods = {explain::Method::Lime};
    r.points = 3;
    r.eps = {0.1};
    const auto c = stabilityClusterCommand("m.senn", "d.csv", r, o);
    QCOMPARE(c.notCarried, QStringList{"LIME's kernel width"});
    QCOMPARE(c.args.mid(4), (QStringList{"--methods", "lime", "--points", "3", "--eps", "0.1", "--seed", "0", "--draws",
                                         "independent", "--ig-steps", "30"}));
    ClusterRunSpec spec;
    spec.senn = "/bin/true";
    spec.command = "stability";
    spec.args = c.args;
    spec.notCarried = c.notCarried;
    spec.points = 3;
    ClusterDialog dialog(spec, m_window.get()); // nothing is saved: the worker is not asked
    auto* label = dialog.findChild<QLabel*>("clusterNotCarried");
    QVERIFY(label);
    QVERIFY2(label->text().contains("Not carried") && label->text().contains("LIME's kernel width"),
             qPrintable(label->text()));
    QVERIFY(dialog.findChild<QLabel*>("clusterTaskCommand")->text().contains("--ig-steps 30"));

    // A bad value of an explainer option stops the command before any work, naming it.
    QString err;
    QCOMPARE(test::runSenn({"faithfulness", "--model", m_model, "--data", test::breastCancer(), "--methods", "lime",
                            "--smoothgrad-sigma", "2"},
                           &err),
             2);
    QVERIFY2(err.contains("--smoothgrad-sigma 2: give a number from 0 to 1"), qPrintable(err));
    QCOMPARE(test::runSenn({"sanity", "--model", m_model, "--data", test::breastCancer(), "--methods", "saliency",
                            "--background", "kmeans:0"},
                           &err),
             2);
    QVERIFY2(err.contains("--background kmeans:0: give mean, zeros, kmeans:K or sample:N"), qPrintable(err));
}

QTEST_MAIN(TestUiCluster)
#include "test_ui_cluster.moc"
