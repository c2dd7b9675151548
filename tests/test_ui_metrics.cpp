// The Stability and Faithfulness views driven from their controls, as a person would: run
// the perturbation-stability curves for two methods (L̂ per ε, and how far each explanation
// moves under noise with the share of kept predictions), then the faithfulness box plots and
// each of their four measures.
#include "support/test_ui_util.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/curve_plot.h"
#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/stability_view.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>

#include <algorithm>
#include <cmath>

using namespace senn;
using namespace senn::ui;

class TestUiMetrics : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void stabilityAndFaithfulness()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w));

        // Stability: 2 methods x 2 radii x 3 points.
        w.showView("stability");
        auto* st = w.stabilityView();
        QJsonObject settings{{"methods", QJsonArray{"senn", "saliency"}}, {"points", 3}, {"eps", "0.01, 0.1"}, {"seed", 2}};
        st->applySettings(settings);
        QCOMPARE(int(st->request().eps.size()), 2);
        auto* run = st->findChild<QPushButton*>("runStability");
        QVERIFY(run && run->isEnabled());
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return st->hasResult() && !w.isRunning(JobKind::Stability); }, 120000));
        const auto& r = st->result();
        QCOMPARE(r.points.size(), size_t(3));
        QCOMPARE(r.eps, (std::vector<double>{0.01, 0.1}));
        QCOMPARE(st->curves()->seriesCount(), 2);
        QCOMPARE(st->moves()->seriesCount(), 3); // two methods and the kept-prediction share
        QVERIFY(st->moves()->series().back().dashed);
        for (const char* id : {"senn", "saliency"}) {
            const auto& mv = r.moves.at(id);
            QCOMPARE(mv.perPoint.size(), size_t(2));
            for (const auto& perEps : mv.perPoint)
                for (double v : perEps)
                    QVERIFY(std::isfinite(v) && v >= 0);
            QCOMPARE(r.methods.at(id).perPoint[0].size(), size_t(3));
        }
        for (double kept : r.predictionKept)
            QVERIFY(kept >= 0 && kept <= 1);
        QVERIFY(st->boxes()->boxCount() == 2);

        // Faithfulness: 2 methods x 4 points, then each measure of the box plot.
        w.showView("faithfulness");
        auto* fv = w.faithfulnessView();
        fv->applySettings(QJsonObject{{"methods", QJsonArray{"senn", "saliency"}}, {"points", 4}, {"measure", 0}});
        auto* runF = fv->findChild<QPushButton*>("runFaithfulness");
        QVERIFY(runF && runF->isEnabled());
        QTest::mouseClick(runF, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return fv->hasResult() && !w.isRunning(JobKind::Faithfulness); }, 120000));
        const auto& fr = fv->result();
        QCOMPARE(fr.points.size(), size_t(4));
        for (int k = 0; k < 4; ++k) {
            fv->setMeasure(k);
            QCOMPARE(fv->boxes()->boxCount(), 2);
            // The removal correlation says which SENN attribution it used (θ·h by default).
            int sennBoxes = 0;
            for (const auto& b : fv->boxes()->boxes())
                if (b.name.startsWith("SENN")) {
                    ++sennBoxes;
                    QCOMPARE(b.name.contains(QString::fromUtf8("(θ·h)")), k == 0);
                }
            QCOMPARE(sennBoxes, 1);
        }
        QCOMPARE(fr.sennAttribution, std::string("theta_h"));
        // The normalised infidelity can only be lower than the raw one (β = 1 is a choice).
        for (const auto& [id, m] : fr.methods) {
            QCOMPARE(m.infidelity.size(), size_t(4));
            for (size_t i = 0; i < m.infidelity.size(); ++i)
                if (std::isfinite(m.infidelity[i]))
                    QVERIFY2(m.infidelityNormalized[i] <= m.infidelity[i] * (1 + 1e-9),
                             qPrintable(QString("%1 point %2").arg(QString::fromStdString(id)).arg(i)));
        }
        QCOMPARE(fv->settings()["measure"].toInt(), 3);
        // Without "Curves and robustness" the other measures are not in the run, and the box
        // plot says so; with it, every measure of the catalogue has its boxes.
        fv->setMeasure(4);
        QCOMPARE(fv->measureId(), std::string("deletion_aopc"));
        QCOMPARE(fv->boxes()->boxCount(), 0);
        QVERIFY(fv->boxes()->title().contains("not in this run"));
        fv->applySettings(QJsonObject{{"points", 2}, {"curves_and_robustness", true}});
        QTest::mouseClick(runF, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return fv->result().points.size() == 2 && !w.isRunning(JobKind::Faithfulness); }, 120000));
        const auto& saliency = fv->result().methods.at("saliency");
        for (const char* id : {"deletion_aopc", "deletion_lerf_aopc", "insertion_auc", "road_morf_aopc", "ris", "ros",
                               "avg_sensitivity", "max_sensitivity"}) {
            QVERIFY2(saliency.measures.count(id), id);
            QVERIFY2(std::isfinite(saliency.measures.at(id)[0]), id);
        }
        QVERIFY(saliency.measures.at("avg_sensitivity")[1] <= saliency.measures.at("max_sensitivity")[1]);
        fv->setMeasure(4);
        QCOMPARE(fv->boxes()->boxCount(), 2);
        QVERIFY(fv->boxes()->title().startsWith("Deletion AOPC (MoRF) over 2 test points"));
        QVERIFY(fv->settings()["curves_and_robustness"].toBool());
    }

    // Streamed and cancelled results: the legend says how many points each curve
    // has, the status line under Run says what is shown, and the draws setting reaches the
    // request and the title.
    void streamedAndCancelledStability()
    {
        StabilityView st;
        metrics::StabilityResult r;
        r.eps = {0.01, 0.1};
        r.points = {1, 2, 3};
        r.draws = "independent";
        metrics::Curve c;
        c.perPoint = {{0.5, std::nan(""), std::nan("")}, {0.7, std::nan(""), std::nan("")}};
        c.median = {0.5, 0.7};
        c.q25 = c.median;
        c.q75 = c.median;
        c.pointsDone = 1;
        r.methods["lime"] = c;
        r.seconds = 0.4;
        st.setResult(r);
        QCOMPARE(st.curves()->seriesCount(), 1);
        QVERIFY2(st.curves()->series()[0].name.contains("1 of 3 points"), qPrintable(st.curves()->series()[0].name));
        auto* status = st.findChild<QLabel*>("stabilityStatus");
        QVERIFY(status && status->text().contains("1 of 3"));
        // The next point arrives: the same curve, now over two points.
        r.methods["lime"].pointsDone = 2;
        r.methods["lime"].perPoint[0][1] = 0.6;
        st.setResult(r);
        QVERIFY(st.curves()->series()[0].name.contains("2 of 3 points"));
        // Cancelled with two points kept.
        r.cancelled = true;
        st.setResult(r);
        QVERIFY2(status->text().contains("Cancelled") && status->text().contains("2 of 3"), qPrintable(status->text()));
        // Complete: no count in the legend.
        r.cancelled = false;
        r.methods["lime"].pointsDone = 3;
        st.setResult(r);
        QCOMPARE(st.curves()->series()[0].name, QString("LIME"));
        // The draws setting.
        QVERIFY(st.request().draws == metrics::Draws::Independent);
        st.applySettings(QJsonObject{{"draws", "shared"}});
        QVERIFY(st.request().draws == metrics::Draws::Shared);
        QCOMPARE(st.settings()["draws"].toString(), QString("shared"));
    }

    void explainerSettings()
    {
        // The options survive their JSON form (sessions, QSettings); junk falls back to defaults.
        explain::ExplainOptions o;
        o.background = "sample:25";
        o.samples = 3000;
        o.seed = 77;
        o.limeDiscretize = false;
        o.shapKeepFeatures = 3;
        o.igSteps = 20;
        o.smoothGradSigma = 0.3;
        o.absoluteSaliency = true;
        const auto back = explainOptionsFromJson(explainOptionsToJson(o));
        QCOMPARE(back.background, o.background);
        QCOMPARE(back.samples, 3000);
        QCOMPARE(back.seed, uint64_t(77));
        QCOMPARE(back.limeDiscretize, false);
        QCOMPARE(back.shapKeepFeatures, 3);
        QCOMPARE(back.igSteps, 20);
        QCOMPARE(back.smoothGradSigma, 0.3);
        QCOMPARE(back.absoluteSaliency, true);
        const auto junk = explainOptionsFromJson(QJsonObject{{"background", "bogus:3"}, {"ig_steps", -4}});
        QCOMPARE(junk.background, std::string());
        QCOMPARE(junk.igSteps, 1);

        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w));
        w.showView("explain");
        auto* view = w.explainView();
        view->methodPicker()->setMethodIds({"kernel-shap"});
        // The Settings… button opens the dialog; OK applies its values and explains again.
        auto* button = view->findChild<QPushButton*>("explainerSettingsButton");
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        auto* dialog = w.findChild<ExplainerSettingsDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        explain::ExplainOptions keep3 = dialog->options();
        keep3.shapKeepFeatures = 3;
        keep3.background = "kmeans:5";
        dialog->setOptions(keep3);
        QCOMPARE(dialog->options().shapKeepFeatures, 3);
        QCOMPARE(dialog->options().background, std::string("kmeans:5"));
        QSignalSpy shown(&w, &MainWindow::explanationShown);
        const qint64 row = w.dataset().testRows.at(2);
        QVERIFY(view->setCurrentRow(row));
        dialog->accept();
        QCOMPARE(w.explainOptions().shapKeepFeatures, 3);
        auto keptThree = [&] {
            if (shown.isEmpty())
                return false;
            const auto r = shown.last().first().value<ExplainResult>();
            return r.request.row == row && r.request.options.shapKeepFeatures == 3;
        };
        QVERIFY(QTest::qWaitFor(keptThree, 60000));
        const auto r = shown.last().first().value<ExplainResult>();
        QCOMPARE(int(r.explanations.size()), 1);
        const auto& e = r.explanations[0];
        QCOMPARE(e.diagnostics.at("kept_features"), 3.0);
        QCOMPARE(int(std::count_if(e.values.begin(), e.values.end(), [](float v) { return v != 0.0f; })), 3);
        // Sessions carry them.
        QCOMPARE(w.currentSession().settings["explainers"].toObject()["shap_keep_features"].toInt(), 3);
    }
};

QTEST_MAIN(TestUiMetrics)
#include "test_ui_metrics.moc"
