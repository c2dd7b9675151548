// Training from the Model view: curves receive points, the model lands with a sensible
// accuracy; Cancel stops a long run quickly and keeps the previous model; the GUI thread
// stays responsive (a 10 ms timer keeps ticking) while the worker trains.
#include "support/test_ui_util.h"

#include "ui/plots/training_curves.h"

#include <QTextBrowser>


using namespace senn::ui;

class TestUiTrain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void trainsAndCancelKeepsPrevious()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.show();
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        QVERIFY(test::trainAndWait(w, 10));
        const ModelSummary first = w.model();
        QVERIFY(first.isSenn);
        QVERIFY(w.modelView()->curves()->batchCount() > 0);    // curves got per-batch points
        QCOMPARE(w.modelView()->curves()->epochCount(), 10);  // and one record per epoch
        // Breast cancer is easy: a 10-epoch SENN is far above the 63% majority class.
        QVERIFY2(first.test.accuracy > 0.85, qPrintable(QString::number(first.test.accuracy)));
        QCOMPARE(first.meta.train.epochs, 10);
        // The card says why training stopped and shows the logistic-regression baseline.
        auto* card = w.modelView()->findChild<QTextBrowser*>("modelCard");
        QVERIFY(card);
        QVERIFY2(card->toPlainText().contains("Stopped: reached the maximum of 10 epochs; best epoch "),
                 qPrintable(card->toPlainText()));
        QVERIFY(card->toPlainText().contains("Baseline: logistic regression on the same split"));

        // A long second run, cancelled once it is under way.
        QSignalSpy finished(&w, &MainWindow::trainingFinished);
        w.modelView()->setEpochs(500);
        QTest::mouseClick(w.modelView()->trainButton(), Qt::LeftButton);
        // Under way: two epochs done (per-batch reports are throttled to 20 a second, so a fast
        // machine may send only one batch point per epoch).
        QVERIFY(QTest::qWaitFor([&] { return w.modelView()->curves()->epochCount() >= 2; }, 30000));
        QVERIFY(w.isRunning(JobKind::Train));
        QVERIFY(!w.modelView()->trainButton()->isEnabled());
        // Cancel is checked between batches: at most the epoch under way may still finish
        // (a count, not a time: the machine running the test may be busy).
        const int epochsAtCancel = w.modelView()->curves()->epochCount();
        int epochsRun = epochsAtCancel; // the live curves until training ends
        QTest::mouseClick(w.modelView()->cancelButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] {
            if (finished.count() == 0)
                epochsRun = std::max(epochsRun, w.modelView()->curves()->epochCount());
            return finished.count() > 0;
        }, 10000));
        QVERIFY2(epochsRun >= epochsAtCancel && epochsRun <= epochsAtCancel + 1,
                 qPrintable(QString("%1 epochs after cancel at %2").arg(epochsRun).arg(epochsAtCancel)));
        QCOMPARE(finished.first().at(1).toBool(), true);       // cancelled
        // The previous model stays: same card, same training configuration and accuracy.
        QCOMPARE(w.model().meta.train.epochs, 10);
        QCOMPARE(w.model().meta.createdAt, first.meta.createdAt);
        QCOMPARE(w.model().test.accuracy, first.test.accuracy);
        // trainingFinished comes before the job's end, which re-enables the form.
        QVERIFY(QTest::qWaitFor([&] { return !w.isRunning(JobKind::Train); }, 10000));
        QVERIFY(w.modelView()->trainButton()->isEnabled());

        // A finished retraining replaces the model, reports both accuracies, and the previous
        // model can be brought back (and swapped back again).
        QSignalSpy replaced(&w, &MainWindow::previousModelReplaced);
        QVERIFY(test::trainAndWait(w, 3));
        QVERIFY(QTest::qWaitFor([&] { return replaced.count() > 0; }, 30000));
        QCOMPARE(w.model().meta.train.epochs, 3);
        QCOMPARE(replaced.first().at(0).toDouble(), first.test.accuracy);
        QCOMPARE(replaced.first().at(1).toDouble(), w.model().test.accuracy);
        QSignalSpy changed(&w, &MainWindow::modelChanged);
        w.restorePreviousModel();
        QVERIFY(QTest::qWaitFor([&] { return changed.count() > 0; }, 10000));
        QCOMPARE(w.model().meta.train.epochs, 10);
        QCOMPARE(w.model().test.accuracy, first.test.accuracy);
        w.restorePreviousModel();
        QVERIFY(QTest::qWaitFor([&] { return changed.count() > 1; }, 10000));
        QCOMPARE(w.model().meta.train.epochs, 3);
    }

    void guiThreadStaysResponsiveWhileTraining()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.show();
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        QSignalSpy finished(&w, &MainWindow::trainingFinished);
        test::GuiTicks gui;
        w.modelView()->setEpochs(60); // a few seconds of training on 2 cores
        gui.start();
        QTest::mouseClick(w.modelView()->trainButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return finished.count() > 0; }, 120000));
        gui.stop();
        qInfo("training %lld ms, %d ticks, max gap between 10 ms ticks: %lld ms",
              gui.clock.elapsed(), gui.ticks, gui.maxGap);
        QVERIFY(w.modelView()->curves()->batchCount() > 0);
        QVERIFY2(gui.stayedResponsive(), qPrintable(QString::number(gui.maxGap)));
    }
};

QTEST_MAIN(TestUiTrain)
#include "test_ui_train.moc"
