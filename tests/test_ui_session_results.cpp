// Sessions keep the last sanity and scorecard results: written and read back field for field,
// refused with the reason when malformed (the rest of the session still opens), and shown again
// in the Sanity and Scorecard views of a window that opens the session.
#include "support/test_ui_util.h"

#include "ui/plots/scorecard_plot.h"
#include "ui/session_results.h"
#include "ui/views/explain_view.h"
#include "ui/views/sanity_view.h"
#include "ui/views/scorecard_view.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

using namespace senn;
using namespace senn::ui;

namespace {

// Two steps after the original, two methods and the control; the example as a {30} row.
metrics::SanityResult sanityExample()
{
    metrics::SanityResult r;
    r.mode = "independent";
    r.points = {3, 17, 40};
    r.targets = {1, 0, 1};
    r.randomTargets = {0, 1, 0};
    r.layers = {"fc2", "fc1"};
    r.steps = {"original", "fc2", "fc1"};
    r.methods = {"saliency", "integrated-gradients", metrics::kEdgeDetectorId};
    r.stepsDone = 3;
    r.randomLogit = true;
    r.seed = 18446744073709551557ull; // more than a JSON number keeps
    r.threads = 2;
    r.seconds = 1.25;
    for (size_t m = 0; m < r.methods.size(); ++m) {
        metrics::SanityMethodResult mr;
        for (const char* measure : {"spearman_abs", "cosine"}) {
            metrics::SimilaritySeries s;
            for (int k = 0; k < 3; ++k) {
                const double v = 1.0 - 0.3 * k * double(2 - m) / 2.0;
                s.median.push_back(v);
                s.q25.push_back(v - 0.1);
                s.q75.push_back(k == 2 && m == 0 ? std::nan("") : v + 0.05);
                s.perPoint.push_back({v, v - 0.1, v + 0.05});
            }
            mr.steps[measure] = s;
            mr.randomLogit[measure] = {0.1, 0.2, std::nan("")};
        }
        mr.shape = {30};
        for (int k = 0; k < 3; ++k) {
            std::vector<float> e(30);
            for (int i = 0; i < 30; ++i)
                e[size_t(i)] = float(i - 15) * 0.25f + float(k);
            mr.example.push_back(e);
        }
        r.results[r.methods[m]] = mr;
    }
    return r;
}

metrics::ScorecardResult scorecardExample()
{
    metrics::ScorecardResult r;
    r.points = {2, 5, 9, 11};
    r.methods = {"saliency", "grad-input"};
    for (const char* id : {"removal_correlation", "infidelity", "sparseness"})
        r.measures.push_back(metrics::scorecardMeasure(id));
    r.values = {{{0.1, 0.2, 0.3, 0.4}, {1.0, 2.0, 3.0, 4.0}, {0.5, 0.5, 0.6, std::nan("")}},
                {{0.5, 0.6, 0.7, 0.8}, {0.5, 0.5, 0.5, 0.5}, {0.2, 0.3, 0.2, 0.3}}};
    r.pointsDone = {4, 4};
    r.bootstrap = 100;
    r.seed = 7;
    r.seconds = 2.5;
    r.measureSeconds = {0.1, 0.2, 0.3};
    metrics::summarizeScorecard(r);
    return r;
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

void writeJson(const QString& path, const QJsonObject& o)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(QJsonDocument(o).toJson());
}

bool sameNumbers(const std::vector<double>& a, const std::vector<double>& b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))))
            return false;
    return true;
}

} // namespace

class TestUiSessionResults : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void sanityRoundTrip()
    {
        const auto r = sanityExample();
        // Through the file's text, as a session stores it.
        const QJsonObject json = QJsonDocument::fromJson(QJsonDocument(sanityResultToJson(r, "cosine")).toJson()).object();
        metrics::SanityResult back;
        std::string measure;
        QString why;
        QVERIFY2(sanityResultFromJson(json, &back, &measure, &why), qPrintable(why));
        QCOMPARE(measure, std::string("cosine"));
        QCOMPARE(back.mode, r.mode);
        QCOMPARE(back.points, r.points);
        QCOMPARE(back.targets, r.targets);
        QCOMPARE(back.randomTargets, r.randomTargets);
        QCOMPARE(back.layers, r.layers);
        QCOMPARE(back.steps, r.steps);
        QCOMPARE(back.methods, r.methods);
        QCOMPARE(back.stepsDone, 3);
        QCOMPARE(back.seed, r.seed);
        QCOMPARE(back.threads, 2);
        QCOMPARE(back.seconds, 1.25);
        QVERIFY(back.randomLogit && !back.dataRandomisation);
        for (const auto& id : r.methods) {
            const auto& a = r.results.at(id);
            const auto& b = back.results.at(id);
            QCOMPARE(b.shape, a.shape);
            QCOMPARE(b.example, a.example);
            for (const char* m : {"spearman_abs", "cosine"}) {
                QVERIFY(sameNumbers(b.steps.at(m).median, a.steps.at(m).median));
                QVERIFY(sameNumbers(b.steps.at(m).q75, a.steps.at(m).q75)); // NaN kept as NaN
                QCOMPARE(b.steps.at(m).perPoint.size(), size_t(3));
                QVERIFY(sameNumbers(b.steps.at(m).perPoint[1], a.steps.at(m).perPoint[1]));
                QVERIFY(sameNumbers(b.randomLogit.at(m), a.randomLogit.at(m)));
            }
        }
    }

    // Malformed objects are refused with the reason; what only this build does not know is
    // dropped (a method, a measure) or forgotten (the shown measure).
    void sanityRefusals()
    {
        const QJsonObject good = sanityResultToJson(sanityExample(), "ssim-typo");
        metrics::SanityResult back;
        std::string measure = "x";
        QString why;
        QVERIFY(sanityResultFromJson(good, &back, &measure, &why));
        QCOMPARE(measure, std::string());
        auto refused = [&](QJsonObject o, const QString& expect) {
            why.clear();
            const bool ok = sanityResultFromJson(o, &back, nullptr, &why);
            return !ok && why.contains(expect) ? QString() : QStringLiteral("ok=%1 why=%2").arg(ok).arg(why);
        };
        QJsonObject o = good;
        o["mode"] = "sideways";
        QCOMPARE(refused(o, "mode \"sideways\""), QString());
        o = good;
        o["steps"] = QJsonArray{};
        QCOMPARE(refused(o, "steps"), QString());
        o = good;
        o["points"] = QJsonArray{1, -2};
        QCOMPARE(refused(o, "points"), QString());
        o = good;
        o["targets"] = QJsonArray{1, 2e9, 0};
        QCOMPARE(refused(o, "class"), QString());
        // A series longer than the steps, or quartiles shorter than the medians.
        QJsonObject results = o["results"].toObject();
        o = good;
        results = good["results"].toObject();
        QJsonObject sal = results["saliency"].toObject(), steps = sal["steps"].toObject(),
                    series = steps["cosine"].toObject();
        series["median"] = QJsonArray{1, 0.5, 0.2, 0.1};
        steps["cosine"] = series;
        sal["steps"] = steps;
        results["saliency"] = sal;
        o["results"] = results;
        QCOMPARE(refused(o, "saliency (cosine)"), QString());
        // An example that is not its shape's size, and a shape that overflows.
        results = good["results"].toObject();
        sal = results["saliency"].toObject();
        sal["shape"] = QJsonArray{29};
        results["saliency"] = sal;
        o = good;
        o["results"] = results;
        QCOMPARE(refused(o, "size is not its shape"), QString());
        sal["shape"] = QJsonArray{4e9, 4e9, 4e9};
        results["saliency"] = sal;
        o["results"] = results;
        QCOMPARE(refused(o, "shape out of range"), QString());
        // Unknown method ids and measures are dropped, as a stored stability result drops them.
        o = good;
        o["methods"] = QJsonArray{"saliency", "not-a-method", "saliency"};
        QVERIFY(sanityResultFromJson(o, &back));
        QCOMPARE(back.methods, std::vector<std::string>{"saliency"});
        // Counts out of range are clamped, not trusted.
        o = good;
        o["steps_done"] = 1e300;
        o["threads"] = -4;
        o["randomised_accuracy"] = 7;
        QVERIFY(sanityResultFromJson(o, &back));
        QCOMPARE(back.stepsDone, 3);
        QCOMPARE(back.threads, 1);
        QCOMPARE(back.randomisedAccuracy, 0.0);
    }

    void scorecardRoundTrip()
    {
        const auto r = scorecardExample();
        const QJsonObject json = QJsonDocument::fromJson(QJsonDocument(scorecardResultToJson(r)).toJson()).object();
        metrics::ScorecardResult back;
        QString why;
        QVERIFY2(scorecardResultFromJson(json, &back, &why), qPrintable(why));
        QCOMPARE(back.points, r.points);
        QCOMPARE(back.methods, r.methods);
        QCOMPARE(back.measures.size(), size_t(3));
        QCOMPARE(back.measures[1].id, std::string("infidelity"));
        QVERIFY(!back.measures[1].higherIsBetter);
        QCOMPARE(back.pointsDone, r.pointsDone);
        QCOMPARE(back.bootstrap, 100);
        QCOMPARE(back.seed, uint64_t(7));
        for (size_t m = 0; m < 2; ++m)
            for (size_t k = 0; k < 3; ++k) {
                QVERIFY(sameNumbers(back.values[m][k], r.values[m][k]));
                QCOMPARE(back.cells[m][k].median, r.cells[m][k].median);
                QCOMPARE(back.cells[m][k].lo, r.cells[m][k].lo);
                QCOMPARE(back.cells[m][k].hi, r.cells[m][k].hi);
                QCOMPARE(back.cells[m][k].n, r.cells[m][k].n);
                QCOMPARE(back.ranks[m][k], r.ranks[m][k]);
            }
        // Known answers of the example: grad-input leads removal correlation and infidelity.
        QCOMPARE(back.ranks[1][0], 1.0);
        QCOMPARE(back.ranks[1][1], 1.0);
        QCOMPARE(back.cells[0][2].n, 3); // the NaN is not a value
        QVERIFY(sameNumbers({back.kendallW}, {r.kendallW}));
        QCOMPARE(back.agreementMeasures, r.agreementMeasures);
        for (size_t a = 0; a < 3; ++a)
            QVERIFY(sameNumbers(back.tau[a], r.tau[a]));
        // The same table as the view draws it.
        ScorecardPlot before, after;
        before.setResult(r);
        after.setResult(back);
        for (int m = 0; m < 2; ++m)
            for (int k = 0; k < 3; ++k)
                QCOMPARE(after.cellText(m, k), before.cellText(m, k));
    }

    // A row of attributions from a file keeps its name, its file and why its cells of the
    // measures that need the method itself are empty.
    void scorecardFileRows()
    {
        auto r = scorecardExample();
        r.methods.push_back("shap_export");
        r.sources = {"", "", "/data/shap.npy"};
        r.reasons = {{"", "", ""}, {"", "", ""}, {"", "", "needs the method itself"}};
        r.values.push_back({{0.3, 0.3, 0.3, 0.3}, {0.9, 0.9, 0.9, 0.9}, std::vector<double>(4, std::nan(""))});
        r.pointsDone.push_back(4);
        metrics::summarizeScorecard(r);
        const QJsonObject json = scorecardResultToJson(r);
        metrics::ScorecardResult back;
        QString why;
        QVERIFY2(scorecardResultFromJson(json, &back, &why), qPrintable(why));
        QCOMPARE(back.methods, r.methods);
        QCOMPARE(back.sources, r.sources);
        QCOMPARE(back.reasons, r.reasons);
        QCOMPARE(back.ranks[2][1], r.ranks[2][1]);
        // Without sources the name must be a method id; a file's row needs a name.
        QJsonObject o = json;
        o.remove("sources");
        QVERIFY(!scorecardResultFromJson(o, &back, &why));
        QVERIFY2(why.contains("\"shap_export\""), qPrintable(why));
        o = json;
        QJsonArray methods = o["methods"].toArray();
        methods[2] = "";
        o["methods"] = methods;
        QVERIFY(!scorecardResultFromJson(o, &back, &why));
        QVERIFY2(why.contains("without a name"), qPrintable(why));
        o = json;
        o["sources"] = QJsonArray{"", "/data/shap.npy"};
        QVERIFY(!scorecardResultFromJson(o, &back, &why));
        QVERIFY2(why.contains("one path per row"), qPrintable(why));
        o = json;
        o["reasons"] = QJsonArray{QJsonArray{"", "", ""}};
        QVERIFY(!scorecardResultFromJson(o, &back, &why));
        QVERIFY2(why.contains("reasons"), qPrintable(why));
        // A session of before: no sources or reasons, one empty each per row.
        o = scorecardResultToJson(scorecardExample());
        o.remove("sources");
        o.remove("reasons");
        QVERIFY(scorecardResultFromJson(o, &back, &why));
        QCOMPARE(back.sources, (std::vector<std::string>{"", ""}));
        QCOMPARE(back.reasons.size(), size_t(2));
        QCOMPARE(back.reasons[1].size(), size_t(3));
    }

    void scorecardRefusals()
    {
        const QJsonObject good = scorecardResultToJson(scorecardExample());
        metrics::ScorecardResult back;
        QString why;
        auto refused = [&](const QJsonObject& o, const QString& expect) {
            why.clear();
            const bool ok = scorecardResultFromJson(o, &back, &why);
            return !ok && why.contains(expect) ? QString() : QStringLiteral("ok=%1 why=%2").arg(ok).arg(why);
        };
        QJsonObject o = good;
        o["methods"] = QJsonArray{"saliency", "deep-magic"};
        QCOMPARE(refused(o, "\"deep-magic\""), QString());
        o = good;
        o["methods"] = QJsonArray{"saliency", "saliency"};
        QCOMPARE(refused(o, "twice"), QString());
        o = good;
        o["measures"] = QJsonArray{"removal_correlation", "infidelity", "vibes"};
        QCOMPARE(refused(o, "\"vibes\""), QString());
        o = good;
        o["values"] = QJsonArray{good["values"].toArray()[0]};
        QCOMPARE(refused(o, "values per point is not 2 x 3"), QString());
        o = good;
        QJsonArray ranks = good["ranks"].toArray(), row = ranks[0].toArray();
        row[1] = 9;
        ranks[0] = row;
        o["ranks"] = ranks;
        QCOMPARE(refused(o, "rank is not in 1 to 2"), QString());
        o = good;
        o["tau"] = QJsonArray{QJsonArray{1, 2, 0}, QJsonArray{0, 1, 0}, QJsonArray{0, 0, 1}};
        QCOMPARE(refused(o, "τ"), QString());
        o = good;
        o["kendall_w"] = 3;
        QCOMPARE(refused(o, "Kendall's W = 3"), QString());
        o = good;
        o["agreement_measures"] = QJsonArray{"sparseness", "complexity"};
        QCOMPARE(refused(o, "agreement"), QString());
        o = good;
        o.remove("points");
        QCOMPARE(refused(o, "points"), QString());
    }

    // The session fuzzer's seed with stored results reads back whole, so the fuzzer starts from
    // inputs that reach every field of both readers.
    void fuzzSeedReads()
    {
        const QString path = QFINDTESTDATA("fuzz/corpus/session/results.sennsession");
        QVERIFY(!path.isEmpty());
        Session s;
        QString error;
        QVERIFY2(Session::load(path, &s, &error), qPrintable(error));
        metrics::SanityResult sanity;
        std::string measure;
        QString why;
        QVERIFY2(sanityResultFromJson(s.settings["sanity_result"].toObject(), &sanity, &measure, &why), qPrintable(why));
        QCOMPARE(sanity.methods.size(), size_t(2));
        QCOMPARE(sanity.results.at("edge-detector").shape, (std::vector<int64_t>{1, 1, 3}));
        QCOMPARE(measure, std::string("cosine"));
        metrics::ScorecardResult scorecard;
        QVERIFY2(scorecardResultFromJson(s.settings["scorecard_result"].toObject(), &scorecard, &why), qPrintable(why));
        QCOMPARE(scorecard.ranks[1][0], 1.0);
    }

    // The whole path: saved from one window, shown again in another; a session whose stored
    // results are malformed still opens, without them, and the log says why.
    void windowSavesAndRestores()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("evaluation.sennsession");
        qint64 row = -1;
        {
            MainWindow w;
            w.setErrorDialogsEnabled(false);
            QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
            QVERIFY(test::trainAndWait(w, 1));
            row = w.dataset().testRows.at(4);
            QVERIFY(w.explainView()->setCurrentRow(row));
            w.sanityView()->setMeasure("cosine");
            w.sanityView()->setResult(sanityExample());
            w.scorecardView()->setResult(scorecardExample());
            w.showView("scorecard");
            QSignalSpy saved(&w, &MainWindow::modelSaved);
            QVERIFY(w.saveSession(path));
            QVERIFY(QTest::qWaitFor([&] { return saved.count() > 0; }, 30000));
        }
        const QJsonObject json = readJson(path);
        QVERIFY(json["settings"].toObject().contains("sanity_result"));
        QVERIFY(json["settings"].toObject().contains("scorecard_result"));
        {
            MainWindow w;
            w.setErrorDialogsEnabled(false);
            w.openPath(path);
            QVERIFY(QTest::qWaitFor([&] { return w.scorecardView()->hasResult() && w.sanityView()->hasResult(); }, 60000));
            QCOMPARE(w.sanityView()->measure(), std::string("cosine"));
            QCOMPARE(w.sanityView()->result().steps, sanityExample().steps);
            QCOMPARE(w.sanityView()->result().results.at("saliency").example, sanityExample().results.at("saliency").example);
            ScorecardPlot expected;
            expected.setResult(scorecardExample());
            QCOMPARE(w.scorecardView()->plot()->cellText(1, 2), expected.cellText(1, 2));
            QCOMPARE(w.currentViewId(), QString("scorecard"));
        }
        // Damage both stored results: the session still opens (model, example), without them.
        QJsonObject settings = json["settings"].toObject();
        QJsonObject sanity = settings["sanity_result"].toObject();
        sanity["mode"] = "sideways";
        settings["sanity_result"] = sanity;
        QJsonObject scorecard = settings["scorecard_result"].toObject();
        scorecard["methods"] = QJsonArray{"saliency", "saliency"};
        settings["scorecard_result"] = scorecard;
        QJsonObject damaged = json;
        damaged["settings"] = settings;
        writeJson(path, damaged);
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QSignalSpy restored(&w, &MainWindow::sessionRestored);
        w.openPath(path);
        QVERIFY(QTest::qWaitFor([&] {
            return restored.count() > 0 && w.model().valid && w.logText().contains("scorecard result was not restored");
        }, 60000));
        QVERIFY2(w.logText().contains("the stored sanity result was not restored: the stored sanity result has mode "
                                      "\"sideways\""), qPrintable(w.logText().right(600)));
        QVERIFY(w.logText().contains("names the method saliency twice"));
        QVERIFY(!w.sanityView()->hasResult());
        QVERIFY(!w.scorecardView()->hasResult());
        QCOMPARE(w.explainView()->currentRow(), row);
    }
};

QTEST_MAIN(TestUiSessionResults)
#include "test_ui_session_results.moc"
