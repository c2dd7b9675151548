// Splits (documented sizes, seeded and portable, disjoint and covering, predefined test part,
// limit) and the statistics fitted on the training rows.
#include "core/common/error.h"
#include "core/data/split.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace senn::data;

namespace {

Dataset rowsOnly(int64_t n, int64_t testBegin = -1)
{
    Dataset d;
    d.sampleShape = {1};
    d.x.assign(static_cast<size_t>(n), 0.0f);
    d.y.assign(static_cast<size_t>(n), 0);
    d.classNames = {"a", "b"};
    d.testBegin = testBegin;
    return d;
}

std::vector<int64_t> sortedUnion(const Split& s)
{
    std::vector<int64_t> all = s.train;
    all.insert(all.end(), s.val.begin(), s.val.end());
    all.insert(all.end(), s.test.begin(), s.test.end());
    std::sort(all.begin(), all.end());
    return all;
}

std::vector<int64_t> range(int64_t from, int64_t to)
{
    std::vector<int64_t> v(static_cast<size_t>(to - from));
    std::iota(v.begin(), v.end(), from);
    return v;
}

} // namespace

class TestDataSplit : public QObject {
    Q_OBJECT

private slots:
    void sizes_data()
    {
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("train");
        QTest::addColumn<qint64>("val");
        QTest::addColumn<qint64>("test");
        // val = round(0.1 n), test = round(0.1 n), train = the rest.
        QTest::newRow("100") << qint64(100) << qint64(80) << qint64(10) << qint64(10);
        QTest::newRow("569 breast cancer") << qint64(569) << qint64(455) << qint64(57)
                                           << qint64(57);
        QTest::newRow("1797 digits") << qint64(1797) << qint64(1437) << qint64(180)
                                     << qint64(180);
        QTest::newRow("14") << qint64(14) << qint64(12) << qint64(1) << qint64(1);
        QTest::newRow("15 rounds half up") << qint64(15) << qint64(11) << qint64(2)
                                           << qint64(2);
        QTest::newRow("3") << qint64(3) << qint64(3) << qint64(0) << qint64(0);
    }
    void sizes()
    {
        QFETCH(qint64, rows);
        QFETCH(qint64, train);
        QFETCH(qint64, val);
        QFETCH(qint64, test);
        const Split s = makeSplit(rowsOnly(rows), 0);
        QCOMPARE(qint64(s.train.size()), train);
        QCOMPARE(qint64(s.val.size()), val);
        QCOMPARE(qint64(s.test.size()), test);
        QCOMPARE(sortedUnion(s), range(0, rows)); // disjoint and covering
        QVERIFY(!s.predefinedTest);
        QCOMPARE(s.trainFraction, 0.8);
        QCOMPARE(s.valFraction, 0.1);
    }

    void portableKnownAnswer()
    {
        // The standard fixes mt19937_64's output (this value is in the C++ standard), and
        // the split uses nothing else, so these indices are the same with any library.
        std::mt19937_64 rng;
        rng.discard(9999);
        QCOMPARE(rng(), uint64_t(9981545732273789042ull));
        const Split s = makeSplit(rowsOnly(10), 0);
        QCOMPARE(s.train, (std::vector<int64_t>{7, 2, 0, 8, 3, 9, 6, 1}));
        QCOMPARE(s.val, (std::vector<int64_t>{5}));
        QCOMPARE(s.test, (std::vector<int64_t>{4}));
    }

    void seeded()
    {
        const Dataset d = rowsOnly(200);
        const Split a = makeSplit(d, 3), b = makeSplit(d, 3), c = makeSplit(d, 4);
        QCOMPARE(a.train, b.train);
        QCOMPARE(a.val, b.val);
        QCOMPARE(a.test, b.test);
        QCOMPARE(a.seed, uint64_t(3));
        QVERIFY(a.test != c.test);
        QVERIFY(a.train != c.train);
        // Shuffled, not cut in file order.
        auto sortedTest = a.test;
        std::sort(sortedTest.begin(), sortedTest.end());
        QVERIFY(sortedTest != range(180, 200));
    }

    void predefinedTest()
    {
        const Dataset d = rowsOnly(100, 80);
        const Split s = makeSplit(d, 1);
        QVERIFY(s.predefinedTest);
        QCOMPARE(s.test, range(80, 100));
        QCOMPARE(s.val.size(), size_t(8)); // 10% of the 80 rows before the test part
        QCOMPARE(s.train.size(), size_t(72));
        QCOMPARE(sortedUnion(s), range(0, 100));
        QCOMPARE(makeSplit(d, 1).val, s.val);
        QVERIFY(makeSplit(d, 2).val != s.val);
    }

    void limit()
    {
        const Dataset d = rowsOnly(100);
        const Split full = makeSplit(d, 5), limited = makeSplit(d, 5, 7);
        QCOMPARE(limited.limit, int64_t(7));
        QCOMPARE(limited.train, std::vector<int64_t>(full.train.begin(), full.train.begin() + 7));
        QCOMPARE(limited.val, full.val); // evaluation rows do not change with --limit
        QCOMPARE(limited.test, full.test);
        QCOMPARE(makeSplit(d, 5, 1000).train, full.train);
    }

    void byName()
    {
        const Split s = makeSplit(rowsOnly(20), 0);
        QCOMPARE(&s.byName("train"), &s.train);
        QCOMPARE(&s.byName("val"), &s.val);
        QCOMPARE(&s.byName("test"), &s.test);
        QVERIFY_THROWS_EXCEPTION(senn::Error, s.byName("all"));
        try {
            s.byName("tset");
        } catch (const senn::Error& e) {
            QVERIFY(QString(e.what()).contains("'tset'"));
        }
    }

    void standardizerTabular()
    {
        Dataset d;
        d.sampleShape = {2};
        d.x = {1, 10, 3, 10, 5, 10, 100, -100};
        d.y = {0, 1, 0, 1};
        const Standardizer s = Standardizer::fit(d, {0, 1, 2}); // row 3 is not training
        QVERIFY(!s.perChannel);
        QCOMPARE(s.mean, (std::vector<float>{3.f, 10.f}));
        QCOMPARE(s.std[0], float(std::sqrt(8.0 / 3.0))); // population std
        QCOMPARE(s.std[1], 1.f);                          // constant feature: left unscaled
        QCOMPARE(s.meanAt(1, d.sampleShape), 10.f);
        QCOMPARE(s.stdAt(0, d.sampleShape), float(std::sqrt(8.0 / 3.0)));
    }

    void standardizerImage()
    {
        Dataset d;
        d.kind = DataKind::Image;
        d.sampleShape = {2, 1, 2}; // channel 0: two pixels, channel 1: two pixels
        d.x = {0, 2, 4, 4, 2, 4, 4, 4};
        d.y = {0, 1};
        const Standardizer s = Standardizer::fit(d, {0, 1});
        QVERIFY(s.perChannel);
        QCOMPARE(s.mean, (std::vector<float>{2.f, 4.f}));
        QCOMPARE(s.std[0], float(std::sqrt(2.0))); // values 0, 2, 2, 4
        QCOMPARE(s.std[1], 1.f);
        QCOMPARE(s.meanAt(1, d.sampleShape), 2.f);
        QCOMPARE(s.meanAt(2, d.sampleShape), 4.f);
        QCOMPARE(s.stdAt(3, d.sampleShape), 1.f);
    }

    void featureStats()
    {
        Dataset d;
        d.sampleShape = {2};
        d.x = {1, 7, 3, 7, -2, 7, 50, 50};
        d.y = {0, 0, 1, 1};
        const FeatureStats f = FeatureStats::fit(d, {0, 1, 2});
        QCOMPARE(f.mean[0], float(2.0 / 3.0));
        QCOMPARE(f.mean[1], 7.f);
        QCOMPARE(f.std[0], float(std::sqrt((1.0 / 9 + 49.0 / 9 + 64.0 / 9) / 3)));
        QCOMPARE(f.std[1], 0.f); // raw statistics: no floor
        QCOMPARE(f.min, (std::vector<float>{-2.f, 7.f}));
        QCOMPARE(f.max, (std::vector<float>{3.f, 7.f}));
    }
};

QTEST_GUILESS_MAIN(TestDataSplit)
#include "test_data_split.moc"
