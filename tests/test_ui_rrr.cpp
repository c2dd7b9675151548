// The "Right reasons" view driven as a person would: generate Decoy MNIST (the patches become
// the worker's mask), paint a region over an example and read the worker's mask values back,
// train one epoch with RRR and see the rrr term arrive in the curves while the GUI thread
// keeps ticking, and run two rounds of "find another explanation".
#include "support/test_ui_util.h"

#include "core/data/decoy.h"
#include "ui/plots/heatmap_view.h"
#include "ui/plots/training_curves.h"
#include "ui/views/rrr_view.h"

#include <QDockWidget>
#include <QLabel>
#include <QTableWidget>
#include <QTextBrowser>

#include <algorithm>

using namespace senn;
using namespace senn::ui;

class TestUiRrr : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void decoyPaintTrainRounds()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.resize(1500, 950);
        w.show();
        QVERIFY(test::openAndWait(w, test::mnist()));
        w.showView("rrr");
        RrrView* v = w.rrrView();
        QVERIFY(v);
        QVERIFY(v->decoyButton()->isEnabled());
        QVERIFY(!v->trainRrrButton()->isEnabled()); // no mask yet
        // Its help page is registered (the view's ? button opens qrc:/help/rrr.html).
        w.showHelp(v->viewId());
        auto* help = w.findChild<QTextBrowser*>("helpBrowser");
        QVERIFY(help);
        QVERIFY(help->toPlainText().contains("Right for the Right Reasons"));
        help->window()->hide();

        // Generate Decoy MNIST: the dataset is replaced, the patches are the worker's mask.
        QSignalSpy data(&w, &MainWindow::datasetChanged);
        QSignalSpy masks(v, &RrrView::maskStateShown);
        QTest::mouseClick(v->decoyButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return data.count() > 0; }, 30000));
        const auto decoyed = w.dataset().data;
        QCOMPARE(decoyed->transforms.back(), std::string("decoy:seed=0"));
        QVERIFY(QTest::qWaitFor([&] { return v->maskState().decoy && v->maskState().row == v->currentRow(); }, 10000));
        const int64_t row = v->currentRow();
        QVERIFY(row >= 0);
        const auto expected = data::decoyPatches(*decoyed, 0)[size_t(row)];
        {
            const auto& s = v->maskState();
            QCOMPARE(s.rowMask.size(), size_t(784));
            QCOMPARE(int(std::count(s.rowMask.begin(), s.rowMask.end(), 1.0f)), 16);
            QCOMPARE(s.rowMask[size_t(expected.top * 28 + expected.left)], 1.0f);
            QCOMPARE(s.maskedRows, decoyed->rows());
        }
        QVERIFY(v->trainRrrButton()->isEnabled());
        QVERIFY(!v->decoyButton()->isEnabled()); // already applied
        // The λ₁ guidance arrives for the decoy mask.
        QVERIFY(QTest::qWaitFor([&] { return v->guidanceLabel()->text().contains("same order"); }, 20000));

        // Paint a horizontal stroke over image pixels (10..14, 12) of this example only.
        v->setScope(RrrScope::Example);
        MaskPainter* p = v->painter();
        QCOMPARE(p->imageWidth(), 28);
        masks.clear();
        QTest::mousePress(p, Qt::LeftButton, Qt::NoModifier, p->widgetPoint(10, 12));
        for (int x = 11; x <= 14; ++x)
            QTest::mouseMove(p, p->widgetPoint(x, 12));
        QTest::mouseRelease(p, Qt::LeftButton, Qt::NoModifier, p->widgetPoint(14, 12));
        // Earlier requests (the example's mask row) may answer first: wait for the stroke's.
        auto painted = [&](int x, int y) {
            const auto& s = v->maskState();
            return s.row == row && s.rowMask.size() == 784 && s.rowMask[size_t(y * 28 + x)] == 1.0f;
        };
        QVERIFY(QTest::qWaitFor([&] { return painted(10, 12) && painted(14, 12); }, 10000));
        {
            const auto& s = v->maskState();
            QCOMPARE(s.row, row);
            for (int x = 10; x <= 14; ++x)
                QVERIFY2(s.rowMask[size_t(12 * 28 + x)] == 1.0f, qPrintable(QString::number(x)));
            QCOMPARE(s.rowMask[size_t(20 * 28 + 5)], 0.0f); // untouched pixel
            QCOMPARE(s.rowMask[size_t(expected.top * 28 + expected.left)], 1.0f); // patch kept
            QVERIFY(std::count(s.rowMask.begin(), s.rowMask.end(), 1.0f) >= 16 + 5);
        }
        // Right button erases; "this example" leaves the next example alone.
        masks.clear();
        QTest::mousePress(p, Qt::RightButton, Qt::NoModifier, p->widgetPoint(12, 12));
        QTest::mouseRelease(p, Qt::RightButton, Qt::NoModifier, p->widgetPoint(12, 12));
        QVERIFY(QTest::qWaitFor([&] { return !painted(12, 12); }, 10000));
        QCOMPARE(v->maskState().rowMask[size_t(12 * 28 + 12)], 0.0f);
        QCOMPARE(v->maskState().rowMask[size_t(12 * 28 + 10)], 1.0f);
        masks.clear();
        v->setExampleIndex(1);
        QVERIFY(QTest::qWaitFor([&] { return v->maskState().row == v->currentRow(); }, 10000));
        QCOMPARE(int(std::count(v->maskState().rowMask.begin(), v->maskState().rowMask.end(), 1.0f)), 16);

        // SENN_RRR_SCREENSHOT=file.png (run under Xvfb for the docs): longer runs, a plain run
        // first so the table compares both, and a capture of the window at the end.
        const QString shot = qEnvironmentVariable("SENN_RRR_SCREENSHOT");
        const int epochs = shot.isEmpty() ? 1 : 4;
        if (!shot.isEmpty()) {
            if (auto* log = w.findChild<QDockWidget*>())
                log->hide();
            w.resize(1600, 1000);
            QSignalSpy plain(&w, &MainWindow::trainingFinished);
            v->setEpochs(epochs);
            QTest::mouseClick(v->trainPlainButton(), Qt::LeftButton);
            QVERIFY(QTest::qWaitFor([&] { return plain.count() > 0; }, 300000));
            QVERIFY(QTest::qWaitFor([&] { return !w.isRunning(JobKind::Train); }, 10000));
        }
        const int runsBefore = v->runsTable()->rowCount();

        // One epoch with RRR: the rrr term reaches the view's curves; the GUI keeps ticking.
        QSignalSpy finished(&w, &MainWindow::trainingFinished);
        test::GuiTicks gui;
        v->setEpochs(epochs);
        v->setLambda(10);
        gui.start();
        QTest::mouseClick(v->trainRrrButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return finished.count() > 0; }, 120000));
        gui.stop();
        QCOMPARE(finished.first().at(1).toBool(), false);
        const auto active = v->curves()->activeTerms();
        QVERIFY(std::find(active.begin(), active.end(), int(TrainingCurves::Rrr)) != active.end());
        QVERIFY(v->curves()->smoothedValue(TrainingCurves::Rrr) > 0);
        QCOMPARE(w.model().meta.config.rrrLambda, 10.0);
        QCOMPARE(w.model().meta.config.rrrMask, std::string("decoy"));
        QCOMPARE(v->runsTable()->rowCount(), runsBefore + 1);
        qInfo("RRR epoch: %lld ms, %d ticks, max gap between 10 ms ticks %lld ms, test accuracy %s",
              gui.clock.elapsed(), gui.ticks, gui.maxGap, qPrintable(v->runsTable()->item(runsBefore, 3)->text()));
        QVERIFY2(gui.stayedResponsive(), qPrintable(QString::number(gui.maxGap)));
        // The example's input gradient is scored against its mask (the Decoy patch).
        auto* gradientLabel = v->findChild<QLabel*>("rrrGradientLabel");
        QVERIFY(gradientLabel);
        QVERIFY2(QTest::qWaitFor([&] { return gradientLabel->text().contains("of |gradient| in the mask"); }, 30000),
                 qPrintable(gradientLabel->text()));

        // Find another explanation, 2 rounds of 1 epoch: two columns of gradient maps.
        QSignalSpy rounds(v, &RrrView::roundShown);
        const int nRounds = shot.isEmpty() ? 2 : 3;
        v->setRounds(nRounds);
        QTest::mouseClick(v->roundsButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return rounds.count() >= nRounds; }, 300000));
        QVERIFY(QTest::qWaitFor([&] { return !w.isRunning(JobKind::Train); }, 30000));
        QCOMPARE(v->roundCount(), nRounds);
        QVERIFY(v->findChild<HeatmapView*>("round1map0"));
        QVERIFY(v->findChild<HeatmapView*>("round2map0"));
        QCOMPARE(v->runsTable()->rowCount(), runsBefore + 1 + nRounds);
        QVERIFY(v->roundsButton()->isEnabled());
        if (!shot.isEmpty()) {
            v->setExampleIndex(0);
            QTest::qWait(1500); // gradients of the current model and queued replots arrive
            QVERIFY(w.grab().save(shot));
        }
    }
};

QTEST_MAIN(TestUiRrr)
#include "test_ui_rrr.moc"
