// The Scorecard view with attributions from a file: the view lists the file, the run on the
// worker adds its row beside the method's (named "NAME (file)"), its sparseness is the known
// Gini of the values written, its max-sensitivity is "n/a" with the reason as the tooltip, and a
// file of the wrong row count fails the run with a message naming the file. The Faithfulness
// view with the same file: its row's removal correlation per point is the scorecard's.
#include "support/test_ui_util.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/scorecard_plot.h"
#include "ui/views/attribution_files_box.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/scorecard_view.h"

#include "core/metrics/complexity.h"
#include "core/metrics/scorecard_export.h"

#include <QCheckBox>
#include <QFile>
#include <QJsonArray>
#include <QListWidget>
#include <QSpinBox>
#include <QTemporaryDir>

using namespace senn;
using namespace senn::ui;

namespace {

// A float32 .npy of `rows` rows, each the same `row` values.
void writeNpy(const QString& path, int64_t rows, const std::vector<float>& row)
{
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                         std::to_string(row.size()) + "), }";
    header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("\x93NUMPY\x01\x00", 8);
    const char len[2] = {char(header.size() & 0xff), char(header.size() >> 8)};
    f.write(len, 2);
    f.write(header.data(), qint64(header.size()));
    for (int64_t r = 0; r < rows; ++r)
        f.write(reinterpret_cast<const char*>(row.data()), qint64(row.size() * sizeof(float)));
}

} // namespace

class TestUiScorecardFiles : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void fileRowBesideTheMethod()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w, 1));
        w.showView("scorecard");
        ScorecardView* v = w.scorecardView();
        QTemporaryDir dir;
        // Feature j gets j + 1: the Gini sparseness of 1..30 at every point.
        std::vector<float> row(30);
        for (int j = 0; j < 30; ++j)
            row[size_t(j)] = float(j + 1);
        const QString path = dir.filePath("shap_values.npy");
        writeNpy(path, int64_t(w.model().rows.size()), row);
        QString error;
        QVERIFY(!v->addAttributions("saliency", path, "test", &error));
        QVERIFY2(error.contains(path) && error.contains("built-in method"), qPrintable(error));
        QVERIFY2(v->addAttributions("shap_values", path, "test", &error), qPrintable(error));
        auto* list = v->findChild<QListWidget*>("attributionFiles");
        QCOMPARE(list->count(), 1);
        QCOMPARE(list->item(0)->text(), QStringLiteral("shap_values = shap_values.npy (test split)"));

        v->methods()->setMethodIds({"saliency"});
        for (auto* box : v->findChildren<QCheckBox*>())
            if (box->objectName().startsWith("scorecardMeasure_"))
                box->setChecked(box->objectName() == "scorecardMeasure_sparseness" ||
                                box->objectName() == "scorecardMeasure_max_sensitivity");
        v->findChild<QSpinBox*>("scorecardPoints")->setValue(4);
        v->findChild<QSpinBox*>("scorecardBootstrap")->setValue(50);
        QSignalSpy ended(&w, &MainWindow::jobEnded);
        QTest::mouseClick(v->findChild<QPushButton*>("runScorecard"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !w.isRunning(JobKind::Scorecard) && ended.count() > 0; }, 60000));
        QVERIFY2(v->hasResult(), qPrintable(w.lastError()));
        const auto& r = v->result();
        QCOMPARE(r.methods, (std::vector<std::string>{"saliency", "shap_values"}));
        QCOMPARE(r.sources[1], path.toStdString());
        QCOMPARE(r.pointsDone, (std::vector<int>{4, 4}));
        // Columns in the catalogue's order: max-sensitivity, then sparseness.
        QCOMPARE(r.measures[0].id, std::string("max_sensitivity"));
        QCOMPARE(r.measures[1].id, std::string("sparseness"));
        QCOMPARE(r.cells[1][1].median, metrics::giniSparseness(row));
        QVERIFY(std::isnan(r.cells[1][0].median));
        QVERIFY(std::isfinite(r.cells[0][0].median));
        QCOMPARE(v->plot()->cellText(1, 0), QStringLiteral("n/a"));
        QVERIFY(v->plot()->cellToolTip(1, 0).contains("needs the method itself"));
        QVERIFY(v->plot()->cellToolTip(0, 0).isEmpty());
        QVERIFY(v->plot()->cellText(1, 1).startsWith(QString::fromStdString(metrics::formatScore(metrics::giniSparseness(row)))));
        QVERIFY(v->plot()->dataJson().contains("\"source\""));
        if (qEnvironmentVariableIsSet("SENN_SCORECARD_FILES_SHOT")) { // a look at the view
            QTest::qWait(200);
            w.grab().save(qEnvironmentVariable("SENN_SCORECARD_FILES_SHOT"));
        }

        // A file of another split's row count: the run fails naming the file.
        const QString wrong = dir.filePath("wrong.npy");
        writeNpy(wrong, int64_t(w.model().rows.size()) + 1, row);
        QVERIFY(v->addAttributions("wrong", wrong, "test", &error));
        QSignalSpy errors(&w, &MainWindow::errorShown);
        QTest::mouseClick(v->findChild<QPushButton*>("runScorecard"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !w.isRunning(JobKind::Scorecard) && errors.count() > 0; }, 60000));
        QVERIFY2(w.lastError().contains(wrong) && w.lastError().contains("rows but the test split has"),
                 qPrintable(w.lastError()));
    }

    void faithfulnessViewFileRow()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w, 1));
        QTemporaryDir dir;
        std::vector<float> row(30);
        for (int j = 0; j < 30; ++j)
            row[size_t(j)] = float((j * 7) % 30) - 12.0f; // signed, unordered: a removal correlation
        const QString path = dir.filePath("mine.npy");
        writeNpy(path, int64_t(w.model().rows.size()), row);
        // The scorecard's removal correlation of the file on 4 points, seed 0.
        w.showView("scorecard");
        ScorecardView* sv = w.scorecardView();
        QString error;
        QVERIFY2(sv->addAttributions("mine", path, "test", &error), qPrintable(error));
        sv->methods()->setMethodIds({"saliency"});
        for (auto* box : sv->findChildren<QCheckBox*>())
            if (box->objectName().startsWith("scorecardMeasure_"))
                box->setChecked(box->objectName() == "scorecardMeasure_removal_correlation");
        sv->findChild<QSpinBox*>("scorecardPoints")->setValue(4);
        QTest::mouseClick(sv->findChild<QPushButton*>("runScorecard"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return sv->hasResult() && !w.isRunning(JobKind::Scorecard); }, 60000));
        const auto expected = sv->result().values[1][0];
        // The Faithfulness view with the same file, points and seed.
        w.showView("faithfulness");
        FaithfulnessView* fv = w.faithfulnessView();
        QVERIFY2(fv->attributionFiles()->add("mine", path, "test", &error), qPrintable(error));
        QCOMPARE(fv->findChild<QListWidget*>("attributionFiles")->count(), 1);
        fv->applySettings(QJsonObject{{"methods", QJsonArray{"saliency"}}, {"points", 4}, {"measure", 0}});
        QTest::mouseClick(fv->findChild<QPushButton*>("runFaithfulness"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return fv->hasResult() && !w.isRunning(JobKind::Faithfulness); }, 60000));
        const auto& fr = fv->result();
        QVERIFY2(fr.methods.count("mine"), qPrintable(w.lastError()));
        const auto& mine = fr.methods.at("mine");
        QCOMPARE(mine.pointsDone, 4);
        QCOMPARE(mine.perPoint, expected);
        QVERIFY(std::isfinite(mine.perPoint[0]));
        QCOMPARE(fv->boxes()->boxCount(), 2);
        if (qEnvironmentVariableIsSet("SENN_SCORECARD_FILES_SHOT")) { // a look at the view
            QTest::qWait(200);
            w.grab().save(qEnvironmentVariable("SENN_SCORECARD_FILES_SHOT").replace(".png", "-faithfulness.png"));
        }
    }
};

QTEST_MAIN(TestUiScorecardFiles)
#include "test_ui_scorecard_files.moc"
