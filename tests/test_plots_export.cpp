// Figure export: PNG pixel sizes for width/height/scale, SVG that parses and keeps the title
// as text, PDF header, whole-widget export, atomic text files and bad paths.
#include "ui/plots/bar_chart.h"
#include "ui/plots/comparison_panel.h"
#include "ui/plots/export.h"
#include "ui/plots/heatmap_view.h"
#include "ui/figures.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include <qcustomplot.h>

using namespace senn::ui;

class TestPlotsExport : public QObject {
    Q_OBJECT
private:
    static QString svgText(const QString& path, bool* wellFormed)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QXmlStreamReader xml(&f);
        QString text;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isCharacters())
                text += xml.text().toString() + QLatin1Char(' ');
        }
        *wellFormed = !xml.hasError();
        return text;
    }

    static BarChart* makeChart(QWidget* parent = nullptr)
    {
        auto* chart = new BarChart(parent);
        chart->setTitle(QStringLiteral("Feature attributions"));
        chart->setValueLabel(QStringLiteral("attribution"));
        chart->setData(std::vector<float>{0.5f, -0.25f, 1.0f}, {"radius", "texture", "area"});
        return chart;
    }

    // The bounding box of the non-white pixels of an image.
    static QRect inkBox(const QImage& img)
    {
        int l = img.width(), t = img.height(), r = -1, b = -1;
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x) {
                const QRgb c = img.pixel(x, y);
                if (qRed(c) < 245 || qGreen(c) < 245 || qBlue(c) < 245)
                    l = std::min(l, x), r = std::max(r, x), t = std::min(t, y), b = std::max(b, y);
            }
        return r < 0 ? QRect() : QRect(QPoint(l, t), QPoint(r, b));
    }

    // Breast cancer's 30 features explained by SENN and five post-hoc methods (known values).
    static std::vector<senn::explain::Explanation> breastCancerLike(ExplainInput* in)
    {
        const QStringList parts{"radius", "texture", "perimeter", "area", "smoothness", "compactness",
                                "concavity", "concave_points", "symmetry", "fractal_dimension"};
        for (const char* kind : {"mean_", "", "worst_"})
            for (const QString& p : parts)
                in->featureNames.push_back((QString::fromLatin1(kind) + p + (QByteArray(kind).isEmpty() ? "_error" : "")).toStdString());
        const int d = int(in->featureNames.size());
        in->shape = {d};
        in->title = QStringLiteral("Row 7 (true class malignant)");
        for (int i = 0; i < d; ++i)
            in->values.push_back(0.1f * float(i % 7) - 0.3f);
        std::vector<senn::explain::Explanation> out;
        for (const char* m : {"senn", "lime", "kernel-shap", "saliency", "integrated-gradients", "smoothgrad"}) {
            senn::explain::Explanation e;
            e.method = m;
            e.shape = {d};
            for (int i = 0; i < d; ++i)
                e.values.push_back(std::sin(0.7f * float(i) + float(out.size())) * float(1 + out.size()));
            if (e.method == "senn") {
                e.h = in->values;
                for (int i = 0; i < d; ++i)
                    e.contribution.push_back(e.values[size_t(i)] * e.h[size_t(i)]);
            }
            out.push_back(e);
        }
        return out;
    }

private Q_SLOTS:
    void pngHasRequestedPixelSize_data()
    {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("h");
        QTest::addColumn<double>("scale");
        QTest::addColumn<int>("pw");
        QTest::addColumn<int>("ph");
        QTest::newRow("1x") << 400 << 300 << 1.0 << 400 << 300;
        QTest::newRow("2x") << 400 << 300 << 2.0 << 800 << 600;
        QTest::newRow("1.5x") << 333 << 200 << 1.5 << 500 << 300; // 499.5 rounds to 500
    }

    void pngHasRequestedPixelSize()
    {
        QFETCH(int, w);
        QFETCH(int, h);
        QFETCH(double, scale);
        QFETCH(int, pw);
        QFETCH(int, ph);
        QTemporaryDir dir;
        std::unique_ptr<BarChart> chart(makeChart());
        const QString path = dir.filePath(QStringLiteral("bars.png"));
        QString error;
        QVERIFY2(chart->exportFigure(path, w, h, scale, &error), qPrintable(error));
        QImage img(path);
        QVERIFY(!img.isNull());
        QCOMPARE(img.width(), pw);
        QCOMPARE(img.height(), ph);
        // Light background even when nothing says so: the corner pixel is white.
        QCOMPARE(QColor(img.pixel(1, 1)), QColor(Qt::white));
        // Positive bars are drawn in red somewhere in the image.
        bool red = false;
        for (int y = 0; y < img.height() && !red; ++y)
            for (int x = 0; x < img.width() && !red; ++x) {
                const QColor c(img.pixel(x, y));
                red = c.red() > 180 && c.green() < 60 && c.blue() < 80;
            }
        QVERIFY(red);
    }

    void svgParsesAndKeepsTitle()
    {
        QTemporaryDir dir;
        std::unique_ptr<BarChart> chart(makeChart());
        const QString path = dir.filePath(QStringLiteral("bars.svg"));
        QString error;
        QVERIFY2(exportPlot(chart->plot(), path, 500, 320, 1.0, &error), qPrintable(error));
        QVERIFY(QFileInfo(path).size() > 500);
        bool ok = false;
        const QString text = svgText(path, &ok);
        QVERIFY(ok);
        QVERIFY2(text.contains(QStringLiteral("Feature attributions")), qPrintable(text.left(400)));
        QVERIFY(text.contains(QStringLiteral("texture")));
        QVERIFY(text.contains(QStringLiteral("attribution")));
    }

    void pdfHasHeader()
    {
        QTemporaryDir dir;
        std::unique_ptr<BarChart> chart(makeChart());
        const QString path = dir.filePath(QStringLiteral("bars.pdf"));
        QString error;
        QVERIFY2(chart->exportFigure(path, 500, 320, 1.0, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.size() > 500);
        QVERIFY(bytes.startsWith("%PDF"));
    }

    // `senn explain --figure` explains a dataset row: the input carries its row id, which every
    // export of the figure's panel writes.
    void figureInputCarriesItsRow()
    {
        senn::data::Dataset data;
        data.sampleShape = {2};
        data.x = {1, 2, 3, 4, 5, 6};
        data.y = {0, 1, 1};
        data.classNames = {"no", "yes"};
        data.featureNames = {"a", "b"};
        const ExplainInput in = explainInputFromRow(data, 2);
        QCOMPARE(in.row, qint64(2));
        QCOMPARE(in.values, (std::vector<float>{5, 6}));
        QVERIFY2(in.title.contains("Row 2") && in.title.contains("yes"), qPrintable(in.title));
        QCOMPARE(explainInputFromRow(data, 3).row, qint64(-1)); // out of range: no input
    }

    // `senn explain --figure` (ui/figures): the page is the size of the content, so neither
    // the right third nor the bottom half is empty; the PDF page has the PNG's aspect.
    void cliComparisonFigureFillsItsPage()
    {
        QTemporaryDir dir;
        ExplainInput in;
        const auto exps = breastCancerLike(&in);
        QString error;
        const QString png = dir.filePath(QStringLiteral("explain.png"));
        QVERIFY2(renderComparisonFigure(in, exps, png, &error), qPrintable(error));
        const QString pdf = dir.filePath(QStringLiteral("explain.pdf"));
        QVERIFY2(renderComparisonFigure(in, exps, pdf, &error), qPrintable(error));
        const QString out = qEnvironmentVariable("SENN_FIGURE_OUT"); // to look at them
        if (!out.isEmpty()) {
            QFile::remove(out + ".pdf");
            QFile::copy(pdf, out + ".pdf");
            QFile::remove(out + ".png");
            QFile::copy(png, out + ".png");
        }
        const QImage img(png);
        QVERIFY(!img.isNull());
        const QRect ink = inkBox(img);
        qInfo("figure %dx%d, content %d,%d %dx%d", img.width(), img.height(), ink.x(), ink.y(), ink.width(), ink.height());
        QVERIFY2(ink.right() >= 0.9 * img.width(), qPrintable(QString::number(ink.right())));
        QVERIFY2(ink.bottom() >= 0.9 * img.height(), qPrintable(QString::number(ink.bottom())));
        // The MediaBox: from pdfinfo when poppler-utils is installed, else from the file.
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const auto m = QRegularExpression(QStringLiteral("/MediaBox\\s*\\[\\s*0\\s+0\\s+([0-9.]+)\\s+([0-9.]+)"))
                           .match(QString::fromLatin1(bytes));
        QVERIFY2(m.hasMatch(), "no MediaBox");
        const double w = m.captured(1).toDouble(), h = m.captured(2).toDouble();
        qInfo("PDF MediaBox %g x %g pt", w, h);
        QVERIFY(std::abs(w / h - double(img.width()) / img.height()) < 0.01);
        QCOMPARE(int(std::lround(w)), img.width());
        QCOMPARE(int(std::lround(h)), img.height());
        const QString pdfinfo = QStandardPaths::findExecutable(QStringLiteral("pdfinfo"));
        if (!pdfinfo.isEmpty()) {
            QProcess p;
            p.start(pdfinfo, {pdf});
            QVERIFY(p.waitForFinished(30000));
            const QString info = QString::fromUtf8(p.readAllStandardOutput());
            const auto ps = QRegularExpression(QStringLiteral("Page size:\\s+([0-9.]+) x ([0-9.]+) pts")).match(info);
            QVERIFY2(ps.hasMatch(), qPrintable(info));
            QCOMPARE(ps.captured(1).toDouble(), w);
            QCOMPARE(ps.captured(2).toDouble(), h);
        }
    }

    void wholePanelExports()
    {
        QTemporaryDir dir;
        ComparisonPanel panel;
        ExplainInput in;
        in.shape = {1, 4, 4};
        in.isImage = true;
        in.values.assign(16, 0.5f);
        in.title = QStringLiteral("Panel title");
        panel.setInput(in);
        senn::explain::Explanation a, b;
        a.method = "saliency";
        a.shape = {1, 4, 4};
        a.values.assign(16, 0.1f);
        b.method = "integrated-gradients";
        b.shape = {1, 4, 4};
        b.values.assign(16, -0.2f);
        panel.setExplanations({a, b});
        QString error;
        const QString png = dir.filePath(QStringLiteral("panel.png"));
        QVERIFY2(panel.exportAll(png, 700, 360, 2.0, &error), qPrintable(error));
        QImage img(png);
        QCOMPARE(img.size(), QSize(1400, 720));
        const QString svg = dir.filePath(QStringLiteral("panel.svg"));
        QVERIFY2(panel.exportAll(svg, 700, 360, 1.0, &error), qPrintable(error));
        bool ok = false;
        const QString text = svgText(svg, &ok);
        QVERIFY(ok);
        QVERIFY(text.contains(QStringLiteral("Panel title")));
        const QString pdf = dir.filePath(QStringLiteral("panel.pdf"));
        QVERIFY2(panel.exportAll(pdf, 700, 360, 1.0, &error), qPrintable(error));
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.read(4) == "%PDF");
    }

    void exportsAreLightInDarkMode()
    {
        const QPalette old = QApplication::palette();
        QPalette dark = old;
        dark.setColor(QPalette::Window, QColor(30, 30, 30));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        QApplication::setPalette(dark);
        QTemporaryDir dir;
        std::unique_ptr<BarChart> chart(makeChart());
        chart->refreshTheme();
        // On screen the plot follows the dark palette...
        QCOMPARE(QColor(chart->plot()->toPixmap(120, 80).toImage().pixel(2, 2)), QColor(37, 37, 38));
        const QString path = dir.filePath(QStringLiteral("dark.png"));
        QVERIFY(chart->exportFigure(path, 300, 200, 1.0));
        QImage img(path);
        // ...the export is light, and the on-screen theme comes back afterwards.
        QCOMPARE(QColor(img.pixel(2, 2)), QColor(Qt::white));
        QCOMPARE(QColor(chart->plot()->toPixmap(120, 80).toImage().pixel(2, 2)), QColor(37, 37, 38));
        QApplication::setPalette(old);
    }

    void csvAndJsonFiles()
    {
        QTemporaryDir dir;
        std::unique_ptr<BarChart> chart(makeChart());
        const QString csv = dir.filePath(QStringLiteral("bars.csv"));
        QVERIFY(chart->exportCsv(csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()),
                 QStringLiteral("index,label,value\n0,radius,0.5\n1,texture,-0.25\n2,area,1\n"));
        const QString json = dir.filePath(QStringLiteral("bars.json"));
        QVERIFY(chart->exportJson(json));
        QFile j(json);
        QVERIFY(j.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(j.readAll()).object();
        QCOMPARE(o.value(QStringLiteral("bars")).toArray().size(), 3);
        QCOMPARE(o.value(QStringLiteral("bars")).toArray().at(1).toObject().value(QStringLiteral("value")).toDouble(), -0.25);
    }

    void badPathsFailCleanly()
    {
        QTemporaryDir dir;
        std::unique_ptr<BarChart> chart(makeChart());
        QString error;
        const QString unknown = dir.filePath(QStringLiteral("bars.xyz"));
        QVERIFY(!chart->exportFigure(unknown, 300, 200, 1.0, &error));
        QVERIFY(error.contains(QStringLiteral(".png")));
        QVERIFY(!QFile::exists(unknown));
        error.clear();
        QVERIFY(!chart->exportFigure(dir.filePath(QStringLiteral("missing/dir/bars.png")), 300, 200, 1.0, &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(csvField(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
        QCOMPARE(csvField(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
    }
};

QTEST_MAIN(TestPlotsExport)
#include "test_plots_export.moc"
