// The Sanity view driven as a person would: a SENN trained on the breast-cancer data, the
// checks run from the Run button on the worker, the figure's lines, categories and strip
// match the result, the edge-detector control stays at 1, and the export writes the figure
// and its numbers. The SanityPlot alone on a hand-made result: known categories and CSV rows.
#include "support/test_ui_util.h"

#include "ui/plots/sanity_plot.h"
#include "ui/plots/sanity_strip.h"
#include "ui/views/sanity_view.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QImage>
#include <QSpinBox>
#include <QTemporaryDir>

using namespace senn;
using namespace senn::ui;

class TestUiSanity : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void plotOfKnownResult()
    {
        metrics::SanityResult r;
        r.steps = {"original", "fc2", "fc1"};
        r.stepsDone = 3;
        r.points = {4, 9};
        r.methods = {"saliency", metrics::kEdgeDetectorId};
        r.randomLogit = true;
        for (const auto& id : r.methods) {
            metrics::SimilaritySeries s;
            s.perPoint = {{1, 1}, {0.5, 0.7}, {0.1, 0.3}};
            if (id == metrics::kEdgeDetectorId)
                s.perPoint = {{1, 1}, {1, 1}, {1, 1}};
            for (const auto& v : s.perPoint) {
                s.median.push_back((v[0] + v[1]) / 2);
                s.q25.push_back(v[0] + 0.25 * (v[1] - v[0]));
                s.q75.push_back(v[0] + 0.75 * (v[1] - v[0]));
            }
            r.results[id].steps["spearman_abs"] = s;
            r.results[id].randomLogit["spearman_abs"] = {-1, -1};
            r.results[id].example = {{1, 2}, {2, 1}, {0, 1}};
            r.results[id].shape = {2};
        }
        SanityPlot plot;
        plot.setResult(r, "spearman_abs");
        QCOMPARE(plot.categories(), (QStringList{"original", "fc2", "fc1", "random logit"}));
        QCOMPARE(plot.lineCount(), 2);
        const QString csv = plot.dataCsv();
        QVERIFY2(csv.contains("saliency,fc2,0.6,0.55,0.65,2"), qPrintable(csv));
        QVERIFY(csv.contains("saliency,random logit,-1,-1,-1,2"));
        QVERIFY(csv.contains("edge-detector,fc1,1,1,1,2"));
        SanityStrip strip;
        strip.setResult(r);
        QCOMPARE(strip.rowCount(), 2);
        QCOMPARE(strip.columnCount(), 3);
    }

    void runFromTheView()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w, 2));
        w.showView("sanity");
        SanityView* v = w.sanityView();
        QVERIFY(v);
        QCOMPARE(w.currentViewId(), QString("sanity"));
        auto* points = v->findChild<QSpinBox*>("sanityPoints");
        QVERIFY(points);
        QCOMPARE(points->value(), 20); // senn sanity's default on tables
        points->setValue(6);
        v->findChild<QCheckBox*>("sanityRandomLogit")->setChecked(true);
        const auto request = v->request();
        QVERIFY(std::find(request.methods.begin(), request.methods.end(), metrics::kEdgeDetectorId) !=
                request.methods.end());
        QSignalSpy ended(&w, &MainWindow::jobEnded);
        QTest::mouseClick(v->findChild<QPushButton*>("runSanity"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !w.isRunning(JobKind::Sanity) && v->hasResult() && ended.count() > 0; },
                                120000));
        const auto& r = v->result();
        QVERIFY(!r.cancelled);
        QCOMPARE(r.points.size(), size_t(6));
        QCOMPARE(r.stepsDone, int(r.steps.size()));
        QVERIFY(r.steps.size() >= 3); // the SENN's layers, output side first
        QCOMPARE(r.steps.front(), std::string("original"));
        const auto& edge = r.results.at(metrics::kEdgeDetectorId).steps.at("spearman_abs");
        for (double m : edge.median)
            QCOMPARE(m, 1.0);
        QCOMPARE(v->plot()->lineCount(), int(r.methods.size()));
        QCOMPARE(v->plot()->categories().size(), int(r.steps.size()) + 1); // and the random logit
        QCOMPARE(v->strip()->rowCount(), int(r.methods.size()));
        QTemporaryDir dir;
        QString error;
        const QString png = dir.filePath("sanity.png");
        QVERIFY2(v->exportFigure(png, &error), qPrintable(error));
        QImage img(png);
        QVERIFY(img.width() >= 900 && img.height() > 400);
        QVERIFY(v->plot()->exportCsv(dir.filePath("sanity.csv"), &error));
        if (qEnvironmentVariableIsSet("SENN_SANITY_SHOT")) { // a look for people changing the view
            v->plot()->plot()->replot(); // the last streamed step's replot is queued
            w.grab().save(qEnvironmentVariable("SENN_SANITY_SHOT"));
            v->plot()->exportCsv(qEnvironmentVariable("SENN_SANITY_SHOT") + ".csv");
        }
    }
};

QTEST_MAIN(TestUiSanity)
#include "test_ui_sanity.moc"
