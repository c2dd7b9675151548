// Post-hoc FLINT on a TorchScript model from the GUI, as a person would: open the data, open a
// sequential TorchScript MLP, pick its "relu" child in the FLINT view's Hidden layer box (each
// child listed with the shape it outputs), Attach FLINT, and get a FLINT model that reads that
// layer and predicts exactly what the TorchScript model predicts.
// Torch first: Qt's `slots` / `signals` macros would break its headers.
#include "support/torchscript_test_models.h"

#include "support/test_ui_util.h"

#include "ui/views/flint_view.h"

#include <QComboBox>
#include <QSpinBox>
#include <QTemporaryDir>

using namespace senn::ui;

class TestUiFlint : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void attachToTorchScriptLayer()
    {
        QTemporaryDir dir;
        const QString pt = dir.filePath("mlp.pt");
        senn::testing::makeMlp(30, 16, 2).save(pt.toStdString());

        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.resize(1500, 950);
        w.show();
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        QSignalSpy changed(&w, &MainWindow::modelChanged);
        w.openTorchScript(pt);
        QVERIFY(QTest::qWaitFor([&] { return w.model().valid && w.model().torchScript; }, 60000));
        const auto predictions = w.model().predictions; // the TorchScript model's, per test row
        QVERIFY(!predictions.empty());

        w.showView("flint");
        auto* box = w.flintView()->hiddenLayerBox();
        QVERIFY(box->isVisible());
        // fc1 -> [16], relu -> [16], fc2 -> [2]: all usable, in the module's order.
        QCOMPARE(box->count(), 3);
        QCOMPARE(box->itemData(0).toString(), QString("fc1"));
        QCOMPARE(box->itemData(1).toString(), QString("relu"));
        QCOMPARE(box->itemData(2).toString(), QString("fc2"));
        QVERIFY(box->itemText(1).contains("16"));
        QVERIFY(box->itemText(2).contains("2"));
        box->setCurrentIndex(1);

        auto* attach = w.flintView()->findChild<QPushButton*>("flintAttach");
        QVERIFY(attach && attach->isEnabled());
        QSignalSpy finished(&w, &MainWindow::trainingFinished);
        QTest::mouseClick(attach, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return finished.count() > 0 && !w.isRunning(JobKind::Train); }, 180000));
        QVERIFY(!finished.first().at(1).toBool()); // not cancelled
        QVERIFY(w.model().isFlint);
        QCOMPARE(QString::fromStdString(w.model().meta.flintHiddenLayer), QString("relu"));
        QCOMPARE(QFileInfo(QString::fromStdString(w.model().meta.flintPredictor)).canonicalFilePath(),
                 QFileInfo(pt).canonicalFilePath());
        // The predictor is frozen: f's predictions are the TorchScript model's, row for row.
        QCOMPARE(w.model().predictions, predictions);
    }
};

QTEST_MAIN(TestUiFlint)
#include "test_ui_flint.moc"
