// Sessions: File > Save session writes the dataset, model (saved beside it when unsaved),
// example and methods; opening it in a fresh window restores the same screen.
#include "test_ui_util.h"

#include "ui/views/explain_view.h"

#include <QFile>
#include <QSpinBox>
#include <QThread>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace senn::ui;

class TestUiSession : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void saveAndRestore()
    {
        QTemporaryDir dir;
        const QString sessionPath = dir.filePath("work.sennsession");
        Session saved;
        ModelSummary model;
        {
            MainWindow w;
            w.setErrorDialogsEnabled(false);
            QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
            QVERIFY(test::trainAndWait(w, 2));
            model = w.model();
            // Settings that travel with the session: the training threads and the explainers'.
            QCOMPARE(w.modelView()->trainConfig().threads, 0); // auto: the trainer measures
            auto* threads = w.modelView()->findChild<QSpinBox*>("threads");
            QVERIFY(threads);
            threads->setValue(1);
            QCOMPARE(w.modelView()->trainConfig().threads, 1);
            auto options = w.explainOptions();
            options.igSteps = 17;
            options.background = "sample:40";
            w.setExplainOptions(options);
            w.showView("explain");
            w.explainView()->methodPicker()->setMethodIds({"senn", "lime", "occlusion"});
            const qint64 row = w.dataset().testRows.at(7);
            QVERIFY(w.explainView()->setCurrentRow(row));
            QSignalSpy savedSpy(&w, &MainWindow::modelSaved);
            QVERIFY(w.saveSession(sessionPath));
            QVERIFY(QTest::qWaitFor([&] { return savedSpy.count() > 0; }, 30000)); // unsaved model saved beside it
            saved = w.currentSession();
            QCOMPARE(saved.exampleRow, row);
        }
        QVERIFY(QFileInfo(dir.filePath("work.senn")).isFile());
        QFile f(sessionPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto json = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(json["model"].toString(), QString("work.senn"));   // stored relative
        QCOMPARE(json["format"].toString(), QString("senn-session"));

        MainWindow w2;
        w2.setErrorDialogsEnabled(false);
        QSignalSpy restored(&w2, &MainWindow::sessionRestored);
        w2.openPath(sessionPath);   // by suffix, as the command line and File > Open do
        QVERIFY(QTest::qWaitFor([&] { return restored.count() > 0; }, 60000));
        QCOMPARE(QFileInfo(w2.dataset().path).canonicalFilePath(), QFileInfo(test::breastCancer()).canonicalFilePath());
        QCOMPARE(w2.dataset().target, QString("diagnosis"));
        QVERIFY(w2.model().valid);
        QCOMPARE(QFileInfo(w2.model().path).canonicalFilePath(), QFileInfo(dir.filePath("work.senn")).canonicalFilePath());
        QCOMPARE(w2.model().meta.createdAt, model.meta.createdAt);
        QCOMPARE(w2.model().test.accuracy, model.test.accuracy);    // same weights, same split
        QCOMPARE(w2.explainView()->currentRow(), saved.exampleRow);
        QCOMPARE(w2.explainView()->methodPicker()->methodIds(), saved.methods);
        QCOMPARE(w2.currentViewId(), QString("explain"));
        QCOMPARE(w2.modelView()->trainConfig().threads, 1);
        QCOMPARE(w2.explainOptions().igSteps, 17);
        QCOMPARE(w2.explainOptions().background, std::string("sample:40"));

        // A file that is not a session is refused with its name in the message.
        const QString junk = dir.filePath("junk.sennsession");
        QFile j(junk);
        QVERIFY(j.open(QIODevice::WriteOnly));
        j.write("{ not json");
        j.close();
        QSignalSpy errors(&w2, &MainWindow::errorShown);
        QVERIFY(!w2.openSession(junk));
        QCOMPARE(errors.count(), 1);
        QVERIFY(errors.first().first().toString().contains("junk.sennsession"));
    }
};

QTEST_MAIN(TestUiSession)
#include "test_ui_session.moc"
