// Image folders (PNG files written with OpenCV read back exactly, channel handling, broken
// files) and format detection / dispatch with progress and cancellation.
#include "support/errors.h"
#include "core/common/error.h"
#include "core/data/loader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <fstream>
#include <limits>

using namespace senn::data;
using senn::testing::containsAll;
using senn::testing::errorOf;

namespace {

// A 3x4 grey image whose pixel (r, c) is base + 10 r + c.
cv::Mat grey(int base)
{
    cv::Mat m(3, 4, CV_8UC1);
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 4; ++c)
            m.at<uint8_t>(r, c) = static_cast<uint8_t>(base + 10 * r + c);
    return m;
}

void writeImage(const QString& path, const cv::Mat& m)
{
    QDir().mkpath(QFileInfo(path).path());
    QVERIFY(cv::imwrite(path.toStdString(), m));
}

} // namespace

class TestDataImages : public QObject {
    Q_OBJECT

private slots:
    void greyRoundTrip()
    {
        QTemporaryDir dir;
        // Created out of order: class names are the sorted folder names.
        writeImage(dir.filePath("zebra/b.png"), grey(100));
        writeImage(dir.filePath("zebra/a.png"), grey(50));
        writeImage(dir.filePath("ant/1.png"), grey(0));
        std::ofstream(dir.filePath("ant/notes.txt").toStdString()) << "not an image";
        QDir().mkpath(dir.filePath("empty")); // no images: not a class
        QCOMPARE(detectFormat(dir.path().toStdString()), SourceFormat::ImageFolder);

        std::vector<double> fractions;
        const Dataset d = loadDataset(dir.path().toStdString(), {},
                                      [&](const senn::jobs::Progress& p) {
                                          fractions.push_back(p.fraction);
                                      });
        QCOMPARE(d.kind, DataKind::Image);
        QCOMPARE(d.sampleShape, (std::vector<int64_t>{1, 3, 4}));
        QCOMPARE(d.classNames, (std::vector<std::string>{"ant", "zebra"}));
        QCOMPARE(d.y, (std::vector<int64_t>{0, 1, 1}));
        const int bases[] = {0, 50, 100}; // ant/1, zebra/a, zebra/b
        for (int i = 0; i < 3; ++i)
            for (int r = 0; r < 3; ++r)
                for (int c = 0; c < 4; ++c)
                    QCOMPARE(d.row(i)[r * 4 + c], (bases[i] + 10 * r + c) / 255.0f);
        QVERIFY(!fractions.empty());
        QCOMPARE(fractions.back(), 1.0);
    }

    void colourMakesRgb()
    {
        QTemporaryDir dir;
        writeImage(dir.filePath("a/grey.png"), grey(0));
        cv::Mat bgr(3, 4, CV_8UC3, cv::Scalar(10, 20, 30)); // OpenCV stores B, G, R
        writeImage(dir.filePath("b/colour.png"), bgr);
        const Dataset d = loadImageFolder(dir.path().toStdString());
        QCOMPARE(d.sampleShape, (std::vector<int64_t>{3, 3, 4}));
        const float* c = d.row(1);
        QCOMPARE(c[0], 30 / 255.0f);      // R plane
        QCOMPARE(c[12], 20 / 255.0f);     // G plane
        QCOMPARE(c[24 + 11], 10 / 255.0f); // B plane, last pixel
        const float* g = d.row(0);        // grey is repeated in all three planes
        QCOMPARE(g[5], 11 / 255.0f);
        QCOMPARE(g[12 + 5], 11 / 255.0f);
        QCOMPARE(g[24 + 5], 11 / 255.0f);
    }

    void brokenFolders()
    {
        QTemporaryDir dir;
        writeImage(dir.filePath("a/1.png"), grey(0));
        writeImage(dir.filePath("b/2.png"), cv::Mat(5, 5, CV_8UC1, cv::Scalar(3)));
        QString e = errorOf([&] { loadImageFolder(dir.path().toStdString()); });
        QVERIFY2(containsAll(e, {"2.png", "5x5", "4x3", "same size"}), qPrintable(e));

        QFile::remove(dir.filePath("b/2.png"));
        std::ofstream(dir.filePath("b/broken.png").toStdString()) << "this is not a PNG";
        e = errorOf([&] { loadImageFolder(dir.path().toStdString()); });
        QVERIFY2(containsAll(e, {"broken.png", "cannot be read as an image"}), qPrintable(e));
        // Content OpenCV would give to another decoder: "DICM" at byte 128 is DICOM's signature
        // (GDCM aborted on this file, found by fuzz_image). Refused by name before decoding.
        QFile::remove(dir.filePath("b/broken.png"));
        {
            std::ofstream f(dir.filePath("b/scan.tif").toStdString(), std::ios::binary);
            f << std::string(128, 'd') << "DICM" << std::string(64, '2') << "P4\n# \n#2 DICM\n2";
        }
        e = errorOf([&] { loadImageFolder(dir.path().toStdString()); });
        QVERIFY2(containsAll(e, {"scan.tif", "cannot be read as an image", "PNG, JPEG, BMP"}), qPrintable(e));
        QFile::remove(dir.filePath("b/scan.tif"));

        QTemporaryDir empty;
        QDir().mkpath(empty.filePath("cats"));
        std::ofstream(empty.filePath("cats/readme.txt").toStdString()) << "no images here";
        e = errorOf([&] { loadImageFolder(empty.path().toStdString()); });
        QVERIFY2(containsAll(e, {"no images found"}), qPrintable(e));
        QVERIFY2(e.contains(empty.path()), qPrintable(e));

        QTemporaryDir one;
        writeImage(one.filePath("only/1.png"), grey(0));
        e = errorOf([&] { loadImageFolder(one.path().toStdString()); });
        QVERIFY2(containsAll(e, {"only one class", "'only'"}), qPrintable(e));
    }

    // Inputs that decode but would enter the dataset wrong, or not at all.
    void unreadableInputs()
    {
        // A class folder whose files are all of an unsupported kind is named, not dropped.
        QTemporaryDir dir;
        writeImage(dir.filePath("a/1.png"), grey(0));
        writeImage(dir.filePath("b/2.png"), grey(9));
        QDir().mkpath(dir.filePath("c"));
        std::ofstream(dir.filePath("c/x.gif").toStdString()) << "GIF89a";
        QString e = errorOf([&] { loadImageFolder(dir.path().toStdString()); });
        QVERIFY2(containsAll(e, {"class folder 'c'", "'x.gif'", "no image that can be read"}),
                 qPrintable(e));
        QDir(dir.filePath("c")).removeRecursively();

        // Float pixels must be numbers in [0, 1]; in range they are kept as stored.
        cv::Mat f(3, 4, CV_32FC1, cv::Scalar(0.25));
        f.at<float>(1, 2) = 0.75f;
        writeImage(dir.filePath("b/float.tif"), f);
        Dataset d = loadImageFolder(dir.path().toStdString());
        QCOMPARE(d.rows(), int64_t(3));
        QCOMPARE(d.row(2)[0], 0.25f);
        QCOMPARE(d.row(2)[6], 0.75f);
        f.at<float>(1, 2) = std::numeric_limits<float>::quiet_NaN();
        writeImage(dir.filePath("b/float.tif"), f);
        e = errorOf([&] { loadImageFolder(dir.path().toStdString()); });
        QVERIFY2(containsAll(e, {"float.tif", "NaN or infinite"}), qPrintable(e));
        f.at<float>(1, 2) = 1e30f;
        writeImage(dir.filePath("b/float.tif"), f);
        e = errorOf([&] { loadImageFolder(dir.path().toStdString()); });
        QVERIFY2(containsAll(e, {"float.tif", "must lie in [0, 1]"}), qPrintable(e));
        QFile::remove(dir.filePath("b/float.tif"));

        // A PGM's pixels are fractions of the maximum it declares: with maximum 1, a 1 is white.
        {
            std::ofstream pgm(dir.filePath("b/bits.pgm").toStdString(), std::ios::binary);
            pgm << "P5\n# one bit of depth\n4 3\n1\n";
            for (int i = 0; i < 12; ++i)
                pgm.put(static_cast<char>(i % 2));
        }
        {
            std::ofstream pgm(dir.filePath("b/text.pgm").toStdString(), std::ios::binary);
            pgm << "P2 4 3 15\n";
            for (int i = 0; i < 12; ++i)
                pgm << i << ' ';
        }
        // Sixteen bits: maximum 1000, binary and text.
        {
            std::ofstream pgm(dir.filePath("b/wide.pgm").toStdString(), std::ios::binary);
            pgm << "P5 4 3 1000\n";
            for (int i = 0; i < 12; ++i) {
                pgm.put(static_cast<char>((i * 90) >> 8));
                pgm.put(static_cast<char>((i * 90) & 255));
            }
        }
        {
            std::ofstream pgm(dir.filePath("b/wide-text.pgm").toStdString(), std::ios::binary);
            pgm << "P2 4 3 1000\n";
            for (int i = 0; i < 12; ++i)
                pgm << i * 90 << '\n';
        }
        d = loadImageFolder(dir.path().toStdString());
        // a/1.png, b/2.png, b/bits.pgm, b/text.pgm, b/wide-text.pgm, b/wide.pgm
        QCOMPARE(d.rows(), int64_t(6));
        for (int i = 0; i < 12; ++i) {
            QCOMPARE(d.row(2)[i], float(i % 2));
            QCOMPARE(d.row(3)[i], float(i * 17 / 255.0)); // OpenCV stretches it to 0-255 first
            QCOMPARE(d.row(4)[i], float(i * 90 / 1000.0));
            QCOMPARE(d.row(5)[i], float(i * 90 / 1000.0));
        }
        QCOMPARE(d.row(1)[5], 20 / 255.0f); // 8-bit PNGs as before
    }

    void cancel()
    {
        QTemporaryDir dir;
        for (int i = 0; i < 4; ++i)
            writeImage(dir.filePath(QString("%1/img.png").arg(i)), grey(i));
        senn::jobs::CancelToken token;
        int calls = 0;
        // Cancelled from the progress callback, as a GUI's Cancel button would mid-load.
        auto progress = [&](const senn::jobs::Progress&) {
            if (++calls == 1)
                token.cancel();
        };
        QVERIFY_THROWS_EXCEPTION(senn::jobs::Cancelled,
                                 loadDataset(dir.path().toStdString(), {}, progress, token));

        senn::jobs::CancelToken before;
        before.cancel();
        QVERIFY_THROWS_EXCEPTION(senn::jobs::Cancelled,
                                 loadDataset(SENN_RESOURCE_DATA "/breast-cancer.csv", {}, {},
                                             before));
    }

    void detection()
    {
        QTemporaryDir dir;
        auto touch = [&](const char* name) {
            const QString p = dir.filePath(name);
            std::ofstream(p.toStdString()) << "a,y\n1,0\n2,1\n";
            return p.toStdString();
        };
        QCOMPARE(detectFormat(touch("a.csv")), SourceFormat::Csv);
        QCOMPARE(detectFormat(touch("a.TSV")), SourceFormat::Csv);
        QCOMPARE(detectFormat(touch("a.txt")), SourceFormat::Csv);
        QCOMPARE(detectFormat(touch("a.npy")), SourceFormat::NpyPair);
        QCOMPARE(detectFormat(touch("train-images-idx3-ubyte.gz")), SourceFormat::IdxFolder);
        QCOMPARE(detectFormat(touch("model.json")), SourceFormat::Unknown);
        QCOMPARE(detectFormat(dir.filePath("missing.csv").toStdString()), SourceFormat::Unknown);
        QTemporaryDir empty;
        QCOMPARE(detectFormat(empty.path().toStdString()), SourceFormat::Unknown);

        // The dispatcher reads what it detected: the .txt CSV has classes "0" and "1".
        QCOMPARE(loadDataset(dir.filePath("a.txt").toStdString()).classNames,
                 (std::vector<std::string>{"0", "1"}));

        QString e = errorOf([&] { loadDataset(dir.filePath("model.json").toStdString()); });
        QVERIFY2(containsAll(e, {"model.json", "Supported", "CSV", "IDX", "sub-folder per class",
                                 "x.npy"}),
                 qPrintable(e));
        e = errorOf([&] { loadDataset(empty.path().toStdString()); });
        QVERIFY2(containsAll(e, {"Supported"}), qPrintable(e));
        e = errorOf([&] { loadDataset(dir.filePath("missing.csv").toStdString()); });
        QVERIFY2(containsAll(e, {"missing.csv", "no such file"}), qPrintable(e));
    }
};

QTEST_GUILESS_MAIN(TestDataImages)
#include "test_data_images.moc"
