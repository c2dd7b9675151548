// The Stability and Faithfulness views driven from their controls, as a person would: run
// the perturbation-stability curves for two methods (L̂ per ε, and how far each explanation
// moves under noise with the share of kept predictions), then the faithfulness box plots and
// each of their four measures.
#include "test_ui_util.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/curve_plot.h"
#include "ui/views/metrics_views.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QPushButton>

#include <cmath>

using namespace senn::ui;

class TestUiMetrics : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void stabilityAndFaithfulness()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.resize(1500, 950);
        w.show();
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        QVERIFY(test::trainAndWait(w, 2));

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
        }
        // The normalised infidelity can only be lower than the raw one (β = 1 is a choice).
        for (const auto& [id, m] : fr.methods) {
            QCOMPARE(m.infidelity.size(), size_t(4));
            for (size_t i = 0; i < m.infidelity.size(); ++i)
                if (std::isfinite(m.infidelity[i]))
                    QVERIFY2(m.infidelityNormalized[i] <= m.infidelity[i] * (1 + 1e-9),
                             qPrintable(QString("%1 point %2").arg(QString::fromStdString(id)).arg(i)));
        }
        QCOMPARE(fv->settings()["measure"].toInt(), 3);
    }
};

QTEST_MAIN(TestUiMetrics)
#include "test_ui_metrics.moc"
