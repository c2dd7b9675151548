// Robustness in the app. No save or export may overwrite a file in use: every writer in ui/
// (figures, CSV/JSON data, the PDF report) asks ui/protected_inputs.h, which the main window
// feeds with the dataset, the model and the session; these tests write to those files through
// each path and check the refusal names the file and leaves it byte-identical. And the worker's
// errors for missing, damaged and misbehaving model files reach the user as one clean line that
// names the file (no LibTorch message or backtrace).
// Torch first: Qt's `slots` / `signals` macros would break its headers.
#include "support/torchscript_test_models.h"

#include "support/test_ui_util.h"

#include "ui/plots/export.h"
#include "ui/plots/training_curves.h"
#include "ui/protected_inputs.h"
#include "ui/views/model_view.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <csignal>
#include <QProcess>
#include <QJsonObject>
#include <QJsonDocument>
#include <qcustomplot.h>

#include <unistd.h>

using namespace senn::ui;

namespace {
// CPU seconds a process has used (user + system), from /proc; -1 when it is gone.
double cpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    return (fields[11].toDouble() + fields[12].toDouble()) / double(::sysconf(_SC_CLK_TCK));
}

QByteArray hashOf(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}
} // namespace

class TestUiRobust : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    // Quit always works. The app quits on SIGTERM as from the menu, and when a model call never
    // returns (a TorchScript model that loops on the accuracy pass's 57 rows: no cancellation
    // reaches it) it still ends after its bounded wait, with exit code 0 and a line saying why.
    void quitsWhileAModelLoops()
    {
        QTemporaryDir dir;
        torch::jit::Module loop("Loop");
        loop.define("def forward(self, x):\n"
                    "    if x.size(0) > 50:\n"
                    "        i = 0\n"
                    "        while i >= 0:\n"
                    "            i = i + 1\n"
                    "    return x[:, :2] * 1.0\n");
        const QString model = dir.filePath("loop.pt");
        loop.save(model.toStdString());
        auto session = [&](const QString& name, const QString& modelPath) {
            QJsonObject o{{"format", "senn-session"}, {"version", 1}, {"dataset", test::breastCancer()},
                          {"target", "diagnosis"}, {"model", modelPath}};
            const QString path = dir.filePath(name);
            QFile f(path);
            if (f.open(QIODevice::WriteOnly))
                f.write(QJsonDocument(o).toJson());
            return path;
        };
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_CONFIG_HOME", dir.filePath("config"));
        auto start = [&](QProcess& app, const QString& sessionPath) {
            app.setProcessEnvironment(env);
            app.start(QStringLiteral(SENN_STUDIO), {sessionPath});
            return app.waitForStarted(30000);
        };

        // Nothing stuck: SIGTERM closes the app at once.
        {
            QProcess app;
            QVERIFY(start(app, session("plain.sennsession", {})));
            QTest::qWait(1500);
            ::kill(app.processId(), SIGTERM);
            QVERIFY(app.waitForFinished(30000));
            QCOMPARE(app.exitStatus(), QProcess::NormalExit);
            QCOMPARE(app.exitCode(), 0);
            QVERIFY(!app.readAllStandardError().contains("did not return"));
        }
        // Stuck in the model: the loop burns CPU once data and model are open.
        QProcess app;
        QVERIFY(start(app, session("loop.sennsession", model)));
        QVERIFY2(QTest::qWaitFor([&] { return cpuSeconds(app.processId()) > 6.0; }, 120000),
                 "the looping model never ran");
        ::kill(app.processId(), SIGTERM);
        QVERIFY2(app.waitForFinished(60000), "the app did not quit");
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        const QByteArray err = app.readAllStandardError();
        QVERIFY2(err.contains("did not return within"), err.constData());
    }
    void cleanup() { setProtectedInputsProvider({}); }

    // The gate itself, with a known set of inputs: the file, a hard link and a symbolic link to
    // it, a data file inside an input folder; other files and non-data files in the folder pass.
    void writersRefuseInputs()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString data = dir.filePath("data.csv");
        QVERIFY(QFile::copy(test::breastCancer(), data));
        QVERIFY(QDir(dir.path()).mkdir("images"));
        const QString folder = dir.filePath("images");
        QVERIFY(::link(data.toLocal8Bit().constData(), dir.filePath("hard.csv").toLocal8Bit().constData()) == 0);
        QVERIFY(QFile::link(data, dir.filePath("soft.csv")));
        setProtectedInputsProvider([&] { return QStringList{data, folder, QString()}; });
        const QByteArray before = hashOf(data);

        for (const QString& target : {data, dir.filePath("hard.csv"), dir.filePath("soft.csv")}) {
            QString error;
            QVERIFY2(!writeTextFileAtomic(target, "x,y\n1,2\n", &error), qPrintable(target));
            QVERIFY2(error.contains(target) && error.contains("input in use"), qPrintable(error));
        }
        QString error;
        QVERIFY(!writeTextFileAtomic(folder + "/new.csv", "1\n", &error));
        QVERIFY2(error.contains("inside the input folder"), qPrintable(error));
        QVERIFY(!QFile::exists(folder + "/new.csv"));

        QCustomPlot plot;
        plot.resize(300, 200);
        error.clear();
        QVERIFY(!exportPlot(&plot, folder + "/figure.png", 300, 200, 1.0, &error));
        QVERIFY2(error.contains("figure.png"), qPrintable(error));
        QVERIFY(!QFile::exists(folder + "/figure.png"));
        QCOMPARE(hashOf(data), before);

        // Allowed: a new file beside the input, and a non-data file inside the input folder.
        QVERIFY(writeTextFileAtomic(dir.filePath("other.csv"), "1\n", &error));
        QVERIFY2(exportPlot(&plot, folder + "/figure.pdf", 300, 200, 1.0, &error), qPrintable(error));
        QVERIFY(outputRefusal(dir.filePath("other.json")).isEmpty());
    }

    // Through the main window: its dataset and model are protected from plot exports and from
    // the PDF report; the report is written atomically elsewhere.
    void mainWindowProtectsItsFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString data = dir.filePath("bc.csv");
        QVERIFY(QFile::copy(test::breastCancer(), data));
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.resize(1400, 900);
        w.show();
        QVERIFY(test::openAndWait(w, data, "diagnosis"));
        QVERIFY(test::trainAndWait(w, 1));
        const QString model = dir.filePath("model.senn");
        QSignalSpy saved(&w, &MainWindow::modelChanged);
        w.saveModelTo(model);
        QVERIFY(QTest::qWaitFor([&] { return QFile::exists(model) && w.model().path == model; }, 30000));
        const QByteArray dataHash = hashOf(data), modelHash = hashOf(model);

        QString error;
        QVERIFY(!w.modelView()->curves()->exportCsv(data, &error));
        QVERIFY2(error.contains(data), qPrintable(error));
        QVERIFY(!w.modelView()->curves()->exportFigure(model, 400, 300, 1.0, &error));
        QVERIFY(!w.exportReport(data));
        QVERIFY2(w.lastError().contains(data), qPrintable(w.lastError()));
        QCOMPARE(hashOf(data), dataHash);
        QCOMPARE(hashOf(model), modelHash);

        const QString report = dir.filePath("report.pdf");
        QVERIFY(w.exportReport(report));
        QFile pdf(report);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        // No temp file of the atomic write is left behind.
        QCOMPARE(QDir(dir.path()).entryList({"report.pdf*"}, QDir::Files).size(), 1);
    }

    // One short clean line naming the file: no backtrace, no control characters.
    static void checkClean(const QString& message, const QString& file, const QString& what)
    {
        QVERIFY2(message.contains(file), qPrintable(message));
        QVERIFY2(message.contains(what, Qt::CaseInsensitive), qPrintable(message));
        QVERIFY2(message.size() < 400, qPrintable(message));
        for (const char* raw : {"frame #", "Exception raised from", "c10::", "std::"})
            QVERIFY2(!message.contains(QLatin1String(raw)), qPrintable(message));
        for (const QChar c : message)
            QVERIFY2(c.unicode() >= 0x20, qPrintable(message));
    }

    void workerMessagesAreClean()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        QSignalSpy errors(&w, &MainWindow::errorShown);
        auto openAndFail = [&](const QString& path) {
            const int before = errors.count();
            w.openModel(path);
            if (!QTest::qWaitFor([&] { return errors.count() > before && !w.isRunning(JobKind::Load); }, 30000))
                return QStringLiteral("(no error shown within 30 s)");
            return errors.last().at(0).toString();
        };
        // A missing file is "missing", not "not a SENN Studio model".
        const QString missing = dir.filePath("gone.senn");
        QString m = openAndFail(missing);
        checkClean(m, missing, "no such file");
        QVERIFY2(!m.contains("not a SENN Studio model"), qPrintable(m));
        // A damaged file.
        const QString junk = dir.filePath("junk.senn");
        {
            QFile f(junk);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(300, '\x1b'));
        }
        checkClean(openAndFail(junk), junk, "junk.senn");
        // A TorchScript model whose outputs are NaN on this data, and one with integer outputs:
        // checked on the first call, named, without LibTorch's text.
        const QString nan = dir.filePath("nan.pt");
        senn::testing::layer("Nan", "torch.log(x[:, 0:2] - 1000.0)").save(nan.toStdString());
        checkClean(openAndFail(nan), nan, "NaN");
        const QString ints = dir.filePath("int.pt");
        senn::testing::layer("Ints", "(x[:, 0:2] * 10.0).long()").save(ints.toStdString());
        checkClean(openAndFail(ints), ints, "int.pt");
        QVERIFY(!w.model().valid);
    }
};

QTEST_MAIN(TestUiRobust)
#include "test_ui_robust.moc"
