// Renders every plot widget and every CLI figure from bundled data (MNIST digits, breast
// cancer) with synthetic attributions, so their look can be checked by eye: PNGs go to
// $SENN_PLOTS_GALLERY when set, else to a temporary folder. Asserts the files and sizes, and
// for the sanity and scorecard plots their title, axis titles, legend and SVG/PDF export.
#include "core/data/loader.h"
#include "ui/figures.h"
#include "ui/plots/bar_chart.h"
#include "ui/plots/box_plot.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/heatmap_view.h"
#include "ui/plots/sanity_figure.h"
#include "ui/plots/sanity_plot.h"
#include "ui/plots/scorecard_plot.h"
#include "ui/plots/stability_series.h"
#include "ui/plots/training_curves.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QXmlStreamReader>
#include <QTemporaryDir>
#include <QtTest>

#include <qcustomplot.h>

#include <cmath>
#include <random>

using namespace senn::ui;

class TestPlotsGallery : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString m_dir;
    senn::data::Dataset m_mnist, m_cancer;

    QString out(const QString& name) const { return QDir(m_dir).filePath(name); }
    static void checkPng(const QString& path, QSize size)
    {
        QImage img(path);
        QVERIFY2(!img.isNull(), qPrintable(path));
        QCOMPARE(img.size(), size);
    }
    // The text of an SVG (its character data), empty when it is not well-formed XML.
    static QString svgText(const QString& path)
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
        return xml.hasError() ? QString() : text;
    }
    static bool isPdf(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) && f.size() > 500 && f.read(5) == "%PDF-";
    }

    // Signed, smooth-ish synthetic attribution over an image: positive on the stroke's left
    // half, negative on the right, a little noise elsewhere.
    static senn::explain::Explanation fakeImageExplanation(const std::string& method,
                                                           const senn::data::Dataset& d, int64_t row,
                                                           double gain, unsigned seed)
    {
        senn::explain::Explanation e;
        e.method = method;
        e.shape = d.sampleShape;
        const int64_t H = d.sampleShape[1], W = d.sampleShape[2];
        std::mt19937 rng(seed);
        std::normal_distribution<float> noise(0.f, 0.03f);
        for (int64_t y = 0; y < H; ++y)
            for (int64_t x = 0; x < W; ++x) {
                const float p = d.row(row)[y * W + x];
                const float side = x < W / 2 ? 1.f : -0.6f;
                e.values.push_back(static_cast<float>(gain) * (p * side + noise(rng)));
            }
        e.seconds = 0.004 * (seed + 1);
        e.modelRows = 50 * (seed + 1);
        e.diagnostics["sum_phi"] = 0.8;
        e.diagnostics["completeness_gap"] = 0.01 * seed;
        return e;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_dir = qEnvironmentVariable("SENN_PLOTS_GALLERY");
        if (m_dir.isEmpty())
            m_dir = m_tmp.path();
        QDir().mkpath(m_dir);
        senn::data::LoadOptions o;
        o.maxRows = 300;
        m_mnist = senn::data::loadIdxFolder(SENN_RESOURCE_DATA "/mnist-10k", o);
        m_cancer = senn::data::loadCsv(SENN_RESOURCE_DATA "/breast-cancer.csv", {"diagnosis", -1});
        QVERIFY(m_mnist.rows() >= 300);
        QVERIFY(m_cancer.featureCount() >= 10);
    }

    void heatmapWithUnderlay()
    {
        HeatmapView view;
        view.setTitle(QStringLiteral("Integrated Gradients"));
        auto e = fakeImageExplanation("integrated-gradients", m_mnist, 0, 1.0, 1);
        view.setValues(e.values, e.shape);
        view.setUnderlay(std::vector<float>(m_mnist.row(0), m_mnist.row(0) + 784), m_mnist.sampleShape);
        QVERIFY(view.exportFigure(out("heatmap.png"), 420, 380, 1.0));
        checkPng(out("heatmap.png"), QSize(420, 380));
    }

    void comparisonImages()
    {
        std::vector<senn::explain::Explanation> es = {
            fakeImageExplanation("saliency", m_mnist, 0, 0.4, 0),
            fakeImageExplanation("integrated-gradients", m_mnist, 0, 1.0, 1),
            fakeImageExplanation("smoothgrad", m_mnist, 0, 0.6, 2),
            fakeImageExplanation("occlusion", m_mnist, 0, 1.5, 3)};
        QString error;
        QVERIFY2(renderComparisonFigure(m_mnist, 0, es, out("comparison_mnist.png"), &error), qPrintable(error));
        QVERIFY(QImage(out("comparison_mnist.png")).width() >= 1000);
    }

    void comparisonTabularWithSenn()
    {
        const int64_t d = m_cancer.featureCount();
        senn::explain::Explanation senn, shap, lime;
        senn.method = "senn";
        shap.method = "kernel-shap";
        lime.method = "lime";
        std::mt19937 rng(7);
        std::normal_distribution<float> n(0.f, 1.f);
        for (int64_t i = 0; i < d; ++i) {
            const float t = n(rng) * 0.3f, h = n(rng);
            senn.values.push_back(t);
            senn.h.push_back(h);
            senn.contribution.push_back(t * h);
            shap.values.push_back(t * h + 0.05f * n(rng));
            lime.values.push_back(0.5f * t * h + 0.05f * n(rng));
        }
        for (auto* e : {&senn, &shap, &lime})
            e->shape = {d}, e->labels = m_cancer.featureNames;
        shap.seconds = 1.9;
        shap.modelRows = 4096;
        shap.diagnostics = {{"sum_phi", 0.93}, {"fx", 0.97}, {"expected_value", 0.05}, {"efficiency_gap", 0.0}};
        lime.seconds = 0.35;
        lime.modelRows = 5000;
        lime.diagnostics = {{"r2", 0.71}};
        senn.seconds = 0.002;
        ComparisonPanel panel;
        ExplainInput in = explainInputFromRow(m_cancer, 3);
        panel.setInput(in);
        panel.setTopN(10);
        panel.setExplanations({senn, shap, lime});
        QString error;
        QVERIFY2(panel.exportAll(out("comparison_tabular.png"), 1200, 900, 1.0, &error), qPrintable(error));
        checkPng(out("comparison_tabular.png"), QSize(1200, 900));
    }

    void curvesBoxesTraining()
    {
        senn::metrics::StabilityResult st;
        st.eps = {0.001, 0.003, 0.01, 0.03, 0.1};
        std::mt19937 rng(3);
        std::lognormal_distribution<double> ln(0.0, 0.5);
        const char* ids[] = {"senn", "lime", "saliency", "integrated-gradients"};
        const double scale[] = {0.3, 4.0, 1.5, 1.0};
        for (int m = 0; m < 4; ++m) {
            senn::metrics::Curve c;
            for (size_t k = 0; k < st.eps.size(); ++k) {
                std::vector<double> pts;
                for (int p = 0; p < 20; ++p)
                    pts.push_back(scale[m] * ln(rng) * (1 + 0.3 * k));
                std::vector<double> s = pts;
                std::sort(s.begin(), s.end());
                c.q25.push_back(s[5]);
                c.median.push_back(s[10]);
                c.q75.push_back(s[15]);
                c.perPoint.push_back(pts);
            }
            st.methods[ids[m]] = c;
        }
        st.points.resize(20);
        QString error;
        QVERIFY2(renderStabilityFigure(st, out("stability.png"), &error), qPrintable(error));
        checkPng(out("stability.png"), QSize(1100, 450));
        // With the "explanation moves" curves: a third plot, the kept-prediction share dashed.
        for (int m = 0; m < 4; ++m) {
            senn::metrics::Curve c;
            for (double e : st.eps) {
                c.median.push_back(scale[m] * e);
                c.q25.push_back(0.8 * scale[m] * e);
                c.q75.push_back(1.2 * scale[m] * e);
            }
            st.moves[ids[m]] = c;
        }
        st.predictionKept = {1.0, 1.0, 1.0, 0.95, 0.8};
        const auto series = senn::ui::movesSeries(st);
        QCOMPARE(series.size(), size_t(5));
        QVERIFY(series.back().dashed && series.back().median == st.predictionKept);
        QVERIFY(!series.front().dashed);
        QVERIFY2(renderStabilityFigure(st, out("stability_moves.png"), &error), qPrintable(error));
        checkPng(out("stability_moves.png"), QSize(1500, 450));

        senn::metrics::FaithfulnessResult fr;
        fr.points.resize(20);
        std::normal_distribution<double> nd(0, 0.2);
        for (int m = 0; m < 4; ++m) {
            senn::metrics::FaithfulnessResult::PerMethod pm;
            for (int p = 0; p < 20; ++p) {
                pm.perPoint.push_back(std::clamp(0.2 * m + nd(rng), -1.0, 1.0));
                pm.faithfulnessCorrelation.push_back(std::clamp(0.1 * m + nd(rng), -1.0, 1.0));
            }
            fr.methods[ids[m]] = pm;
        }
        QVERIFY2(renderFaithfulnessFigure(fr, out("faithfulness.png"), &error), qPrintable(error));
        QVERIFY(!QImage(out("faithfulness.png")).isNull());

        std::vector<senn::models::EpochRecord> hist;
        for (int ep = 1; ep <= 8; ++ep) {
            senn::models::EpochRecord r;
            r.epoch = ep;
            r.ce = 1.5 / ep;
            r.reconstruction = 0.2 / std::sqrt(ep);
            r.sparsity = 0.01 / ep;
            r.robustness = 0.05 + 0.02 / ep;
            r.loss = r.ce + r.reconstruction + r.robustness;
            r.trainAccuracy = 1 - 0.5 / ep;
            r.valAccuracy = 1 - 0.55 / ep;
            hist.push_back(r);
        }
        QVERIFY2(renderTrainingFigure(hist, out("training_history.png"), &error), qPrintable(error));

        // Live curves with batches.
        TrainingCurves live;
        live.setTitle(QStringLiteral("Training SENN on MNIST"));
        std::normal_distribution<double> jitter(0, 0.08);
        for (int ep = 1; ep <= 3; ++ep) {
            for (int b = 1; b <= 40; ++b) {
                senn::train::BatchReport r;
                r.epoch = ep;
                r.epochs = 3;
                r.batch = b;
                r.batches = 40;
                const double t = ep - 1 + b / 40.0;
                r.ce = 2.0 * std::exp(-t) + std::fabs(jitter(rng));
                r.reconstruction = 0.3 * std::exp(-0.5 * t) + 0.2 * std::fabs(jitter(rng));
                r.sparsity = 0.002 + 0.001 * std::fabs(jitter(rng));
                r.robustness = 0.1 * std::exp(-0.3 * t) + 0.1 * std::fabs(jitter(rng));
                r.batchAccuracy = std::min(1.0, 1 - 0.8 * std::exp(-1.5 * t) + jitter(rng) * 0.2);
                live.addBatch(r);
            }
            senn::train::BatchReport e;
            e.epoch = ep;
            e.epochs = 3;
            e.epochEnd = true;
            e.epochRecord = hist[static_cast<size_t>(ep - 1)];
            live.addBatch(e);
        }
        QVERIFY(live.exportFigure(out("training_live.png"), 1100, 620, 1.0));

        senn::train::Evaluation ev;
        ev.split = "test";
        ev.confusion.assign(10, std::vector<int64_t>(10, 0));
        for (int i = 0; i < 10; ++i) {
            ev.confusion[i][i] = 180 + 3 * i;
            ev.confusion[i][(i + 3) % 10] = 5 + i;
            ev.n += 185 + 4 * i;
        }
        ev.accuracy = 0.95;
        std::vector<std::string> names;
        for (int i = 0; i < 10; ++i)
            names.push_back(std::to_string(i));
        QVERIFY2(renderConfusionFigure(ev, names, out("confusion.png"), &error), qPrintable(error));
    }

    // Cascading randomisation of three steps: saliency falls from 1 to 0.1, integrated
    // gradients to 0.6, the edge detector stays at 1; random logit for each.
    void sanityFigure()
    {
        senn::metrics::SanityResult r;
        r.mode = "cascading";
        r.points = {0, 1, 2, 3};
        r.targets = {5, 0, 4, 1};
        r.layers = {"fc2", "fc1", "conv1"};
        r.steps = {"original", "fc2", "fc1", "conv1"};
        r.methods = {"saliency", "integrated-gradients", senn::metrics::kEdgeDetectorId};
        r.stepsDone = 4;
        r.randomLogit = true;
        const std::vector<std::vector<double>> medians = {{1, 0.5, 0.2, 0.1}, {1, 0.9, 0.7, 0.6}, {1, 1, 1, 1}};
        for (size_t m = 0; m < r.methods.size(); ++m) {
            senn::metrics::SanityMethodResult mr;
            senn::metrics::SimilaritySeries s;
            for (double v : medians[m]) {
                s.median.push_back(v);
                s.q25.push_back(v - 0.05 * (v < 1));
                s.q75.push_back(std::min(1.0, v + 0.05));
                s.perPoint.push_back(std::vector<double>(4, v));
            }
            mr.steps["spearman_abs"] = s;
            mr.randomLogit["spearman_abs"] = std::vector<double>(4, 0.3 + 0.3 * double(m));
            mr.shape = m_mnist.sampleShape;
            for (size_t k = 0; k < r.steps.size(); ++k)
                mr.example.push_back(fakeImageExplanation(r.methods[m], m_mnist, 0, 1.0 - 0.3 * double(k), unsigned(k)).values);
            r.results[r.methods[m]] = mr;
        }
        QString error;
        QVERIFY2(renderSanityFigure(r, "spearman_abs", out("sanity.png"), &error, 1100, 760, 1.0), qPrintable(error));
        checkPng(out("sanity.png"), QSize(1100, 760));
        QVERIFY2(renderSanityFigure(r, "spearman_abs", out("sanity.svg"), &error, 1100, 760, 1.0), qPrintable(error));
        const QString svg = svgText(out("sanity.svg"));
        for (const char* text : {"Sanity checks", "Spearman |attribution|", "layers re-drawn", "Saliency",
                                 "Edge detector", "random logit", "fc1"})
            QVERIFY2(svg.contains(QLatin1String(text)), text);
        QVERIFY2(renderSanityFigure(r, "spearman_abs", out("sanity.pdf"), &error, 1100, 760, 1.0), qPrintable(error));
        QVERIFY(isPdf(out("sanity.pdf")));
        // The widget the view shows: a line per method in the legend, the axes named.
        SanityPlot plot;
        plot.setResult(r, "spearman_abs");
        plot.setTitle(QStringLiteral("Similarity to the original explanation"));
        QCOMPARE(plot.title(), QStringLiteral("Similarity to the original explanation"));
        QCOMPARE(plot.plot()->yAxis->label(), QStringLiteral("Spearman |attribution|"));
        QVERIFY(plot.plot()->xAxis->label().contains(QStringLiteral("cumulative")));
        QVERIFY(plot.plot()->legend->visible());
        QCOMPARE(plot.plot()->legend->itemCount(), 3);
    }

    // Three methods x three measures with known medians: the plot's cells, its axes, colour
    // scale and agreement line; PNG, SVG and PDF.
    void scorecardFigure()
    {
        senn::metrics::ScorecardResult r;
        r.points = {0, 1, 2, 3, 4};
        r.methods = {"saliency", "integrated-gradients", "occlusion"};
        for (const char* id : {"removal_correlation", "infidelity", "sparseness"})
            r.measures.push_back(senn::metrics::scorecardMeasure(id));
        // Medians 0.2/0.5/0.8 for every measure, so the two "higher" measures agree and
        // infidelity (lower is better) ranks them the other way round.
        r.values.assign(3, std::vector<std::vector<double>>(3));
        for (size_t m = 0; m < 3; ++m)
            for (size_t k = 0; k < 3; ++k)
                for (int p = 0; p < 5; ++p)
                    r.values[m][k].push_back(0.2 + 0.3 * double(m) + 0.01 * (p - 2));
        r.pointsDone = {5, 5, 5};
        r.bootstrap = 200;
        summarizeScorecard(r);
        QCOMPARE(r.ranks[2][0], 1.0);
        QCOMPARE(r.ranks[0][1], 1.0);
        ScorecardPlot plot;
        plot.setResult(r);
        QVERIFY2(plot.title().startsWith(QStringLiteral("Scorecard: median over 5 points")), qPrintable(plot.title()));
        QVERIFY(plot.plot()->xAxis->label().startsWith(QStringLiteral("measure")));
        QCOMPARE(plot.plot()->yAxis->label(), QStringLiteral("method"));
        QVERIFY(plot.cellText(2, 0).startsWith(QStringLiteral("0.8")));
        QVERIFY(plot.cellText(2, 0).contains(QStringLiteral("(1)")));
        QVERIFY(plot.exportFigure(out("scorecard.png"), 1100, 520, 1.0));
        checkPng(out("scorecard.png"), QSize(1100, 520));
        QVERIFY(plot.exportFigure(out("scorecard.svg"), 1100, 520, 1.0));
        const QString svg = svgText(out("scorecard.svg"));
        for (const char* text : {"Scorecard", "method", "Saliency", "Occlusion", "W = "})
            QVERIFY2(svg.contains(QLatin1String(text)), text);
        QVERIFY(plot.exportFigure(out("scorecard.pdf"), 1100, 520, 1.0));
        QVERIFY(isPdf(out("scorecard.pdf")));
    }

    void prototypes()
    {
        senn::metrics::Prototypes p;
        p.k = 5;
        for (int c = 0; c < 5; ++c) {
            std::vector<int64_t> top, bottom;
            std::vector<float> tv, bv;
            for (int r = 0; r < 8; ++r) {
                top.push_back(c * 16 + r);
                bottom.push_back(150 + c * 16 + r);
                tv.push_back(0.9f - 0.05f * r);
                bv.push_back(-0.9f + 0.05f * r);
            }
            p.top.push_back(top);
            p.bottom.push_back(bottom);
            p.topValue.push_back(tv);
            p.bottomValue.push_back(bv);
        }
        QString error;
        QVERIFY2(renderPrototypesFigure(p, m_mnist, out("prototypes.png"), &error), qPrintable(error));
        QVERIFY(!QImage(out("prototypes.png")).isNull());
        // Tabular: text cells.
        QVERIFY2(renderPrototypesFigure(p, m_cancer, out("prototypes_tabular.png"), &error), qPrintable(error));
    }
};

QTEST_MAIN(TestPlotsGallery)
#include "test_plots_gallery.moc"
