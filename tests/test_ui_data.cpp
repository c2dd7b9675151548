// Data view through the main window: a CSV and an IDX folder open through the same call the
// File > Open dialog makes; bad files show a clear error and keep the previous dataset.
#include "support/test_ui_util.h"

#include "ui/paths.h"
#include "ui/views/data_view.h"

#include <QFile>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace senn::ui;

class TestUiData : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void opensCsvWithTarget()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QVERIFY(test::openAndWait(w, test::breastCancer()));  // target guessed: diagnosis
        const auto& d = *w.dataset().data;
        QCOMPARE(d.rows(), int64_t(569));
        QCOMPARE(d.featureCount(), int64_t(30));
        QCOMPARE(d.numClasses(), int64_t(2));
        QCOMPARE(w.dataset().target, QString("diagnosis"));
        std::map<std::string, int64_t> counts;
        for (size_t c = 0; c < d.classNames.size(); ++c)
            counts[d.classNames[c]] = w.dataset().classCounts[c];
        QCOMPARE(counts["benign"], int64_t(357));
        QCOMPARE(counts["malignant"], int64_t(212));
        QCOMPARE(int64_t(w.dataset().trainRows.size() + w.dataset().valRows.size() + w.dataset().testRows.size()), int64_t(569));
        // The view shows it: preview rows, class table.
        auto* table = w.dataView()->findChild<QTableView*>("previewTable");
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 200);
        QCOMPARE(table->model()->columnCount(), 31);
        auto* counts2 = w.dataView()->findChild<QTableWidget*>("classCounts");
        QCOMPARE(counts2->rowCount(), 2);
    }

    void opensIdxFolder()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QVERIFY(test::openAndWait(w, test::mnist()));
        const auto& d = *w.dataset().data;
        QCOMPARE(d.rows(), int64_t(10000));
        QVERIFY(d.isImage());
        QCOMPARE(d.featureCount(), int64_t(784));
        QCOMPARE(d.numClasses(), int64_t(10));
        QCOMPARE(d.testBegin, int64_t(8000));
        QCOMPARE(int64_t(w.dataset().testRows.size()), int64_t(2000)); // the t10k part
        QCOMPARE(w.dataset().format, QString("IDX folder"));
        QCOMPARE(w.dataView()->previewRowCount(), 48);
    }

    void badFileShowsErrorAndKeepsPreviousDataset()
    {
        QTemporaryDir dir;
        const QString bad = dir.filePath("bad.csv");
        {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("a,b,label\n1,2,x\n3,oops,y\n5,6,x\n");
        }
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QVERIFY(test::openAndWait(w, test::breastCancer()));
        const auto before = w.dataset().data;

        QSignalSpy errors(&w, &MainWindow::errorShown);
        QSignalSpy loaded(&w, &MainWindow::datasetChanged);
        w.openDataset(bad);
        QVERIFY(QTest::qWaitFor([&] { return errors.count() > 0; }, 30000));
        const QString msg = errors.first().first().toString();
        QVERIFY2(msg.contains("bad.csv"), qPrintable(msg));          // names the file
        QVERIFY2(msg.contains("3") || msg.contains("oops"), qPrintable(msg)); // and the line / field
        QCOMPARE(w.lastError(), msg);
        QCOMPARE(loaded.count(), 0);
        QCOMPARE(w.dataset().data, before);                          // previous dataset kept
        QVERIFY(w.logText().contains("bad.csv"));

        // A missing path is refused before the worker sees it.
        errors.clear();
        w.openPath(dir.filePath("nope.csv"));
        QCOMPARE(errors.count(), 1);
        QVERIFY(errors.first().first().toString().contains("nope.csv"));
        QCOMPARE(w.dataset().data, before);

        // The worker still holds the previous dataset: a new request works on it.
        QVERIFY(test::trainAndWait(w, 1));
        QCOMPARE(w.model().test.n, int64_t(w.dataset().testRows.size()));
    }

    void bundledDataIsFound()
    {
        QVERIFY(!bundledDataDir().isEmpty());
        QVERIFY(QFileInfo(QDir(bundledDataDir()).filePath("breast-cancer.csv")).isFile());
        QVERIFY(QFileInfo(QDir(bundledDataDir()).filePath("mnist-10k")).isDir());
        QCOMPARE(MainWindow::guessCsvTarget(test::breastCancer()), QString("diagnosis"));
    }
};

QTEST_MAIN(TestUiData)
#include "test_ui_data.moc"
