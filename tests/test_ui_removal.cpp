// Explanations do no hidden model work: an Explain runs the explainers alone, with the known
// prediction as their target, and the Faithfulness view's removal curves are computed only
// when that view is shown, equal to metrics::removalCorrelation called directly.
#include "support/test_ui_util.h"

#include "ui/plots/curve_plot.h"
#include "ui/views/explain_view.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/stability_view.h"

#include "core/explain/explanation.h"
#include "core/io/workspace.h"
#include "core/metrics/metrics.h"
#include "core/metrics/removal_curves.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace senn::ui;
namespace explain = senn::explain;
namespace metrics = senn::metrics;

namespace {

// Waits for the explanation of `row` from the Explain view's auto-explain.
bool explainRow(MainWindow& w, qint64 row, ExplainResult* out)
{
    QSignalSpy shown(&w, &MainWindow::explanationShown);
    if (!w.explainView()->setCurrentRow(row))
        return false;
    const bool ok = QTest::qWaitFor([&] {
        return !shown.isEmpty() && shown.last().first().value<ExplainResult>().request.row == row
            && !w.isRunning(JobKind::Explain); }, 60000);
    if (ok)
        *out = shown.last().first().value<ExplainResult>();
    return ok;
}

bool removalShown(const MainWindow& w, qint64 row)
{
    const ExplainResult& ex = w.faithfulnessView()->example();
    return ex.request.row == row && !ex.explanations.empty() && ex.removal.size() == ex.explanations.size();
}

int countRemovalJobs(const QSignalSpy& ended)
{
    int n = 0;
    for (const auto& args : ended)
        n += args.first().value<JobKind>() == JobKind::Removal;
    return n;
}

} // namespace

class TestUiRemoval : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void removalOnlyWhenTheFaithfulnessViewShowsIt()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w));
        const QString modelPath = dir.filePath("bc.senn");
        QSignalSpy saved(&w, &MainWindow::modelSaved);
        w.saveModelTo(modelPath);
        QVERIFY(QTest::qWaitFor([&] { return saved.count() > 0; }, 60000));

        // (a) Explain view current: the explainers run, no removal job.
        w.showView("explain");
        w.explainView()->methodPicker()->setMethodIds({"senn", "saliency"});
        QSignalSpy ended(&w, &MainWindow::jobEnded);
        const qint64 row = w.dataset().testRows.at(3);
        ExplainResult r;
        QVERIFY(explainRow(w, row, &r));
        QCOMPARE(int(r.explanations.size()), 2);
        QVERIFY(r.removal.empty());
        QCOMPARE(countRemovalJobs(ended), 0);
        const explain::Explanation& saliency = r.explanations[1];
        QCOMPARE(QString::fromStdString(saliency.method), QString("saliency"));
        QCOMPARE(saliency.modelRows, int64_t(1)); // one gradient: the explainer's own row only
        // (c) The known prediction is the target.
        QCOMPARE(int64_t(saliency.target), r.prediction);
        QCOMPARE(int64_t(r.explanations[0].target), r.prediction);
        QCOMPARE(r.request.options.target, -1); // the request itself is as the user made it
        QCOMPARE(w.faithfulnessView()->example().request.row, row);
        QVERIFY(w.faithfulnessView()->needsRemoval());
        QCOMPARE(w.faithfulnessView()->removal()->seriesCount(), 0);

        // (b) Showing the Faithfulness view computes them for the current example; the plot
        // says so meanwhile.
        w.showView("faithfulness");
        QVERIFY2(w.faithfulnessView()->removal()->title().startsWith("Computing the removal curves of row"),
                 qPrintable(w.faithfulnessView()->removal()->title()));
        QVERIFY(QTest::qWaitFor([&] { return removalShown(w, row) && !w.isRunning(JobKind::Removal); }, 60000));
        QCOMPARE(countRemovalJobs(ended), 1);
        QCOMPARE(w.faithfulnessView()->removal()->title(), QStringLiteral("Removal curve of row %1").arg(row));
        const ExplainResult ex = w.faithfulnessView()->example();
        QCOMPARE(ex.request.requestId, r.request.requestId);

        // The same numbers as metrics::removalCorrelation on the saved model.
        auto ws = senn::io::openWithModel(modelPath.toStdString(), test::breastCancer().toStdString());
        const auto ctx = explain::ExplainContext::make(ws.data, ws.split);
        int curves = 0;
        for (size_t i = 0; i < ex.explanations.size(); ++i) {
            const auto& e = ex.explanations[i];
            const auto direct = metrics::removalCorrelation(ws.model, ctx, ex.input.data(), e,
                                                            e.baseline.empty() ? ctx.stats.mean : e.baseline);
            QVERIFY(!direct.curve.empty());
            QCOMPARE(ex.removal[i].curve.size(), direct.curve.size());
            for (size_t j = 0; j < direct.curve.size(); ++j)
                QCOMPARE(ex.removal[i].curve[j], direct.curve[j]);
            QCOMPARE(ex.removal[i].correlation, direct.correlation);
            curves += 1;
        }
        QCOMPARE(w.faithfulnessView()->removal()->seriesCount(), curves);
        const auto& plotted = w.faithfulnessView()->removal()->series()[1].median;
        QCOMPARE(plotted.size(), ex.removal[1].curve.size());
        QCOMPARE(plotted.front(), ex.removal[1].curve.front());
        // The deletion, insertion and ROAD curves: core's, for the row and the request's seed.
        for (size_t i = 0; i < ex.explanations.size(); ++i) {
            const auto& e = ex.explanations[i];
            metrics::CurveOptions co;
            co.seed = ex.request.options.seed;
            co.row = row;
            const auto direct = metrics::perturbationCurves(ws.model, ctx, ex.input.data(), e,
                                                            e.baseline.empty() ? ctx.stats.mean : e.baseline, co);
            QCOMPARE(ex.removal[i].perturbation.curves, direct.curves);
            QCOMPARE(ex.removal[i].perturbation.scores, direct.scores);
        }
        auto* fv = w.faithfulnessView();
        fv->setCurveKind(1); // deletion: MoRF solid, LeRF dashed, for both methods
        QCOMPARE(fv->removal()->title(), QStringLiteral("Deletion curves of row %1").arg(row));
        QCOMPARE(fv->removal()->seriesCount(), 4);
        QCOMPARE(fv->removal()->series()[2].median, ex.removal[1].perturbation.curves.at("deletion_morf"));
        QVERIFY(fv->removal()->series()[3].dashed);
        fv->setCurveKind(3); // ROAD: SENN's concepts have no neighbours to impute from
        QCOMPARE(fv->removal()->seriesCount(), 2);
        QVERIFY(fv->removal()->series()[0].name.startsWith("Saliency MoRF"));
        fv->setCurveKind(0);

        // (c) Identical values to an explanation that finds the predicted class itself.
        explain::ExplainOptions o = w.explainOptions();
        QCOMPARE(o.target, -1);
        const auto own = explain::explain(explain::Method::Saliency, ws.model, ctx, r.input.data(), o);
        QCOMPARE(own.target, saliency.target);
        QCOMPARE(own.values.size(), saliency.values.size());
        for (size_t j = 0; j < own.values.size(); ++j)
            QCOMPARE(own.values[j], saliency.values[j]);

        // Back and forth: the curves are kept, nothing is computed again.
        w.showView("explain");
        w.showView("faithfulness");
        QTest::qWait(200);
        QCOMPARE(countRemovalJobs(ended), 1);

        // An explanation that arrives while the Faithfulness view is current (new explainer
        // settings explain the example again) brings its curves.
        QSignalSpy shown(&w, &MainWindow::explanationShown);
        w.setExplainOptions(w.explainOptions());
        QVERIFY(QTest::qWaitFor([&] { return !shown.isEmpty(); }, 60000));
        r = shown.last().first().value<ExplainResult>();
        QVERIFY(r.removal.empty());
        QVERIFY(QTest::qWaitFor([&] {
            return removalShown(w, row) && w.faithfulnessView()->example().request.requestId == r.request.requestId
                && !w.isRunning(JobKind::Removal); }, 60000));
        QCOMPARE(countRemovalJobs(ended), 2);

        // Another example explained from the Explain view: no curves until the Faithfulness
        // view is shown again.
        w.showView("explain");
        const qint64 next = w.dataset().testRows.at(5);
        QVERIFY(explainRow(w, next, &r));
        QTest::qWait(200);
        QCOMPARE(countRemovalJobs(ended), 2);
        QCOMPARE(w.faithfulnessView()->example().request.row, next);
        QVERIFY(w.faithfulnessView()->needsRemoval());
        QCOMPARE(w.faithfulnessView()->removal()->seriesCount(), 0);

        // Cancelled while it waits behind a stability run: the plot says the curves were not
        // computed, and showing the view again computes them.
        w.showView("stability");
        w.stabilityView()->applySettings(QJsonObject{{"methods", QJsonArray{"lime"}}, {"points", 200}});
        QTest::mouseClick(w.stabilityView()->findChild<QPushButton*>("runStability"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return w.isRunning(JobKind::Stability); }, 30000));
        w.showView("faithfulness");
        QVERIFY(w.faithfulnessView()->removal()->title().startsWith("Computing the removal curves of row"));
        w.cancelAll();
        QCOMPARE(w.faithfulnessView()->removal()->title(),
                 QStringLiteral("Removal curves of row %1: not computed").arg(next));
        QVERIFY(QTest::qWaitFor([&] { return !w.isRunning(JobKind::Stability); }, 60000));
        QTest::qWait(200);
        QCOMPARE(countRemovalJobs(ended), 2);
        QVERIFY(w.faithfulnessView()->needsRemoval());
        w.showView("explain");
        w.showView("faithfulness");
        QVERIFY(QTest::qWaitFor([&] { return removalShown(w, next) && !w.isRunning(JobKind::Removal); }, 60000));
        QCOMPARE(countRemovalJobs(ended), 3);
    }
};

QTEST_MAIN(TestUiRemoval)
#include "test_ui_removal.moc"
