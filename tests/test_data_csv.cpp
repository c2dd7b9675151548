// CSV loading: values read back exactly, class naming rules, the bundled CSVs, and a clear
// senn::Error (file, line, column, problem) for every kind of broken file.
#include "support/errors.h"
#include "core/common/error.h"
#include "core/common/limits.h"
#include "core/data/loader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include <sys/resource.h>

using namespace senn::data;
using senn::testing::containsAll;
using senn::testing::errorOf;

namespace {

long peakRssKb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

} // namespace

class TestDataCsv : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string write(const char* name, const std::string& text)
    {
        const std::string path = m_dir.filePath(name).toStdString();
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
    QString csvError(const char* name, const std::string& text, const LoadOptions& o = {})
    {
        const std::string path = write(name, text);
        return errorOf([&] { loadCsv(path, o); });
    }

private slots:
    void roundTrip()
    {
        const auto path = write("small.csv", "a,b,label\n1.5,-2,dog\n3,4e-3,cat\n-0.25,+7,dog\n");
        const Dataset d = loadCsv(path);
        QCOMPARE(d.kind, DataKind::Tabular);
        QCOMPARE(d.sampleShape, (std::vector<int64_t>{2}));
        QCOMPARE(d.rows(), int64_t(3));
        QCOMPARE(d.x, (std::vector<float>{1.5f, -2.f, 3.f, 4e-3f, -0.25f, 7.f}));
        QCOMPARE(d.classNames, (std::vector<std::string>{"cat", "dog"})); // alphabetical
        QCOMPARE(d.y, (std::vector<int64_t>{1, 0, 1}));
        QCOMPARE(d.featureNames, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(d.targetName, std::string("label"));
        QCOMPARE(d.testBegin, int64_t(-1));
        QCOMPARE(d.source, path);
    }

    void quotesCrlfBomAndBlankLines()
    {
        const auto path = write("quoted.csv",
                                "\xEF\xBB\xBF\"width\",\"height, cm\",\"kind\"\r\n"
                                "1,\"2\",\"x \"\"big\"\"\"\r\n"
                                "\r\n"
                                " 3 , 4 ,y\r\n");
        const Dataset d = loadCsv(path);
        QCOMPARE(d.featureNames, (std::vector<std::string>{"width", "height, cm"}));
        QCOMPARE(d.targetName, std::string("kind"));
        QCOMPARE(d.x, (std::vector<float>{1.f, 2.f, 3.f, 4.f}));
        QCOMPARE(d.classNames, (std::vector<std::string>{"x \"big\"", "y"}));
        QCOMPARE(d.y, (std::vector<int64_t>{0, 1}));
    }

    void targetOptionAndTsv()
    {
        const auto path = write("t.tsv", "f1\tclass\tf2\n1\tb\t2\n3\ta\t4\n");
        LoadOptions o;
        o.target = "class";
        const Dataset d = loadCsv(path, o);
        QCOMPARE(d.featureNames, (std::vector<std::string>{"f1", "f2"}));
        QCOMPARE(d.x, (std::vector<float>{1.f, 2.f, 3.f, 4.f}));
        QCOMPARE(d.classNames, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(d.y, (std::vector<int64_t>{1, 0}));

        o.target = "nope";
        const QString e = errorOf([&] { loadCsv(path, o); });
        QVERIFY2(containsAll(e, {"t.tsv", "no column named 'nope'", "f1, class, f2"}),
                 qPrintable(e));
    }

    void numericTargetInNumericOrder()
    {
        // 10 sorts before 2 as text; classes must follow the numbers.
        const auto path = write("num.csv", "a,y\n0,10\n1,2\n2,1.0\n3,2\n");
        const Dataset d = loadCsv(path);
        QCOMPARE(d.classNames, (std::vector<std::string>{"1", "2", "10"}));
        QCOMPARE(d.y, (std::vector<int64_t>{2, 1, 0, 1}));
    }

    void regressionTargetRejected()
    {
        QString e = csvError("reg.csv", "a,y\n1,0.5\n2,1.5\n");
        QVERIFY2(containsAll(e, {"reg.csv", "'y'", "not all integers", "regression"}),
                 qPrintable(e));
        std::string many = "a,y\n";
        for (int i = 0; i < 51; ++i)
            many += "1," + std::to_string(i) + "\n";
        e = csvError("many.csv", many);
        QVERIFY2(containsAll(e, {"many.csv", "51 distinct", "regression"}), qPrintable(e));
    }

    void breastCancer()
    {
        const Dataset d = loadCsv(SENN_RESOURCE_DATA "/breast-cancer.csv");
        QCOMPARE(d.rows(), int64_t(569));
        QCOMPARE(d.featureCount(), int64_t(30));
        QCOMPARE(d.targetName, std::string("diagnosis"));
        QCOMPARE(d.classNames, (std::vector<std::string>{"benign", "malignant"}));
        QCOMPARE(d.classCounts(), (std::vector<int64_t>{357, 212}));
        QCOMPARE(d.featureNames.front(), std::string("mean_radius"));
        QCOMPARE(d.x[0], 17.99f);
        QCOMPARE(d.x[29], 0.1189f);
        QCOMPARE(d.y[0], int64_t(1)); // first row is malignant
    }

    void digits()
    {
        const Dataset d = loadCsv(SENN_RESOURCE_DATA "/digits-8x8.csv");
        QCOMPARE(d.rows(), int64_t(1797));
        QCOMPARE(d.featureCount(), int64_t(64));
        QCOMPARE(d.targetName, std::string("digit"));
        QCOMPARE(d.classNames.size(), size_t(10));
        QCOMPARE(d.classNames[9], std::string("9"));
        QCOMPARE(d.classCounts()[0], int64_t(178));
        QCOMPARE(d.classCounts()[1], int64_t(182));
    }

    void maxRows()
    {
        LoadOptions o;
        o.maxRows = 10;
        const Dataset d = loadCsv(SENN_RESOURCE_DATA "/breast-cancer.csv", o);
        QCOMPARE(d.rows(), int64_t(10));
        QCOMPARE(d.x.size(), size_t(300));
        // A preview of one class is fine: the first rows are all malignant.
        QCOMPARE(d.classNames, (std::vector<std::string>{"malignant"}));
    }

    void brokenFiles()
    {
        QString e = csvError("ragged.csv", "a,b,y\n1,2,x\n3,y\n");
        QVERIFY2(containsAll(e, {"ragged.csv", "line 3", "expected 3", "found 2"}), qPrintable(e));

        e = csvError("text.csv", "a,colour,y\n1,2,x\n3,red,y\n");
        QVERIFY2(containsAll(e, {"text.csv", "line 3", "'colour'", "'red'", "non-numeric"}),
                 qPrintable(e));

        e = csvError("nan.csv", "a,b,y\n1,2,x\n3,NaN,y\n");
        QVERIFY2(containsAll(e, {"nan.csv", "line 3", "'b'", "NaN"}), qPrintable(e));

        e = csvError("inf.csv", "a,b,y\n1,2,x\n3,-inf,y\n");
        QVERIFY2(containsAll(e, {"inf.csv", "line 3", "'b'", "infinite"}), qPrintable(e));

        e = csvError("hole.csv", "a,b,y\n1,,x\n3,4,y\n");
        QVERIFY2(containsAll(e, {"hole.csv", "line 2", "empty cell", "'b'"}), qPrintable(e));

        e = csvError("empty.csv", "");
        QVERIFY2(containsAll(e, {"empty.csv", "empty"}), qPrintable(e));

        e = csvError("blank.csv", "\n\r\n");
        QVERIFY2(containsAll(e, {"blank.csv", "empty"}), qPrintable(e));

        e = csvError("header.csv", "a,b,y\n");
        QVERIFY2(containsAll(e, {"header.csv", "no data rows"}), qPrintable(e));

        e = csvError("noheader.csv", "1,2,0\n3,4,1\n");
        QVERIFY2(containsAll(e, {"noheader.csv", "first row looks like data, add a header"}),
                 qPrintable(e));

        e = csvError("one.csv", "a,y\n1,x\n2,x\n");
        QVERIFY2(containsAll(e, {"one.csv", "one class only", "'x'"}), qPrintable(e));

        e = csvError("quote.csv", "a,y\n1,\"x\n2,y\n");
        QVERIFY2(containsAll(e, {"quote.csv", "line 2", "never closed"}), qPrintable(e));

        e = csvError("onecol.csv", "y\nx\n");
        QVERIFY2(containsAll(e, {"onecol.csv", "one column"}), qPrintable(e));

        e = csvError("noclass.csv", "a,y\n1,x\n2,\n");
        QVERIFY2(containsAll(e, {"noclass.csv", "line 3", "empty class"}), qPrintable(e));

        e = errorOf([&] { loadCsv(m_dir.filePath("missing.csv").toStdString()); });
        QVERIFY2(containsAll(e, {"missing.csv", "no such file"}), qPrintable(e));
    }

    // A record of millions of fields is refused when it passes the limit (the header) or the
    // header's width (a data row), before the fields are kept: a line of 3e7 commas once took
    // 32 bytes of std::string per field before its count was checked.
    void oversizedRecordsAreRefusedEarly()
    {
        const long before = peakRssKb();
        QString e = csvError("wide-row.csv", "a,b,y\n1,2,x\n" + std::string(30'000'000, ',') + "\n");
        QVERIFY2(containsAll(e, {"wide-row.csv", "line 3", "expected 3", "found more"}),
                 qPrintable(e));
        e = csvError("wide-header.csv", "y" + std::string((size_t(1) << 20) + 5, ',') + "\n1\n");
        QVERIFY2(containsAll(e, {"wide-header.csv", "line 1", "more than 1048576 columns"}),
                 qPrintable(e));
        // The files themselves are 30 MB and 1 MB; the fields they describe would be 1 GB.
        QVERIFY2(peakRssKb() - before < 300 * 1024,
                 qPrintable(QString("peak RSS grew by %1 MB").arg((peakRssKb() - before) / 1024)));
        // A header at the limit is still a table.
        std::string header, row;
        for (int c = 0; c < 3000; ++c) {
            header += "f" + std::to_string(c) + ",";
            row += "1,";
        }
        const Dataset d = loadCsv(write("wide-ok.csv", header + "y\n" + row + "a\n" + row + "b\n"));
        QCOMPARE(d.featureCount(), int64_t(3000));
    }

    // A cell longer than limits::kMaxCsvCellBytes (plain, quoted, or a stray quote that makes
    // the rest of the file one cell) is refused with its line and column; one at the bound is
    // read (as a class name).
    void overlongCellsAreRefused()
    {
        const std::string big(size_t(senn::limits::kMaxCsvCellBytes) + 1, '7');
        QString e = csvError("long-plain.csv", "a,b,y\n1,2,x\n3," + big + ",y\n");
        QVERIFY2(containsAll(e, {"long-plain.csv", "line 3", "column 2", "longer than 1 MiB"}), qPrintable(e));
        QVERIFY2(e.size() < 400, qPrintable(e.left(400)));
        e = csvError("long-quoted.csv", "a,y\n1,x\n2,\"first\n" + big + "\"\n");
        QVERIFY2(containsAll(e, {"long-quoted.csv", "line 3", "column 2", "longer than 1 MiB"}), qPrintable(e));
        e = csvError("long-header.csv", "a," + big + "\n1,x\n");
        QVERIFY2(containsAll(e, {"long-header.csv", "line 1", "column 2", "longer than 1 MiB"}), qPrintable(e));
        e = csvError("stray-quote.csv", "a,y\n1,\"x\n" + std::string(size_t(3) << 20, 'z') + "\n2,y\n");
        QVERIFY2(containsAll(e, {"stray-quote.csv", "line 2", "column 2", "longer than 1 MiB"}), qPrintable(e));

        const std::string atBound(size_t(senn::limits::kMaxCsvCellBytes), 'c');
        const Dataset d = loadCsv(write("long-ok.csv", "a,y\n1," + atBound + "\n2,d\n"));
        QCOMPARE(d.classNames.size(), size_t(2));
        QCOMPARE(d.classNames[0].size(), atBound.size());
    }
};

QTEST_GUILESS_MAIN(TestDataCsv)
#include "test_data_csv.moc"
