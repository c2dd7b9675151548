// Sessions: File > Save session writes the dataset, model (saved beside it when unsaved),
// example and methods; opening it in a fresh window restores the same screen.
#include "support/test_ui_util.h"

#include "ui/views/explain_view.h"
#include "ui/views/stability_view.h"

#include <QFile>
#include <QSpinBox>
#include <QThread>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <sys/stat.h>
#include <sys/types.h>

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

    // A session is input from anywhere. Whatever is named .sennsession: a FIFO (would block the
    // GUI thread in open() forever), a link to /dev/zero (would read until bad_alloc), a file
    // above the size limit: refused at once, with the file's name in the message.
    void refusesWhatIsNotASessionFile()
    {
        QTemporaryDir dir;
        const QString fifo = dir.filePath("fifo.sennsession");
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QString zero = dir.filePath("zero.sennsession");
        QVERIFY(QFile::link("/dev/zero", zero));
        const QString big = dir.filePath("big.sennsession");
        {
            QFile f(big);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(kMaxSessionBytes + 1)); // sparse: nothing is written
        }
        const QString folder = dir.filePath("folder.sennsession");
        QVERIFY(QDir().mkpath(folder));
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QSignalSpy errors(&w, &MainWindow::errorShown);
        // A FIFO that blocked or /dev/zero read whole would never return: CTest's timeout is the
        // bound; what is checked here is the refusal and its words.
        for (const QString& path : {fifo, zero, big, folder}) {
            Session s;
            QString error;
            QVERIFY(!Session::load(path, &s, &error));
            QVERIFY2(error.contains(QFileInfo(path).fileName()), qPrintable(error));
            QVERIFY(!w.openSession(path));
        }
        QCOMPARE(errors.count(), 4);
        QVERIFY(errors.at(0).first().toString().contains("regular file"));
        QVERIFY(errors.at(2).first().toString().contains("MiB"));
    }

    // Strings from a session are cut where a message is built: a 50 MB dataset path gives a
    // short message at once (building one with the whole string froze the window).
    void longStringsGiveShortMessages()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("long.sennsession");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"senn-session\", \"version\": 1, \"dataset\": \"");
        f.write(QByteArray(50 * 1000 * 1000, 'a'));
        f.write("\", \"methods\": [\"saliency\"]}");
        f.close();
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QSignalSpy errors(&w, &MainWindow::errorShown);
        QVERIFY(!w.openSession(path));
        QCOMPARE(errors.count(), 1);
        const QString message = errors.first().first().toString();
        QVERIFY2(message.size() < 600, qPrintable(message.left(600)));
        QVERIFY(message.contains("long.sennsession"));
        QVERIFY(message.contains("dataset"));
        QCOMPARE(sessionEcho(QString(1000000, QLatin1Char('x')), 40).size(), 43);
    }

    // A result of a whole split (10,000 points, merged from shards or run with --points all)
    // is kept by a session: every point and value read back.
    void wholeSplitResultsRoundTrip()
    {
        const int n = 10000;
        senn::metrics::StabilityResult r;
        r.eps = {0.01, 0.1};
        senn::metrics::Curve c;
        c.median = {1.0, 2.0};
        c.q25 = {0.5, 1.0};
        c.q75 = {1.5, 3.0};
        c.perPoint.assign(2, std::vector<double>(n));
        for (int i = 0; i < n; ++i) {
            r.points.push_back(3 * i);
            c.perPoint[0][size_t(i)] = 0.001 * i;
            c.perPoint[1][size_t(i)] = 0.002 * i;
        }
        c.pointsDone = n;
        r.methods["saliency"] = c;
        senn::metrics::StabilityResult back;
        QString why;
        QVERIFY2(stabilityResultFromJson(stabilityResultToJson(r), &back, &why), qPrintable(why));
        QCOMPARE(back.points, r.points);
        QCOMPARE(back.methods["saliency"].perPoint, c.perPoint);
        QCOMPARE(back.methods["saliency"].pointsDone, n);

        senn::metrics::FaithfulnessResult f;
        f.points = r.points;
        senn::metrics::FaithfulnessResult::PerMethod pm;
        pm.perPoint = c.perPoint[0];
        pm.pointsDone = n;
        f.methods["saliency"] = pm;
        senn::metrics::FaithfulnessResult fb;
        QVERIFY2(faithfulnessResultFromJson(faithfulnessResultToJson(f), &fb, &why), qPrintable(why));
        QCOMPARE(fb.points, f.points);
        QCOMPARE(fb.methods["saliency"].perPoint, pm.perPoint);
        QCOMPARE(fb.methods["saliency"].pointsDone, n);
    }

    // Every number from a session is range-checked where it is read: a stored stability result
    // with ε = 1.7e308 is refused (not restored), and the view itself survives such a result.
    void hugeEpsIsRefusedAndSurvived()
    {
        senn::metrics::StabilityResult r;
        r.eps = {0.01, 1.7e308};
        r.points = {0, 1};
        senn::metrics::Curve c;
        c.median = {1.0, 2.0};
        c.q25 = {0.5, 1.0};
        c.q75 = {1.5, 3.0};
        c.perPoint = {{1.0, 1.0}, {2.0, 2.0}};
        c.pointsDone = 2;
        r.methods["saliency"] = c;
        r.moves["saliency"] = c;
        const QJsonObject json = stabilityResultToJson(r);
        senn::metrics::StabilityResult back;
        QString why;
        QVERIFY(!stabilityResultFromJson(json, &back, &why));
        QVERIFY2(why.contains("1.7e+308"), qPrintable(why));
        // Other numbers out of range: negative rows, too many ε values, junk counts.
        QJsonObject bad = stabilityResultToJson(r);
        bad["eps"] = QJsonArray{0.01, 0.1};
        bad["points"] = QJsonArray{-5, 3};
        QVERIFY(!stabilityResultFromJson(bad, &back));
        bad["points"] = QJsonArray{1, 2};
        bad["threads"] = 1e300;
        bad["noise_draws"] = -7;
        QVERIFY(stabilityResultFromJson(bad, &back));
        QVERIFY(back.threads >= 1 && back.threads <= 256);
        QCOMPARE(back.noiseDraws, 0);
        QJsonArray many;
        for (int i = 0; i < 1000; ++i)
            many.append(0.01 * (i + 1));
        bad["eps"] = many;
        QVERIFY(!stabilityResultFromJson(bad, &back));

        // The view (its log axes) with such a result on screen: no crash.
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.resize(1200, 800);
        w.show();
        w.showView("stability");
        w.stabilityView()->setResult(r);
        QTest::qWait(50);

        // And the whole path: a session carrying it opens, the result is left out, the log says why.
        QTemporaryDir dir;
        const QString path = dir.filePath("eps.sennsession");
        Session s;
        s.datasetPath = test::breastCancer();
        s.target = "diagnosis";
        s.currentView = "stability";
        s.settings["stability_result"] = json;
        QVERIFY(s.save(path, nullptr));
        QSignalSpy restored(&w, &MainWindow::sessionRestored);
        QVERIFY(w.openSession(path));
        QVERIFY(QTest::qWaitFor([&] { return restored.count() > 0 && !w.isRunning(JobKind::Load); }, 60000));
        QTest::qWait(50);
    }
};

QTEST_MAIN(TestUiSession)
#include "test_ui_session.moc"
