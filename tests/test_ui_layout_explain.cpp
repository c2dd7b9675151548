// The Explain view as a person sees it at 1280×800 and 1600×1000: on images SENN's
// contribution θ·h leads its column with θ and h beside it, all above the fold; every column
// has a readable title and a map of a useful size, nothing overlaps; the mouse wheel over a
// heat map scrolls the panel; Shapley and KernelSHAP say how they ran; exports name the row.
// Screenshots go to $SENN_TEST_DUMP (a folder) when it is set.
#include "support/test_ui_util.h"

#include "ui/plots/attribution_grid.h"
#include "ui/plots/bar_chart.h"
#include "ui/plots/comparison_panel.h"
#include "ui/plots/heatmap_view.h"
#include "ui/views/explain_view.h"

#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QWheelEvent>
#include <qcustomplot.h>

#include <cmath>
#include <random>

using namespace senn::ui;
using senn::explain::Explanation;

namespace {

Explanation mapOf(const std::string& method, const std::vector<int64_t>& shape, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.f, 1.f);
    Explanation e;
    e.method = method;
    e.shape = shape;
    int64_t size = 1;
    for (int64_t s : shape)
        size *= s;
    for (int64_t i = 0; i < size; ++i)
        e.values.push_back(n(rng));
    e.seconds = 0.02;
    return e;
}

// An MNIST-like SENN explanation: θ ≈ −1 for every concept, yet four of the five
// contributions θ·h are positive (the concepts are negative).
Explanation sennConcepts()
{
    Explanation e;
    e.method = "senn";
    e.values = {-1.0f, -0.9f, -1.1f, -0.95f, -1.05f};
    e.h = {-0.8f, -0.6f, -0.9f, -0.7f, 0.5f};
    for (size_t i = 0; i < e.values.size(); ++i) {
        e.contribution.push_back(e.values[i] * e.h[i]);
        e.labels.push_back("concept " + std::to_string(i + 1));
    }
    e.shape = {int64_t(e.values.size())};
    e.seconds = 0.001;
    e.modelRows = 1;
    return e;
}

Explanation tabular(const std::string& method, size_t d, uint32_t seed)
{
    Explanation e = mapOf(method, {int64_t(d)}, seed);
    return e;
}

QString dumpDir()
{
    const QString d = qEnvironmentVariable("SENN_TEST_DUMP");
    if (!d.isEmpty())
        QDir().mkpath(d);
    return d;
}

// A small folder of colour "photos" (two classes, 64×64), for the colour path.
QString writePhotos(const QString& root)
{
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> u(0, 255);
    for (const char* cls : {"cat", "dog"}) {
        QDir().mkpath(root + "/" + cls);
        for (int i = 0; i < 12; ++i) {
            QImage img(64, 64, QImage::Format_RGB32);
            const QColor base(u(rng), u(rng), u(rng));
            for (int y = 0; y < 64; ++y)
                for (int x = 0; x < 64; ++x)
                    img.setPixelColor(x, y, QColor((base.red() + 2 * x) % 256, (base.green() + 3 * y) % 256,
                                                   (base.blue() + x * y / 16) % 256));
            img.save(QStringLiteral("%1/%2/%3.png").arg(root, cls).arg(i));
        }
    }
    return root;
}

// Shows `explanations` of the first test row in the Explain view of `w`, as the worker would.
bool showResult(MainWindow& w, const std::vector<Explanation>& explanations, qint64* row = nullptr)
{
    w.showView("explain");
    const auto& d = *w.dataset().data;
    if (w.dataset().testRows.empty())
        return false;
    ExplainResult r;
    r.request.row = w.dataset().testRows.front();
    r.input.assign(d.row(r.request.row), d.row(r.request.row) + d.featureCount());
    r.label = d.y[size_t(r.request.row)];
    r.prediction = r.label;
    r.probabilities.assign(size_t(d.numClasses()), 0.0f);
    r.probabilities[size_t(r.label)] = 0.9f;
    r.explanations = explanations;
    w.explainView()->setResult(r);
    QTest::qWait(100); // the scroll area lays the panel out
    QApplication::processEvents();
    if (row)
        *row = r.request.row;
    return w.explainView()->panel()->columnCount() == int(explanations.size());
}

QScrollArea* scrollOf(ComparisonPanel* panel)
{
    return qobject_cast<QScrollArea*>(panel->parentWidget() ? panel->parentWidget()->parentWidget() : nullptr);
}

// Widget `w`'s rectangle in the coordinates of `to`.
QRect rectIn(const QWidget* w, const QWidget* to)
{
    return QRect(w->mapTo(to, QPoint(0, 0)), w->size());
}

// The pixels the colour map itself takes inside a heat map.
QSize drawnMapSize(HeatmapView* map)
{
    map->plot()->replot(QCustomPlot::rpImmediateRefresh);
    QCPAxis* x = map->colorMap()->keyAxis();
    QCPAxis* y = map->colorMap()->valueAxis();
    const double w = std::fabs(x->coordToPixel(map->mapWidth() - 0.5) - x->coordToPixel(-0.5));
    const double h = std::fabs(y->coordToPixel(map->mapHeight() - 0.5) - y->coordToPixel(-0.5));
    return QSize(int(std::lround(w)), int(std::lround(h)));
}

bool disjoint(const QList<QRect>& rects, QString* which)
{
    for (int i = 0; i < rects.size(); ++i)
        for (int j = i + 1; j < rects.size(); ++j)
            if (rects[i].intersects(rects[j])) {
                *which = QStringLiteral("%1 and %2").arg(i).arg(j);
                return false;
            }
    return true;
}

std::vector<Explanation> imageMethods(const std::vector<int64_t>& shape)
{
    std::vector<Explanation> es{sennConcepts()};
    uint32_t seed = 1;
    for (const char* m : {"saliency", "grad-input", "integrated-gradients", "smoothgrad", "occlusion", "lime"})
        es.push_back(mapOf(m, shape, seed++));
    return es;
}

} // namespace

class TestUiLayoutExplain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    // On images SENN's column leads with the contributions θ·h (what pushes for the class),
    // with θ and h beside them; a click on a concept in any of them marks it in all three.
    void sennColumnLeadsWithContribution()
    {
        ComparisonPanel panel;
        panel.resize(1000, 700);
        ExplainInput in;
        in.isImage = true;
        in.shape = {1, 28, 28};
        in.values.assign(28 * 28, 0.5f);
        panel.setInput(in);
        const Explanation senn = sennConcepts();
        panel.setExplanations({senn, mapOf("saliency", {1, 28, 28}, 3)});
        BarChart* main = qobject_cast<BarChart*>(panel.mainPlot(0));
        QVERIFY(main);
        QCOMPARE(main, panel.contributionBars(0));
        QVERIFY(panel.bars(0) && panel.conceptBars(0));
        QVERIFY(panel.bars(0) != main && panel.conceptBars(0) != main);
        // Its values are θ·h of the explanation, concept by concept.
        QCOMPARE(int(main->values().size()), 5);
        int positive = 0;
        for (size_t k = 0; k < 5; ++k) {
            QCOMPARE(senn.contribution[k], senn.values[k] * senn.h[k]);
            QCOMPARE(main->values()[k], double(senn.contribution[k]));
            QCOMPARE(panel.bars(0)->values()[k], double(senn.values[k]));
            QCOMPARE(panel.conceptBars(0)->values()[k], double(senn.h[k]));
            positive += main->values()[k] > 0;
        }
        QCOMPARE(positive, 4);
        QVERIFY(panel.columnTitle(0).contains(QStringLiteral("θ·h")));
        // The report's page: the whole panel as one figure, SENN's charts in it.
        QTemporaryDir dir;
        const QString dump = dumpDir();
        const QString png = (dump.isEmpty() ? dir.path() : dump) + QStringLiteral("/report-page.png");
        QString error;
        QVERIFY2(panel.exportAll(png, 1400, 990, 1.0, &error), qPrintable(error));
        QCOMPARE(QImage(png).size(), QSize(1400, 990));
        QVERIFY(panel.contributionBars(0)->width() >= 120);
        // The pixels as concepts (identity): a map of θ·h.
        Explanation pixels = mapOf("senn", {1, 28, 28}, 4);
        pixels.h = in.values;
        for (size_t i = 0; i < pixels.values.size(); ++i)
            pixels.contribution.push_back(pixels.values[i] * pixels.h[i]);
        panel.setExplanations({pixels});
        QVERIFY(panel.heatmap(0));
        QCOMPARE(panel.mainPlot(0), panel.heatmap(0));
        QCOMPARE(panel.heatmap(0)->mapValues()[100], double(pixels.contribution[100]));
        QVERIFY(panel.columnTitle(0).contains(QStringLiteral("θ·h")));
    }

    void sennVisibleWithoutScrollingAt1280x800()
    {
        MainWindow w;
        QVERIFY(test::showAt(w, 1280, 800));
        QVERIFY(test::openAndWait(w, test::mnist()));
        QVERIFY(showResult(w, imageMethods({1, 28, 28})));
        auto* panel = w.explainView()->panel();
        auto* scroll = scrollOf(panel);
        QVERIFY(scroll);
        QCOMPARE(scroll->verticalScrollBar()->value(), 0);
        const QRect viewport(QPoint(0, 0), scroll->viewport()->size());
        for (BarChart* b : {panel->contributionBars(0), panel->bars(0), panel->conceptBars(0)}) {
            QVERIFY(b && b->isVisible());
            const QRect r = rectIn(b, scroll->viewport());
            QVERIFY2(viewport.contains(r), qPrintable(QStringLiteral("%1: %2,%3 %4×%5 in a viewport of %6×%7")
                                                          .arg(b->title()).arg(r.x()).arg(r.y()).arg(r.width())
                                                          .arg(r.height()).arg(viewport.width()).arg(viewport.height())));
            QVERIFY2(b->height() >= 90 && b->width() >= 120, qPrintable(b->title()));
            // Every concept's bar is drawn.
            QCOMPARE(b->barCount(), 5);
        }
    }

    void wheelOverHeatmapScrollsThePanel()
    {
        MainWindow w;
        QVERIFY(test::showAt(w, 1280, 800));
        QVERIFY(test::openAndWait(w, test::mnist()));
        auto es = imageMethods({1, 28, 28});
        for (const char* m : {"kernel-shap", "shapley"})
            es.push_back(mapOf(m, {1, 28, 28}, 11));
        QVERIFY(showResult(w, es));
        auto* panel = w.explainView()->panel();
        auto* scroll = scrollOf(panel);
        QVERIFY(scroll);
        QScrollBar* bar = scroll->verticalScrollBar();
        QVERIFY2(bar->maximum() > 0, "the panel is taller than its viewport");
        QCOMPARE(bar->value(), 0);
        HeatmapView* map = panel->heatmap(1);
        QVERIFY(map && map->isVisible());
        // Delivered as the window system does: to the widget under the cursor (the plot).
        QWidget* target = map->plot();
        const QPoint local(target->width() / 2, target->height() / 2);
        QWheelEvent wheel(local, target->mapToGlobal(local), QPoint(), QPoint(0, -120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(target, &wheel);
        QVERIFY2(bar->value() > 0, qPrintable(QStringLiteral("scroll bar at %1 of %2").arg(bar->value()).arg(bar->maximum())));
        const int down = bar->value();
        QWheelEvent up(local, target->mapToGlobal(local), QPoint(), QPoint(0, 120), Qt::NoButton,
                       Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(target, &up);
        QVERIFY(bar->value() < down);
        // Over SENN's bars too.
        const int before = bar->value();
        QWidget* bars = panel->contributionBars(0)->plot();
        QWheelEvent again(local, bars->mapToGlobal(local), QPoint(), QPoint(0, -120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(bars, &again);
        QVERIFY(bar->value() > before);
        // With Ctrl the wheel stays with the plot (kept for zooming).
        const int scrolled = bar->value();
        QWheelEvent zoom(local, target->mapToGlobal(local), QPoint(), QPoint(0, -120), Qt::NoButton,
                         Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(target, &zoom);
        QCOMPARE(bar->value(), scrolled);
    }

    void shapleyAndKernelShapSayHowTheyRan()
    {
        ComparisonPanel panel;
        ExplainInput in;
        in.shape = {30};
        for (int j = 0; j < 30; ++j) {
            in.values.push_back(float(j));
            in.featureNames.push_back("f" + std::to_string(j));
        }
        panel.setInput(in);
        Explanation exact = tabular("shapley", 30, 1);
        exact.diagnostics["exact"] = 1;
        Explanation sampled = tabular("shapley", 30, 2);
        sampled.diagnostics["exact"] = 0;
        sampled.diagnostics["permutations"] = 10;
        sampled.modelRows = 3100;
        Explanation shap = tabular("kernel-shap", 30, 3);
        shap.diagnostics["nsamples"] = 2108;
        shap.diagnostics["coalitions"] = 2108;
        shap.diagnostics["full_enumeration"] = 0;
        Explanation shapAll = tabular("kernel-shap", 30, 4);
        shapAll.diagnostics["nsamples"] = 2108;
        shapAll.diagnostics["coalitions"] = 14;
        shapAll.diagnostics["full_enumeration"] = 1;
        QCOMPARE(explanationLabel(exact), QStringLiteral("Shapley (exact)"));
        QCOMPARE(explanationLabel(sampled), QStringLiteral("Shapley (sampled, 10 permutations)"));
        QCOMPARE(explanationLabel(shap), QStringLiteral("KernelSHAP (2108 coalitions)"));
        QCOMPARE(explanationLabel(shapAll), QStringLiteral("KernelSHAP (all 14 coalitions)"));
        panel.setExplanations({exact, sampled, shap});
        // The grid's column titles and the captions' method names.
        auto* grid = panel.featureGrid();
        QVERIFY(grid);
        QCOMPARE(grid->columnTitle(0), QStringLiteral("Shapley (exact)"));
        QCOMPARE(grid->columnTitle(1), QStringLiteral("Shapley (sampled, 10 permutations)"));
        QCOMPARE(grid->columnTitle(2), QStringLiteral("KernelSHAP (2108 coalitions)"));
        QCOMPARE(panel.columnTitle(1), QStringLiteral("Shapley (sampled, 10 permutations)"));
        // The exports.
        QVERIFY(panel.dataCsv().contains(QStringLiteral("Shapley (sampled, 10 permutations)")));
        const auto methods = QJsonDocument::fromJson(panel.dataJson().toUtf8()).object().value("methods").toArray();
        QCOMPARE(methods.size(), 3);
        QCOMPARE(methods[0].toObject().value("label").toString(), QStringLiteral("Shapley (exact)"));
        QCOMPARE(methods[1].toObject().value("label").toString(), QStringLiteral("Shapley (sampled, 10 permutations)"));
        // Images: the heat map column's title.
        ExplainInput img;
        img.isImage = true;
        img.shape = {1, 28, 28};
        img.values.assign(28 * 28, 0.5f);
        panel.setInput(img);
        Explanation map = mapOf("shapley", {1, 28, 28}, 5);
        map.diagnostics["exact"] = 0;
        map.diagnostics["permutations"] = 100;
        panel.setExplanations({map});
        QCOMPARE(panel.columnTitle(0), QStringLiteral("Shapley (sampled, 100 permutations)"));
        // The method's name in the picker no longer promises "exact".
        QCOMPARE(QString::fromStdString(senn::explain::methodDisplayName(senn::explain::Method::Shapley)),
                 QStringLiteral("Shapley"));
    }

    void exportsNameTheRow()
    {
        MainWindow w;
        QVERIFY(test::showAt(w, 1280, 800));
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        qint64 row = -1;
        QVERIFY(showResult(w, {tabular("lime", 30, 1), tabular("saliency", 30, 2)}, &row));
        QVERIFY(row > 0);
        auto* panel = w.explainView()->panel();
        QCOMPARE(panel->input().row, row);
        const QStringList csv = panel->dataCsv().trimmed().split('\n');
        QVERIFY2(csv.first().startsWith(QStringLiteral("row,method,method_label,index,label,value")), qPrintable(csv.first()));
        for (int i = 1; i < csv.size(); ++i)
            QVERIFY2(csv[i].startsWith(QString::number(row) + ","), qPrintable(csv[i]));
        const QJsonObject o = QJsonDocument::fromJson(panel->dataJson().toUtf8()).object();
        QCOMPARE(o.value("row").toInteger(), row);
        // Written to a file through the panel's export, the row is there too.
        QTemporaryDir dir;
        QString error;
        QVERIFY(panel->exportData(dir.filePath("c.csv"), &error));
        QFile f(dir.filePath("c.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().split('\n').at(1).startsWith(QByteArray::number(row) + ","));
    }

    // Every column titled, maps at least 120×120, nothing overlapping, at both window sizes,
    // on MNIST, on colour photos and on the breast-cancer table.
    void layoutAtTwoWindowSizes_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QString>("data");
        for (QSize s : {QSize(1280, 800), QSize(1600, 1000)})
            for (const char* d : {"mnist", "photos", "table"})
                QTest::addRow("%s-%dx%d", d, s.width(), s.height()) << s << QString(d);
    }
    void layoutAtTwoWindowSizes()
    {
        QFETCH(QSize, size);
        QFETCH(QString, data);
        QTemporaryDir tmp;
        MainWindow w;
        QVERIFY(test::showAt(w, size.width(), size.height()));
        std::vector<Explanation> es;
        if (data == "table") {
            QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
            Explanation senn = tabular("senn", 30, 9);
            senn.h = tabular("senn", 30, 10).values;
            for (size_t j = 0; j < 30; ++j)
                senn.contribution.push_back(senn.values[j] * senn.h[j]);
            es.push_back(senn);
            uint32_t seed = 1;
            for (const char* m : {"lime", "kernel-shap", "shapley", "saliency", "integrated-gradients", "occlusion"})
                es.push_back(tabular(m, 30, seed++));
            // The long names of sampled runs must fit their headers too.
            es[2].diagnostics["coalitions"] = 2108;
            es[3].diagnostics["exact"] = 0;
            es[3].diagnostics["permutations"] = 100;
        } else if (data == "mnist") {
            QVERIFY(test::openAndWait(w, test::mnist()));
            es = imageMethods({1, 28, 28});
            Explanation shapley = mapOf("shapley", {1, 28, 28}, 20);
            shapley.diagnostics["exact"] = 0;
            shapley.diagnostics["permutations"] = 100;
            es.push_back(shapley);
        } else {
            QVERIFY(test::openAndWait(w, writePhotos(tmp.filePath("photos"))));
            es = imageMethods({3, 64, 64});
        }
        QCOMPARE(w.size(), size);
        QVERIFY(showResult(w, es));
        auto* panel = w.explainView()->panel();
        auto* scroll = scrollOf(panel);
        QVERIFY(scroll);
        if (const QString dump = dumpDir(); !dump.isEmpty()) {
            w.grab().save(QStringLiteral("%1/explain-%2-%3x%4.png").arg(dump, data).arg(size.width()).arg(size.height()));
            // The report's figure of the same panel (a landscape page, as ReportWriter renders it).
            QVERIFY(panel->exportAll(QStringLiteral("%1/report-figure-%2-%3x%4.png").arg(dump, data).arg(size.width()).arg(size.height()),
                                     1400, 990, 1.0));
        }
        // The figure of the panel in its scroll area is the figure a detached panel showing the
        // same draws: the area once undid the export's resize, so wrapped image rows were laid
        // out for the viewport and drawn at the figure's size (titles hidden, captions on maps).
        {
            const QString embedded = tmp.filePath("embedded.png"), detached = tmp.filePath("detached.png");
            QVERIFY(panel->exportAll(embedded, 1400, 990, 1.0));
            ComparisonPanel alone;
            alone.setAttribute(Qt::WA_DontShowOnScreen, true);
            alone.showLike(*panel, panel->explanations());
            QVERIFY(alone.exportAll(detached, 1400, 990, 1.0));
            QVERIFY(QImage(embedded) == QImage(detached));
        }
        // Nothing runs off to the right: no horizontal scrolling.
        QVERIFY2(panel->width() <= scroll->viewport()->width(),
                 qPrintable(QStringLiteral("panel %1 px in a viewport of %2").arg(panel->width()).arg(scroll->viewport()->width())));
        QList<QRect> rects;
        for (int i = 0; i < panel->columnCount(); ++i) {
            const QString title = panel->columnTitle(i);
            QVERIFY2(!title.trimmed().isEmpty(), qPrintable(QString::number(i)));
            QLabel* label = panel->titleLabel(i);
            QVERIFY(label && label->isVisible());
            // Whole: as tall as its wrapped text needs, and inside the panel.
            QVERIFY2(label->height() >= label->heightForWidth(label->width()) || !label->wordWrap(),
                     qPrintable(title));
            QVERIFY2(label->width() >= 40 && label->height() >= label->fontMetrics().height(), qPrintable(title));
            QVERIFY2(QRect(QPoint(0, 0), panel->size()).contains(rectIn(label, panel)), qPrintable(title));
            rects << rectIn(label, panel);
            if (HeatmapView* map = panel->heatmap(i)) {
                QVERIFY(map->isVisible());
                const QSize drawn = drawnMapSize(map);
                QVERIFY2(drawn.width() >= 120 && drawn.height() >= 120,
                         qPrintable(QStringLiteral("%1: map drawn %2×%3").arg(title).arg(drawn.width()).arg(drawn.height())));
                rects << rectIn(map, panel);
            }
            if (BarChart* b = panel->contributionBars(i)) {
                QVERIFY(b->isVisible());
                QVERIFY2(b->width() >= 120 && b->height() >= 90, qPrintable(title));
                rects << rectIn(b->parentWidget(), panel); // the SENN cell
            }
        }
        if (panel->inputView())
            rects << rectIn(panel->inputView(), panel);
        QString which;
        QVERIFY2(disjoint(rects, &which), qPrintable(which));
        if (data == "table") {
            auto* grid = panel->featureGrid();
            QVERIFY(grid && grid->isVisible());
            QVERIFY(rectIn(grid, panel).right() < scroll->viewport()->width());
            QList<QRect> headers;
            for (int c = 0; c < grid->columnCount(); ++c) {
                QVERIFY(!grid->columnTitle(c).isEmpty());
                const QRect h = grid->headerRect(c);
                QVERIFY2(h.width() >= 50, qPrintable(grid->columnTitle(c)));
                QVERIFY(h.right() < grid->width());
                headers << h;
            }
            QVERIFY2(disjoint(headers, &which), qPrintable(which));
        }
    }
};

QTEST_MAIN(TestUiLayoutExplain)
#include "test_ui_layout_explain.moc"
