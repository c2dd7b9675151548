// Heat maps over the input image: colour photos stay in colour and grey images are not turned
// into negatives (pixels sampled from the rendered widget), the overlay's opacity, colour bars
// as tall as their map, comparison columns of one size that fit the panel, and log axes that
// survive ranges up to the largest double.
#include "ui/plots/comparison_panel.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/heatmap_view.h"

#include <QtTest>
#include <qcustomplot.h>

#include <cmath>
#include <limits>

using namespace senn::ui;

namespace {

// The colour drawn at the centre of map cell (x, y), read from the widget as it is on screen.
QColor cellColour(HeatmapView& view, int x, int y)
{
    view.plot()->replot(QCustomPlot::rpImmediateRefresh);
    const QImage img = view.plot()->grab().toImage();
    QCPColorMap* map = view.colorMap();
    const double px = map->keyAxis()->coordToPixel(x), py = map->valueAxis()->coordToPixel(y);
    if (qEnvironmentVariableIsSet("SENN_TEST_DUMP")) {
        qDebug() << "cell" << x << y << "at" << px << py << "of" << img.size();
        img.save(QStringLiteral("/tmp/underlay-%1-%2.png").arg(x).arg(y));
    }
    return img.pixelColor(int(std::lround(px)), int(std::lround(py)));
}

std::vector<float> solid(int channels, int h, int w, std::initializer_list<float> rgb)
{
    std::vector<float> v;
    for (float c : rgb)
        for (int i = 0; i < h * w && int(v.size()) < channels * h * w; ++i)
            v.push_back(c);
    return v;
}

senn::explain::Explanation mapOf(const std::string& method, int h, int w)
{
    senn::explain::Explanation e;
    e.method = method;
    e.shape = {1, h, w};
    e.values.assign(size_t(h * w), 0.0f);
    e.values[0] = 1.0f;
    e.values[1] = -0.5f;
    e.seconds = 0.01;
    return e;
}

} // namespace

class TestPlotsUnderlay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void colourImageStaysColour()
    {
        HeatmapView view;
        view.resize(360, 320);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // A pure red 8 x 8 photo; the map is zero except one strong cell.
        std::vector<float> values(64, 0.0f);
        values[0] = 1.0f;
        view.setValues(values, {1, 8, 8});
        view.setUnderlay(solid(3, 8, 8, {1.0f, 0.0f, 0.0f}), {3, 8, 8});
        QVERIFY(view.hasUnderlay());
        const QColor c = cellColour(view, 5, 5); // attribution 0: the image itself
        QVERIFY2(c.red() >= 245 && c.green() <= 10 && c.blue() <= 10,
                 qPrintable(QStringLiteral("underlay pixel %1 is not red").arg(c.name())));
        // The strong cell is drawn over it in the map's colour (dark red at the top of the scale).
        const QColor hot = cellColour(view, 0, 0);
        QVERIFY2(hot.red() > 80 && hot.green() < 60, qPrintable(hot.name()));
    }

    void greyImageIsNotInverted()
    {
        HeatmapView view;
        view.resize(360, 320);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setValues(std::vector<float>(64, 0.0f), {1, 8, 8});
        // Dark grey (0.3) and a white pixel: drawn as they are, not as 1 - v.
        std::vector<float> grey(64, 0.3f);
        grey[63] = 1.0f;
        view.setUnderlay(grey, {1, 8, 8});
        const QColor c = cellColour(view, 3, 3);
        QVERIFY2(std::abs(c.red() - 77) <= 4 && c.red() == c.green() && c.green() == c.blue(),
                 qPrintable(QStringLiteral("grey 0.3 drawn as %1").arg(c.name())));
        const QColor white = cellColour(view, 7, 7);
        QVERIFY2(white.red() >= 250, qPrintable(white.name()));
    }

    void opacityZeroShowsOnlyTheImage()
    {
        HeatmapView view;
        view.resize(360, 320);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        std::vector<float> values(64, 1.0f); // every cell at full strength
        view.setValues(values, {1, 8, 8});
        view.setUnderlay(solid(3, 8, 8, {0.0f, 1.0f, 0.0f}), {3, 8, 8});
        view.setOverlayOpacity(0.0);
        const QColor c = cellColour(view, 4, 4);
        QVERIFY2(c.green() >= 245 && c.red() <= 10, qPrintable(c.name()));
        view.setOverlayOpacity(1.0);
        const QColor hot = cellColour(view, 4, 4);
        QVERIFY2(hot.red() > 80 && hot.green() < 60, qPrintable(hot.name()));
        // Side by side: the map alone, white at 0 and no image under it.
        view.setUnderlayVisible(false);
        QCOMPARE(cellColour(view, 4, 4), view.colorAt(1.0));
    }

    void colourBarIsAsTallAsItsMap()
    {
        HeatmapView view;
        view.resize(220, 600); // a narrow, tall column: the map is far shorter than the widget
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        std::vector<float> values(28 * 28);
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = std::sin(float(i));
        view.setValues(values, {1, 28, 28});
        view.plot()->replot(QCustomPlot::rpImmediateRefresh);
        QCPAxis* y = view.colorMap()->valueAxis();
        const double mapH = std::fabs(y->coordToPixel(27.5) - y->coordToPixel(-0.5));
        const int barH = view.colorScale()->rect().height();
        QVERIFY2(std::fabs(barH - mapH) <= 4, qPrintable(QStringLiteral("bar %1 px, map %2 px").arg(barH).arg(mapH)));
        QVERIFY(mapH < 300);
    }

    void columnsFitThePanelAtOneSize()
    {
        ComparisonPanel panel;
        panel.resize(900, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        ExplainInput in;
        in.isImage = true;
        in.shape = {3, 16, 16};
        in.values = solid(3, 16, 16, {0.2f, 0.6f, 0.9f});
        panel.setInput(in);
        std::vector<senn::explain::Explanation> es;
        for (const char* m : {"saliency", "grad-input", "integrated-gradients", "smoothgrad", "lime",
                              "kernel-shap", "shapley", "occlusion"})
            es.push_back(mapOf(m, 16, 16));
        panel.setExplanations(es);
        QApplication::processEvents();
        if (qEnvironmentVariableIsSet("SENN_TEST_DUMP"))
            panel.grab().save(QStringLiteral("/tmp/underlay-panel.png"));
        QVERIFY2(panel.minimumSizeHint().width() <= 900,
                 qPrintable(QStringLiteral("needs %1 px").arg(panel.minimumSizeHint().width())));
        std::vector<double> sides;
        QList<HeatmapView*> maps{panel.inputView()};
        for (int i = 0; i < panel.columnCount(); ++i)
            maps << panel.heatmap(i);
        for (HeatmapView* v : maps) {
            QVERIFY(v);
            QVERIFY2(v->geometry().right() <= panel.width(),
                     qPrintable(QStringLiteral("a column ends at %1 of %2 px").arg(v->geometry().right()).arg(panel.width())));
            v->plot()->replot(QCustomPlot::rpImmediateRefresh);
            QCPAxis* x = v->colorMap()->keyAxis();
            sides.push_back(std::fabs(x->coordToPixel(15.5) - x->coordToPixel(-0.5)));
        }
        const auto [lo, hi] = std::minmax_element(sides.begin(), sides.end());
        QVERIFY2(*hi - *lo <= 3, qPrintable(QStringLiteral("image sides %1..%2 px").arg(*lo).arg(*hi)));
        QVERIFY(*lo >= 60);
        // Overlay (default) and side by side reach every map.
        panel.setShowUnderlay(false);
        QVERIFY(!panel.heatmap(0)->underlayImage().isNull());
        panel.setOverlayOpacity(0.3);
        QCOMPARE(panel.heatmap(3)->overlayOpacity(), 0.3);
    }

    void logAxisSurvivesHugeRanges()
    {
        CurvePlot plot;
        plot.resize(500, 350);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setLogX(true);
        plot.setLogY(true);
        const double big = 1.7e308, inf = std::numeric_limits<double>::infinity();
        CurveSeries s;
        s.name = QStringLiteral("huge");
        s.x = {0.01, big};
        s.median = {1.0, big};
        plot.setSeries({s});
        plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
        QVERIFY(std::isfinite(plot.plot()->xAxis->range().upper));
        s.x = {1e-320, 1e-300};
        s.median = {inf, -inf};
        plot.setSeries({s});
        plot.setLogX(false);
        s.x = {-big, big};
        s.median = {big, -big};
        plot.setSeries({s});
        plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
        QVERIFY(std::isfinite(plot.plot()->yAxis->range().lower));
    }
};

QTEST_MAIN(TestPlotsUnderlay)
#include "test_plots_underlay.moc"
