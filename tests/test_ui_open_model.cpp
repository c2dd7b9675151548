// Opening a model in the app sees the same data as the command line: a Decoy-MNIST model
// trained with a non-zero split seed, opened by MainWindow (with its own data, and with the
// plain dataset already open), has the test rows and the predictions `senn eval --rows` lists.
#include "support/senn_cli.h"
#include "support/test_ui_util.h"

#include "core/data/loader.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

using namespace senn::ui;
using namespace senn::ui::test;

namespace {

// The first `rows` MNIST digits as a folder of PNGs, one sub-folder per class. Unlike the
// IDX files it has no test part of its own, so the split seed chooses the test rows.
QString writeDigitFolder(const QString& dir, int rows)
{
    const auto mnistData = senn::data::loadDataset(mnist().toStdString(), {});
    for (int i = 0; i < rows; ++i) {
        const QString classDir = QStringLiteral("%1/%2").arg(dir).arg(mnistData.y[size_t(i)]);
        QDir().mkpath(classDir);
        QImage img(28, 28, QImage::Format_Grayscale8);
        const float* x = mnistData.row(i);
        for (int p = 0; p < 28 * 28; ++p)
            img.scanLine(p / 28)[p % 28] = uchar(std::lround(x[p] * 255.f));
        if (!img.save(QStringLiteral("%1/%2.png").arg(classDir).arg(i)))
            return {};
    }
    return dir;
}

struct CliRow {
    int64_t row = -1, prediction = -1;
    double probability = 0; // of the prediction
};

std::vector<CliRow> readEvalRows(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    std::vector<CliRow> out;
    for (const auto& v : QJsonDocument::fromJson(f.readAll()).object().value("rows").toArray()) {
        const QJsonObject o = v.toObject();
        CliRow r;
        r.row = int64_t(o.value("row").toDouble());
        r.prediction = int64_t(o.value("prediction").toDouble());
        r.probability = o.value("probabilities").toArray().at(int(r.prediction)).toDouble();
        out.push_back(r);
    }
    return out;
}

bool openModelAndWait(MainWindow& w, const QString& path)
{
    w.openModel(path);
    return QTest::qWaitFor([&] { return w.model().valid && w.model().hasData && !w.isRunning(JobKind::Load); },
                           120000);
}

// The window's test rows and predictions against the command line's, row by row.
void compareWithCli(const ModelSummary& m, const std::vector<CliRow>& cli)
{
    QCOMPARE(m.rows.size(), cli.size());
    QCOMPARE(m.predictions.size(), cli.size());
    int differing = 0;
    for (size_t i = 0; i < cli.size(); ++i) {
        QCOMPARE(m.rows[i], cli[i].row);
        differing += m.predictions[i] != cli[i].prediction ||
                     std::abs(double(m.confidence[i]) - cli[i].probability) > 1e-5;
    }
    QCOMPARE(differing, 0);
}

} // namespace

class TestUiOpenModel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_data, m_model;
    std::vector<CliRow> m_cli;

private slots:
    void initTestCase()
    {
        prepare();
        QVERIFY(m_dir.isValid());
        m_data = writeDigitFolder(m_dir.filePath("digits"), 1000);
        QVERIFY(!m_data.isEmpty());
        m_model = m_dir.filePath("decoy.senn");
        QString err;
        // Split seed 3: the decoy's random-digit patches go on that split's test rows, most of
        // which the default split (seed 0) puts elsewhere.
        QVERIFY2(runSenn({"train", "--data", m_data, "--model", "mlp", "--hidden", "32", "--decoy",
                          "--seed", "3", "--epochs", "2", "--threads", "1", "--out", m_model}, &err) == 0,
                 qPrintable(err));
        const QString json = m_dir.filePath("eval.json");
        QVERIFY2(runSenn({"eval", "--model", m_model, "--data", m_data, "--rows", "--json", json}, &err) == 0,
                 qPrintable(err));
        m_cli = readEvalRows(json);
        QCOMPARE(int(m_cli.size()), 100); // round(10%) of 1000 rows
    }

    // No dataset open: the app loads the data file the model records.
    void modelWithItsOwnData()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QVERIFY(openModelAndWait(w, m_model));
        QVERIFY(w.dataset().data);
        QCOMPARE(int(w.dataset().data->transforms.size()), 1);
        compareWithCli(w.model(), m_cli);
    }

    // The plain dataset open first: it fits, and gets the model's transform on its split.
    void modelWithTheOpenDataset()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QVERIFY(openAndWait(w, m_data));
        QVERIFY(w.dataset().data->transforms.empty());
        QVERIFY(openModelAndWait(w, m_model));
        QCOMPARE(int(w.dataset().data->transforms.size()), 1);
        compareWithCli(w.model(), m_cli);
    }
};

QTEST_MAIN(TestUiOpenModel)
#include "test_ui_open_model.moc"
