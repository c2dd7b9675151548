// File > Export report: every column of the tabular comparison fits on the page (eight methods
// on the breast-cancer table), and the report carries only finished stability and
// faithfulness results (a cancelled run says how far it got; a run with nothing finished, or
// one still going, is left out).
#include "support/test_ui_util.h"

#include "ui/plots/attribution_grid.h"
#include "ui/plots/comparison_panel.h"
#include "ui/views/explain_view.h"
#include "ui/views/stability_view.h"

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>

using namespace senn;
using namespace senn::ui;

namespace {

QStringList pageTitles(const MainWindow& w)
{
    QStringList t;
    for (const auto& p : w.lastReport().pages)
        t << p.title;
    return t;
}

// A stability result over `points` points of which each method finished `done`.
metrics::StabilityResult stabilityResult(int points, int done, bool cancelled)
{
    metrics::StabilityResult r;
    r.eps = {0.01, 0.1};
    for (int i = 0; i < points; ++i)
        r.points.push_back(i);
    r.cancelled = cancelled;
    for (const char* id : {"senn", "saliency"}) {
        metrics::Curve c;
        c.perPoint.assign(2, std::vector<double>(size_t(points), std::nan("")));
        for (int e = 0; e < 2; ++e)
            for (int i = 0; i < done; ++i)
                c.perPoint[size_t(e)][size_t(i)] = 0.5 + 0.1 * e + 0.01 * i;
        const double m = done > 0 ? 0.5 : std::nan("");
        c.median = {m, m + 0.1};
        c.q25 = c.median;
        c.q75 = c.median;
        c.pointsDone = done;
        r.methods[id] = c;
    }
    return r;
}

} // namespace

class TestUiReport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void eightMethodsFitThePage()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w));
        w.showView("explain");
        auto* view = w.explainView();
        const QStringList methods = {"senn", "lime", "kernel-shap", "saliency", "grad-input",
                                     "integrated-gradients", "smoothgrad", "occlusion"};
        QSignalSpy shown(&w, &MainWindow::explanationShown);
        view->methodPicker()->setMethodIds(methods);
        const qint64 row = w.dataset().testRows.at(1);
        QVERIFY(view->setCurrentRow(row));
        // Only cheap methods run by themselves on a new example: Explain runs all eight.
        QTest::qWait(200);
        QTest::mouseClick(view->findChild<QPushButton*>("explainButton"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] {
            return shown.count() > 0 && !w.isRunning(JobKind::Explain)
                && view->lastResult().explanations.size() == size_t(methods.size());
        }, 240000));
        QCOMPARE(view->panel()->columnCount(), 8);

        QTemporaryDir dir;
        const QString pdf = dir.filePath("report.pdf");
        QVERIFY(w.exportReport(pdf));
        const auto& pages = w.lastReport().pages;
        QStringList comparison;
        int columns = 0;
        for (const auto& p : pages) {
            // Every figure lies inside its page ...
            QVERIFY2(p.figure.left() >= 0 && p.figure.top() >= 0 && p.figure.right() <= p.page.width() + 0.5
                         && p.figure.bottom() <= p.page.height() + 0.5,
                     qPrintable(QString("%1: %2x%3 at %4,%5 on %6x%7").arg(p.title).arg(p.figure.width())
                                    .arg(p.figure.height()).arg(p.figure.left()).arg(p.figure.top())
                                    .arg(p.page.width()).arg(p.page.height())));
            // ... and holds everything it was drawn with: the figure was rendered at least as
            // wide and tall as its widgets need, so no column is cut at its edge.
            QVERIFY2(p.content.width() <= p.rendered.width() && p.content.height() <= p.rendered.height(),
                     qPrintable(QString("%1: content %2x%3, figure %4x%5").arg(p.title).arg(p.content.width())
                                    .arg(p.content.height()).arg(p.rendered.width()).arg(p.rendered.height())));
            if (p.title.startsWith("Comparison")) {
                qInfo("%s: content %dx%d, rendered %dx%d, on the page %.0fx%.0f of %.0fx%.0f", qPrintable(p.title),
                      p.content.width(), p.content.height(), p.rendered.width(), p.rendered.height(),
                      p.figure.width(), p.figure.height(), p.page.width(), p.page.height());
                comparison << p.title;
                columns += p.columns;
                // Readable: a pixel of the figure is drawn at least 60% of its on-screen size
                // (150 dpi pages, 96 dpi screens).
                const double ratio = p.figure.width() / p.rendered.width() * 96.0 / 150.0;
                QVERIFY2(ratio >= 0.6, qPrintable(QString("%1: %2").arg(p.title).arg(ratio)));
            }
        }
        qInfo("pages: %s", qPrintable(pageTitles(w).join(" | ")));
        QVERIFY(!comparison.isEmpty());
        // Every method is on a comparison page, once.
        QCOMPARE(columns, 8);

        // Look at it: the first comparison page as PNG (poppler-utils' pdftoppm, where installed).
        const QString pdftoppm = QStandardPaths::findExecutable("pdftoppm");
        if (!pdftoppm.isEmpty()) {
            const QString out = qEnvironmentVariable("SENN_REPORT_PNG_DIR");
            if (!out.isEmpty()) {
                QFile::copy(pdf, QDir(out).filePath("report.pdf"));
                QProcess::execute(pdftoppm, {"-png", "-r", "60", pdf, QDir(out).filePath("report")});
            }
        }
    }

    void onlyFinishedResults()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w));
        QTemporaryDir dir;

        // Cancelled after 3 of 20 points: the pages are there and say so.
        w.stabilityView()->setResult(stabilityResult(20, 3, true));
        QVERIFY(w.exportReport(dir.filePath("partial.pdf")));
        QStringList titles = pageTitles(w);
        qInfo("pages: %s", qPrintable(titles.join(" | ")));
        QVERIFY(titles.contains("Stability curves (cancelled after 3 of 20 points)"));
        QVERIFY(titles.contains("Stability: L̂ over test points (cancelled after 3 of 20 points)"));
        QVERIFY2(w.lastReport().notes.join("\n").contains("Stability: cancelled after 3 of 20 points"),
                 qPrintable(w.lastReport().notes.join("\n")));

        // Cancelled before any point finished: no stability page, and the first page says why.
        w.stabilityView()->setResult(stabilityResult(20, 0, true));
        QVERIFY(w.stabilityView()->hasResult());
        QVERIFY(w.exportReport(dir.filePath("empty.pdf")));
        titles = pageTitles(w);
        for (const QString& t : titles)
            QVERIFY2(!t.startsWith("Stability"), qPrintable(t));
        QVERIFY(w.lastReport().notes.join("\n").contains("Stability: cancelled before any point finished"));

        // A finished run: its pages without a note of cancellation.
        w.stabilityView()->setResult(stabilityResult(4, 4, false));
        QVERIFY(w.exportReport(dir.filePath("done.pdf")));
        QVERIFY(pageTitles(w).contains("Stability curves"));

        // A run still going: what streamed in so far is not a result; left out.
        w.showView("stability");
        auto* st = w.stabilityView();
        st->applySettings(QJsonObject{{"methods", QJsonArray{"lime", "kernel-shap"}}, {"points", 50},
                                      {"eps", "0.01, 0.1"}, {"seed", 2}});
        auto* run = st->findChild<QPushButton*>("runStability");
        QVERIFY(run && run->isEnabled());
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return w.isRunning(JobKind::Stability); }, 10000));
        QVERIFY(w.exportReport(dir.filePath("running.pdf")));
        for (const QString& t : pageTitles(w))
            QVERIFY2(!t.startsWith("Stability"), qPrintable(t));
        QVERIFY(w.lastReport().notes.join("\n").contains("Stability: still running"));
        w.cancelJob(JobKind::Stability);
        QVERIFY(QTest::qWaitFor([&] { return !w.isRunning(JobKind::Stability); }, 60000));
    }
};

QTEST_MAIN(TestUiReport)
#include "test_ui_report.moc"
