// Intervals over seeds (core/explain/uncertainty.h). Known answers: quantiles and order
// agreement of hand-made runs; the methods with nothing random run once; run 0 of LIME is the
// plain explanation bit for bit; KernelSHAP's intervals hold the exact Shapley values and
// narrow by about 2 when the coalitions are quadrupled; two features with equal exact values
// swap in about half the runs while well separated ones never do; the JSON fields round-trip.
#include "support/explain_test_models.h"
#include "core/common/error.h"
#include "core/explain/uncertainty.h"
#include "core/io/explanation_json.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

using namespace senn;
using namespace senn::explain;
using namespace senn::testing;

namespace {

torch::Tensor fixedRandn(std::vector<int64_t> shape, uint64_t seed)
{
    auto g = at::detail::createCPUGenerator(seed);
    return torch::randn(shape, g, torch::kFloat32);
}

bool bitwiseEqual(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Sixteen features, a logit linear in them (w = 1), explained as the probability sigmoid(Σ x_j)
// against the training mean: a game that is not additive, so KernelSHAP's estimate depends on
// the coalitions it draws (on the logit it would be exact with any coalitions, and every
// interval would have width 0). The input's offsets from the mean make features 0 and 1 equal
// (equal exact Shapley values by symmetry) and the others well apart from them.
struct SigmoidCase {
    std::unique_ptr<TabularFixture> fx = makeTabular(200, 16, 31);
    models::Model model = logitLinearModel(torch::ones({16}), 0.0);
    std::vector<float> x;
    ExplainOptions options;
    SigmoidCase()
    {
        const std::vector<double> offset = {0.4, 0.4, 1.5, -1.0, 0.05, -0.1, 0.15, -0.2, 0.7, -0.03, 0.01, 0.02,
                                           -0.04, 0.06, 0.08, -0.07};
        for (size_t j = 0; j < offset.size(); ++j)
            x.push_back(float(fx->ctx.stats.mean[j] + offset[j]));
        options.background = "mean";
        options.output = Output::Probability;
        options.target = 1;
        options.seed = 5;
    }
    std::vector<float> exact() const
    {
        return explain::explain(Method::Shapley, model, fx->ctx, x.data(), options).values;
    }
};

} // namespace

class TestUncertainty : public QObject {
    Q_OBJECT
private slots:
    void quantilesAndOrderOfHandMadeRuns();
    void seedsOfRuns();
    void whichMethodsDrawRandomly();
    void deterministicMethodsRunOnce();
    void runZeroIsThePlainExplanation();
    void kernelShapIntervalsHoldTheExactValues();
    void orderAgreementOfEqualAndSeparatedFeatures();
    void cancelStopsBetweenRuns();
    void jsonRoundTrip();
};

void TestUncertainty::quantilesAndOrderOfHandMadeRuns()
{
    // Type 7: h = (R - 1) q; {1..5}: 2.5% at h = 0.1 is 1.1, 97.5% at h = 3.9 is 4.9.
    QCOMPARE(quantileSorted({1, 2, 3, 4, 5}, 0.025), 1.1);
    QCOMPARE(quantileSorted({1, 2, 3, 4, 5}, 0.975), 4.9);
    QCOMPARE(quantileSorted({7}, 0.975), 7.0);
    QVERIFY(std::isnan(quantileSorted({}, 0.5)));
    // Run 0 ranks |value|: feature 1 (-4), feature 0 (3), feature 2 (1), feature 3 (0.5).
    // Feature 1 above 0: kept in runs 0, 1 and 3, lost in 2, a tie in 4: 3.5 / 5.
    // Feature 0 above 2: always. Feature 2 above 3: runs 0, 2 and 4; lost in 1 and 3: 3 / 5.
    const std::vector<std::vector<float>> runs = {
        {3, -4, 1, 0.5f}, {3, -5, 0.2f, 0.6f}, {3, -2, 1, 0.5f}, {2, -4, 0.1f, -0.3f}, {3, 3, 2, 1}};
    Explanation e;
    e.values = runs[0];
    fillSeedStatistics(e, runs);
    QCOMPARE(e.seedRuns, 5);
    QCOMPARE(e.orderAgreement[1], 0.7f);
    QCOMPARE(e.orderAgreement[0], 1.0f);
    QCOMPARE(e.orderAgreement[2], 0.6f);
    QVERIFY(std::isnan(e.orderAgreement[3])); // last ranked: nothing below it
    // Feature 0: {2, 3, 3, 3, 3}: 2.5% is 2 + 0.1 (3 - 2) = 2.1, 97.5% is 3.
    QCOMPARE(e.intervalLow[0], 2.1f);
    QCOMPARE(e.intervalHigh[0], 3.0f);
    // Feature 1: {-5, -4, -4, -2, 3}: 2.5% = -4.9, 97.5% = -2 + 0.9 * 5 = 2.5.
    QVERIFY(std::fabs(e.intervalLow[1] + 4.9f) < 1e-6f);
    QVERIFY(std::fabs(e.intervalHigh[1] - 2.5f) < 1e-6f);
    // Widths 0.9, 7.4, 1.79, 1.18 (features 2: {0.1,0.2,1,1,2}; 3: {-0.3,0.5,0.5,0.6,1}):
    // the median 1.485 over max |value| 4.
    const double w2 = (1 + 0.9 * 1.0) - (0.1 + 0.1 * 0.1), w3 = (0.6 + 0.9 * 0.4) - (-0.3 + 0.1 * 0.8);
    QVERIFY(std::fabs(medianRelativeWidth(e) - 0.5 * (w2 + w3) / 4.0) < 1e-6);
    // A value that is not finite in some run has no interval.
    Explanation f;
    f.values = {1, 2};
    fillSeedStatistics(f, {{1, 2}, {NAN, 2}});
    QVERIFY(std::isnan(f.intervalLow[0]) && std::isnan(f.intervalHigh[0]));
    QCOMPARE(f.intervalHigh[1], 2.0f);
    QVERIFY(std::isnan(medianRelativeWidth(Explanation{})));
    QVERIFY_THROWS_EXCEPTION(senn::Error, fillSeedStatistics(f, {{1, 2}, {1}}));
}

void TestUncertainty::seedsOfRuns()
{
    QCOMPARE(seedForRun(42, 0), uint64_t(42));
    // splitmix64's first output for state 0 + increment (a published test vector).
    QCOMPARE(seedForRun(0, 1), uint64_t(0xE220A8397B1DCDAFULL));
    std::set<uint64_t> seen;
    for (uint64_t base : {0ULL, 1ULL, 2ULL})
        for (int r = 1; r <= 1000; ++r)
            seen.insert(seedForRun(base, r));
    QCOMPARE(seen.size(), size_t(3000)); // neighbouring base seeds share no run seed
}

void TestUncertainty::whichMethodsDrawRandomly()
{
    ExplainOptions o;
    QVERIFY(drawsRandomly(Method::Lime, o, 30));
    QVERIFY(drawsRandomly(Method::SmoothGrad, o, 30));
    QVERIFY(drawsRandomly(Method::KernelShap, o, 30));   // 2108 of 2^30 coalitions
    QVERIFY(!drawsRandomly(Method::KernelShap, o, 6));   // 2060 >= all 62: enumerated
    QVERIFY(!drawsRandomly(Method::KernelShap, o, 1));
    QVERIFY(!drawsRandomly(Method::Shapley, o, 12));     // exact up to 16 players
    QVERIFY(drawsRandomly(Method::Shapley, o, 30));
    o.permutations = 10;
    QVERIFY(drawsRandomly(Method::Shapley, o, 12));
    for (Method m : {Method::Senn, Method::Saliency, Method::GradInput, Method::IntegratedGradients,
                     Method::Occlusion, Method::Flint})
        QVERIFY(!drawsRandomly(m, o, 30));
}

void TestUncertainty::deterministicMethodsRunOnce()
{
    auto fx = makeTabular(120, 5, 3);
    auto lin = logitLinearModel(fixedRandn({5}, 4), 0.2);
    const float* x = fx->data.row(fx->split.test[0]);
    ExplainOptions o;
    o.seed = 9;
    for (Method m : {Method::Saliency, Method::GradInput, Method::IntegratedGradients, Method::Occlusion,
                     Method::Shapley, Method::KernelShap}) { // KernelSHAP: 5 players, all 30 coalitions
        const auto plain = explain::explain(m, lin, fx->ctx, x, o);
        const auto e = explainWithSeeds(m, lin, fx->ctx, x, o, 7);
        QCOMPARE(e.seedRuns, 1);
        QVERIFY(e.intervalLow.empty() && e.intervalHigh.empty() && e.orderAgreement.empty());
        QVERIFY2(bitwiseEqual(e.values, plain.values), methodId(m).c_str());
        QCOMPARE(e.modelRows, plain.modelRows);
    }
    auto senn = constantThetaSenn(fixedRandn({5, 2}, 6));
    const auto s = explainWithSeeds(Method::Senn, senn, fx->ctx, x, o, 4);
    QCOMPARE(s.seedRuns, 1);
    QVERIFY(s.intervalLow.empty());
    QVERIFY_THROWS_EXCEPTION(senn::Error, explainWithSeeds(Method::Lime, lin, fx->ctx, x, o, 0));
    QVERIFY_THROWS_EXCEPTION(senn::Error, explainWithSeeds(Method::Lime, lin, fx->ctx, x, o, kMaxSeedRuns + 1));
}

void TestUncertainty::runZeroIsThePlainExplanation()
{
    auto fx = makeTabular(150, 6, 7);
    auto lin = logitLinearModel(fixedRandn({6}, 8), -0.1);
    const float* x = fx->data.row(fx->split.test[1]);
    ExplainOptions o;
    o.seed = 123;
    o.samples = 300;
    const auto plain = explain::explain(Method::Lime, lin, fx->ctx, x, o);
    const auto e = explainWithSeeds(Method::Lime, lin, fx->ctx, x, o, 6);
    QVERIFY(bitwiseEqual(e.values, plain.values));
    QVERIFY(e.diagnostics == plain.diagnostics);
    QCOMPARE(e.target, plain.target);
    QCOMPARE(e.seedRuns, 6);
    QCOMPARE(e.modelRows, 6 * plain.modelRows); // the totals over the runs
    QCOMPARE(e.intervalLow.size(), e.values.size());
    for (size_t j = 0; j < e.values.size(); ++j)
        QVERIFY(e.intervalLow[j] < e.intervalHigh[j]); // LIME's fit moves with its samples
    // runs = 1 is explain() itself: the same JSON but for the time it took.
    auto once = explainWithSeeds(Method::Lime, lin, fx->ctx, x, o, 1);
    QCOMPARE(once.seedRuns, 0);
    auto a = io::explanationToJson(once), b = io::explanationToJson(plain);
    a.erase("seconds");
    b.erase("seconds");
    QCOMPARE(QString::fromStdString(a.dump()), QString::fromStdString(b.dump()));
    // Another seed gives other runs: run r's seed is derived, not r itself.
    auto o2 = o;
    o2.seed = seedForRun(o.seed, 1);
    const auto second = explain::explain(Method::Lime, lin, fx->ctx, x, o2);
    QVERIFY(!bitwiseEqual(second.values, plain.values));
}

void TestUncertainty::kernelShapIntervalsHoldTheExactValues()
{
    SigmoidCase c;
    const auto exact = c.exact();
    constexpr int kRuns = 30;
    std::vector<double> medians;
    for (int samples : {200, 800}) {
        auto o = c.options;
        o.samples = samples;
        const auto e = explainWithSeeds(Method::KernelShap, c.model, c.fx->ctx, c.x.data(), o, kRuns);
        QCOMPARE(e.seedRuns, kRuns);
        std::vector<double> widths;
        for (size_t j = 0; j < exact.size(); ++j) {
            QVERIFY2(e.intervalLow[j] <= exact[j] && exact[j] <= e.intervalHigh[j],
                     qPrintable(QString("%1 coalitions, feature %2: exact %3 outside [%4, %5]")
                                    .arg(samples).arg(j).arg(exact[j]).arg(e.intervalLow[j]).arg(e.intervalHigh[j])));
            QVERIFY2(e.intervalHigh[j] > e.intervalLow[j], qPrintable(QString("feature %1: width 0").arg(j)));
            widths.push_back(double(e.intervalHigh[j]) - double(e.intervalLow[j]));
        }
        medians.push_back(median(widths));
    }
    // Four times the coalitions: the spread of the estimate falls as 1/sqrt(n). Both budgets
    // enumerate the 32 coalitions of one feature and of all but one, so the sampled part grows
    // from 168 to 768: sqrt(4.57) = 2.14 in theory.
    const double ratio = medians[0] / medians[1];
    qInfo("KernelSHAP median interval width, 200 -> 800 coalitions: %.4g -> %.4g (ratio %.3f)", medians[0],
          medians[1], ratio);
    QVERIFY2(ratio >= 1.5 && ratio <= 2.7, qPrintable(QString("ratio %1").arg(ratio)));
}

void TestUncertainty::orderAgreementOfEqualAndSeparatedFeatures()
{
    SigmoidCase c;
    const auto exact = c.exact();
    QVERIFY(std::fabs(exact[0] - exact[1]) < 1e-6f); // the twins, by symmetry
    auto o = c.options;
    o.samples = 100;
    const auto e = explainWithSeeds(Method::KernelShap, c.model, c.fx->ctx, c.x.data(), o, 30);
    // Whichever twin run 0 put first is followed by the other: a coin over the runs.
    const size_t upper = std::fabs(e.values[0]) >= std::fabs(e.values[1]) ? 0 : 1;
    qInfo("order agreement of the twins: %.3f", double(e.orderAgreement[upper]));
    QVERIFY2(e.orderAgreement[upper] >= 0.2f && e.orderAgreement[upper] <= 0.8f,
             qPrintable(QString("twins kept their order in %1 of the runs").arg(e.orderAgreement[upper])));
    // Offsets 1.5 (feature 2) over -1.0 (3) over 0.7 (8) over the twins: settled in every run.
    for (size_t j : {2, 3, 8})
        QVERIFY2(e.orderAgreement[j] == 1.0f, qPrintable(QString("feature %1: %2").arg(j).arg(e.orderAgreement[j])));
}

void TestUncertainty::cancelStopsBetweenRuns()
{
    auto fx = makeTabular(100, 4, 2);
    auto lin = logitLinearModel(fixedRandn({4}, 3), 0.0);
    const float* x = fx->data.row(fx->split.test[0]);
    ExplainOptions o;
    o.samples = 100;
    jobs::CancelToken cancel;
    int third = 0;
    // Cancelled when the second run reports its start: an exception, and no third run.
    auto progress = [&](const jobs::Progress& p) {
        if (p.message.rfind("seed 2 of 5", 0) == 0)
            cancel.cancel();
        if (p.message.rfind("seed 3 of 5", 0) == 0)
            ++third;
    };
    QVERIFY_THROWS_EXCEPTION(jobs::Cancelled, explainWithSeeds(Method::Lime, lin, fx->ctx, x, o, 5, progress, cancel));
    QVERIFY(cancel.isCancelled());
    QCOMPARE(third, 0);
}

void TestUncertainty::jsonRoundTrip()
{
    Explanation e;
    e.method = "lime";
    e.values = {0.5f, -0.25f, 0.125f};
    e.shape = {3};
    e.intervalLow = {0.25f, -0.5f, NAN};
    e.intervalHigh = {0.75f, 0.0f, NAN};
    e.orderAgreement = {0.9f, 1.0f, NAN};
    e.seedRuns = 20;
    const auto j = io::explanationToJson(e);
    QCOMPARE(j.at("seed_runs").get<int>(), 20);
    QVERIFY(j.at("order_agreement")[2].is_null());
    const auto back = io::explanationFromJson(j, "test");
    QCOMPARE(back.seedRuns, 20);
    QCOMPARE(back.intervalLow[0], 0.25f);
    QCOMPARE(back.intervalHigh[1], 0.0f);
    QCOMPARE(back.orderAgreement[0], 0.9f);
    QVERIFY(std::isnan(back.intervalLow[2]) && std::isnan(back.orderAgreement[2]));
    // A method with nothing random: seed_runs 1 alone.
    Explanation once;
    once.method = "saliency";
    once.values = {1.0f};
    once.seedRuns = 1;
    const auto j1 = io::explanationToJson(once);
    QCOMPARE(j1.at("seed_runs").get<int>(), 1);
    QVERIFY(!j1.contains("interval_low") && !j1.contains("order_agreement"));
    // Files written before the fields: none of them.
    const auto old = io::explanationFromJsonText(R"({"method":"lime","values":[1,2]})", "old.json");
    QCOMPARE(old.seedRuns, 0);
    QVERIFY(old.intervalLow.empty() && old.intervalHigh.empty() && old.orderAgreement.empty());
    QVERIFY(!io::explanationToJson(old).contains("seed_runs"));
    // Bad fields are named.
    auto bad = j;
    bad["interval_high"] = nlohmann::json::array({1.0});
    try {
        io::explanationFromJson(bad, "bad.json");
        QFAIL("a short interval_high was read");
    } catch (const senn::Error& err) {
        QVERIFY2(QString(err.what()).contains("bad.json: field \"interval_high\""), err.what());
    }
    bad = j;
    bad.erase("interval_low");
    QVERIFY_THROWS_EXCEPTION(senn::Error, io::explanationFromJson(bad, "bad.json"));
    bad = j;
    bad["seed_runs"] = 0;
    QVERIFY_THROWS_EXCEPTION(senn::Error, io::explanationFromJson(bad, "bad.json"));
}

QTEST_GUILESS_MAIN(TestUncertainty)
#include "test_uncertainty.moc"
