// Issue 11 in the app. No save or export may overwrite a file in use: every writer in ui/
// (figures, CSV/JSON data, the PDF report) asks ui/protected_inputs.h, which the main window
// feeds with the dataset, the model and the session; these tests write to those files through
// each path and check the refusal names the file and leaves it byte-identical. And the worker's
// errors for missing, damaged and misbehaving model files reach the user as one clean line that
// names the file (no LibTorch message or backtrace).
// Torch first: Qt's `slots` / `signals` macros would break its headers.
#include "torchscript_test_models.h"

#include "test_ui_util.h"

#include "ui/plots/export.h"
#include "ui/plots/training_curves.h"
#include "ui/protected_inputs.h"
#include "ui/views/model_view.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <qcustomplot.h>

#include <unistd.h>

using namespace senn::ui;

namespace {
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
