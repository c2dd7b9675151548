// The scorecard's known answers (metrics.md): Gini sparseness and entropy on one-hot, constant
// and hand-computed vectors; ranks with directions and ties; Kendall's W (with and without the
// tie correction) and τ-b by hand; the bootstrap interval of a constant sample; and a run on a
// linear model whose gradient explanation is the same at every point.
#include "support/explain_test_models.h"
#include "core/common/error.h"
#include "core/metrics/complexity.h"
#include "core/metrics/metrics.h"
#include "core/metrics/rank_statistics.h"
#include "core/metrics/scorecard.h"

#include <cmath>

#include <QtTest>

using namespace senn;
using namespace senn::explain;
using namespace senn::testing;

class TestMetricsScorecard : public QObject {
    Q_OBJECT
private slots:
    void giniSparseness();
    void entropy();
    void ranksWithDirectionsAndTies();
    void kendallWAgreementAndReversal();
    void kendallWTieCorrection();
    void kendallTauB();
    void bootstrapOfConstantSample();
    void bootstrapIsSeeded();
    void catalogueAndSentence();
    void linearModelScorecard();
    void seedsFollowRowIds();
    void sameValuesAsTheFaithfulnessRun();
    void cancelKeepsFinishedPoints();
};

namespace {
bool near(double a, double b, double tol = 1e-12) { return std::abs(a - b) <= tol; }
} // namespace

void TestMetricsScorecard::giniSparseness()
{
    QCOMPARE(metrics::giniSparseness({0, 0, 5, 0}), 1.0);
    QCOMPARE(metrics::giniSparseness({0, -3, 0, 0, 0, 0, 0}), 1.0);
    QCOMPARE(metrics::giniSparseness({2, 2, 2, 2}), 0.0);
    QCOMPARE(metrics::giniSparseness({-1, 1, -1}), 0.0); // of |a|
    // [1,2,3,4]: Σ(2i − d − 1)|a|_(i) = −3 − 2 + 3 + 12 = 10; 10 / ((d − 1)·Σ|a|) = 10/30.
    QVERIFY(near(metrics::giniSparseness({4, -1, 3, 2}), 1.0 / 3.0));
    QVERIFY(std::isnan(metrics::giniSparseness({0, 0, 0})));
    QVERIFY(std::isnan(metrics::giniSparseness({})));
    QVERIFY(std::isnan(metrics::giniSparseness({1, NAN})));
}

void TestMetricsScorecard::entropy()
{
    QCOMPARE(metrics::attributionEntropy({0, 7, 0, 0}), 0.0);
    QVERIFY(near(metrics::attributionEntropy({-2, 2, 2, -2}), std::log(4.0)));
    // p = (1/4, 1/4, 1/2): H = ½·ln 4 + ½·ln 2 = 1.5·ln 2.
    QVERIFY(near(metrics::attributionEntropy({1, -1, 2}), 1.5 * std::log(2.0)));
    QVERIFY(std::isnan(metrics::attributionEntropy({0, 0})));
}

void TestMetricsScorecard::ranksWithDirectionsAndTies()
{
    const std::vector<double> s = {0.9, 0.5, 0.9, 0.1};
    QCOMPARE(metrics::rankScores(s, true), (std::vector<double>{1.5, 3, 1.5, 4}));
    QCOMPARE(metrics::rankScores(s, false), (std::vector<double>{3.5, 2, 3.5, 1}));
    auto r = metrics::rankScores({0.2, NAN, 0.7, 0.2, 0.2}, false);
    QCOMPARE(r[0], 2.0); // three tied for ranks 1..3
    QVERIFY(std::isnan(r[1]));
    QCOMPARE(r[2], 4.0);
    QCOMPARE(r[3], 2.0);
    QCOMPARE(r[4], 2.0);
}

void TestMetricsScorecard::kendallWAgreementAndReversal()
{
    const std::vector<double> a = {1, 2, 3, 4};
    QCOMPARE(metrics::kendallW({a, a, a}), 1.0);
    // Two judges with reversed rankings of 3 items: every rank sum is 4, S = 0, W = 0.
    QCOMPARE(metrics::kendallW({{1, 2, 3}, {3, 2, 1}}), 0.0);
    // (1,2,3) and (1,3,2): sums (2,5,5), S = 6, W = 12·6 / (2²·(27 − 3)) = 0.75.
    QVERIFY(near(metrics::kendallW({{1, 2, 3}, {1, 3, 2}}), 0.75));
    QVERIFY(std::isnan(metrics::kendallW({a})));
    QVERIFY(std::isnan(metrics::kendallW({a, {1, 2, NAN, 4}})));
}

void TestMetricsScorecard::kendallWTieCorrection()
{
    // Kendall & Gibbons' corrected form, m = 3 judges, n = 4 items, two judges with one pair
    // tied each (T = 2³ − 2 = 6 per judge): sums (3.5, 6, 8.5, 12), S = 39.5,
    // W = 12·39.5 / (9·60 − 3·12) = 474/504 = 79/84 (uncorrected it would be 474/540).
    const double w = metrics::kendallW({{1, 2, 3, 4}, {1.5, 1.5, 3, 4}, {1, 2.5, 2.5, 4}});
    QVERIFY2(near(w, 79.0 / 84.0), qPrintable(QString::number(w, 'g', 17)));
}

void TestMetricsScorecard::kendallTauB()
{
    QCOMPARE(metrics::kendallTau({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
    QCOMPARE(metrics::kendallTau({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
    // One pair tied in y: 5 concordant, τ-b = 5 / √(6·5).
    QVERIFY(near(metrics::kendallTau({1, 2, 3, 4}, {1, 1, 2, 3}), 5.0 / std::sqrt(30.0)));
    // A NaN drops its pair: what is left is reversed.
    QCOMPARE(metrics::kendallTau({1, 2, NAN, 4}, {3, 2, 0, 1}), -1.0);
    QVERIFY(std::isnan(metrics::kendallTau({1, 1, 1}, {1, 2, 3})));
}

void TestMetricsScorecard::bootstrapOfConstantSample()
{
    auto r = metrics::bootstrapMedian({3, 3, NAN, 3, 3, 3}, 1000, 7);
    QCOMPARE(r.n, 5);
    QCOMPARE(r.median, 3.0);
    QCOMPARE(r.lo, 3.0);
    QCOMPARE(r.hi, 3.0);
    auto e = metrics::bootstrapMedian({NAN, NAN}, 1000, 7);
    QCOMPARE(e.n, 0);
    QVERIFY(std::isnan(e.median) && std::isnan(e.lo) && std::isnan(e.hi));
}

void TestMetricsScorecard::bootstrapIsSeeded()
{
    std::vector<double> x;
    for (int i = 0; i < 41; ++i)
        x.push_back(double((i * 17) % 41)); // 0..40 shuffled: median 20
    auto a = metrics::bootstrapMedian(x, 1000, 11), b = metrics::bootstrapMedian(x, 1000, 11);
    QCOMPARE(a.median, 20.0);
    QCOMPARE(a.lo, b.lo);
    QCOMPARE(a.hi, b.hi);
    QVERIFY(a.lo < 20.0 && a.hi > 20.0);
    QVERIFY(a.lo >= 0.0 && a.hi <= 40.0);
    // The median of 41 values resamples to an order statistic: the bounds are sample values.
    QCOMPARE(a.lo, std::round(a.lo));
    QCOMPARE(a.hi, std::round(a.hi));
}

void TestMetricsScorecard::catalogueAndSentence()
{
    QCOMPARE(metrics::defaultScorecardMeasures(),
             (std::vector<std::string>{"removal_correlation", "faithfulness_correlation", "infidelity",
                                       "deletion_aopc", "max_sensitivity", "sparseness"}));
    QCOMPARE(QString::fromStdString(metrics::scorecardMeasure("deletion_aopc").name),
             QStringLiteral("Deletion AOPC (MoRF)")); // the shared catalogue's entry
    QVERIFY(!metrics::scorecardMeasure("complexity").higherIsBetter);
    QCOMPARE(metrics::parseScorecardMeasures(" sparseness,infidelity,sparseness"),
             (std::vector<std::string>{"sparseness", "infidelity"}));
    QCOMPARE(metrics::parseScorecardMeasures(""), metrics::defaultScorecardMeasures());
    QVERIFY(metrics::scorecardMeasure("sparseness").higherIsBetter);
    QVERIFY(!metrics::scorecardMeasure("infidelity").higherIsBetter);
    QVERIFY(!metrics::scorecardMeasure("max_sensitivity").higherIsBetter);
    bool threw = false;
    try {
        metrics::scorecardMeasure("nonsense");
    } catch (const Error& e) {
        threw = QString(e.what()).contains("removal_correlation");
    }
    QVERIFY(threw);
    QCOMPARE(QString::fromStdString(metrics::agreementSentence(0.31)),
             QStringLiteral("Measures agree weakly (W = 0.31): a ranking by one measure cannot be trusted."));
    QVERIFY(QString::fromStdString(metrics::agreementSentence(0.9)).startsWith("Measures agree strongly"));
}

void TestMetricsScorecard::linearModelScorecard()
{
    // Logits [0, wᵀx + c]: the saliency of class 1 is w at every point, so its sparseness and
    // entropy are those of w with a zero-width interval, its max-sensitivity is 0, and its
    // infidelity on the logit is 0 (Iᵀw = f(x) − f(x − I) exactly). Input × gradient moves
    // with x, so it ranks below saliency on max-sensitivity.
    auto fx = makeTabular(200, 4, 71);
    const std::vector<float> w = {1.0f, -2.0f, 0.5f, 4.0f};
    auto model = logitLinearModel(torch::tensor(w), 0.3);
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 6);
    ExplainOptions eo;
    eo.target = 1;
    eo.seed = 5;
    metrics::ScorecardOptions so;
    so.measures = {"sparseness", "complexity", "max_sensitivity", "infidelity"};
    so.threads = 2;
    so.bootstrap = 200;
    auto r = metrics::scorecard({Method::Saliency, Method::GradInput}, model, fx->ctx, points, eo, so);
    QCOMPARE(r.methods, (std::vector<std::string>{"saliency", "grad-input"}));
    QCOMPARE(int(r.measures.size()), 4);
    QCOMPARE(r.pointsDone, (std::vector<int>{6, 6}));
    const auto& sal = r.cells[0];
    QVERIFY(near(sal[0].median, metrics::giniSparseness(w), 1e-6));
    QCOMPARE(sal[0].lo, sal[0].median);
    QCOMPARE(sal[0].hi, sal[0].median);
    QVERIFY(near(sal[1].median, metrics::attributionEntropy(w), 1e-6));
    QCOMPARE(sal[2].median, 0.0);
    QVERIFY(sal[3].median < 1e-9);
    QVERIFY(r.cells[1][2].median > 0);
    QCOMPARE(r.ranks[0][2], 1.0);
    QCOMPARE(r.ranks[1][2], 2.0);
    QCOMPARE(r.ranks[0][3], 1.0);
    QCOMPARE(int(r.tau.size()), 4);
    QCOMPARE(r.tau[2][2], 1.0);
    QCOMPARE(int(r.agreementMeasures.size()), 4);
    QVERIFY(r.kendallW >= 0 && r.kendallW <= 1);
    QVERIFY(r.measureSeconds[2] > 0);
}

void TestMetricsScorecard::seedsFollowRowIds()
{
    // A point's values depend on the run seed and its row id, not on its place in the list or
    // the thread that ran it, so a sharded run merges to the single-machine one.
    auto fx = makeTabular(200, 4, 72);
    auto model = additiveProbabilityModel(torch::tensor({1.0f, -2.0f, 0.5f, 3.0f}));
    const auto& t = fx->split.test;
    ExplainOptions eo;
    eo.samples = 200;
    eo.seed = 9;
    metrics::ScorecardOptions one, two;
    one.threads = 1;
    two.threads = 2;
    one.measures = two.measures = {"faithfulness_correlation", "infidelity", "sparseness", "max_sensitivity"};
    auto a = metrics::scorecard({Method::Lime}, model, fx->ctx, {t[0], t[1], t[2]}, eo, one);
    auto b = metrics::scorecard({Method::Lime}, model, fx->ctx, {t[2], t[0]}, eo, two);
    for (size_t k = 0; k < a.measures.size(); ++k) {
        // One LibTorch thread per pool worker against the caller's threads: equal to rounding.
        QVERIFY(near(b.values[0][k][0], a.values[0][k][2], 1e-4 * std::max(1.0, std::abs(a.values[0][k][2]))));
        QVERIFY(near(b.values[0][k][1], a.values[0][k][0], 1e-4 * std::max(1.0, std::abs(a.values[0][k][0]))));
        QVERIFY(std::isfinite(a.values[0][k][0]));
    }
}

void TestMetricsScorecard::sameValuesAsTheFaithfulnessRun()
{
    // Same seed, same rows: the scorecard explains and draws as the faithfulness run does.
    auto fx = makeTabular(200, 4, 73);
    auto model = additiveProbabilityModel(torch::tensor({1.0f, -2.0f, 0.5f, 3.0f}));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 4);
    ExplainOptions eo;
    eo.samples = 200;
    eo.seed = 21;
    metrics::FaithfulnessOptions fo;
    fo.threads = 1;
    fo.measures = {"removal", "faithfulness-correlation", "infidelity", "deletion"};
    auto f = metrics::faithfulness({Method::Lime, Method::Saliency}, model, fx->ctx, points, eo, fo);
    metrics::ScorecardOptions so;
    so.threads = 1;
    so.measures = {"removal_correlation", "faithfulness_correlation", "infidelity", "deletion_aopc"};
    auto s = metrics::scorecard({Method::Lime, Method::Saliency}, model, fx->ctx, points, eo, so);
    for (size_t m = 0; m < s.methods.size(); ++m)
        for (size_t k = 0; k < s.measures.size(); ++k) {
            const auto& expected = f.methods.at(s.methods[m]).measures.at(s.measures[k].id);
            for (size_t i = 0; i < points.size(); ++i)
                QVERIFY2((std::isnan(s.values[m][k][i]) && std::isnan(expected[i])) || near(s.values[m][k][i], expected[i], 1e-9 * std::max(1.0, std::abs(expected[i]))),
                         qPrintable(QString::fromStdString(s.methods[m] + " " + s.measures[k].id) + " " + QString::number(s.values[m][k][i], 'g', 17) + " vs " + QString::number(expected[i], 'g', 17)));
        }
}

void TestMetricsScorecard::cancelKeepsFinishedPoints()
{
    // Cancelled after three (method, point) pairs on one thread: saliency (the cheaper method
    // runs first) keeps its first three points, occlusion has none, and the cells
    // are the statistics of what finished.
    auto fx = makeTabular(200, 4, 74);
    auto model = logitLinearModel(torch::tensor({1.0f, -2.0f, 0.5f, 4.0f}), 0.3);
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 6);
    jobs::CancelToken token;
    metrics::ScorecardOptions so;
    so.threads = 1;
    so.measures = {"sparseness"};
    so.keepPartialOnCancel = true;
    int seen = 0;
    so.partial = [&](const metrics::ScorecardResult&) {
        if (++seen == 3)
            token.cancel();
    };
    ExplainOptions eo;
    eo.target = 1;
    auto r = metrics::scorecard({Method::Occlusion, Method::Saliency}, model, fx->ctx, points, eo, so, {}, token);
    QVERIFY(r.cancelled);
    QCOMPARE(r.pointsDone, (std::vector<int>{0, 3}));
    for (size_t i = 0; i < points.size(); ++i)
        QCOMPARE(std::isfinite(r.values[1][0][i]), i < 3);
    QCOMPARE(r.cells[1][0].n, 3);
    QVERIFY(near(r.cells[1][0].median, metrics::giniSparseness({1.0f, -2.0f, 0.5f, 4.0f}), 1e-6));
    QVERIFY(std::isnan(r.cells[0][0].median));
    QCOMPARE(r.ranks[1][0], 1.0);
    QVERIFY(std::isnan(r.ranks[0][0]));
    // Without keepPartialOnCancel the cancellation is thrown.
    jobs::CancelToken again;
    so.keepPartialOnCancel = false;
    seen = 0;
    so.partial = [&](const metrics::ScorecardResult&) { again.cancel(); };
    QVERIFY_THROWS_EXCEPTION(jobs::Cancelled,
                             metrics::scorecard({Method::Saliency}, model, fx->ctx, points, eo, so, {}, again));
}

QTEST_GUILESS_MAIN(TestMetricsScorecard)
#include "test_metrics_scorecard.moc"
