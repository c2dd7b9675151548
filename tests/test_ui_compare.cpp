// A comparison a person can read: the features × methods grid at 30 and 100 features (names
// once, ticks that never overlap, top K), the agreement measures with known answers, exports
// that are never cropped, one high-contrast colour per method, the one "explained output"
// setting, the scale choice kept in sessions, the panel's JSON export in the keys of
// `senn explain --json`, and the window at 1280×800.
#include "support/test_ui_util.h"
#ifdef SENN_CLI
#include "support/senn_cli.h"
#endif

#include "core/io/explanation_json.h"

#include "ui/plots/attribution_grid.h"
#include "ui/plots/box_plot.h"
#include "ui/plots/comparison_panel.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/export.h"
#include "ui/plots/heatmap_view.h"
#include "ui/plots/prototype_grid.h"
#include "ui/plots/plot_style.h"
#include "ui/views/concepts_view.h"
#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/stability_view.h"

#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QScrollArea>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>
#include <random>

using namespace senn::ui;

namespace {

senn::explain::Explanation tabular(const std::string& method, size_t d, uint32_t seed, double scale)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.f, 1.f);
    senn::explain::Explanation e;
    e.method = method;
    e.shape = {int64_t(d)};
    for (size_t j = 0; j < d; ++j)
        e.values.push_back(float(scale) * (n(rng) + (j < 5 ? 3.f : 0.f)));
    return e;
}

ExplainInput tabularInput(size_t d)
{
    ExplainInput in;
    in.shape = {int64_t(d)};
    for (size_t j = 0; j < d; ++j) {
        in.values.push_back(float(j));
        in.featureNames.push_back("worst concave points " + std::to_string(j));
    }
    in.title = QStringLiteral("Row 3 — true B, predicted B (97.0%)");
    return in;
}

// Every pair of rectangles in `rects` is disjoint.
bool disjoint(const QList<QRect>& rects)
{
    for (int i = 0; i < rects.size(); ++i)
        for (int j = i + 1; j < rects.size(); ++j)
            if (rects[i].intersects(rects[j]))
                return false;
    return true;
}

double lin(int c)
{
    const double v = c / 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}
double luminance(const QColor& c) { return 0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue()); }
std::array<double, 3> lab(const QColor& c)
{
    const double r = lin(c.red()), g = lin(c.green()), b = lin(c.blue());
    const double X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, Y = luminance(c),
                 Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
    return {116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))};
}

} // namespace

class TestUiCompare : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void gridReadsAt30And100Features()
    {
        for (size_t d : {size_t(30), size_t(100)}) {
            QScrollArea scroll;
            auto* panel = new ComparisonPanel;
            scroll.setWidget(panel);
            scroll.setWidgetResizable(true);
            scroll.resize(1000, 700);
            panel->setInput(tabularInput(d));
            auto senn = tabular("senn", d, 1, 0.5);
            senn.h = tabular("senn", d, 2, 1.0).values;
            for (size_t j = 0; j < d; ++j)
                senn.contribution.push_back(senn.values[j] * senn.h[j]);
            // Very different magnitudes (saliency ~100 per raw unit, LIME ~0.01).
            panel->setExplanations({senn, tabular("lime", d, 3, 0.01), tabular("kernel-shap", d, 4, 0.02),
                                    tabular("shapley", d, 5, 0.02), tabular("saliency", d, 6, 100),
                                    tabular("integrated-gradients", d, 7, 1), tabular("smoothgrad", d, 8, 50),
                                    tabular("occlusion", d, 9, 0.5)});
            scroll.show();
            QVERIFY(QTest::qWaitForWindowExposed(&scroll));
            QApplication::processEvents();
            auto* grid = panel->featureGrid();
            QVERIFY(grid);
            QVERIFY(!panel->bars(0)); // no per-method bar charts for tabular data
            QCOMPARE(grid->columnCount(), 3 + 7); // θ, h, θ·h and seven methods
            // Top 15 by default; the strong features (0-4) come first.
            QCOMPARE(int(grid->shownRows().size()), 15);
            for (int i = 0; i < 5; ++i)
                QVERIFY(grid->shownRows()[size_t(i)] < 5);
            // Each column has its own scale: LIME is not blank next to saliency.
            QVERIFY(grid->columnRange(3) < 0.2 && grid->columnRange(6) > 100);
            panel->setTopN(0);
            QTest::qWait(50); // the scroll area lays the grown panel out
            grid = panel->featureGrid();
            QCOMPARE(int(grid->shownRows().size()), int(d));
            // The grid scrolls instead of cutting rows or columns.
            QVERIFY2(grid->height() >= grid->minimumSizeHint().height(),
                     qPrintable(QString("grid %1 needs %2; panel %3 needs %4").arg(grid->height())
                                    .arg(grid->minimumSizeHint().height()).arg(panel->height())
                                    .arg(panel->minimumSizeHint().height())));
            QVERIFY(grid->width() >= grid->minimumSizeHint().width());
            // Names once, left of the first column, never overlapping each other.
            QList<QRect> names;
            for (int i = 0; i < int(d); ++i) {
                names << grid->nameRect(i);
                QVERIFY(grid->nameRect(i).right() < grid->cellRect(i, 0).left());
            }
            QVERIFY(disjoint(names));
            // Headers side by side; the scale labels stay inside their header, never overlap.
            QList<QRect> labels;
            for (int c = 0; c < grid->columnCount(); ++c) {
                const QRect h = grid->headerRect(c);
                QVERIFY(h.right() < grid->width());
                if (c > 0)
                    QVERIFY(h.left() > grid->headerRect(c - 1).right());
                for (const QRect& r : grid->scaleLabelRects(c)) {
                    QVERIFY2(h.contains(r), qPrintable(QString("column %1").arg(c)));
                    labels << r;
                }
            }
            QVERIFY(disjoint(labels));
            // The agreement table: every pair of the 8 attributions (SENN θ·h + 7 methods).
            QVERIFY(panel->agreementTable());
            QCOMPARE(panel->agreementTable()->rowCount(), 8 * 7 / 2);
            // Shared scale: additive attributions of the logit share one bound.
            panel->setSharedScale(true);
            QCOMPARE(grid->columnRange(3), grid->columnRange(5)); // LIME and Shapley
            QVERIFY(grid->columnRange(4) != grid->columnRange(6)); // SHAP vs saliency: other unit
        }
    }

    void tabularConceptsAreNamedByFeature()
    {
        ConceptsView view;
        DatasetSummary s;
        auto ds = std::make_shared<senn::data::Dataset>();
        ds->sampleShape = {3};
        ds->featureNames = {"radius", "texture", "area"};
        ds->classNames = {"B", "M"};
        for (int r = 0; r < 6; ++r) {
            ds->x.insert(ds->x.end(), {float(r), float(10 + r), float(100 + r)});
            ds->y.push_back(r % 2);
        }
        s.data = ds;
        view.setDataset(s);
        senn::metrics::Prototypes p;
        p.k = 3;
        p.top = {{5, 4}, {5, 3}, {1, 0}};
        p.bottom = {{0, 1}, {0, 2}, {5, 4}};
        p.topValue = p.bottomValue = {{1, 0.5}, {1, 0.5}, {1, 0.5}};
        view.setPrototypes(p);
        auto* table = view.table();
        QVERIFY(table && !table->isHidden());
        QVERIFY(view.grid()->isHidden());
        QCOMPARE(table->rowCount(), 3);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("radius"));
        QCOMPARE(table->item(2, 0)->text(), QStringLiteral("area"));
        // Only the concept's own feature: texture's top rows 5 and 3 have texture 15 and 13.
        QCOMPARE(table->item(1, 1)->text(), QStringLiteral("15 (M),  13 (M)"));
        view.showConcept(2);
        QVERIFY(table->isRowHidden(0) && !table->isRowHidden(2));
    }

    void logAxesLabelEveryTickOnceAndTheEnds()
    {
        for (auto eps : {std::vector<double>{1e-3, 2.7e-3, 7.2e-3, 0.019, 0.052, 0.14, 0.37, 1.0},
                         std::vector<double>{0.01, 0.05, 0.1}, std::vector<double>{0.05, 0.2, 0.8}}) {
            CurvePlot plot;
            plot.setLogX(true);
            plot.setLogY(true);
            CurveSeries s;
            s.name = "saliency";
            s.x = eps;
            for (double e : eps)
                s.median.push_back(3 * e + 0.01);
            plot.setSeries({s});
            for (QCPAxis* axis : {plot.plot()->xAxis, plot.plot()->yAxis}) {
                auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
                QVERIFY(ticker);
                const auto ticks = ticker->ticks();
                QVERIFY(ticks.size() >= 2);
                QStringList labels = ticks.values();
                labels.removeDuplicates();
                QCOMPARE(labels.size(), ticks.size()); // every label once
                // Both ends of the axis carry a label.
                QVERIFY(std::fabs(ticks.firstKey() / axis->range().lower - 1) < 1e-9);
                QVERIFY(std::fabs(ticks.lastKey() / axis->range().upper - 1) < 1e-9);
                // And the data lie inside.
                QVERIFY(axis->range().lower > 0);
            }
            QVERIFY(plot.plot()->xAxis->range().lower <= eps.front());
            QVERIFY(plot.plot()->xAxis->range().upper >= eps.back());
        }
    }

    void heatmapCellLabelsAndTitlesFit()
    {
        // FLINT's relevance map: classes (rows) × attributes (columns) carry tick labels.
        HeatmapView map;
        map.resize(600, 300);
        std::vector<float> v(3 * 5);
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = float(i) - 7.f;
        map.setValues(v, {3, 5});
        map.setCellLabels({"Φ1", "Φ2", "Φ3", "Φ4", "Φ5"}, {"zero", "one", "two"});
        QCPAxisRect* rect = map.colorMap()->keyAxis()->axisRect();
        auto bottom = rect->axis(QCPAxis::atBottom)->ticker().dynamicCast<QCPAxisTickerText>();
        auto left = rect->axis(QCPAxis::atLeft)->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(bottom && left);
        QCOMPARE(bottom->ticks().size(), 5);
        QCOMPARE(left->ticks().value(2), QStringLiteral("two"));
        QVERIFY(rect->axis(QCPAxis::atBottom)->tickLabels() && rect->axis(QCPAxis::atLeft)->tickLabels());
        // A long plot title wraps instead of being cut; title() stays the whole text.
        CurvePlot plot;
        const QString long_ = QStringLiteral("Local Lipschitz L̂ vs. ε (median, quartiles; independent draws)");
        plot.setTitle(long_);
        plot.resize(300, 250);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QCOMPARE(plot.title(), long_);
        auto* element = qobject_cast<QCPTextElement*>(plot.plot()->plotLayout()->element(0, 0));
        QVERIFY(element);
        QVERIFY(element->text().contains('\n'));
        for (const QString& line : element->text().split('\n'))
            QVERIFY2(QFontMetrics(plotTitleFont()).horizontalAdvance(line) <= plot.width(),
                     qPrintable(QString("'%1' in %2 px").arg(line).arg(plot.width())));
    }

    void agreementKnownAnswers()
    {
        QCOMPARE(spearmanAbs({1, 2, 3, 4}, {-10, 20, -30, 40}), 1.0);
        QCOMPARE(spearmanAbs({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
        // Ties take the average rank: ranks (1.5, 1.5, 3) vs (1, 2, 3): ρ = 0.866.
        QVERIFY(std::fabs(spearmanAbs({1, 1, 2}, {1, 2, 3}) - std::sqrt(3.0) / 2.0) < 1e-9);
        QVERIFY(std::isnan(spearmanAbs({1, 1, 1}, {1, 2, 3})));
        QCOMPARE(topKOverlap({5, 4, 3, 2, 1}, {-5, 1, 2, 3, -4}, 2), 0.5); // {0,1} vs {0,4}
        QCOMPARE(topKOverlap({5, 4, 3, 2, 1}, {1, 2, 3, 4, 5}, 2), 0.0);
        QCOMPARE(topKOverlap({5, 4, 3, 2, 1}, {5, 1, 4, 2, 3}, 3), 2.0 / 3.0);
    }

    void exportIsNeverCropped()
    {
        // A panel that needs 800×600; exported at 400×300 it is laid out at 800×600 and
        // scaled: the marker in its bottom-right corner is in the image.
        QWidget w;
        w.setMinimumSize(800, 600);
        auto* marker = new QLabel(&w);
        marker->setAutoFillBackground(true);
        QPalette p = marker->palette();
        p.setColor(QPalette::Window, QColor(255, 0, 0));
        marker->setPalette(p);
        marker->setGeometry(740, 560, 60, 40);
        auto* layout = new QVBoxLayout(&w);
        layout->addStretch();
        QTemporaryDir dir;
        const QString png = dir.filePath("small.png");
        QString error;
        QVERIFY2(exportWidget(&w, png, 400, 300, 1.0, &error), qPrintable(error));
        const QImage img(png);
        QCOMPARE(img.size(), QSize(400, 300));
        int red = 0;
        for (int y = 250; y < 300; ++y)
            for (int x = 340; x < 400; ++x) {
                const QColor c = img.pixelColor(x, y);
                red += c.red() > 200 && c.green() < 80 && c.blue() < 80;
            }
        QVERIFY2(red > 100, qPrintable(QString("red pixels: %1").arg(red)));
        // The whole comparison panel at a remembered small size keeps its last column.
        ComparisonPanel panel;
        panel.setInput(tabularInput(30));
        panel.setExplanations({tabular("lime", 30, 1, 1), tabular("kernel-shap", 30, 2, 1),
                               tabular("saliency", 30, 3, 1), tabular("occlusion", 30, 4, 1)});
        const QString cmp = dir.filePath("cmp.png");
        QVERIFY2(panel.exportAll(cmp, 690, 574, 1.0, &error), qPrintable(error));
        QCOMPARE(QImage(cmp).size(), QSize(690, 574));
    }

    void oneHighContrastColourPerMethod()
    {
        std::vector<QColor> colours;
        for (auto m : senn::explain::allMethods()) {
            const QColor c = methodColor(senn::explain::methodId(m));
            const double contrast = 1.05 / (luminance(c) + 0.05);
            QVERIFY2(contrast >= 3.0, qPrintable(QString("%1: contrast %2").arg(
                QString::fromStdString(senn::explain::methodId(m))).arg(contrast)));
            colours.push_back(c);
        }
        for (size_t i = 0; i < colours.size(); ++i)
            for (size_t j = i + 1; j < colours.size(); ++j) {
                const auto a = lab(colours[i]), b = lab(colours[j]);
                const double de = std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])
                                            + (a[2] - b[2]) * (a[2] - b[2]));
                QVERIFY2(de >= 25.0, qPrintable(QString("methods %1 and %2: ΔE %3").arg(i).arg(j).arg(de)));
            }
    }

    void oneExplainedOutputSetting()
    {
        ExplainerSettingsDialog dialog;
        auto* output = dialog.findChild<QComboBox*>("explainedOutput");
        QVERIFY(output);
        QCOMPARE(output->currentData().toString(), QStringLiteral("logit"));
        QCOMPARE(senn::explain::outputId(dialog.options().output), std::string("logit"));
        output->setCurrentIndex(output->findData(QStringLiteral("probability")));
        const auto o = dialog.options();
        QCOMPARE(senn::explain::outputId(o.output), std::string("probability"));
        QCOMPARE(senn::explain::outputId(explainOptionsFromJson(explainOptionsToJson(o)).output), std::string("probability"));
        QCOMPARE(senn::explain::outputId(explainOptionsFromJson({}).output), std::string("logit"));
    }

    // The same explanations, written by `senn explain --json` and by the panel's Export data
    // as JSON (read back through core's reader), carry the same keys and the same values.
    void exportCarriesTheCliKeys()
    {
#ifndef SENN_CLI
        QSKIP("built without the senn binary");
#else
        QTemporaryDir dir;
        const QString model = dir.filePath("m.senn"), json = dir.filePath("e.json");
        QString err;
        QCOMPARE(test::runSenn({"train", "--data", test::breastCancer(), "--target", "diagnosis", "--model", "senn",
                                "--epochs", "2", "--limit", "120", "--threads", "1", "--out", model}, &err), 0);
        QVERIFY2(test::runSenn({"explain", "--model", model, "--data", test::breastCancer(), "--index", "0",
                                "--methods", "senn,kernel-shap,saliency", "--output", "probability", "--json", json},
                               &err) == 0, qPrintable(err));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray cli = QJsonDocument::fromJson(f.readAll()).object().value("explanations").toArray();
        QCOMPARE(cli.size(), 3);
        std::vector<senn::explain::Explanation> read;
        for (const auto& v : cli)
            read.push_back(senn::io::explanationFromJsonText(QJsonDocument(v.toObject()).toJson().toStdString(), "e.json"));
        QVERIFY(read[1].output == senn::explain::Output::Probability);
        QVERIFY(read[0].output == senn::explain::Output::Logit); // SENN's θ always explains the logit
        ComparisonPanel panel;
        panel.setExplanations(read);
        const QJsonArray gui = QJsonDocument::fromJson(panel.dataJson().toUtf8()).object().value("methods").toArray();
        QCOMPARE(gui.size(), cli.size());
        for (int i = 0; i < cli.size(); ++i) {
            const QJsonObject a = cli[i].toObject(), b = gui[i].toObject();
            QCOMPARE(b.keys(), a.keys());
            QCOMPARE(b.value("values"), a.value("values"));
            QCOMPARE(b.value("output"), a.value("output"));
            QCOMPARE(b.value("diagnostics"), a.value("diagnostics"));
        }
        QCOMPARE(gui[1].toObject().value("label").toString(), QStringLiteral("KernelSHAP (2108 coalitions)"));
#endif
    }

    void scaleChoiceComesBackWithASession()
    {
        QTemporaryDir dir;
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        QVERIFY(!w.explainView()->findChild<QCheckBox*>("sharedScale")->isChecked());
        w.explainView()->setSharedScale(true);
        w.explainView()->setTopK(0);
        // Results come back too (NaN = a point not done).
        senn::metrics::StabilityResult st;
        st.eps = {0.01, 0.1};
        st.points = {3, 7};
        st.methods["saliency"].median = {0.5, 0.7};
        st.methods["saliency"].q25 = {0.4, 0.6};
        st.methods["saliency"].q75 = {0.6, 0.8};
        st.methods["saliency"].perPoint = {{0.4, 0.6}, {0.6, std::nan("")}};
        w.stabilityView()->setResult(st);
        senn::metrics::FaithfulnessResult fr;
        fr.points = {3, 7};
        fr.methods["saliency"].perPoint = {0.25, -0.5};
        fr.methods["saliency"].infidelity = {1.5, 2.5};
        w.faithfulnessView()->setResult(fr);
        const QString path = dir.filePath("s.sennsession");
        QVERIFY(w.saveSession(path));
        MainWindow w2;
        w2.setErrorDialogsEnabled(false);
        QSignalSpy restored(&w2, &MainWindow::sessionRestored);
        QSignalSpy stabilityBack(&w2, &MainWindow::stabilityShown);
        QVERIFY(w2.openSession(path));
        QVERIFY(QTest::qWaitFor([&] { return restored.count() > 0 && stabilityBack.count() > 0; }, 30000));
        QVERIFY(w2.explainView()->findChild<QCheckBox*>("sharedScale")->isChecked());
        QVERIFY(w2.explainView()->panel()->sharedScale());
        QCOMPARE(w2.explainView()->findChild<QComboBox*>("topK")->currentData().toInt(), 0);
        QVERIFY(w2.stabilityView()->hasResult());
        const auto& st2 = w2.stabilityView()->result();
        QCOMPARE(st2.eps, st.eps);
        QCOMPARE(st2.points, st.points);
        QCOMPARE(st2.methods.at("saliency").median, st.methods["saliency"].median);
        QVERIFY(std::isnan(st2.methods.at("saliency").perPoint[1][1]));
        QVERIFY(w2.faithfulnessView()->hasResult());
        QCOMPARE(w2.faithfulnessView()->result().methods.at("saliency").perPoint, fr.methods["saliency"].perPoint);
        QCOMPARE(w2.faithfulnessView()->result().methods.at("saliency").infidelity, fr.methods["saliency"].infidelity);
    }

    void windowAt1280x800()
    {
        MainWindow w;
        QVERIFY(test::showAt(w, 1280, 800));
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        // Every view fits: its minimum size is within the tab area, so nothing is cut.
        auto* tabs = w.tabs();
        for (int i = 0; i < tabs->count(); ++i)
            qInfo("%s needs %dx%d", qPrintable(tabs->tabText(i)), tabs->widget(i)->minimumSizeHint().width(),
                  tabs->widget(i)->minimumSizeHint().height());
        QCOMPARE(w.size(), QSize(1280, 800));
        for (int i = 0; i < tabs->count(); ++i) {
            QWidget* page = tabs->widget(i);
            tabs->setCurrentIndex(i);
            QApplication::processEvents();
            const QSize need = page->minimumSizeHint();
            QVERIFY2(need.width() <= page->width() && need.height() <= page->height(),
                     qPrintable(QString("%1 needs %2×%3, has %4×%5").arg(tabs->tabText(i)).arg(need.width())
                                    .arg(need.height()).arg(page->width()).arg(page->height())));
        }
        // The Explain view's controls are visible and usable.
        w.showView("explain");
        QApplication::processEvents();
        auto* view = w.explainView();
        for (const char* name : {"exampleList", "explainButton", "sharedScale", "topK", "explainerSettingsButton"}) {
            auto* child = view->findChild<QWidget*>(name);
            QVERIFY2(child && child->isVisible(), name);
            const QRect r(child->mapTo(&w, QPoint(0, 0)), child->size());
            QVERIFY2(QRect(QPoint(0, 0), w.size()).contains(r), name);
            QVERIFY2(child->width() >= child->minimumSizeHint().width(), name);
        }
        QVERIFY(view->findChild<QListWidget*>("exampleList")->width() >= 150);
        QVERIFY(view->panel()->parentWidget()->height() >= 300); // the panel's scroll viewport

        // The Stability plots keep their axis titles whole, inside their widgets: each title
        // no longer than its axis, in full (not elided).
        w.showView("stability");
        QApplication::processEvents();
        auto* st = w.stabilityView();
        for (PlotFrame* plot : std::initializer_list<PlotFrame*>{st->curves(), st->moves(), st->boxes()}) {
            plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
            QVERIFY(plot->isVisible());
            QCPAxisRect* rect = plot->plot()->axisRect();
            for (QCPAxis* axis : {plot->plot()->xAxis, plot->plot()->yAxis}) {
                const QString full = axis->property("senn_full_label").toString();
                const int len = QFontMetrics(axis->labelFont()).horizontalAdvance(axis->label());
                const int avail = axis->orientation() == Qt::Vertical ? rect->height() : rect->width();
                qInfo("%s: '%s' %d px on an axis of %d px", qPrintable(plot->title()), qPrintable(axis->label()), len, avail);
                QVERIFY2(len <= avail, qPrintable(axis->label()));
                QCOMPARE(axis->label(), full);
                QVERIFY(QRect(QPoint(0, 0), plot->plot()->size()).contains(rect->rect()));
            }
        }
    }
};

QTEST_MAIN(TestUiCompare)
#include "test_ui_compare.moc"
