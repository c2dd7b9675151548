// Decoy MNIST (rrr.md): patch position and grey level per row, masks on exactly the patch,
// the label key in train/val and a random digit in test, determinism by seed.
#include "core/common/error.h"
#include "core/data/decoy.h"

#include <QtTest>

#include <set>

using namespace senn::data;

namespace {

Dataset blankImages(int64_t n, int64_t c, int64_t h, int64_t w)
{
    Dataset d;
    d.kind = DataKind::Image;
    d.sampleShape = {c, h, w};
    d.x.assign(static_cast<size_t>(n * c * h * w), 0.0f);
    for (int64_t i = 0; i < n; ++i)
        d.y.push_back(i % 10);
    for (int i = 0; i < 10; ++i)
        d.classNames.push_back(std::to_string(i));
    d.source = "blank";
    return d;
}

float patchValue(int64_t digit)
{
    return static_cast<float>(255 - 25 * digit) / 255.0f;
}

} // namespace

class TestDataDecoy : public QObject {
    Q_OBJECT

private slots:
    void patchesAndMasks()
    {
        Dataset d = blankImages(40, 1, 28, 28);
        std::vector<int64_t> testRows;
        for (int64_t i = 30; i < 40; ++i)
            testRows.push_back(i);
        std::vector<float> masks;
        const auto patches = decoyPatches(d, 7);
        applyDecoy(d, testRows, 7, &masks);
        QCOMPARE(d.transforms, (std::vector<std::string>{"decoy:seed=7"}));
        QCOMPARE(masks.size(), d.x.size());
        QCOMPARE(masks, decoyMasks(d, 7));

        std::set<std::pair<int64_t, int64_t>> corners;
        int testRowsKeyedElsewhere = 0;
        for (int64_t i = 0; i < 40; ++i) {
            const auto& p = patches[static_cast<size_t>(i)];
            QVERIFY(p.top == 0 || p.top == 24);
            QVERIFY(p.left == 0 || p.left == 24);
            QVERIFY(p.randomDigit >= 0 && p.randomDigit <= 9);
            corners.insert({p.top, p.left});
            const bool test = i >= 30;
            const int64_t digit = test ? p.randomDigit : d.y[static_cast<size_t>(i)];
            testRowsKeyedElsewhere += test && digit != d.y[static_cast<size_t>(i)];
            int onPixels = 0;
            for (int64_t r = 0; r < 28; ++r)
                for (int64_t c = 0; c < 28; ++c) {
                    const size_t j = static_cast<size_t>(i * 784 + r * 28 + c);
                    const bool inPatch = r >= p.top && r < p.top + 4 && c >= p.left &&
                                         c < p.left + 4;
                    QCOMPARE(d.x[j], inPatch ? patchValue(digit) : 0.0f);
                    QCOMPARE(masks[j], inPatch ? 1.0f : 0.0f);
                    onPixels += masks[j] == 1.0f;
                }
            QCOMPARE(onPixels, 16);
        }
        QCOMPARE(corners.size(), size_t(4)); // all four corners occur in 40 rows
        QVERIFY(testRowsKeyedElsewhere > 0); // the test patches do not give the label away
        // Known grey levels: digit 0 is white, digit 9 is 30/255.
        QCOMPARE(patchValue(0), 1.0f);
        QCOMPARE(patchValue(9), 30.0f / 255.0f);
    }

    void deterministicBySeed()
    {
        Dataset a = blankImages(50, 1, 28, 28), b = a, c = a;
        applyDecoy(a, {1, 2}, 11);
        applyDecoy(b, {1, 2}, 11);
        applyDecoy(c, {1, 2}, 12);
        QCOMPARE(a.x, b.x);
        QVERIFY(a.x != c.x);
        // Corners do not depend on which rows are test rows, so masks need only the seed.
        Dataset e = blankImages(50, 1, 28, 28);
        std::vector<float> m1, m2;
        applyDecoy(e, {}, 11, &m1);
        Dataset f = blankImages(50, 1, 28, 28);
        applyDecoy(f, {0, 1, 2, 3, 4, 5}, 11, &m2);
        QCOMPARE(m1, m2);
    }

    void smallAndColourImages()
    {
        Dataset d = blankImages(30, 3, 6, 5);
        const auto patches = decoyPatches(d, 0);
        std::vector<float> masks;
        applyDecoy(d, {}, 0, &masks);
        for (size_t i = 0; i < patches.size(); ++i) {
            QVERIFY(patches[i].top == 0 || patches[i].top == 2);
            QVERIFY(patches[i].left == 0 || patches[i].left == 1);
            const float* x = d.row(static_cast<int64_t>(i));
            for (int64_t ch = 0; ch < 3; ++ch) // every channel carries the patch
                QCOMPARE(x[(ch * 6 + patches[i].top + 3) * 5 + patches[i].left + 3],
                         patchValue(d.y[i]));
        }
        QCOMPARE(std::count(masks.begin(), masks.end(), 1.0f), std::ptrdiff_t(30 * 3 * 16));
    }

    void refusals()
    {
        Dataset tab;
        tab.sampleShape = {4};
        tab.x = {1, 2, 3, 4};
        tab.y = {0};
        tab.classNames = {"a", "b"};
        QVERIFY_THROWS_EXCEPTION(senn::Error, applyDecoy(tab, {}, 0));

        Dataset tiny = blankImages(2, 1, 3, 28);
        QVERIFY_THROWS_EXCEPTION(senn::Error, applyDecoy(tiny, {}, 0));

        Dataset twice = blankImages(2, 1, 28, 28);
        applyDecoy(twice, {}, 0);
        QVERIFY_THROWS_EXCEPTION(senn::Error, applyDecoy(twice, {}, 0));

        Dataset many = blankImages(2, 1, 28, 28);
        many.classNames.push_back("10");
        QVERIFY_THROWS_EXCEPTION(senn::Error, applyDecoy(many, {}, 0));

        Dataset outOfRange = blankImages(2, 1, 28, 28);
        QVERIFY_THROWS_EXCEPTION(senn::Error, applyDecoy(outOfRange, {2}, 0));
    }

    void transformNames()
    {
        QCOMPARE(decoyTransformName(42), std::string("decoy:seed=42"));
        QCOMPARE(parseDecoyTransform("decoy:seed=42"), std::optional<uint64_t>(42));
        QCOMPARE(parseDecoyTransform("decoy:seed=18446744073709551615"),
                 std::optional<uint64_t>(18446744073709551615ull));
        QVERIFY(!parseDecoyTransform("decoy:seed="));
        QVERIFY(!parseDecoyTransform("decoy:seed=-1"));
        QVERIFY(!parseDecoyTransform("blur:seed=1"));
    }
};

QTEST_GUILESS_MAIN(TestDataDecoy)
#include "test_data_decoy.moc"
