// IDX (plain and gzip) and NumPy .npy loading: files written here read back exactly, the
// bundled mnist-10k folder, and clear errors for damaged files.
#include "support/errors.h"
#include "core/common/error.h"
#include "core/data/loader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <numeric>

using namespace senn::data;
using senn::testing::containsAll;
using senn::testing::errorOf;
using Bytes = std::vector<uint8_t>;

namespace {

void put32(Bytes& b, uint32_t v)
{
    for (int s = 24; s >= 0; s -= 8)
        b.push_back(static_cast<uint8_t>(v >> s));
}

Bytes idxImages(uint32_t n, uint32_t rows, uint32_t cols, const Bytes& pixels)
{
    Bytes b;
    put32(b, 0x803);
    put32(b, n);
    put32(b, rows);
    put32(b, cols);
    b.insert(b.end(), pixels.begin(), pixels.end());
    return b;
}

Bytes idxLabels(const Bytes& labels)
{
    Bytes b;
    put32(b, 0x801);
    put32(b, static_cast<uint32_t>(labels.size()));
    b.insert(b.end(), labels.begin(), labels.end());
    return b;
}

void writeBytes(const QString& path, const Bytes& b)
{
    std::ofstream(path.toStdString(), std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

void writeGz(const QString& path, const Bytes& b)
{
    gzFile f = gzopen(path.toStdString().c_str(), "wb");
    QVERIFY(f);
    QCOMPARE(gzwrite(f, b.data(), static_cast<unsigned>(b.size())), int(b.size()));
    QCOMPARE(gzclose(f), Z_OK);
}

Bytes readBytes(const QString& path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

// A .npy file as numpy.save writes it: magic, version, padded dict header, raw data.
Bytes npy(const std::string& descr, const std::string& shape, const void* data, size_t bytes,
          int version = 1, const char* fortran = "False")
{
    std::string header = "{'descr': '" + descr + "', 'fortran_order': " + fortran +
                         ", 'shape': " + shape + ", }";
    const size_t pre = version == 1 ? 10 : 12;
    while ((pre + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    Bytes b = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(version), 0};
    const size_t len = header.size();
    b.push_back(static_cast<uint8_t>(len));
    b.push_back(static_cast<uint8_t>(len >> 8));
    if (version != 1) {
        b.push_back(0);
        b.push_back(0);
    }
    b.insert(b.end(), header.begin(), header.end());
    const auto* p = static_cast<const uint8_t*>(data);
    b.insert(b.end(), p, p + bytes);
    return b;
}

template <typename T>
Bytes npyOf(const std::string& descr, const std::string& shape, const std::vector<T>& v,
            int version = 1)
{
    return npy(descr, shape, v.data(), v.size() * sizeof(T), version);
}

} // namespace

class TestDataBinary : public QObject {
    Q_OBJECT

    // 3 training images of 2x3 and 2 test images; labels use 0 and 9 so there are 10 classes.
    const Bytes m_trainPx = {0, 255, 17, 128, 1, 254, 10, 20, 30, 40, 50, 60, 7, 7, 7, 7, 7, 7};
    const Bytes m_trainLabels = {0, 9, 4};
    const Bytes m_testPx = {1, 2, 3, 4, 5, 6, 250, 251, 252, 253, 254, 255};
    const Bytes m_testLabels = {3, 3};

    void writeIdx(const QString& dir, bool gz)
    {
        auto w = gz ? writeGz : writeBytes;
        const QString ext = gz ? ".gz" : "";
        w(dir + "/train-images-idx3-ubyte" + ext, idxImages(3, 2, 3, m_trainPx));
        w(dir + "/train-labels-idx1-ubyte" + ext, idxLabels(m_trainLabels));
        w(dir + "/t10k-images-idx3-ubyte" + ext, idxImages(2, 2, 3, m_testPx));
        w(dir + "/t10k-labels-idx1-ubyte" + ext, idxLabels(m_testLabels));
    }

    void checkIdx(const Dataset& d)
    {
        QCOMPARE(d.kind, DataKind::Image);
        QCOMPARE(d.sampleShape, (std::vector<int64_t>{1, 2, 3}));
        QCOMPARE(d.rows(), int64_t(5));
        QCOMPARE(d.testBegin, int64_t(3));
        QCOMPARE(d.y, (std::vector<int64_t>{0, 9, 4, 3, 3}));
        QCOMPARE(d.classNames.size(), size_t(10));
        QCOMPARE(d.classNames[9], std::string("9"));
        Bytes all = m_trainPx;
        all.insert(all.end(), m_testPx.begin(), m_testPx.end());
        QCOMPARE(d.x.size(), all.size());
        for (size_t i = 0; i < all.size(); ++i)
            QCOMPARE(d.x[i], all[i] / 255.0f);
    }

private slots:
    void idxPlainRoundTrip()
    {
        QTemporaryDir dir;
        writeIdx(dir.path(), false);
        checkIdx(loadIdxFolder(dir.path().toStdString()));
    }

    void idxGzipRoundTrip()
    {
        QTemporaryDir dir;
        writeIdx(dir.path(), true);
        checkIdx(loadIdxFolder(dir.path().toStdString()));
        QCOMPARE(readMaybeGzip(dir.filePath("train-images-idx3-ubyte.gz").toStdString()),
                 idxImages(3, 2, 3, m_trainPx));
        // An IDX file named directly stands for its folder.
        checkIdx(loadDataset(dir.filePath("train-labels-idx1-ubyte.gz").toStdString()));
    }

    void idxWithoutTestPartAndMaxRows()
    {
        QTemporaryDir dir;
        writeIdx(dir.path(), false);
        QFile::remove(dir.filePath("t10k-images-idx3-ubyte"));
        QFile::remove(dir.filePath("t10k-labels-idx1-ubyte"));
        const Dataset d = loadIdxFolder(dir.path().toStdString());
        QCOMPARE(d.rows(), int64_t(3));
        QCOMPARE(d.testBegin, int64_t(-1));
        LoadOptions o;
        o.maxRows = 2;
        const Dataset p = loadIdxFolder(dir.path().toStdString(), o);
        QCOMPARE(p.rows(), int64_t(2));
        QCOMPARE(p.x.size(), size_t(12));
    }

    void mnist10k()
    {
        const std::string folder = SENN_RESOURCE_DATA "/mnist-10k";
        QCOMPARE(detectFormat(folder), SourceFormat::IdxFolder);
        const Dataset d = loadDataset(folder);
        QCOMPARE(d.rows(), int64_t(10000));
        QCOMPARE(d.testBegin, int64_t(8000));
        QCOMPARE(d.sampleShape, (std::vector<int64_t>{1, 28, 28}));
        QCOMPARE(d.classNames.size(), size_t(10));
        const auto counts = d.classCounts();
        QCOMPARE(std::accumulate(counts.begin(), counts.end(), int64_t(0)), int64_t(10000));
        for (auto c : counts)
            QVERIFY(c > 500); // every digit is well represented in 10000 MNIST images
        const Bytes labels = readMaybeGzip(folder + "/train-labels-idx1-ubyte.gz");
        const Bytes images = readMaybeGzip(folder + "/t10k-images-idx3-ubyte.gz");
        QCOMPARE(d.y[0], int64_t(labels[8]));
        QCOMPARE(d.y[7999], int64_t(labels[8 + 7999]));
        for (size_t j = 0; j < 784; ++j)
            QCOMPARE(d.row(8000)[j], images[16 + j] / 255.0f);
    }

    void idxBroken()
    {
        QTemporaryDir dir;
        writeIdx(dir.path(), true);
        const std::string folder = dir.path().toStdString();

        // Truncated gzip: the first half of a valid file.
        const QString gzPath = dir.filePath("train-images-idx3-ubyte.gz");
        Bytes gz = readBytes(gzPath);
        gz.resize(gz.size() / 2);
        writeBytes(gzPath, gz);
        QString e = errorOf([&] { loadIdxFolder(folder); });
        QVERIFY2(containsAll(e, {"train-images-idx3-ubyte.gz", "truncated"}), qPrintable(e));

        // Corrupt gzip: the CRC in the trailer no longer matches the data.
        writeGz(gzPath, idxImages(3, 2, 3, m_trainPx));
        gz = readBytes(gzPath);
        gz[gz.size() - 8] ^= 0xFF;
        writeBytes(gzPath, gz);
        e = errorOf([&] { loadIdxFolder(folder); });
        QVERIFY2(containsAll(e, {"train-images-idx3-ubyte.gz", "corrupt gzip"}), qPrintable(e));

        // Wrong magic: a labels file where the images belong.
        writeGz(gzPath, idxLabels(m_trainLabels));
        e = errorOf([&] { loadIdxFolder(folder); });
        QVERIFY2(containsAll(e, {"train-images-idx3-ubyte.gz", "wrong magic number 0x00000801",
                                 "expected 0x00000803"}),
                 qPrintable(e));

        // Plain file shorter than its header promises.
        Bytes shortImages = idxImages(3, 2, 3, m_trainPx);
        shortImages.resize(shortImages.size() - 5);
        writeGz(gzPath, shortImages);
        e = errorOf([&] { loadIdxFolder(folder); });
        QVERIFY2(containsAll(e, {"train-images-idx3-ubyte.gz", "truncated", "3 images of 2x3"}),
                 qPrintable(e));

        // Label count != image count.
        writeGz(gzPath, idxImages(3, 2, 3, m_trainPx));
        writeGz(dir.filePath("train-labels-idx1-ubyte.gz"), idxLabels({1, 2}));
        e = errorOf([&] { loadIdxFolder(folder); });
        QVERIFY2(containsAll(e, {"train-labels-idx1-ubyte.gz", "2 labels", "3 images"}),
                 qPrintable(e));

        // Test images of another size.
        writeGz(dir.filePath("train-labels-idx1-ubyte.gz"), idxLabels(m_trainLabels));
        writeGz(dir.filePath("t10k-images-idx3-ubyte.gz"), idxImages(1, 3, 4, Bytes(12, 0)));
        writeGz(dir.filePath("t10k-labels-idx1-ubyte.gz"), idxLabels({1}));
        e = errorOf([&] { loadIdxFolder(folder); });
        QVERIFY2(containsAll(e, {"t10k-images-idx3-ubyte.gz", "3x4", "2x3"}), qPrintable(e));

        // No labels at all.
        QFile::remove(dir.filePath("train-labels-idx1-ubyte.gz"));
        e = errorOf([&] { loadIdxFolder(folder); });
        QVERIFY2(containsAll(e, {"no train-labels-idx1-ubyte"}), qPrintable(e));
    }

    void npyTabularFolder()
    {
        QTemporaryDir dir;
        const std::vector<float> x = {1.5f, -2.f, 3.25f, 4.f, 0.f, 1e-3f};
        const std::vector<int64_t> y = {0, 2, 1};
        writeBytes(dir.filePath("x.npy"), npyOf("<f4", "(3, 2)", x));
        writeBytes(dir.filePath("y.npy"), npyOf("<i8", "(3,)", y));
        QCOMPARE(detectFormat(dir.path().toStdString()), SourceFormat::NpyPair);
        const Dataset d = loadDataset(dir.path().toStdString());
        QCOMPARE(d.kind, DataKind::Tabular);
        QCOMPARE(d.sampleShape, (std::vector<int64_t>{2}));
        QCOMPARE(d.x, x);
        QCOMPARE(d.y, y);
        QCOMPARE(d.classNames, (std::vector<std::string>{"0", "1", "2"}));
        QCOMPARE(d.featureNames, (std::vector<std::string>{"x0", "x1"}));
        QCOMPARE(d.testBegin, int64_t(-1));
    }

    void npyImagesWithTestPart()
    {
        QTemporaryDir dir;
        const Bytes px = {0, 51, 102, 255, 1, 2, 3, 4}; // 2 images of 2x2
        const Bytes testPx = {9, 8, 7, 6};
        writeBytes(dir.filePath("X_train.npy"), npyOf("|u1", "(2, 2, 2)", px, 2));
        writeBytes(dir.filePath("y_train.npy"), npyOf("|u1", "(2,)", Bytes{1, 0}));
        writeBytes(dir.filePath("X_test.npy"), npyOf("|u1", "(1, 2, 2)", testPx));
        writeBytes(dir.filePath("y_test.npy"), npyOf("<i4", "(1, 1)", std::vector<int32_t>{1}));
        const Dataset d = loadNpy(dir.filePath("X_train.npy").toStdString());
        QCOMPARE(d.kind, DataKind::Image);
        QCOMPARE(d.sampleShape, (std::vector<int64_t>{1, 2, 2}));
        QCOMPARE(d.rows(), int64_t(3));
        QCOMPARE(d.testBegin, int64_t(2));
        QCOMPARE(d.y, (std::vector<int64_t>{1, 0, 1}));
        for (size_t i = 0; i < 8; ++i)
            QCOMPARE(d.x[i], px[i] / 255.0f);
        QCOMPARE(d.x[8], 9 / 255.0f);
    }

    void npyChannelsAndFloat64()
    {
        QTemporaryDir dir;
        // (N, H, W, C) = (1, 5, 5, 3): moved to (C, H, W); float64 values kept as they are.
        std::vector<double> hwc(75);
        for (size_t i = 0; i < hwc.size(); ++i)
            hwc[i] = static_cast<double>(i) * 0.5;
        writeBytes(dir.filePath("foo_x.npy"), npyOf("<f8", "(1, 5, 5, 3)", hwc));
        writeBytes(dir.filePath("foo_y.npy"), npyOf("<f8", "(1,)", std::vector<double>{1.0}));
        LoadOptions o;
        o.maxRows = 1; // a one-row preview may have one class
        const Dataset d = loadNpy(dir.filePath("foo_x.npy").toStdString(), o);
        QCOMPARE(d.sampleShape, (std::vector<int64_t>{3, 5, 5}));
        // element (c=2, h=1, w=3) comes from source (h=1, w=3, c=2)
        QCOMPARE(d.x[(2 * 5 + 1) * 5 + 3], float(((1 * 5 + 3) * 3 + 2) * 0.5));
        QCOMPARE(d.y, (std::vector<int64_t>{1}));
    }

    void npyBroken()
    {
        QTemporaryDir dir;
        const std::vector<float> x = {1, 2, 3, 4, 5, 6};
        const std::vector<int64_t> y = {0, 1, 1};
        const QString xp = dir.filePath("x.npy"), yp = dir.filePath("y.npy");
        const std::string folder = dir.path().toStdString();
        writeBytes(yp, npyOf("<i8", "(3,)", y));

        writeBytes(xp, Bytes{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0});
        QString e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"x.npy", "bad magic"}), qPrintable(e));

        writeBytes(xp, npy("<c8", "(3, 2)", x.data(), 24));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"x.npy", "unsupported dtype '<c8'"}), qPrintable(e));

        writeBytes(xp, npy(">f4", "(3, 2)", x.data(), 24));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"x.npy", "unsupported dtype '>f4'"}), qPrintable(e));

        writeBytes(xp, npy("<f4", "(3, 2)", x.data(), 24, 1, "True"));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"x.npy", "Fortran order"}), qPrintable(e));

        writeBytes(xp, npy("<f4", "(3, 2)", x.data(), 20));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"x.npy", "truncated", "needs 24 bytes", "has 20"}),
                 qPrintable(e));

        writeBytes(xp, npyOf("<f4", "(2, 3)", x));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"y.npy", "3 labels", "x.npy has 2 rows"}), qPrintable(e));

        writeBytes(xp, npyOf("<f4", "(3, 2)", x));
        writeBytes(yp, npyOf("<f4", "(3,)", std::vector<float>{0.f, 0.5f, 1.f}));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"y.npy", "label 1", "not a class number"}), qPrintable(e));

        writeBytes(yp, npyOf("<i8", "(3,)", std::vector<int64_t>{2, 2, 2}));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"y.npy", "one class only"}), qPrintable(e));

        // An empty array with an absurd row width needs no data bytes: refused by its shape
        // before its feature names are made (fuzz_npy ran out of memory on it).
        writeBytes(xp, npyOf("<f4", "(0, 2000000000000000)", std::vector<float>{}));
        writeBytes(yp, npyOf("<i8", "(0,)", std::vector<int64_t>{}));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"x.npy", "(0, 2000000000000000)", "more than 1048576 values"}), qPrintable(e));
        writeBytes(xp, npyOf("<f4", "(4073709551615, 0)", std::vector<float>{})); // no bytes either
        writeBytes(yp, npyOf("<i8", "(4073709551615, 0)", std::vector<int64_t>{}));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"x.npy", "(4073709551615, 0)", "samples with no values"}), qPrintable(e));
        writeBytes(yp, npyOf("<i8", "(0,)", std::vector<int64_t>{}));
        writeBytes(xp, npyOf("<f4", "(0, 100000, 100000, 3)", std::vector<float>{}));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"x.npy", "an image of more than"}), qPrintable(e));

        // Zero rows: said as such (it used to read "all labels are -1: one class only").
        writeBytes(xp, npyOf("<f4", "(0, 2)", std::vector<float>{}));
        writeBytes(yp, npyOf("<i8", "(0,)", std::vector<int64_t>{}));
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"x.npy", "no rows"}) && !e.contains("-1"), qPrintable(e));
        writeBytes(xp, npyOf("<f4", "(3, 2)", x));

        QFile::remove(yp);
        e = errorOf([&] { loadNpy(folder); });
        QVERIFY2(containsAll(e, {"x.npy", "no labels file"}), qPrintable(e));
    }
};

QTEST_GUILESS_MAIN(TestDataBinary)
#include "test_data_binary.moc"
