// The Stability and Faithfulness views against `senn stability|faithfulness`: the same N
// points, methods and seed give the same rows and the same curves in the app and on the
// command line; each view's Seed is its run's one seed; every export of these views carries the
// rows; a cancelled run keeps and shows
// its finished (method, point) results; and the Stability view's layout at 1280×800 and
// 1600×1000 names every method under the box plot and leaves the plots their room.
#include "support/senn_cli.h"
#include "support/test_ui_util.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/curve_plot.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/stability_view.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>

#include <cmath>

using namespace senn;
using namespace senn::ui;

namespace {

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

std::vector<int64_t> ints(const QJsonArray& a)
{
    std::vector<int64_t> out;
    for (const auto& v : a)
        out.push_back(int64_t(v.toDouble()));
    return out;
}

bool near(double a, const QJsonValue& b)
{
    if (!std::isfinite(a))
        return b.isNull();
    const double v = b.toDouble();
    return std::abs(a - v) <= 1e-6 * std::max(1.0, std::abs(a));
}

// A finished result of every method (nine or more) over 5 points and 3 radii, without running anything.
metrics::StabilityResult nineMethods()
{
    metrics::StabilityResult r;
    r.eps = {0.01, 0.1, 1.0};
    r.points = {3, 17, 31, 45, 59};
    r.seconds = 1;
    for (auto m : explain::allMethods()) {
        metrics::Curve c;
        for (size_t e = 0; e < r.eps.size(); ++e) {
            std::vector<double> v;
            for (size_t p = 0; p < r.points.size(); ++p)
                v.push_back(0.1 * double(e + 1) + 0.01 * double(p) + 0.05 * double(int(m)));
            c.perPoint.push_back(v);
            c.median.push_back(v[2]);
            c.q25.push_back(v[1]);
            c.q75.push_back(v[3]);
        }
        c.pointsDone = int(r.points.size());
        r.methods[explain::methodId(m)] = c;
        r.moves[explain::methodId(m)] = c;
    }
    r.predictionKept = {1.0, 0.9, 0.6};
    r.noiseDraws = 2;
    return r;
}

} // namespace

class TestUiStability : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void sameRowsAndCurvesAsTheCli();
    void viewSeedIsTheRunsSeed();
    void cancelKeepsFinishedResults();
    void layoutNamesEveryMethod_data();
    void layoutNamesEveryMethod();
    void defaultsFollowTheData();
};

void TestUiStability::sameRowsAndCurvesAsTheCli()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    MainWindow w;
    QVERIFY(test::showWithTrainedBreastCancer(w));
    const QString model = dir.filePath("bc.senn");
    QSignalSpy saved(&w, &MainWindow::modelSaved);
    w.saveModelTo(model);
    QVERIFY(QTest::qWaitFor([&] { return saved.count() > 0; }, 60000));

    // The app: 3 points, two radii, seed 2.
    w.showView("stability");
    auto* st = w.stabilityView();
    st->applySettings(QJsonObject{{"methods", QJsonArray{"senn", "saliency", "lime"}}, {"points", 3},
                                  {"eps", "0.01, 0.1"}, {"seed", 2}});
    QTest::mouseClick(st->findChild<QPushButton*>("runStability"), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return st->hasResult() && !w.isRunning(JobKind::Stability); }, 180000));
    const auto r = st->result();
    QCOMPARE(r.points.size(), size_t(3));
    // The rows are core's rule over the test split: evenly spaced, not the first three.
    const auto& test = w.dataset().testRows;
    QCOMPARE(r.points, metrics::pickPoints(std::vector<int64_t>(test.begin(), test.end()), 3));
    QVERIFY(r.points[1] != test[1]);

    // The command line on the saved model and the same file.
    const QString json = dir.filePath("stability.json");
    QString err;
    QCOMPARE(test::runSenn({"stability", "--model", model, "--data", test::breastCancer(), "--methods",
                     "senn,saliency,lime", "--points", "3", "--eps", "0.01,0.1", "--seed", "2", "--json", json},
                    &err),
             0);
    const auto cli = readJson(json);
    QCOMPARE(ints(cli["points"].toArray()), r.points);
    for (const char* id : {"senn", "saliency", "lime"}) {
        for (const char* part : {"methods", "moves"}) {
            const auto& curves = QByteArray(part) == "methods" ? r.methods : r.moves;
            const auto perPoint = cli[part].toObject()[id].toObject()["per_point"].toArray();
            const auto& mine = curves.at(id).perPoint;
            QCOMPARE(perPoint.size(), int(mine.size()));
            for (size_t e = 0; e < mine.size(); ++e)
                for (size_t p = 0; p < mine[e].size(); ++p)
                    QVERIFY2(near(mine[e][p], perPoint[int(e)].toArray()[int(p)]),
                             qPrintable(QString("%1 %2 eps %3 point %4: app %5, cli %6").arg(id, part).arg(e).arg(p)
                                            .arg(mine[e][p]).arg(perPoint[int(e)].toArray()[int(p)].toDouble())));
        }
    }

    // Exports of the view carry the rows.
    const QString curvesCsv = dir.filePath("curves.csv"), curvesJson = dir.filePath("curves.json");
    const QString movesCsv = dir.filePath("moves.csv"), boxesCsv = dir.filePath("boxes.csv");
    const QString boxesJson = dir.filePath("boxes.json");
    QVERIFY(st->curves()->exportCsv(curvesCsv));
    QVERIFY(st->curves()->exportJson(curvesJson));
    QVERIFY(st->moves()->exportCsv(movesCsv));
    QVERIFY(st->boxes()->exportCsv(boxesCsv));
    QVERIFY(st->boxes()->exportJson(boxesJson));
    QString rowCols;
    for (auto row : r.points)
        rowCols += QStringLiteral(",row_%1").arg(row);
    for (const auto& path : {curvesCsv, movesCsv}) {
        const auto lines = readText(path).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), "series,x,median,q25,q75" + rowCols);
        // 3 methods x 2 radii (+ the kept-prediction share on the moves plot), each line with
        // the 5 summary fields and one per row.
        QCOMPARE(lines.size(), 1 + 3 * 2 + (path == movesCsv ? 2 : 0));
        for (const auto& l : lines)
            QCOMPARE(l.count(','), 4 + 3);
    }
    // The L̂ of the second row at the first radius, as the CSV has it.
    const auto csvLines = readText(curvesCsv).split('\n', Qt::SkipEmptyParts);
    const auto limeLine = csvLines.filter(QRegularExpression("^LIME,")).value(0).split(',');
    QVERIFY(std::abs(limeLine.value(6).toDouble() - r.methods.at("lime").perPoint[0][1]) < 1e-6 * (1 + r.methods.at("lime").perPoint[0][1]));
    const auto cj = readJson(curvesJson);
    QCOMPARE(ints(cj["points"].toArray()), r.points);
    QCOMPARE(cj["series"].toArray()[0].toObject()["per_point"].toArray().size(), 2);
    QCOMPARE(readText(boxesCsv).split('\n').value(0), "method,n,whisker_low,q1,median,q3,whisker_high,outliers" + rowCols);
    for (const auto& b : readJson(boxesJson)["boxes"].toArray())
        QCOMPARE(ints(b.toObject()["rows"].toArray()), r.points);

    // Faithfulness: the app's N points and seed (the view's) against the CLI's.
    w.showView("faithfulness");
    auto* fv = w.faithfulnessView();
    fv->applySettings(QJsonObject{{"methods", QJsonArray{"senn", "saliency", "lime"}}, {"points", 4},
                                  {"seed", 5}, {"measure", 0}});
    QTest::mouseClick(fv->findChild<QPushButton*>("runFaithfulness"), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return fv->hasResult() && !w.isRunning(JobKind::Faithfulness); }, 180000));
    const auto fr = fv->result();
    const QString fjson = dir.filePath("faith.json");
    QCOMPARE(test::runSenn({"faithfulness", "--model", model, "--data", test::breastCancer(), "--methods",
                     "senn,saliency,lime", "--points", "4", "--seed", "5",
                     "--json", fjson},
                    &err),
             0);
    const auto fcli = readJson(fjson);
    QCOMPARE(ints(fcli["points"].toArray()), fr.points);
    for (const auto& [id, m] : fr.methods) {
        const auto o = fcli["methods"].toObject()[QString::fromStdString(id)].toObject();
        for (size_t p = 0; p < fr.points.size(); ++p) {
            QVERIFY2(near(m.perPoint[p], o["per_point"].toArray()[int(p)]), id.c_str());
            QVERIFY2(near(m.faithfulnessCorrelation[p], o["faithfulness_correlation"].toArray()[int(p)]), id.c_str());
            QVERIFY2(near(m.infidelity[p], o["infidelity"].toArray()[int(p)]), id.c_str());
        }
    }
    const QString fCsv = dir.filePath("faith.csv"), fJson = dir.filePath("faith-boxes.json");
    QVERIFY(fv->boxes()->exportCsv(fCsv));
    QVERIFY(fv->boxes()->exportJson(fJson));
    QString fRows;
    for (auto row : fr.points)
        fRows += QStringLiteral(",row_%1").arg(row);
    QVERIFY(readText(fCsv).startsWith("method,n,whisker_low,q1,median,q3,whisker_high,outliers" + fRows + "\n"));
    for (const auto& b : readJson(fJson)["boxes"].toArray())
        QCOMPARE(ints(b.toObject()["rows"].toArray()), fr.points);
}

void TestUiStability::viewSeedIsTheRunsSeed()
{
    // The same view seed gives the same LIME results, another seed other ones, and the explainer
    // settings' seed changes nothing: the view's seed reaches the core run, and it alone.
    MainWindow w;
    QVERIFY(test::showWithTrainedBreastCancer(w));
    auto options = w.explainOptions();
    options.samples = 200; // LIME's draws stay cheap
    w.setExplainOptions(options);
    QSignalSpy ended(&w, &MainWindow::jobEnded);
    auto waitFor = [&](JobKind kind) {
        return QTest::qWaitFor([&] {
            for (const auto& args : ended)
                if (args.first().value<JobKind>() == kind)
                    return true;
            return false;
        }, 180000);
    };
    auto* st = w.stabilityView();
    auto stability = [&](int seed) {
        w.showView("stability");
        st->applySettings(QJsonObject{{"methods", QJsonArray{"lime"}}, {"points", 2}, {"eps", "0.01"}, {"seed", seed}});
        ended.clear();
        QTest::mouseClick(st->findChild<QPushButton*>("runStability"), Qt::LeftButton);
        return waitFor(JobKind::Stability) ? st->result().methods.at("lime").perPoint.at(0) : std::vector<double>{};
    };
    auto* fv = w.faithfulnessView();
    auto faithfulness = [&](int seed) {
        w.showView("faithfulness");
        fv->applySettings(QJsonObject{{"methods", QJsonArray{"lime"}}, {"points", 2}, {"seed", seed}});
        ended.clear();
        QTest::mouseClick(fv->findChild<QPushButton*>("runFaithfulness"), Qt::LeftButton);
        return waitFor(JobKind::Faithfulness) ? fv->result().methods.at("lime").faithfulnessCorrelation
                                              : std::vector<double>{};
    };
    const auto s3 = stability(3), s4 = stability(4);
    const auto f3 = faithfulness(3), f4 = faithfulness(4);
    QCOMPARE(s3.size(), size_t(2));
    QCOMPARE(f3.size(), size_t(2));
    QVERIFY(s3 != s4);
    QVERIFY(f3 != f4);
    options.seed = 99;
    w.setExplainOptions(options);
    QCOMPARE(stability(3), s3);
    QCOMPARE(faithfulness(3), f3);
}

void TestUiStability::cancelKeepsFinishedResults()
{
    // 3 methods x 2 points, two of them slow sampling methods, cancelled once the first result shows: what finished
    // stays in the curves, the box plot and the status line.
    MainWindow w;
    QVERIFY(test::showWithTrainedBreastCancer(w));
    // Many samples make the sampling methods slow enough to cancel midway.
    auto slow = w.explainOptions();
    slow.samples = 20000;
    w.setExplainOptions(slow);
    w.showView("stability");
    auto* st = w.stabilityView();
    st->applySettings(QJsonObject{{"methods", QJsonArray{"saliency", "shapley", "kernel-shap"}}, {"points", 2},
                                  {"eps", "0.001, 0.003, 0.01, 0.03, 0.1, 0.3"}, {"seed", 1}});
    QSignalSpy errors(&w, &MainWindow::errorShown);
    QTest::mouseClick(st->findChild<QPushButton*>("runStability"), Qt::LeftButton);
    auto done = [&] {
        int n = 0;
        for (const auto& [id, c] : st->result().methods)
            n += c.pointsDone;
        return n;
    };
    // The job starts on the worker thread once the jobs queued before it (the explanation the
    // new settings asked for) are done: wait for a result or the job's end.
    QSignalSpy ended(&w, &MainWindow::jobEnded);
    auto stabilityEnded = [&] {
        for (const auto& args : ended)
            if (args.first().value<JobKind>() == JobKind::Stability)
                return true;
        return false;
    };
    QVERIFY(QTest::qWaitFor([&] { return done() > 0 || stabilityEnded(); }, 180000));
    QVERIFY2(!stabilityEnded(),
             qPrintable("the run ended before its first result was shown: " +
                        (errors.isEmpty() ? QString() : errors.last().first().toString())));
    QTest::mouseClick(st->findChild<QPushButton*>("cancelStability"), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor(stabilityEnded, 180000));
    const auto& r = st->result();
    QVERIFY(r.cancelled);
    const int kept = done();
    QVERIFY2(kept >= 1 && kept < 6, qPrintable(QString::number(kept)));
    const auto* status = st->findChild<QLabel*>("stabilityStatus");
    QVERIFY2(status->text().contains(QStringLiteral("kept %1 of 6").arg(kept)), qPrintable(status->text()));
    // The cheapest method finished first, and the plots show it.
    QVERIFY(r.methods.at("saliency").pointsDone >= 1);
    QCOMPARE(st->curves()->seriesCount(), 3);
    int shown = 0;
    for (const auto& s : st->boxes()->stats())
        shown += s.n;
    QCOMPARE(shown, kept);
}

void TestUiStability::layoutNamesEveryMethod_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::newRow("1280x800") << 1280 << 800;
    QTest::newRow("1600x1000") << 1600 << 1000;
}

void TestUiStability::layoutNamesEveryMethod()
{
    QFETCH(int, width);
    QFETCH(int, height);
    MainWindow w;
    QVERIFY(test::showAt(w, width, height));
    w.showView("stability");
    auto* st = w.stabilityView();
    st->setResult(nineMethods());
    QTest::qWait(100);
    QCoreApplication::processEvents();
    // SENN_TEST_SCREENSHOTS=DIR keeps a picture of the view to look at.
    const QString shots = qEnvironmentVariable("SENN_TEST_SCREENSHOTS");
    if (!shots.isEmpty())
        w.grab().save(QDir(shots).filePath(QStringLiteral("stability-%1x%2.png").arg(width).arg(height)));
    QVERIFY2(w.width() <= width && w.height() <= height, qPrintable(QString("%1x%2").arg(w.width()).arg(w.height())));

    // Every method named under the box plot, none overlapping.
    const auto labels = st->boxes()->tickLabels();
    const int methods = int(explain::allMethods().size());
    QCOMPARE(labels.size(), methods);
    for (int i = 0; i < labels.size(); ++i)
        QVERIFY2(!labels[i].isEmpty(), qPrintable(QString("box %1 unlabelled").arg(i)));
    const auto outlines = st->boxes()->tickLabelOutlines();
    QCOMPARE(outlines.size(), methods);
    for (int i = 1; i < outlines.size(); ++i)
        QVERIFY2(outlines[i - 1].intersected(outlines[i]).boundingRect().width() < 1,
                 qPrintable(QString("labels %1 and %2 overlap").arg(i - 1).arg(i)));
    // Names cut short are whole in the tooltip.
    for (const auto& b : st->boxes()->boxes())
        QVERIFY(labels.contains(b.name) || st->boxes()->toolTip().contains(b.name));

    // The empty perturbation panel gives the plots its room.
    auto* perturb = st->findChild<QWidget*>("perturbBox");
    QVERIFY(perturb);
    QVERIFY2(perturb->height() <= 90, qPrintable(QString::number(perturb->height())));
    for (QWidget* plot : {static_cast<QWidget*>(st->curves()), static_cast<QWidget*>(st->moves()),
                          static_cast<QWidget*>(st->boxes())}) {
        QVERIFY2(plot->width() >= 240 && plot->height() >= 300,
                 qPrintable(QString("%1: %2x%3").arg(plot->objectName()).arg(plot->width()).arg(plot->height())));
    }
}

void TestUiStability::defaultsFollowTheData()
{
    // The view starts with core's tabular defaults, the ones `senn stability` uses.
    StabilityView st;
    const auto tab = metrics::metricDefaults(false);
    QCOMPARE(st.request().eps, tab.eps);
    QCOMPARE(st.request().points, tab.stabilityPoints);
    // Images get theirs when the data arrives.
    DatasetSummary s;
    auto images = std::make_shared<data::Dataset>();
    images->kind = data::DataKind::Image;
    s.data = images;
    st.setDataset(s);
    const auto img = metrics::metricDefaults(true);
    QCOMPARE(st.request().eps, img.eps);
    QCOMPARE(st.request().points, img.stabilityPoints);
    // A typed grid stays when other data arrives.
    st.findChild<QLineEdit*>("epsGrid")->setText("0.2, 0.4");
    s.data = std::make_shared<data::Dataset>();
    st.setDataset(s);
    QCOMPARE(st.request().eps, (std::vector<double>{0.2, 0.4}));
    QCOMPARE(st.request().points, tab.stabilityPoints);
    FaithfulnessView fv;
    QCOMPARE(fv.points(), tab.faithfulnessPoints);
}

QTEST_MAIN(TestUiStability)
#include "test_ui_stability.moc"
