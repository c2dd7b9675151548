// Intervals over seeds in the app: the setting (stored, clamped, in sessions), the estimates
// multiplied for the sampling methods only, the features grid's error bars and ≈ marks at the
// places and counts known from hand-made explanations, the caption's median width, and the
// Explain view asking the worker for the seeds (LIME repeated, saliency once).
#include "support/test_ui_util.h"

#include "core/explain/uncertainty.h"
#include "ui/plots/attribution_grid.h"
#include "ui/plots/comparison_panel.h"
#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h"
#include "ui/views/method_estimates.h"

#include <QDialogButtonBox>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSpinBox>

#include <cmath>

using namespace senn;
using namespace senn::ui;

namespace {

// Six features ranked 0..5 by |value|; intervals ±0.3; the order of 0 over 1 (0.6), 3 over 4
// (0.9) and 4 over 5 (0.5) is not significant, 1 over 2 and 2 over 3 are.
explain::Explanation repeatedLime()
{
    explain::Explanation e;
    e.method = "lime";
    e.shape = {6};
    e.values = {3.0f, -2.9f, 1.0f, 0.5f, -0.2f, 0.1f};
    for (float v : e.values) {
        e.intervalLow.push_back(v - 0.3f);
        e.intervalHigh.push_back(v + 0.3f);
    }
    e.orderAgreement = {0.6f, 1.0f, 1.0f, 0.9f, 0.5f, NAN};
    e.seedRuns = 10;
    return e;
}

explain::Explanation plain(const std::string& method)
{
    explain::Explanation e;
    e.method = method;
    e.shape = {6};
    e.values = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f};
    return e;
}

ExplainInput sixFeatures()
{
    ExplainInput in;
    in.shape = {6};
    for (int j = 0; j < 6; ++j) {
        in.values.push_back(float(j));
        in.featureNames.push_back("feature " + std::to_string(j));
    }
    return in;
}

} // namespace

class TestUiUncertainty : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void settingStoredAndClamped()
    {
        explain::ExplainOptions o;
        QCOMPARE(explainOptionsToJson(o)["seed_runs"].toInt(), 1);
        QCOMPARE(explainOptionsToJson(o, 10)["seed_runs"].toInt(), 10);
        QCOMPARE(seedRunsFromJson(explainOptionsToJson(o, 10)), 10);
        QCOMPARE(seedRunsFromJson(QJsonObject{}), 1); // settings written before the setting
        QCOMPARE(seedRunsFromJson(QJsonObject{{"seed_runs", 5000}}), explain::kMaxSeedRuns);
        QCOMPARE(seedRunsFromJson(QJsonObject{{"seed_runs", -3}}), 1);

        ExplainerSettingsDialog dialog;
        auto* spin = dialog.findChild<QSpinBox*>("seedRuns");
        QVERIFY(spin);
        QCOMPARE(spin->value(), 1);
        QVERIFY(!spin->specialValueText().isEmpty()); // 1 reads "off"
        dialog.setSeedRuns(12);
        QCOMPARE(dialog.seedRuns(), 12);
        auto* buttons = dialog.findChild<QDialogButtonBox*>();
        QVERIFY(buttons);
        buttons->button(QDialogButtonBox::RestoreDefaults)->click();
        QCOMPARE(dialog.seedRuns(), 1);
    }

    void estimatesMultiplyTheSamplingMethods()
    {
        auto data = std::make_shared<data::Dataset>();
        data->kind = data::DataKind::Tabular;
        data->sampleShape = {30};
        data->x.assign(100 * 30, 0.0f);
        data->y.assign(100, 0);
        MethodEstimates est;
        est.setData(data);
        est.setOptions({});
        std::map<explain::Method, int64_t> once;
        for (auto m : explain::allMethods())
            once[m] = est.rows(m);
        est.setSeedRuns(10);
        using M = explain::Method;
        // 30 features: LIME, SmoothGrad, KernelSHAP (2108 of 2^30 coalitions) and Shapley
        // (beyond exact's 16 players) sample; the rest have nothing to repeat.
        for (auto m : {M::Lime, M::SmoothGrad, M::KernelShap, M::Shapley})
            QCOMPARE(est.rows(m), 10 * once[m]);
        for (auto m : {M::Saliency, M::GradInput, M::IntegratedGradients, M::Occlusion, M::Senn})
            QCOMPARE(est.rows(m), once[m]);
        // A measured run over 10 seeds took 5 s: 0.5 s a seed.
        auto lime = plain("lime");
        lime.seconds = 5.0;
        lime.modelRows = 50000;
        lime.seedRuns = 10;
        est.measure({lime});
        QCOMPARE(est.seconds(M::Lime), 5.0);
        est.setSeedRuns(1);
        QCOMPARE(est.seconds(M::Lime), 0.5);
    }

    void gridDrawsErrorBarsAndOrderMarks()
    {
        ComparisonPanel panel;
        panel.resize(900, 700);
        panel.setInput(sixFeatures());
        panel.setExplanations({repeatedLime(), plain("saliency")});
        auto* grid = panel.featureGrid();
        QVERIFY(grid);
        QCOMPARE(grid->columnCount(), 2);
        QVERIFY(grid->hasIntervals(0));
        QVERIFY(!grid->hasIntervals(1));
        QCOMPARE(grid->orderMarkCount(), 3); // features 0, 3 and 4
        QCOMPARE(grid->nextRanked(0, 0), 1);
        QCOMPARE(grid->nextRanked(0, 3), 4);
        QCOMPARE(grid->nextRanked(0, 5), -1);
        auto* legend = panel.findChild<QLabel*>("seedLegend");
        QVERIFY(legend);
        QVERIFY2(legend->text().contains("over 10 seeds") && legend->text().contains("95%"), qPrintable(legend->text()));
        // Widths 0.6 against max |value| 3: 20%.
        QVERIFY2(panel.columnCaption(0).contains("10 seeds: median interval 20% of max |value|"),
                 qPrintable(panel.columnCaption(0)));
        QVERIFY(!panel.columnCaption(1).contains("seeds"));

        // The exported numbers carry the intervals and the order agreement of the repeated
        // method, and empty cells for the method run once (NaN agreement of the last-ranked too).
        const QStringList csv = panel.dataCsv().trimmed().split('\n');
        QCOMPARE(csv.first(), QStringLiteral("row,method,method_label,index,label,value,h,contribution,"
                                             "interval_low,interval_high,order_agreement,standard_error"));
        QCOMPARE(csv.size(), 13);
        QVERIFY2(csv[1].endsWith(QStringLiteral(",3,,,2.70000005,3.29999995,0.600000024,")), qPrintable(csv[1]));
        QVERIFY2(csv[6].endsWith(QStringLiteral(",0.100000001,,,-0.200000018,0.400000006,,")), qPrintable(csv[6]));
        QVERIFY2(csv[7].endsWith(QStringLiteral(",1,,,,,,")), qPrintable(csv[7]));

        // Without repeated columns: no legend.
        ComparisonPanel once;
        once.setInput(sixFeatures());
        once.setExplanations({plain("lime"), plain("saliency")});
        QVERIFY(!once.findChild<QLabel*>("seedLegend"));
        QCOMPARE(once.featureGrid()->orderMarkCount(), 0);
    }

    void errorBarPixels()
    {
        AttributionGrid grid;
        const auto e = repeatedLime();
        GridColumn col{"LIME", "lime", e.values, QString()};
        col.low = e.intervalLow;
        col.high = e.intervalHigh;
        col.orderAgreement = e.orderAgreement;
        col.seedRuns = 10;
        QStringList names;
        for (int j = 0; j < 6; ++j)
            names << QStringLiteral("feature %1").arg(j);
        grid.setData(names, {col});
        grid.resize(400, grid.minimumSizeHint().height());
        const QImage img = grid.grab().toImage();
        // Feature 2 (value 1, interval [0.7, 1.3]) on the column's scale ±3: the cap at 1.3 is
        // drawn, nothing at 1.6.
        int shown = -1;
        for (int i = 0; i < int(grid.shownRows().size()); ++i)
            if (grid.shownRows()[size_t(i)] == 2)
                shown = i;
        QVERIFY(shown >= 0);
        const QRect cell = grid.cellRect(shown, 0);
        const int half = grid.barHalfWidth(0), cy = cell.center().y();
        QVERIFY(half < cell.width() / 2 - 5); // room for the ≈ on the right
        const double R = grid.columnRange(0);
        QCOMPARE(R, 3.0);
        auto xOf = [&](double v) { return cell.center().x() + int(std::lround(v / R * half)); };
        QVERIFY2(qGray(img.pixel(xOf(1.3), cy - 3)) < 100, "no cap at the interval's high end");
        QVERIFY2(qGray(img.pixel(xOf(1.6), cy - 3)) > 150, "a mark beyond the interval");
        // The ≈ of feature 0 lies in its cell, at the right.
        const QRect mark = grid.orderMarkRect(0, 0);
        QVERIFY(!mark.isEmpty() && grid.cellRect(0, 0).contains(mark));
        QVERIFY(grid.orderMarkRect(1, 0).isEmpty()); // feature 1 over 2: settled
    }

    void explainViewAsksForTheSeeds()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w, 1));
        w.showView("explain");
        auto* view = w.explainView();
        auto o = w.explainOptions();
        o.samples = 300;
        w.setExplainOptions(o);
        w.showExplainerSettings();
        auto* dialog = w.findChild<ExplainerSettingsDialog*>();
        QVERIFY(dialog);
        dialog->findChild<QSpinBox*>("seedRuns")->setValue(10);
        dialog->accept();
        QCOMPARE(view->seedRuns(), 10);
        const QJsonObject stored = QJsonDocument::fromJson(QSettings().value("explainers").toByteArray()).object();
        QCOMPARE(stored["seed_runs"].toInt(), 10);
        QCOMPARE(w.currentSession().settings["explainers"].toObject()["seed_runs"].toInt(), 10);

        QSignalSpy shown(&w, &MainWindow::explanationShown);
        view->methodPicker()->setMethodIds({"lime", "saliency"});
        const qint64 row = w.dataset().testRows.at(5);
        QVERIFY(view->setCurrentRow(row));
        // Automatic first (saliency alone), then Explain runs both.
        QVERIFY(QTest::qWaitFor([&] {
            return !shown.isEmpty() && shown.last().first().value<ExplainResult>().request.row == row; }, 60000));
        shown.clear();
        QTest::mouseClick(view->findChild<QPushButton*>("explainButton"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !shown.isEmpty(); }, 60000));
        const auto r = shown.last().first().value<ExplainResult>();
        QCOMPARE(r.request.seedRuns, 10);
        QCOMPARE(r.explanations[0].method, std::string("lime"));
        QCOMPARE(r.explanations[0].seedRuns, 10);
        QCOMPARE(r.explanations[0].intervalLow.size(), r.explanations[0].values.size());
        QCOMPARE(r.explanations[1].seedRuns, 1); // saliency: nothing random
        QVERIFY(r.explanations[1].intervalLow.empty());
        auto* grid = view->panel()->featureGrid();
        QVERIFY(grid && grid->hasIntervals(0) && !grid->hasIntervals(1));
    }
};

QTEST_MAIN(TestUiUncertainty)
#include "test_ui_uncertainty.moc"
