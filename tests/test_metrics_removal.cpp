// Removal curves, ROAD and relative stability against known answers: on a linear logit the
// deletion curve of the exact attribution is exact and no order of the features drops faster;
// ROAD's imputation reproduces constant and linear images; an explanation that does not move
// has RIS = ROS = 0, and average sensitivity never exceeds max-sensitivity.
#include "support/explain_test_models.h"
#include "core/common/error.h"
#include "core/metrics/measures.h"
#include "core/metrics/metrics.h"
#include "core/metrics/point_measures.h"
#include "core/metrics/relative_stability.h"
#include "core/metrics/removal_curves.h"
#include "core/metrics/road.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <QtTest>

using namespace senn;
using namespace senn::explain;
using namespace senn::testing;

class TestMetricsRemoval : public QObject {
    Q_OBJECT
private slots:
    void countsAndAreas();
    void deletionCurveOfLinearModelIsExact();
    void exactAttributionDeletesFastest();
    void senncurvesRemoveConcepts();
    void roadFillsConstantAndRamp();
    void roadNoiseAndFallback();
    void roadCurvesOnTablesAndImages();
    void relativeStabilityOfFixedExplanation();
    void faithfulnessRunCollectsMeasures();
    void measureCatalogue();
};

namespace {
torch::Tensor fixedRandn(std::vector<int64_t> shape, uint64_t seed)
{
    auto g = at::detail::createCPUGenerator(seed);
    return torch::randn(shape, g, torch::kFloat32);
}

// An explanation of class 1's logit with the given values.
Explanation withValues(std::vector<float> v, const std::string& method = "grad-input")
{
    Explanation e;
    e.method = method;
    e.target = 1;
    e.output = Output::Logit;
    e.values = std::move(v);
    e.shape = {int64_t(e.values.size())};
    return e;
}

metrics::CurveOptions deletionOnly()
{
    metrics::CurveOptions o;
    o.insertion = o.road = false;
    return o;
}
} // namespace

void TestMetricsRemoval::countsAndAreas()
{
    QCOMPARE(metrics::removalCounts(5, 20), (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
    QCOMPARE(metrics::removalCounts(100, 4), (std::vector<int64_t>{0, 25, 50, 75, 100}));
    QCOMPARE(metrics::removalCounts(10, 4), (std::vector<int64_t>{0, 3, 5, 8, 10})); // 2.5 and 7.5 round away from 0
    // AOPC of 1, 0.5, 0: (0 + 0.5 + 1) / 3.
    QCOMPARE(metrics::aopc({1.0, 0.5, 0.0}), 0.5);
    QCOMPARE(metrics::areaUnder({0.0, 0.5, 1.0}, {1.0, 0.5, 0.0}), 0.5);
    QCOMPARE(metrics::areaUnder({0.0, 1.0}, {2.0, 4.0}), 3.0);
    QVERIFY(std::isnan(metrics::areaUnder({0.0}, {1.0})));
}

void TestMetricsRemoval::deletionCurveOfLinearModelIsExact()
{
    // Logit 1 = wᵀx + c; with a zero baseline, deleting feature j lowers it by w_j x_j exactly,
    // and inserting it into the zero row adds w_j x_j.
    auto fx = makeTabular(100, 5, 71);
    const auto w = fixedRandn({5}, 72);
    const double c = 0.3;
    auto model = logitLinearModel(w, c);
    const float* x = fx->data.row(fx->split.test[0]);
    std::vector<float> contrib(5);
    for (int j = 0; j < 5; ++j)
        contrib[size_t(j)] = w[j].item<float>() * x[j];
    auto e = withValues(contrib);
    metrics::CurveOptions o;
    o.road = false;
    auto r = metrics::perturbationCurves(model, fx->ctx, x, e, std::vector<float>(5, 0.0f), o);
    QCOMPARE(r.fractions, (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1.0}));
    QCOMPARE(r.output, std::string("logit"));
    std::vector<int> morf(5);
    std::iota(morf.begin(), morf.end(), 0);
    std::stable_sort(morf.begin(), morf.end(), [&](int a, int b) { return contrib[size_t(a)] > contrib[size_t(b)]; });
    double full = c;
    for (float v : contrib)
        full += v;
    double del = full, ins = c;
    const auto& dm = r.curves.at("deletion_morf");
    const auto& dl = r.curves.at("deletion_lerf");
    const auto& im = r.curves.at("insertion_morf");
    QCOMPARE(dm.size(), size_t(6));
    QVERIFY(std::fabs(dm[0] - full) < 1e-5 && std::fabs(im[0] - c) < 1e-5);
    double aopc = 0, lerfSum = 0;
    for (int k = 1; k <= 5; ++k) {
        del -= contrib[size_t(morf[size_t(k - 1)])];
        ins += contrib[size_t(morf[size_t(k - 1)])];
        QVERIFY2(std::fabs(dm[size_t(k)] - del) < 1e-5, qPrintable(QString("%1 vs %2").arg(dm[size_t(k)]).arg(del)));
        QVERIFY(std::fabs(im[size_t(k)] - ins) < 1e-5);
        aopc += full - del;
        lerfSum += full - dl[size_t(k)];
    }
    QVERIFY(std::fabs(r.scores.at("deletion_aopc") - aopc / 6) < 1e-5);
    QVERIFY(std::fabs(r.scores.at("deletion_lerf_aopc") - lerfSum / 6) < 1e-5);
    QVERIFY(std::fabs(r.scores.at("deletion_aopc_diff") - (aopc - lerfSum) / 6) < 1e-5);
    // Both end at the other's start: everything deleted is the baseline row.
    QVERIFY(std::fabs(dm.back() - c) < 1e-5 && std::fabs(dl.back() - c) < 1e-5 && std::fabs(im.back() - full) < 1e-5);
    QVERIFY(std::fabs(r.scores.at("insertion_auc") - metrics::areaUnder(r.fractions, im)) < 1e-12);
}

void TestMetricsRemoval::exactAttributionDeletesFastest()
{
    // Every one of the 120 orders of 5 features, given as an explanation ranking them so:
    // the exact contributions' curve lies below (or on) each at every step.
    auto fx = makeTabular(100, 5, 73);
    const auto w = fixedRandn({5}, 74);
    auto model = logitLinearModel(w, -0.2);
    const float* x = fx->data.row(fx->split.test[1]);
    std::vector<float> contrib(5);
    for (int j = 0; j < 5; ++j)
        contrib[size_t(j)] = w[j].item<float>() * x[j];
    const std::vector<float> zero(5, 0.0f);
    const auto best = metrics::perturbationCurves(model, fx->ctx, x, withValues(contrib), zero, deletionOnly());
    const auto& bestCurve = best.curves.at("deletion_morf");
    std::vector<int> perm = {0, 1, 2, 3, 4};
    int orders = 0, ties = 0;
    do {
        std::vector<float> rank(5);
        for (int k = 0; k < 5; ++k)
            rank[size_t(perm[size_t(k)])] = float(5 - k); // perm[0] first
        const auto r = metrics::perturbationCurves(model, fx->ctx, x, withValues(rank), zero, deletionOnly());
        const auto& curve = r.curves.at("deletion_morf");
        for (size_t k = 0; k < curve.size(); ++k)
            QVERIFY2(curve[k] >= bestCurve[k] - 1e-5, qPrintable(QString("step %1: %2 < %3").arg(k).arg(curve[k]).arg(bestCurve[k])));
        QVERIFY(r.scores.at("deletion_aopc") <= best.scores.at("deletion_aopc") + 1e-6);
        ties += std::fabs(r.scores.at("deletion_aopc") - best.scores.at("deletion_aopc")) < 1e-9;
        ++orders;
    } while (std::next_permutation(perm.begin(), perm.end()));
    QCOMPARE(orders, 120);
    QCOMPARE(ties, 1); // distinct contributions: only the exact order attains the optimum
}

void TestMetricsRemoval::senncurvesRemoveConcepts()
{
    // Constant θ, identity concepts: logit c = Σ_i θ_ic h_i; deleting concepts by θ_i1·h_i.
    auto fx = makeTabular(100, 4, 75);
    auto theta = fixedRandn({4, 2}, 76);
    auto model = constantThetaSenn(theta);
    const float* x = fx->data.row(fx->split.test[0]);
    auto e = explain::explain(Method::Senn, model, fx->ctx, x, [] { ExplainOptions o; o.target = 1; return o; }());
    auto r = metrics::perturbationCurves(model, fx->ctx, x, e, {}, metrics::CurveOptions{});
    QVERIFY(r.roadImputation.empty());
    QVERIFY(!r.curves.count("road_morf"));
    const auto& dm = r.curves.at("deletion_morf");
    QCOMPARE(dm.size(), size_t(5));
    auto model2 = model.impl();
    auto outs = model.senn(x, 1);
    const auto& h = outs[0].h;
    std::vector<double> c(4);
    double full = 0;
    for (int i = 0; i < 4; ++i) {
        c[size_t(i)] = double(theta[i][1].item<float>()) * h[size_t(i)];
        full += c[size_t(i)];
    }
    QVERIFY2(std::fabs(dm[0] - full) < 1e-4, qPrintable(QString("%1 vs %2").arg(dm[0]).arg(full)));
    QVERIFY(std::fabs(dm.back()) < 1e-5);
    std::sort(c.begin(), c.end(), std::greater<>());
    double left = full;
    for (int k = 1; k <= 4; ++k) {
        left -= c[size_t(k - 1)];
        QVERIFY(std::fabs(dm[size_t(k)] - left) < 1e-4);
    }
}

void TestMetricsRemoval::roadFillsConstantAndRamp()
{
    // A constant image: any removed pixel, corner or inside, is filled with the constant.
    const int64_t H = 6, W = 7;
    std::vector<float> img(size_t(H * W), 3.5f);
    std::vector<uint8_t> removed(size_t(H * W), 0);
    removed[0] = removed[size_t(2 * W + 3)] = removed[size_t(2 * W + 4)] = 1;
    img[0] = img[size_t(2 * W + 3)] = img[size_t(2 * W + 4)] = -100.0f;
    metrics::imputeNoisyLinear(img.data(), 1, H, W, removed.data(), nullptr, nullptr, 1);
    for (float v : img)
        QVERIFY(std::fabs(v - 3.5f) < 1e-5);
    // A linear ramp with interior pixels removed (some next to each other): the weighted
    // neighbour mean of a linear function is its centre value, so the fill is exact and
    // the image's mean is kept.
    const int64_t H2 = 12, W2 = 10;
    std::vector<float> ramp(size_t(H2 * W2)), work;
    for (int64_t y = 0; y < H2; ++y)
        for (int64_t x = 0; x < W2; ++x)
            ramp[size_t(y * W2 + x)] = float(1.0 + 0.5 * double(y) - 0.25 * double(x));
    std::vector<uint8_t> mask(size_t(H2 * W2), 0);
    int count = 0;
    for (int64_t y = 1; y < H2 - 1; ++y)
        for (int64_t x = 1; x < W2 - 1; ++x)
            if ((y * 7 + x * 3) % 4 == 0 || (y >= 4 && y <= 6 && x >= 3 && x <= 6)) {
                mask[size_t(y * W2 + x)] = 1;
                ++count;
            }
    QVERIFY(count > 20);
    work = ramp;
    for (size_t j = 0; j < work.size(); ++j)
        if (mask[j])
            work[j] = 0.0f;
    metrics::imputeNoisyLinear(work.data(), 1, H2, W2, mask.data(), nullptr, nullptr, 1);
    double meanA = 0, meanB = 0;
    for (size_t j = 0; j < work.size(); ++j) {
        QVERIFY2(std::fabs(work[j] - ramp[j]) < 1e-4, qPrintable(QString("pixel %1: %2 vs %3").arg(j).arg(work[j]).arg(ramp[j])));
        meanA += ramp[j];
        meanB += work[j];
    }
    QVERIFY(std::fabs(meanA - meanB) / double(work.size()) < 1e-5);
}

void TestMetricsRemoval::roadNoiseAndFallback()
{
    // Noise σ on a ramp: the imputed values deviate from the exact fill by N(0, σ²) draws,
    // reproducibly for a seed.
    const int64_t H = 40, W = 40;
    std::vector<float> ramp(size_t(H * W));
    for (int64_t y = 0; y < H; ++y)
        for (int64_t x = 0; x < W; ++x)
            ramp[size_t(y * W + x)] = float(0.02 * double(y + x));
    std::vector<uint8_t> mask(size_t(H * W), 0);
    for (int64_t y = 1; y < H - 1; ++y)
        for (int64_t x = 1; x < W - 1; ++x)
            mask[size_t(y * W + x)] = (x + y) % 2;
    const std::vector<float> sigma(size_t(H * W), 0.01f);
    auto a = ramp, b = ramp;
    metrics::imputeNoisyLinear(a.data(), 1, H, W, mask.data(), nullptr, sigma.data(), 9);
    metrics::imputeNoisyLinear(b.data(), 1, H, W, mask.data(), nullptr, sigma.data(), 9);
    QCOMPARE(a, b);
    double sum = 0, sum2 = 0;
    int n = 0;
    for (size_t j = 0; j < a.size(); ++j) {
        if (!mask[j]) {
            QCOMPARE(a[j], ramp[j]); // kept pixels are untouched
            continue;
        }
        const double dev = double(a[j]) - double(ramp[j]);
        sum += dev;
        sum2 += dev * dev;
        ++n;
    }
    const double sd = std::sqrt(sum2 / n - (sum / n) * (sum / n));
    QVERIFY2(sd > 0.009 && sd < 0.011, qPrintable(QString::number(sd)));
    QVERIFY(std::fabs(sum / n) < 0.002);
    // A channel with nothing kept takes the fallback; the other channel is solved.
    std::vector<float> two = {1, 1, 1, 1, 5, 5, 5, 5};
    std::vector<uint8_t> gone = {1, 1, 1, 1, 0, 1, 0, 0};
    const std::vector<float> fallback = {7, 8, 9, 10, 0, 0, 0, 0};
    metrics::imputeNoisyLinear(two.data(), 2, 2, 2, gone.data(), fallback.data(), nullptr, 0);
    QCOMPARE(two, (std::vector<float>{7, 8, 9, 10, 5, 5, 5, 5}));
    // Tables: the training mean, and nothing else without noise.
    std::vector<float> row = {1, 2, 3};
    const std::vector<float> mean = {10, 20, 30};
    const std::vector<uint8_t> which = {0, 1, 1};
    metrics::imputeTableMean(row.data(), 3, which.data(), mean.data(), nullptr, 0);
    QCOMPARE(row, (std::vector<float>{1, 20, 30}));
}

void TestMetricsRemoval::roadCurvesOnTablesAndImages()
{
    // Tables without noise: ROAD removes to the training mean, as deletion with the mean as baseline.
    auto fx = makeTabular(200, 6, 77);
    auto model = logitLinearModel(fixedRandn({6}, 78), 0.1);
    const float* x = fx->data.row(fx->split.test[2]);
    auto e = explain::explain(Method::GradInput, model, fx->ctx, x, [] { ExplainOptions o; o.target = 1; return o; }());
    metrics::CurveOptions o;
    o.roadNoise = 0;
    auto r = metrics::perturbationCurves(model, fx->ctx, x, e, fx->ctx.stats.mean, o);
    QCOMPARE(r.roadImputation, std::string("training mean"));
    const auto& road = r.curves.at("road_morf");
    const auto& del = r.curves.at("deletion_morf");
    for (size_t k = 0; k < road.size(); ++k)
        QVERIFY(std::fabs(road[k] - del[k]) < 1e-5);
    QVERIFY(std::fabs(r.scores.at("road_lerf_aopc") - r.scores.at("deletion_lerf_aopc")) < 1e-5);
    // With noise the draws come from (seed, row): the same for the same row, not for another.
    o.roadNoise = 0.5;
    o.row = 3;
    auto n1 = metrics::perturbationCurves(model, fx->ctx, x, e, {}, o);
    auto n2 = metrics::perturbationCurves(model, fx->ctx, x, e, {}, o);
    QCOMPARE(n1.curves.at("road_morf"), n2.curves.at("road_morf"));
    o.row = 4;
    auto n3 = metrics::perturbationCurves(model, fx->ctx, x, e, {}, o);
    QVERIFY(n1.curves.at("road_morf") != n3.curves.at("road_morf"));

    // A 1x5x5 image of constant 2 and a model summing its pixels: every ROAD step imputes 2
    // from the kept neighbours, until nothing is kept and the training mean (1) fills it.
    auto meta = tabularMeta(25, 2);
    meta.dataKind = data::DataKind::Image;
    meta.inputShape = {1, 5, 5};
    auto sum = models::Model(std::make_shared<FunctionModel>(meta, [](const torch::Tensor& v) {
        auto z = v.sum(1);
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
    explain::ExplainContext ctx;
    ctx.stats.mean.assign(25, 1.0f);
    ctx.stats.std.assign(25, 0.5f);
    std::vector<float> img(25, 2.0f);
    std::vector<float> att(25);
    for (int j = 0; j < 25; ++j)
        att[size_t(j)] = float((j * 7) % 25);
    metrics::CurveOptions io;
    io.roadNoise = 0;
    io.deletion = io.insertion = false;
    auto ri = metrics::perturbationCurves(sum, ctx, img.data(), withValues(att), {}, io);
    QCOMPARE(ri.roadImputation, std::string("neighbours"));
    const auto& rm = ri.curves.at("road_morf");
    QCOMPARE(rm.size(), size_t(21)); // 25 pixels in 20 steps
    for (size_t k = 0; k + 1 < rm.size(); ++k)
        QVERIFY2(std::fabs(rm[k] - 50.0) < 1e-3, qPrintable(QString("step %1: %2").arg(k).arg(rm[k])));
    QVERIFY(std::fabs(rm.back() - 25.0) < 1e-4);
}

void TestMetricsRemoval::relativeStabilityOfFixedExplanation()
{
    QCOMPARE(metrics::relativeChange(std::vector<double>{1, 2}.data(), std::vector<double>{0, 2}.data(), 2, 1e-6), 1.0);
    // A zero entry divides by ε_min: a change of 1e-6 there counts as 1.
    QVERIFY(std::fabs(metrics::relativeChange(std::vector<double>{0, 2}.data(), std::vector<double>{1e-6, 2}.data(), 2, 1e-6) - 1.0) < 1e-9);
    auto fx = makeTabular(200, 5, 79);
    auto model = linearModel(fixedRandn({2, 5}, 80), fixedRandn({2}, 81));
    const float* x = fx->data.row(fx->split.test[0]);
    metrics::RelativeStabilityOptions o;
    o.seed = 5;
    o.row = fx->split.test[0];
    // The gradient of a linear model is w everywhere: it never moves.
    auto s = metrics::relativeStability(Method::Saliency, model, fx->ctx, x, {}, o);
    QCOMPARE(s.ris, 0.0);
    QCOMPARE(s.ros, 0.0);
    QCOMPARE(s.avgSensitivity, 0.0);
    QCOMPARE(s.maxSensitivity, 0.0);
    QCOMPARE(s.samples, 10);
    // Gradient × input moves with x: positive, and the mean is at most the max.
    auto g = metrics::relativeStability(Method::GradInput, model, fx->ctx, x, {}, o);
    QVERIFY(g.ris > 0 && g.ros > 0);
    QVERIFY(g.avgSensitivity > 0);
    QVERIFY(g.avgSensitivity <= g.maxSensitivity);
    // For grad × input of a linear model, e − e' = w ⊙ (x − x'), so ||(e − e')/e|| is
    // ||(x − x')/x|| exactly: RIS = 1 whenever no coordinate falls under ε_min.
    QVERIFY2(std::fabs(g.ris - 1.0) < 1e-4, qPrintable(QString::number(g.ris)));
    auto again = metrics::relativeStability(Method::GradInput, model, fx->ctx, x, {}, o);
    QCOMPARE(again.ros, g.ros);
}

void TestMetricsRemoval::faithfulnessRunCollectsMeasures()
{
    // The run's measures map holds what was asked, per point, equal to the calls made alone
    // for the point's row (the draws follow the row, not the position in the run).
    auto fx = makeTabular(200, 5, 82);
    auto model = logitLinearModel(fixedRandn({5}, 83), 0.2);
    const std::vector<int64_t> points = {fx->split.test[3], fx->split.test[0]};
    metrics::FaithfulnessOptions fo;
    fo.measures = {"removal", "deletion", "road", "ris", "avg-sensitivity"};
    fo.threads = 2;
    ExplainOptions eo;
    eo.seed = 11;
    eo.target = 1; // class 0's logit is constant: its gradient, and every measure of it, is 0
    auto res = metrics::faithfulness({Method::GradInput}, model, fx->ctx, points, eo, fo);
    const auto& pm = res.methods.at("grad-input");
    QVERIFY(pm.measures.count("deletion_aopc") && pm.measures.count("road_lerf_aopc") && pm.measures.count("ris"));
    QVERIFY(!pm.measures.count("insertion_auc") && !pm.measures.count("ros") && !pm.measures.count("infidelity"));
    QVERIFY(std::isnan(pm.infidelity[0])); // not asked
    QCOMPARE(pm.measures.at("removal_correlation"), pm.perPoint);
    QVERIFY(std::isfinite(pm.perPoint[0]) && std::isfinite(pm.perPoint[1]));
    for (size_t i = 0; i < points.size(); ++i) {
        const float* x = fx->data.row(points[i]);
        auto e = explain::explain(Method::GradInput, model, fx->ctx, x, eo);
        auto alone = metrics::pointMeasures(fo.measures, Method::GradInput, model, fx->ctx, x, e, eo, 11, points[i]);
        for (const auto& id : {"deletion_aopc", "deletion_aopc_diff", "road_morf_aopc", "ris", "avg_sensitivity"}) {
            QVERIFY2(std::isfinite(pm.measures.at(id)[i]), id);
            QCOMPARE(pm.measures.at(id)[i], alone.at(id));
        }
    }
    // The default set is the three measures of before.
    auto plain = metrics::faithfulness({Method::GradInput}, model, fx->ctx, points, eo);
    const auto& pp = plain.methods.at("grad-input");
    QCOMPARE(pp.measures.size(), size_t(4)); // removal, faithfulness correlation, infidelity (raw, normalised)
    QCOMPARE(pp.measures.at("infidelity"), pp.infidelity);
}

void TestMetricsRemoval::measureCatalogue()
{
    for (const char* id : {"removal_correlation", "faithfulness_correlation", "infidelity", "deletion_aopc",
                           "insertion_auc", "road_morf_aopc", "road_lerf_aopc", "ris", "ros",
                           "avg_sensitivity", "max_sensitivity"})
        QVERIFY2(metrics::findMeasure(id), id);
    QVERIFY(metrics::findMeasure("deletion_aopc")->higherIsBetter);
    QVERIFY(!metrics::findMeasure("road_lerf_aopc")->higherIsBetter);
    QVERIFY(!metrics::findMeasure("ris")->higherIsBetter);
    QVERIFY(metrics::findMeasure("nonsense") == nullptr);
    QCOMPARE(metrics::parseMeasureGroups("road, deletion,road"), (std::vector<std::string>{"deletion", "road"}));
    QCOMPARE(metrics::measureIdsOf("road"), (std::vector<std::string>{"road_morf_aopc", "road_lerf_aopc"}));
    try {
        metrics::parseMeasureGroups("deletion,aopc");
        QFAIL("an unknown measure was accepted");
    } catch (const Error& e) {
        QVERIFY(QString(e.what()).contains("'aopc'"));
        QVERIFY(QString(e.what()).contains("avg-sensitivity"));
    }
}

QTEST_GUILESS_MAIN(TestMetricsRemoval)
#include "test_metrics_removal.moc"
