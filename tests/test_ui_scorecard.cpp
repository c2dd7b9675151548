// The Scorecard view driven as a person would: a SENN trained on the breast-cancer data, the
// scorecard run from the Run button on the worker, every cell filled, the agreement sentence
// shown and the exports written. The ScorecardPlot alone on a hand-made result: known cell
// texts, ranks, the best per column, CSV rows and the LaTeX table.
#include "support/test_ui_util.h"

#include "ui/plots/scorecard_plot.h"
#include "ui/views/scorecard_view.h"

#include "core/metrics/scorecard_export.h"

#include <QCheckBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QSpinBox>
#include <QTemporaryDir>

using namespace senn;
using namespace senn::ui;

class TestUiScorecard : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void plotOfKnownResult()
    {
        // Two methods, two measures, constant per-point values: each interval is its median.
        metrics::ScorecardResult r;
        r.points = {3, 8, 12};
        r.methods = {"saliency", "occlusion"};
        r.measures = {metrics::scorecardMeasure("removal_correlation"), metrics::scorecardMeasure("infidelity")};
        r.values = {{{0.2, 0.2, 0.2}, {0.5, 0.5, 0.5}}, {{0.9, 0.9, 0.9}, {0.1, 0.1, 0.1}}};
        r.pointsDone = {3, 3};
        r.bootstrap = 100;
        metrics::summarizeScorecard(r);
        // Occlusion is better on both (higher removal correlation, lower infidelity): W = 1.
        QCOMPARE(r.ranks[1][0], 1.0);
        QCOMPARE(r.ranks[1][1], 1.0);
        QCOMPARE(r.kendallW, 1.0);
        QCOMPARE(r.tau[0][1], 1.0);
        ScorecardPlot plot;
        plot.setResult(r);
        QCOMPARE(plot.cellText(0, 0), QStringLiteral("0.2\n[0.2, 0.2]\n(2)"));
        QCOMPARE(plot.cellText(1, 1), QStringLiteral("0.1\n[0.1, 0.1]\n(1)"));
        QVERIFY(plot.cellText(2, 0).isEmpty());
        QVERIFY(plot.title().contains("3 points"));
        const QString csv = plot.dataCsv();
        QVERIFY2(csv.contains("occlusion,removal_correlation,1,0.9,0.9,0.9,1,3,1"), qPrintable(csv));
        QVERIFY(csv.contains("saliency,infidelity,0,0.5,0.5,0.5,2,3,0"));
        const std::string tex = metrics::scorecardLatex(r);
        QVERIFY(tex.find("\\toprule") != std::string::npos && tex.find("\\bottomrule") != std::string::npos);
        QVERIFY(tex.find("Occlusion & \\textbf{0.9} [0.9, 0.9] (1) & \\textbf{0.1} [0.1, 0.1] (1)") != std::string::npos);
        QVERIFY(tex.find("Infidelity $\\downarrow$") != std::string::npos);
        AgreementPlot tau;
        tau.setResult(r);
        QVERIFY(tau.dataCsv().contains("removal_correlation,1,1"));
    }

    void runFromTheView()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w, 2));
        w.showView("scorecard");
        ScorecardView* v = w.scorecardView();
        QVERIFY(v);
        QCOMPARE(w.currentViewId(), QString("scorecard"));
        // SENN_SCORECARD_SHOT: the documentation's screenshot, six methods on 50 points.
        const bool shot = qEnvironmentVariableIsSet("SENN_SCORECARD_SHOT");
        if (shot)
            v->methods()->setMethodIds({"senn", "saliency", "grad-input", "integrated-gradients", "occlusion", "lime"});
        else
            v->methods()->setMethodIds({"saliency", "grad-input", "occlusion", "senn"});
        v->findChild<QSpinBox*>("scorecardPoints")->setValue(shot ? 50 : 8);
        v->findChild<QSpinBox*>("scorecardBootstrap")->setValue(200);
        const auto request = v->request();
        QCOMPARE(request.methods.size(), size_t(shot ? 6 : 4));
        QCOMPARE(request.measures, metrics::defaultScorecardMeasures());
        QSignalSpy ended(&w, &MainWindow::jobEnded);
        QTest::mouseClick(v->findChild<QPushButton*>("runScorecard"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !w.isRunning(JobKind::Scorecard) && v->hasResult() && ended.count() > 0; },
                                120000));
        const auto& r = v->result();
        QVERIFY(!r.cancelled);
        QCOMPARE(r.points.size(), size_t(shot ? 50 : 8));
        QCOMPARE(r.pointsDone, std::vector<int>(r.methods.size(), int(r.points.size())));
        QCOMPARE(r.measures.size(), request.measures.size());
        for (size_t m = 0; m < r.methods.size(); ++m)
            for (size_t k = 0; k < r.measures.size(); ++k) {
                const auto& c = r.cells[m][k];
                if (std::isnan(c.median))
                    continue; // SENN's concepts have no feature subsets (faithfulness correlation)
                QVERIFY(c.lo <= c.median && c.median <= c.hi);
                QVERIFY(r.ranks[m][k] >= 1 && r.ranks[m][k] <= double(r.methods.size()));
            }
        QVERIFY(r.kendallW >= 0 && r.kendallW <= 1);
        QVERIFY(v->findChild<QLabel*>("scorecardStatus")->text().contains("W = "));
        QTemporaryDir dir;
        QString error;
        const QString png = dir.filePath("scorecard.png");
        QVERIFY2(v->plot()->exportFigure(png, 1200, 600, 1.0, &error), qPrintable(error));
        QImage img(png);
        QCOMPARE(img.width(), 1200);
        QVERIFY2(v->exportLatex(dir.filePath("scorecard.tex"), &error), qPrintable(error));
        QFile tex(dir.filePath("scorecard.tex"));
        QVERIFY(tex.open(QIODevice::ReadOnly));
        QVERIFY(tex.readAll().contains("\\begin{tabular}"));
        QVERIFY(v->plot()->exportJson(dir.filePath("scorecard.json"), &error));
        if (shot) {
            QTest::qWait(200); // the plots replot queued
            w.grab().save(qEnvironmentVariable("SENN_SCORECARD_SHOT"));
        }
    }
};

QTEST_MAIN(TestUiScorecard)
#include "test_ui_scorecard.moc"
