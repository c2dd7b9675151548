// Plot widgets with known answers: the symmetric diverging heat-map scale, shared ranges in
// the comparison panel, bar clicks and CSV rows, box statistics, training-curve bookkeeping,
// confusion matrix, prototype grid.
#include "ui/plots/attribution_grid.h"
#include "ui/plots/bar_chart.h"
#include "ui/plots/box_plot.h"
#include "ui/plots/comparison_panel.h"
#include "ui/plots/confusion_matrix_view.h"
#include "ui/plots/heatmap_view.h"
#include "ui/plots/prototype_grid.h"
#include "ui/plots/training_curves.h"

#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>

using namespace senn::ui;

static senn::explain::Explanation imageExplanation(const std::string& method, float lo, float hi)
{
    senn::explain::Explanation e;
    e.method = method;
    e.shape = {1, 3, 3};
    for (int i = 0; i < 9; ++i)
        e.values.push_back(lo + (hi - lo) * static_cast<float>(i) / 8.0f);
    e.seconds = 0.012;
    return e;
}

class TestPlotsWidgets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void heatmapIsSymmetricAndWhiteAtZero()
    {
        HeatmapView view;
        // {C=1,H=2,W=2} with values in [-1, 3]
        view.setValues({-1.f, 0.f, 1.f, 3.f}, {1, 2, 2});
        QCOMPARE(view.range(), 3.0);
        QCOMPARE(view.colorMap()->dataRange().lower, -3.0);
        QCOMPARE(view.colorMap()->dataRange().upper, 3.0);
        QCOMPARE(view.colorAt(0.0), QColor(Qt::white));
        const QColor pos = view.colorAt(3.0), neg = view.colorAt(-3.0);
        QVERIFY(pos.red() > pos.blue() + 50);
        QVERIFY(neg.blue() > neg.red() + 50);
        // A shared range set from outside wins over the map's own maximum.
        view.setRange(5.0);
        QCOMPARE(view.range(), 5.0);
        QCOMPARE(view.colorMap()->dataRange().lower, -5.0);
        view.setRange(0);
        QCOMPARE(view.range(), 3.0);
    }

    void heatmapSumsChannels()
    {
        HeatmapView view;
        // C=2, H=1, W=2: channel 0 = {1, 2}, channel 1 = {10, -20}
        view.setValues({1.f, 2.f, 10.f, -20.f}, {2, 1, 2});
        QCOMPARE(view.mapWidth(), 2);
        QCOMPARE(view.mapHeight(), 1);
        QCOMPARE(view.mapValues()[0], 11.0);
        QCOMPARE(view.mapValues()[1], -18.0);
        QCOMPARE(view.maxAbsValue(), 18.0);
    }

    void comparisonScalesPerColumnOrShared()
    {
        ComparisonPanel panel;
        ExplainInput in;
        in.shape = {1, 3, 3};
        in.isImage = true;
        in.values.assign(9, 0.5f);
        panel.setInput(in);
        panel.setExplanations({imageExplanation("saliency", 0, 1), imageExplanation("occlusion", -4, 2),
                               imageExplanation("integrated-gradients", -0.5f, 0.5f)});
        QCOMPARE(panel.columnCount(), 3);
        QCOMPARE(panel.sharedRange(), 4.0);
        // The input is shown left of the maps, in gray, without a colour bar of its own.
        QVERIFY(panel.inputView());
        QVERIFY(panel.inputView()->hasUnderlay());
        QVERIFY(!panel.inputView()->colorScale()->visible());
        // Default: every map on its own symmetric scale, each with its own colour bar.
        QVERIFY(!panel.sharedScale());
        const double own[] = {1.0, 4.0, 0.5};
        for (int i = 0; i < 3; ++i) {
            QVERIFY(panel.heatmap(i));
            QCOMPARE(panel.heatmap(i)->range(), own[i]);
            QCOMPARE(panel.heatmap(i)->colorMap()->dataRange().upper, own[i]);
            QVERIFY(panel.heatmap(i)->colorScale()->visible());
        }
        QCOMPARE(panel.columnTitle(0), QStringLiteral("Saliency"));
        QVERIFY(panel.columnCaption(0).contains(QStringLiteral("12 ms")));
        // Shared: only methods in the same unit share (occlusion and IG: additive attributions
        // of the logit); saliency, a gradient, keeps its own. One colour bar per group.
        panel.setSharedScale(true);
        QCOMPARE(panel.heatmap(0)->range(), 1.0);
        QCOMPARE(panel.heatmap(1)->range(), 4.0);
        QCOMPARE(panel.heatmap(2)->range(), 4.0);
        QVERIFY(panel.heatmap(0)->colorScale()->visible());
        QVERIFY(!panel.heatmap(1)->colorScale()->visible());
        QVERIFY(panel.heatmap(2)->colorScale()->visible());
        // A map whose peak is under 10% of its group's shared range says so (IG: 12.5%: no).
        QVERIFY(!panel.columnCaption(2).contains(QStringLiteral("shared scale")));
        panel.setExplanations({imageExplanation("integrated-gradients", 0, 0.02f), imageExplanation("occlusion", -4, 2)});
        QVERIFY2(panel.columnCaption(0).contains(QStringLiteral("peak 0.5% of the shared scale")),
                 qPrintable(panel.columnCaption(0)));
        QVERIFY(!panel.columnCaption(1).contains(QStringLiteral("shared scale")));
        panel.setSharedScale(false);
        QVERIFY(!panel.columnCaption(0).contains(QStringLiteral("shared scale")));
        QCOMPARE(panel.heatmap(0)->range(), 0.02f * 1.0);
    }

    void comparisonTabularGrid()
    {
        ComparisonPanel panel;
        ExplainInput in;
        in.shape = {3};
        in.values = {1, 2, 3};
        in.featureNames = {"a", "b", "c"};
        panel.setInput(in);
        senn::explain::Explanation senn;
        senn.method = "senn";
        senn.shape = {3};
        senn.values = {0.5f, -1.0f, 0.25f};
        senn.h = {1.0f, 2.0f, -4.0f};
        senn.contribution = {0.5f, -2.0f, -1.0f};
        senn::explain::Explanation lime;
        lime.method = "lime";
        lime.shape = {3};
        lime.values = {0.1f, 0.2f, -0.3f};
        lime.diagnostics["r2"] = 0.875;
        panel.setExplanations({senn, lime});
        QCOMPARE(panel.columnCount(), 2);
        QVERIFY(!panel.bars(0) && !panel.heatmap(0));
        // One grid: the features once, a column each for θ, h, θ·h and LIME.
        auto* grid = panel.featureGrid();
        QVERIFY(grid);
        QCOMPARE(grid->columnCount(), 4);
        QCOMPARE(grid->columnTitle(2), QStringLiteral("SENN θ·h"));
        // Own scales by default.
        QCOMPARE(grid->columnRange(0), 1.0);
        QCOMPARE(grid->columnRange(1), 4.0);
        QCOMPARE(grid->columnRange(2), 2.0);
        QCOMPARE(grid->columnRange(3), 0.3f * 1.0);
        // Shared: θ·h and LIME (additive, logit) share 2; θ and h keep their own.
        panel.setSharedScale(true);
        QCOMPARE(grid->columnRange(0), 1.0);
        QCOMPARE(grid->columnRange(1), 4.0);
        QCOMPARE(grid->columnRange(2), 2.0);
        QCOMPARE(grid->columnRange(3), 2.0);
        // Sorted by mean normalised |value|: b (.79), c (.69), a (.33).
        QCOMPARE(grid->shownRowNames(), (QStringList{"b", "c", "a"}));
        QVERIFY(panel.columnCaption(1).contains(QStringLiteral("R² 0.875")));
        // Agreement: one pair (SENN θ·h vs LIME).
        QVERIFY(panel.agreementTable());
        QCOMPARE(panel.agreementTable()->rowCount(), 1);
        // Identity concepts: a row click is the concept click.
        QSignalSpy spy(&panel, &ComparisonPanel::conceptClicked);
        Q_EMIT grid->rowClicked(2);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 2);
    }

    void barClickHitsTheRightBar()
    {
        BarChart chart;
        chart.setData(std::vector<float>{0.5f, -0.8f, 0.3f, 0.9f}, {"w", "x", "y", "z"});
        chart.resize(400, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.plot()->replot();
        QSignalSpy spy(&chart, &BarChart::barClicked);
        for (int index : {1, 3, 0}) {
            const QPoint pos = chart.plot()->mapFrom(&chart, chart.barCenterPixel(index).toPoint());
            QTest::mouseClick(chart.plot(), Qt::LeftButton, Qt::NoModifier, pos);
        }
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy.at(0).at(0).toInt(), 1);
        QCOMPARE(spy.at(1).at(0).toInt(), 3);
        QCOMPARE(spy.at(2).at(0).toInt(), 0);
        // Vertical bars too, through the key position of the bar.
        chart.setOrientation(BarChart::Orientation::Vertical);
        chart.plot()->replot();
        const QPoint pos = chart.plot()->mapFrom(&chart, chart.barCenterPixel(2).toPoint());
        QTest::mouseClick(chart.plot(), Qt::LeftButton, Qt::NoModifier, pos);
        QCOMPARE(spy.count(), 4);
        QCOMPARE(spy.at(3).at(0).toInt(), 2);
    }

    void barCsvAndTopN()
    {
        BarChart chart;
        chart.setData(std::vector<double>{0.5, -2.0, 0.25, 1.5}, QStringList{"a", "b,c", "d", "e"});
        const QStringList lines = chart.dataCsv().trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines[0], QStringLiteral("index,label,value"));
        QCOMPARE(lines[1], QStringLiteral("0,a,0.5"));
        QCOMPARE(lines[2], QStringLiteral("1,\"b,c\",-2"));
        QCOMPARE(lines[4], QStringLiteral("3,e,1.5"));
        chart.setTopN(2);
        QCOMPARE(chart.barCount(), 2);
        QCOMPARE(chart.shownIndices(), (std::vector<int>{1, 3}));
        QCOMPARE(chart.range(), 2.0);
        chart.setRange(3.0);
        QCOMPARE(chart.plot()->xAxis->range().upper, 3.0 * 1.05);
        QCOMPARE(chart.plot()->xAxis->range().lower, -3.0 * 1.05);
    }

    void boxStatsMatchNumpy()
    {
        // numpy.percentile([1..9, 100], [25, 50, 75]) = 3.25, 5.5, 7.75
        const BoxStats s = BoxStats::compute({1, 2, 3, 4, 5, 6, 7, 8, 9, 100, NAN});
        QCOMPARE(s.n, 10);
        QCOMPARE(s.q1, 3.25);
        QCOMPARE(s.median, 5.5);
        QCOMPARE(s.q3, 7.75);
        QCOMPARE(s.lowerWhisker, 1.0);
        QCOMPARE(s.upperWhisker, 9.0);
        QCOMPARE(s.outliers, std::vector<double>{100.0});
        BoxPlot plot;
        plot.setBoxes({{QStringLiteral("LIME"), {1, 2, 3}}, {QStringLiteral("SHAP"), {}}});
        QCOMPARE(plot.boxCount(), 2);
        QVERIFY(plot.dataCsv().contains(QStringLiteral("LIME,3,1,1.5,2,2.5,3,")));
    }

    void trainingCurvesBookkeeping()
    {
        TrainingCurves curves;
        curves.setSmoothing(0.5);
        senn::train::BatchReport r;
        r.epoch = 1;
        r.epochs = 2;
        r.batches = 2;
        r.batch = 1;
        r.ce = 1.0;
        r.batchAccuracy = 0.5;
        curves.addBatch(r);
        QCOMPARE(curves.activeTerms(), std::vector<int>{TrainingCurves::Ce});
        QCOMPARE(curves.smoothedValue(TrainingCurves::Ce), 1.0); // bias-corrected: 0.5 / (1 - 0.5)
        r.batch = 2;
        r.ce = 3.0;
        r.robustness = 0.1;
        curves.addBatch(r);
        // Bias-corrected EMA: (0.5·0.5·1 + 0.5·3) / (1 - 0.5²) = 1.75 / 0.75 (a plain EMA
        // started at the first batch gives 2, leaning on the first value).
        QCOMPARE(curves.smoothedValue(TrainingCurves::Ce), 7.0 / 3.0);
        QCOMPARE(curves.activeTerms(), (std::vector<int>{TrainingCurves::Ce, TrainingCurves::Robustness}));
        senn::train::BatchReport end = r;
        end.epochEnd = true;
        end.epochRecord.epoch = 1;
        end.epochRecord.ce = 2.0;
        end.epochRecord.trainAccuracy = 0.6;
        end.epochRecord.valAccuracy = 0.55;
        curves.addBatch(end);
        QCOMPARE(curves.batchCount(), 2);
        QCOMPARE(curves.epochCount(), 1);
        const QStringList csv = curves.dataCsv().trimmed().split(QLatin1Char('\n'));
        QCOMPARE(csv.size(), 4);
        QVERIFY(csv[3].startsWith(QStringLiteral("epoch,1,1,")));
        curves.setHistory({end.epochRecord, end.epochRecord});
        QCOMPARE(curves.batchCount(), 0);
        QCOMPARE(curves.epochCount(), 2);
        curves.clear();
        QCOMPARE(curves.epochCount(), 0);
        QVERIFY(std::isnan(curves.smoothedValue(TrainingCurves::Ce)));
    }

    void confusionMatrix()
    {
        ConfusionMatrixView view;
        view.setMatrix({{5, 1}, {2, 2}}, {"benign", "malignant"});
        QCOMPARE(view.total(), int64_t(10));
        QCOMPARE(view.accuracy(), 0.7);
        QCOMPARE(view.dataCsv(), QStringLiteral("true\\predicted,benign,malignant\nbenign,5,1\nmalignant,2,2\n"));
    }

    void prototypeGrid()
    {
        senn::data::Dataset data;
        data.kind = senn::data::DataKind::Image;
        data.sampleShape = {1, 2, 2};
        data.classNames = {"zero", "one"};
        for (int i = 0; i < 6; ++i) {
            for (int p = 0; p < 4; ++p)
                data.x.push_back(static_cast<float>(i) / 5.0f);
            data.y.push_back(i % 2);
        }
        senn::metrics::Prototypes protos;
        protos.k = 2;
        protos.top = {{5, 4}, {0, 1}};
        protos.bottom = {{0, 1}, {5, 4}};
        protos.topValue = {{0.9f, 0.8f}, {0.7f, 0.6f}};
        protos.bottomValue = {{-0.9f, -0.8f}, {-0.7f, -0.6f}};
        PrototypeGrid grid;
        grid.setPrototypes(protos, data);
        QCOMPARE(grid.rowCount(), 2);
        QCOMPARE(grid.columnCount(), 4);
        const QStringList csv = grid.dataCsv().trimmed().split(QLatin1Char('\n'));
        QCOMPARE(csv.size(), 9);
        QCOMPARE(csv[1], QStringLiteral("0,top,1,5,0.899999976,one"));
        grid.showConcept(1);
        QCOMPARE(grid.rowCount(), 1);
        grid.showConcept(-1);
        QCOMPARE(grid.rowCount(), 2);
        // 1-channel float image -> gray pixels
        const QImage img = floatImageToQImage({0.f, 1.f, 0.5f, 2.f}, {1, 2, 2});
        QCOMPARE(img.size(), QSize(2, 2));
        QCOMPARE(QColor(img.pixel(0, 0)), QColor(0, 0, 0));
        QCOMPARE(QColor(img.pixel(1, 0)), QColor(255, 255, 255));
        QCOMPARE(QColor(img.pixel(1, 1)), QColor(255, 255, 255)); // clamped
    }

    // Box-plot method names never overlap: 8 long names at a narrow width are rotated (and
    // elided when longer than about a third of the height), short ones stay horizontal, and
    // names too dense even when vertical are labelled every k-th.
    void boxPlotLabelsNeverOverlap_data()
    {
        QTest::addColumn<int>("boxes");
        QTest::addColumn<bool>("longNames");
        QTest::addColumn<int>("width");
        QTest::addColumn<double>("rotation");
        QTest::newRow("8 long, 420 px") << 8 << true << 420 << 45.0;
        QTest::newRow("8 long, 170 px") << 8 << true << 170 << 90.0;
        QTest::newRow("3 short, 600 px") << 3 << false << 600 << 0.0;
        QTest::newRow("8 long, 1400 px") << 8 << true << 1400 << 45.0;
        QTest::newRow("30 long, 200 px") << 30 << true << 200 << 90.0;
    }
    void boxPlotLabelsNeverOverlap()
    {
        QFETCH(int, boxes);
        QFETCH(bool, longNames);
        QFETCH(int, width);
        QFETCH(double, rotation);
        const QStringList names{"Integrated gradients (mean baseline)", "KernelSHAP (k-means background)",
                                "SmoothGrad (σ = 0.15, 50 samples)", "Saliency |∂f/∂x| absolute",
                                "LIME (discretised quartiles)", "Occlusion (window 3, stride 1)",
                                "SENN θ·h (relevance × concept)", "Permutation importance (10 rounds)"};
        std::vector<BoxSeries> series;
        for (int i = 0; i < boxes; ++i)
            series.push_back({longNames ? names[i % names.size()] + QStringLiteral(" #%1").arg(i) : QStringLiteral("M%1").arg(i),
                              {0.1 * i, 0.2 * i + 0.5, 0.3 * i + 1}, QColor()});
        BoxPlot plot;
        plot.setTitle(QStringLiteral("Removal correlation"));
        plot.setBoxes(series);
        plot.resize(width, 320);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
        QApplication::processEvents();
        QCOMPARE(plot.tickLabelRotation(), rotation);
        const QList<QPolygonF> outlines = plot.tickLabelOutlines();
        QVERIFY(!outlines.isEmpty());
        if (width >= 400)
            QCOMPARE(outlines.size(), boxes); // every box named where there is room
        for (int i = 0; i < outlines.size(); ++i) {
            // Inside the widget from top to bottom, and no two labels touch.
            QVERIFY2(outlines[i].boundingRect().bottom() <= plot.height(), qPrintable(QString::number(i)));
            for (int j = i + 1; j < outlines.size(); ++j)
                QVERIFY2(!outlines[i].intersects(outlines[j]), qPrintable(QString("labels %1 and %2").arg(i).arg(j)));
        }
        // Elided names keep their start; none is longer than about a third of the height.
        for (int i = 0; i < plot.tickLabels().size(); ++i) {
            const QString shown = plot.tickLabels()[i];
            if (shown.isEmpty())
                continue;
            QVERIFY(series[size_t(i)].name.startsWith(shown.chopped(shown.endsWith(QChar(0x2026)) ? 1 : 0)));
            if (rotation > 0)
                QVERIFY(QFontMetricsF(plot.plot()->xAxis->tickLabelFont()).horizontalAdvance(shown) <= 0.34 * 320 + 1);
        }
    }

    // The grid's column scale is the max |value| over the rows shown: a column whose largest
    // value lies on a feature outside the top K is scaled to what it shows (not blank).
    void gridScalesColumnsOverShownRows()
    {
        AttributionGrid grid;
        QStringList names;
        std::vector<float> lime(16, 1.0f), saliency(16, 0.1f);
        for (int i = 0; i < 16; ++i)
            names << QStringLiteral("f%1").arg(i);
        lime[15] = 0.0f;      // f15: LIME 0 ...
        saliency[15] = 10.0f; // ... saliency's peak; mean normalised |value| 0.5 < 0.505 (f0-f14)
        grid.setData(names, {{"LIME", "lime", lime, "g"}, {"Saliency", "saliency", saliency, "g"}});
        grid.setTopK(15);
        QVERIFY(!grid.shownRowNames().contains("f15"));
        QCOMPARE(grid.columnRange(0), 1.0);
        QCOMPARE(grid.columnRange(1), double(0.1f)); // over the 15 shown, not 10
        grid.setTopK(0); // all rows: the peak is shown
        QCOMPARE(grid.columnRange(1), 10.0);
        grid.setTopK(15);
        grid.setSharedScale(true); // one bound for the group, over the rows shown
        QCOMPARE(grid.columnRange(0), 1.0);
        QCOMPARE(grid.columnRange(1), 1.0);
    }
};

QTEST_MAIN(TestPlotsWidgets)
#include "test_plots_widgets.moc"
