// Metrics with known answers (metrics.md): Lipschitz estimates of 0 for the gradient of a
// linear model and for a SENN with constant θ, the spectral norm of A for the saliency of
// ½xᵀAx, removal correlation 1 for exact Shapley on an additive model, faithfulness
// correlation 1 and infidelity 0 where the explanation is exact, prototypes by brute force.
#include "support/explain_test_models.h"
#include "core/metrics/metrics.h"
#include "core/metrics/metrics_internal.h"
#include "core/common/system_info.h"
#include "core/common/error.h"
#include "core/explain/explain_internal.h"
#include "core/explain/explain_internal.h"

#include <filesystem>
#include <functional>

#include <QtTest>

using namespace senn;
using namespace senn::explain;
using namespace senn::testing;

class TestMetricsStability : public QObject {
    Q_OBJECT
private slots:
    void lipschitzOfLinearGradientIsZero();
    void lipschitzOfConstantThetaSennIsZero();
    void lipschitzOfQuadraticSaliency();
    void stabilityCurvesShape();
    void explanationMovesIsLinearInSigma();
    void discreteLipschitz();
    void removalCorrelationAdditiveShapley();
    void faithfulnessCorrelationAndInfidelity();
    void faithfulnessSummaryExcludesNaN();
    void maxSensitivityOfLinearGradient();
    void prototypes();
    // the throughput engine
    void parallelStreamedEqualsOneAtATime();
    void cancelKeepsFinishedPoints();
    void independentDrawsOnlyChangeSamplingMethods();
    void faithfulnessParallelEqualsSerial();
    void systemInfoNamesTheBlas();
    // one rule for the app and the CLI
    void pointPickingRule();
    void metricDefaultsPerKind();
    void oneSeedPerRun();
    void memoryBudgetSharedByPoints();
    void cancelInPoolKeepsFinishedResults();
};

namespace {
// The options of a run whose one seed is `seed`.
ExplainOptions seeded(uint64_t seed, ExplainOptions o = {})
{
    o.seed = seed;
    return o;
}

torch::Tensor fixedRandn(std::vector<int64_t> shape, uint64_t seed)
{
    auto g = at::detail::createCPUGenerator(seed);
    return torch::randn(shape, g, torch::kFloat32);
}
} // namespace

void TestMetricsStability::lipschitzOfLinearGradientIsZero()
{
    auto fx = makeTabular(200, 5, 41);
    auto model = linearModel(fixedRandn({3, 5}, 42), fixedRandn({3}, 43));
    for (auto m : {Method::Saliency, Method::SmoothGrad}) {
        metrics::LipschitzOptions lo;
        lo.eps = 0.5;
        auto r = metrics::localLipschitz(m, model, fx->ctx, fx->data.row(fx->split.test[0]), {}, lo);
        QCOMPARE(r.value, 0.0);
        QVERIFY(r.evaluations >= 51);
    }
}

void TestMetricsStability::lipschitzOfConstantThetaSennIsZero()
{
    auto fx = makeTabular(200, 4, 44);
    auto model = constantThetaSenn(fixedRandn({4, 2}, 45));
    metrics::LipschitzOptions lo;
    lo.eps = 1.0;
    auto r = metrics::localLipschitz(Method::Senn, model, fx->ctx, fx->data.row(fx->split.test[1]), {}, lo);
    QCOMPARE(r.value, 0.0);
}

void TestMetricsStability::lipschitzOfQuadraticSaliency()
{
    // Saliency of ½xᵀAx is A x: its Lipschitz constant in any ball is ||A||₂ = 4.
    const int64_t d = 6;
    auto q = std::get<0>(torch::linalg::qr(fixedRandn({d, d}, 46).to(torch::kFloat64)));
    auto eig = torch::tensor({4.0, 1.0, 0.7, 0.5, -0.3, 0.2}, torch::kFloat64);
    auto A = torch::matmul(q * eig, q.t()).to(torch::kFloat32);
    auto fx = makeTabular(400, d, 47);
    auto model = quadraticModel(A);
    for (int i = 0; i < 3; ++i) {
        metrics::LipschitzOptions lo;
        lo.eps = 0.2;
        lo.point = uint64_t(i);
        ExplainOptions eo;
        eo.target = 1;
        auto r = metrics::localLipschitz(Method::Saliency, model, fx->ctx,
                                         fx->data.row(fx->split.test[size_t(i)]), eo, lo);
        QVERIFY2(r.value >= 0.9 * 4.0 && r.value <= 4.0 * (1 + 1e-4),
                 qPrintable(QString("point %1: L = %2, expected 4").arg(i).arg(r.value)));
        // Grad × input on the same model is not constant either; the estimate is finite.
        auto gi = metrics::localLipschitz(Method::GradInput, model, fx->ctx,
                                          fx->data.row(fx->split.test[size_t(i)]), eo, lo);
        QVERIFY(std::isfinite(gi.value) && gi.value > 0);
    }
}

void TestMetricsStability::stabilityCurvesShape()
{
    auto fx = makeTabular(200, 5, 48);
    auto model = linearModel(fixedRandn({2, 5}, 49), fixedRandn({2}, 50));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 6);
    int reports = 0;
    auto res = metrics::stabilityCurves({Method::Saliency, Method::IntegratedGradients}, model, fx->ctx,
                                        points, {0.01, 0.1, 1.0}, seeded(1),
                                        [&](const jobs::Progress&) { ++reports; });
    QCOMPARE(reports, 2 * 3 * 6 + 2 * 6); // Lipschitz searches, then one "moves" batch per point
    QCOMPARE(res.noiseDraws, 4);
    QCOMPARE(res.methods.size(), size_t(2));
    const auto& sal = res.methods.at("saliency");
    QCOMPARE(sal.median.size(), size_t(3));
    QCOMPARE(sal.perPoint.size(), size_t(3));
    QCOMPARE(sal.perPoint[0].size(), size_t(6));
    for (double v : sal.median)
        QCOMPARE(v, 0.0);
    // IG of a linear model is w ⊙ (x - mean): its Lipschitz constant is max |w_j| (a diagonal map).
    const auto& ig = res.methods.at("integrated-gradients");
    for (size_t e = 0; e < 3; ++e)
        QVERIFY(ig.q25[e] <= ig.median[e] && ig.median[e] <= ig.q75[e]);
    QCOMPARE(res.perturbedAccuracy.size(), size_t(3));
    for (double a : res.perturbedAccuracy)
        QVERIFY(a >= 0 && a <= 1);
    // The gradient of a linear model does not move under noise.
    QCOMPARE(res.moves.size(), size_t(2));
    for (const auto& perEps : res.moves.at("saliency").perPoint)
        for (double v : perEps)
            QCOMPARE(v, 0.0);
    QCOMPARE(res.predictionKept.size(), size_t(3));
    QCOMPARE(res.noisyAccuracy.size(), size_t(3));
    for (size_t e = 0; e < 3; ++e)
        QVERIFY(res.predictionKept[e] >= 0 && res.predictionKept[e] <= 1 && res.noisyAccuracy[e] >= 0 &&
                res.noisyAccuracy[e] <= 1);
    QCOMPARE(res.predictionKept[0], 1.0); // σ = 0.01 std never crosses this linear boundary here
    // Cancellation stops the job.
    jobs::CancelToken token;
    token.cancel();
    QVERIFY_THROWS_EXCEPTION(jobs::Cancelled,
                             metrics::stabilityCurves({Method::Saliency}, model, fx->ctx, points, {0.1}, seeded(1), {}, token));
}

void TestMetricsStability::explanationMovesIsLinearInSigma()
{
    // Saliency of ½xᵀAx is Ax, so e(x + σδ) − e(x) = σAδ: with the same draws δ for every σ
    // (common random numbers), each point's relative move is exactly proportional to σ, and
    // it does not depend on the scale of A.
    auto fx = makeTabular(200, 4, 58);
    auto A = torch::diag(torch::tensor({2.0f, 1.0f, 0.5f, 0.25f}));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 5);
    const std::vector<double> sigmas{0.05, 0.1, 0.4};
    auto res = metrics::stabilityCurves({Method::Saliency}, quadraticModel(A), fx->ctx, points, sigmas, seeded(3));
    auto scaled = metrics::stabilityCurves({Method::Saliency}, quadraticModel(A * 5), fx->ctx, points, sigmas, seeded(3));
    const auto& mv = res.moves.at("saliency");
    const auto& mv5 = scaled.moves.at("saliency");
    for (size_t p = 0; p < points.size(); ++p) {
        const double base = mv.perPoint[0][p];
        QVERIFY(base > 0);
        for (size_t e = 1; e < sigmas.size(); ++e)
            QVERIFY2(std::abs(mv.perPoint[e][p] / base - sigmas[e] / sigmas[0]) < 1e-4,
                     qPrintable(QString("point %1 sigma %2: %3").arg(p).arg(sigmas[e]).arg(mv.perPoint[e][p] / base)));
        for (size_t e = 0; e < sigmas.size(); ++e)
            QVERIFY(std::abs(mv5.perPoint[e][p] - mv.perPoint[e][p]) < 1e-5 * mv.perPoint[e][p]);
    }
    for (size_t e = 0; e < sigmas.size(); ++e)
        QVERIFY(mv.q25[e] <= mv.median[e] && mv.median[e] <= mv.q75[e]);
    // No draws: no curve.
    auto none = metrics::stabilityCurves({Method::Saliency}, quadraticModel(A), fx->ctx, points, sigmas, seeded(3), {}, {}, 0);
    QVERIFY(none.moves.empty() && none.predictionKept.empty());
}

void TestMetricsStability::discreteLipschitz()
{
    const int64_t d = 3;
    auto A = torch::diag(torch::tensor({3.0f, 1.0f, 0.5f}));
    auto fx = makeTabular(300, d, 51);
    auto model = quadraticModel(A);
    ExplainOptions eo;
    eo.target = 1;
    // Saliency A x: the ratio ||A(x - x')|| / ||x - x'|| lies in [0.5, 3].
    const double L = metrics::discreteLipschitz(Method::Saliency, model, fx->ctx, fx->split.test[0],
                                                fx->split.train, 1.0, eo);
    QVERIFY(L >= 0.5 && L <= 3.0 + 1e-5);
    QVERIFY(std::isnan(metrics::discreteLipschitz(Method::Saliency, model, fx->ctx, fx->split.test[0],
                                                  fx->split.train, 1e-9, eo)));
}

void TestMetricsStability::removalCorrelationAdditiveShapley()
{
    auto fx = makeTabular(300, 6, 52);
    auto a = torch::tensor({1.5f, -0.7f, 0.4f, 2.0f, -1.2f, 0.9f});
    auto model = additiveProbabilityModel(a);
    for (int i = 0; i < 5; ++i) {
        const float* x = fx->data.row(fx->split.test[size_t(i)]);
        ExplainOptions o;
        o.background = "mean";
        o.output = Output::Probability; // the removal drops are probability drops
        auto e = explain::explain(Method::Shapley, model, fx->ctx, x, o);
        auto r = metrics::removalCorrelation(model, fx->ctx, x, e, fx->ctx.stats.mean);
        QVERIFY2(r.correlation > 1 - 1e-6, qPrintable(QString("point %1: %2").arg(i).arg(r.correlation)));
        for (int j = 0; j < 6; ++j)
            QVERIFY(std::fabs(r.drops[size_t(j)] - e.values[size_t(j)]) < 1e-5);
        QCOMPARE(r.curve.size(), size_t(6));
    }
    auto res = metrics::faithfulness({Method::Shapley}, model, fx->ctx,
                                     {fx->split.test[0], fx->split.test[1], fx->split.test[2]},
                                     [] { ExplainOptions o; o.background = "mean"; o.output = Output::Probability; return o; }());
    QVERIFY(res.methods.at("shapley").median > 1 - 1e-6);
    QCOMPARE(res.methods.at("shapley").perPoint.size(), size_t(3));

    // SENN: removing concept i (h_i = 0) with θ constant drops the logit by θ_i h_i.
    auto theta = fixedRandn({4, 2}, 53);
    auto senn = constantThetaSenn(theta);
    auto fx4 = makeTabular(200, 4, 54);
    const float* x = fx4->data.row(fx4->split.test[0]);
    auto e = explain::explain(Method::Senn, senn, fx4->ctx, x, {});
    auto r = metrics::removalCorrelation(senn, fx4->ctx, x, e, {});
    QCOMPARE(r.drops.size(), size_t(4));
    auto probs = senn.probabilities(x, 1);
    const int pred = e.target;
    for (int i = 0; i < 4; ++i) {
        auto z = torch::zeros({2}, torch::kFloat64);
        for (int c = 0; c < 2; ++c)
            for (int k = 0; k < 4; ++k)
                if (k != i)
                    z[c] += double(theta[k][c].item<float>()) * x[k];
        const double p = torch::softmax(z, 0)[pred].item<double>();
        QVERIFY(std::fabs(r.drops[size_t(i)] - (probs[size_t(pred)] - p)) < 1e-5);
    }
}

void TestMetricsStability::faithfulnessCorrelationAndInfidelity()
{
    auto fx = makeTabular(200, 10, 55);
    auto w = fixedRandn({10}, 56);
    auto model = logitLinearModel(w, 0.2);
    const float* x = fx->data.row(fx->split.test[0]);
    ExplainOptions o;
    o.target = 1;
    // Grad × input with a zero baseline is exactly the logit drop of any removed subset.
    auto gi = explain::explain(Method::GradInput, model, fx->ctx, x, o);
    const double fc = metrics::faithfulnessCorrelation(model, x, gi, {}, 100, 0.2, 3);
    QVERIFY2(fc > 1 - 1e-5, qPrintable(QString::number(fc)));
    // The gradient of a linear logit has zero infidelity.
    auto sal = explain::explain(Method::Saliency, model, fx->ctx, x, o);
    const double inf = metrics::infidelity(model, x, sal, 0.003, 10, 1);
    QVERIFY2(inf < 1e-9, qPrintable(QString::number(inf)));
    auto wrong = sal;
    for (auto& v : wrong.values)
        v = -v;
    QVERIFY(metrics::infidelity(model, x, wrong, 0.003, 10, 1) > 1e-7);
    // Normalised by the optimal scale β, an explanation that is right up to a factor scores 0:
    // 3·∇f has infidelity 4·E[(Iᵀ∇f)²] > 0 raw, 0 normalised (β = 1/3); −∇f gets β = −1.
    auto scaled = sal;
    for (auto& v : scaled.values)
        v *= 3;
    QVERIFY(metrics::infidelity(model, x, scaled, 0.003, 10, 1) > 1e-7);
    const double scaledNorm = metrics::infidelity(model, x, scaled, 0.003, 10, 1, true);
    QVERIFY2(scaledNorm < 1e-9, qPrintable(QString::number(scaledNorm)));
    QVERIFY(metrics::infidelity(model, x, wrong, 0.003, 10, 1, true) < 1e-9);
    // Any other φ: the optimal β can only lower the error (β = 1 is one of the choices).
    auto other = sal;
    for (size_t i = 0; i < other.values.size(); ++i)
        other.values[i] = float(i % 3) - 1.0f;
    const double raw = metrics::infidelity(model, x, other, 0.003, 10, 1);
    const double norm = metrics::infidelity(model, x, other, 0.003, 10, 1, true);
    QVERIFY2(norm > 0 && norm < raw, qPrintable(QString("%1 vs %2").arg(norm).arg(raw)));
}

void TestMetricsStability::faithfulnessSummaryExcludesNaN()
{
    // A model that ignores its input: every drop is 0, the correlation undefined (NaN), and the
    // median over points is NaN rather than a made-up number.
    auto fx = makeTabular(100, 3, 57);
    auto model = logitLinearModel(torch::zeros({3}), 0.5);
    auto res = metrics::faithfulness({Method::Saliency}, model, fx->ctx,
                                     {fx->split.test[0], fx->split.test[1]}, {});
    QVERIFY(std::isnan(res.methods.at("saliency").perPoint[0]));
    QVERIFY(std::isnan(res.methods.at("saliency").median));
}

void TestMetricsStability::maxSensitivityOfLinearGradient()
{
    auto fx = makeTabular(200, 5, 58);
    auto model = linearModel(fixedRandn({2, 5}, 59), fixedRandn({2}, 60));
    QCOMPARE(metrics::maxSensitivity(Method::Saliency, model, fx->ctx, fx->data.row(fx->split.test[0]), {}), 0.0);
    QVERIFY(metrics::maxSensitivity(Method::GradInput, model, fx->ctx, fx->data.row(fx->split.test[0]), {}) > 0);
}

void TestMetricsStability::prototypes()
{
    auto fx = makeTabular(200, 4, 61);
    auto model = constantThetaSenn(fixedRandn({4, 2}, 62));
    auto p = metrics::conceptPrototypes(model, fx->data, fx->split.train, 5);
    QCOMPARE(p.k, int64_t(4));
    for (int c = 0; c < 4; ++c) {
        std::vector<std::pair<float, int64_t>> all;
        for (auto r : fx->split.train)
            all.push_back({fx->data.row(r)[c], r});
        std::sort(all.begin(), all.end());
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(p.top[size_t(c)][size_t(i)], all[all.size() - 1 - size_t(i)].second);
            QCOMPARE(p.bottom[size_t(c)][size_t(i)], all[size_t(i)].second);
            QCOMPARE(p.topValue[size_t(c)][size_t(i)], all[all.size() - 1 - size_t(i)].first);
        }
    }
    QVERIFY_THROWS_EXCEPTION(Error, metrics::conceptPrototypes(linearModel(fixedRandn({2, 4}, 1), fixedRandn({2}, 2)),
                                                                fx->data, fx->split.train, 5));
}

namespace {
bool close(double a, double b, double rel = 1e-5)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)});
}
} // namespace

void TestMetricsStability::parallelStreamedEqualsOneAtATime()
{
    // The engine's per-point results (parallel pool, streamed) equal localLipschitz called one
    // point at a time with the same draws, in both draw modes, for a gradient and a sampling method.
    const int64_t d = 4;
    auto fx = makeTabular(200, d, 60);
    auto A = torch::diag(torch::tensor({2.0f, -1.0f, 0.5f, 0.25f}));
    auto model = quadraticModel(A);
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 4);
    const std::vector<double> eps{0.05, 0.3};
    ExplainOptions eo;
    eo.samples = 150;
    const uint64_t seed = 9; // the run's one seed
    eo.seed = seed;
    for (auto draws : {metrics::Draws::Shared, metrics::Draws::Independent}) {
        metrics::StabilityOptions so;
        so.draws = draws;
        so.threads = 2;
        so.noiseDraws = 2;
        int partials = 0, lastDone = 0;
        bool monotone = true;
        so.partial = [&](const metrics::StabilityResult& r) {
            ++partials;
            int done = 0;
            for (const auto& [id, c] : r.methods)
                done += c.pointsDone;
            monotone = monotone && done == lastDone + 1;
            lastDone = done;
        };
        auto res = metrics::stabilityCurves({Method::Lime, Method::Saliency}, model, fx->ctx, points, eps, eo, so);
        QCOMPARE(partials, 2 * int(points.size()));
        QVERIFY(monotone);
        QCOMPARE(res.threads, 2);
        QCOMPARE(QString::fromStdString(res.draws), QString::fromStdString(metrics::toString(draws)));
        QVERIFY(!res.cancelled);
        so.threads = 1;
        so.partial = {};
        auto serial = metrics::stabilityCurves({Method::Lime, Method::Saliency}, model, fx->ctx, points, eps,
                                               eo, so);
        for (auto m : {Method::Lime, Method::Saliency}) {
            const auto id = methodId(m);
            QCOMPARE(res.methods.at(id).pointsDone, int(points.size()));
            QCOMPARE(res.pointSeconds.at(id).size(), points.size());
            for (size_t pi = 0; pi < points.size(); ++pi) {
                QVERIFY(res.pointSeconds.at(id)[pi] >= 0);
                for (size_t ei = 0; ei < eps.size(); ++ei) {
                    metrics::LipschitzOptions lo;
                    lo.eps = eps[ei];
                    lo.independentDraws = draws == metrics::Draws::Independent;
                    lo.point = uint64_t(points[pi]); // the run derives a search's draws from its row
                    lo.epsIndex = ei;
                    const double one = metrics::localLipschitz(m, model, fx->ctx, fx->data.row(points[pi]), eo, lo).value;
                    const double got = res.methods.at(id).perPoint[ei][pi];
                    QVERIFY2(close(got, one), qPrintable(QString("%1 point %2 eps %3: engine %4, one at a time %5")
                                                             .arg(QString::fromStdString(id)).arg(pi).arg(eps[ei]).arg(got).arg(one)));
                    QVERIFY(close(serial.methods.at(id).perPoint[ei][pi], got));
                    QVERIFY(close(serial.moves.at(id).perPoint[ei][pi], res.moves.at(id).perPoint[ei][pi]));
                }
            }
        }
    }
    // Batched explanations with per-row seeds equal one explanation per row with that seed.
    auto X = torch::stack({torch::from_blob(const_cast<float*>(fx->data.row(points[0])), {d}, torch::kFloat32),
                           torch::from_blob(const_cast<float*>(fx->data.row(points[1])), {d}, torch::kFloat32)});
    const std::vector<uint64_t> seeds{11, 12};
    auto batch = metrics::detail::explainMany(Method::Lime, model, fx->ctx, X, 0, eo, {}, seeds);
    for (int64_t i = 0; i < 2; ++i) {
        auto o = eo;
        o.target = 0;
        o.seed = seeds[size_t(i)];
        auto e = explain::explain(Method::Lime, model, fx->ctx, X[i].contiguous().data_ptr<float>(), o);
        for (int64_t j = 0; j < d; ++j)
            QVERIFY(close(batch[i][j].item<double>(), e.values[size_t(j)]));
    }
    // LIME tabular's batched path (draws made per input, the perturbed rows of several inputs
    // in one model call): per-row seeds or one shared seed, one input per model call or all
    // five in one, equals explain() per input with that seed, values and diagnostics.
    std::vector<torch::Tensor> rows;
    for (int i = 0; i < 5; ++i)
        rows.push_back(torch::from_blob(const_cast<float*>(fx->data.row(fx->split.test[size_t(i)])), {d}, torch::kFloat32));
    auto X5 = torch::stack(rows);
    for (const auto& rowSeeds : {std::vector<uint64_t>{}, std::vector<uint64_t>{21, 22, 23, 24, 25}}) {
        for (int64_t maxRows : {int64_t(1), int64_t(65536)}) {
            jobs::ProgressFn none;
            jobs::CancelToken token;
            explain::detail::Run run{*model.impl(), none, token, "lime"};
            auto o = eo;
            o.target = 1;
            const auto many = explain::detail::explainLimeTabularMany(run, fx->ctx, X5, 1, o, rowSeeds, maxRows);
            QCOMPARE(int64_t(many.size()), int64_t(5));
            QCOMPARE(run.rows, int64_t(5 * eo.samples));
            for (int64_t i = 0; i < 5; ++i) {
                auto oi = o;
                oi.seed = rowSeeds.empty() ? eo.seed : rowSeeds[size_t(i)];
                auto e = explain::explain(Method::Lime, model, fx->ctx, X5[i].contiguous().data_ptr<float>(), oi);
                for (int64_t j = 0; j < d; ++j)
                    QVERIFY2(close(many[size_t(i)].values[size_t(j)], e.values[size_t(j)]),
                             qPrintable(QString("input %1 feature %2: batched %3, one at a time %4 (maxRows %5)")
                                            .arg(i).arg(j).arg(many[size_t(i)].values[size_t(j)])
                                            .arg(e.values[size_t(j)]).arg(maxRows)));
                for (const char* k : {"r2", "intercept", "model_prediction"})
                    QVERIFY(close(many[size_t(i)].diagnostics.at(k), e.diagnostics.at(k)));
            }
        }
    }
}

void TestMetricsStability::cancelKeepsFinishedPoints()
{
    auto fx = makeTabular(200, 4, 61);
    auto model = quadraticModel(torch::diag(torch::tensor({2.0f, -1.0f, 0.5f, 0.25f})));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 6);
    jobs::CancelToken token;
    metrics::StabilityOptions so;
    so.threads = 1;
    so.noiseDraws = 2;
    so.keepPartialOnCancel = true;
    int seen = 0;
    so.partial = [&](const metrics::StabilityResult&) {
        if (++seen == 3)
            token.cancel();
    };
    // IG is listed first but saliency is cheaper: it runs (and is cancelled) first.
    auto res = metrics::stabilityCurves({Method::IntegratedGradients, Method::Saliency}, model, fx->ctx, points,
                                        {0.1, 0.2}, seeded(4), so, {}, token);
    QVERIFY(res.cancelled);
    const auto& sal = res.methods.at("saliency");
    QCOMPARE(sal.pointsDone, 3);
    QCOMPARE(res.methods.at("integrated-gradients").pointsDone, 0);
    for (size_t ei = 0; ei < 2; ++ei) {
        for (size_t pi = 0; pi < points.size(); ++pi)
            QCOMPARE(std::isfinite(sal.perPoint[ei][pi]), pi < 3);
        QVERIFY(std::isfinite(sal.median[ei]));
        QVERIFY(std::isnan(res.methods.at("integrated-gradients").median[ei]));
    }
    // The finished points are the ones a full run gives.
    so.keepPartialOnCancel = false;
    so.partial = {};
    auto full = metrics::stabilityCurves({Method::Saliency}, model, fx->ctx, points, {0.1, 0.2}, seeded(4), so);
    for (size_t pi = 0; pi < 3; ++pi)
        QVERIFY(close(full.methods.at("saliency").perPoint[1][pi], sal.perPoint[1][pi]));
    // Without keepPartialOnCancel a cancelled run throws.
    jobs::CancelToken t2;
    so.partial = [&](const metrics::StabilityResult&) { t2.cancel(); };
    QVERIFY_THROWS_EXCEPTION(jobs::Cancelled, metrics::stabilityCurves({Method::Saliency}, model, fx->ctx, points,
                                                                       {0.1}, seeded(4), so, {}, t2));
    // Faithfulness keeps its finished points the same way.
    jobs::CancelToken t3;
    metrics::FaithfulnessOptions fo;
    fo.threads = 1;
    fo.keepPartialOnCancel = true;
    int fseen = 0;
    fo.partial = [&](const metrics::FaithfulnessResult&) {
        if (++fseen == 2)
            t3.cancel();
    };
    auto fr = metrics::faithfulness({Method::Saliency}, model, fx->ctx, points, {}, fo, {}, t3);
    QVERIFY(fr.cancelled);
    QCOMPARE(fr.methods.at("saliency").pointsDone, 2);
    QVERIFY(std::isfinite(fr.methods.at("saliency").seconds[1]) && std::isnan(fr.methods.at("saliency").seconds[2]));
}

void TestMetricsStability::independentDrawsOnlyChangeSamplingMethods()
{
    // LIME with its own draws at every perturbed input sees its sampling noise; with the shared
    // draws of x it does not. SENN and saliency have no draws: identical in both modes.
    auto fx = makeTabular(200, 4, 62);
    auto quad = quadraticModel(torch::diag(torch::tensor({2.0f, -1.0f, 0.5f, 0.25f})));
    auto senn = constantThetaSenn(fixedRandn({4, 2}, 63));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 3);
    ExplainOptions eo;
    eo.samples = 150;
    metrics::StabilityOptions shared, own;
    shared.draws = metrics::Draws::Shared;
    own.draws = metrics::Draws::Independent;
    shared.noiseDraws = own.noiseDraws = 2;
    auto a = metrics::stabilityCurves({Method::Lime, Method::Saliency}, quad, fx->ctx, points, {0.001}, seeded(1, eo), shared);
    auto b = metrics::stabilityCurves({Method::Lime, Method::Saliency}, quad, fx->ctx, points, {0.001}, seeded(1, eo), own);
    QCOMPARE(QString::fromStdString(a.draws), QString("shared"));
    QCOMPARE(QString::fromStdString(b.draws), QString("independent"));
    for (size_t pi = 0; pi < points.size(); ++pi) {
        QVERIFY(close(a.methods.at("saliency").perPoint[0][pi], b.methods.at("saliency").perPoint[0][pi]));
        // At ε = 0.001 std, LIME's own sampling noise dominates its L̂.
        QVERIFY2(b.methods.at("lime").perPoint[0][pi] > 10 * a.methods.at("lime").perPoint[0][pi],
                 qPrintable(QString("point %1: independent %2, shared %3").arg(pi)
                                .arg(b.methods.at("lime").perPoint[0][pi]).arg(a.methods.at("lime").perPoint[0][pi])));
    }
    auto sa = metrics::stabilityCurves({Method::Senn}, senn, fx->ctx, points, {0.1}, seeded(1), shared);
    auto sb = metrics::stabilityCurves({Method::Senn}, senn, fx->ctx, points, {0.1}, seeded(1), own);
    for (size_t pi = 0; pi < points.size(); ++pi)
        QCOMPARE(sa.methods.at("senn").perPoint[0][pi], sb.methods.at("senn").perPoint[0][pi]);
}

void TestMetricsStability::faithfulnessParallelEqualsSerial()
{
    auto fx = makeTabular(200, 4, 64);
    auto model = additiveProbabilityModel(torch::tensor({1.0f, -2.0f, 0.5f, 3.0f}));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 5);
    ExplainOptions eo;
    eo.samples = 200;
    metrics::FaithfulnessOptions one, two;
    one.threads = 1;
    two.threads = 2;
    auto a = metrics::faithfulness({Method::Lime, Method::Saliency}, model, fx->ctx, points, seeded(3, eo), one);
    auto b = metrics::faithfulness({Method::Lime, Method::Saliency}, model, fx->ctx, points, seeded(3, eo), two);
    QCOMPARE(b.threads, 2);
    for (const auto& [id, m] : a.methods) {
        const auto& n = b.methods.at(id);
        QCOMPARE(n.pointsDone, int(points.size()));
        for (size_t i = 0; i < points.size(); ++i) {
            QVERIFY(close(m.perPoint[i], n.perPoint[i], 1e-4));
            QVERIFY(close(m.infidelity[i], n.infidelity[i], 1e-4));
            QVERIFY(std::isfinite(n.seconds[i]));
        }
    }
}

void TestMetricsStability::systemInfoNamesTheBlas()
{
    const auto s = common::systemInfo();
    QVERIFY2(!s.blasLibrary.empty(), "no library provides sgemm_");
    QVERIFY2(std::filesystem::exists(s.blasLibrary), s.blasLibrary.c_str());
    QVERIFY(s.intraOpThreads >= 1);
    QVERIFY(!s.cpuCapability.empty());
    const auto text = common::describe(s);
    QVERIFY(text.find("BLAS: ") != std::string::npos);
    QCOMPARE(common::blasWarning(s).empty(), !s.referenceBlas);
}

void TestMetricsStability::pointPickingRule()
{
    std::vector<int64_t> rows;
    for (int64_t r = 10; r < 20; ++r)
        rows.push_back(r);
    // rows[i·10/4] for i < 4: indices 0, 2, 5, 7.
    QCOMPARE(metrics::pickPoints(rows, 4), (std::vector<int64_t>{10, 12, 15, 17}));
    QCOMPARE(metrics::pickPoints(rows, 1), (std::vector<int64_t>{10}));
    QCOMPARE(metrics::pickPoints(rows, 0), rows);
    QCOMPARE(metrics::pickPoints(rows, -3), rows);
    QCOMPARE(metrics::pickPoints(rows, 10), rows);
    QCOMPARE(metrics::pickPoints(rows, 11), rows);
    QVERIFY(metrics::pickPoints({}, 5).empty());
    // A file sorted by class (30 rows of class 0, 30 of 1, 30 of 2): 3 points, one per class,
    // where the first 3 rows would all be class 0.
    std::vector<int64_t> sorted(90);
    for (int64_t i = 0; i < 90; ++i)
        sorted[size_t(i)] = i;
    QCOMPARE(metrics::pickPoints(sorted, 3), (std::vector<int64_t>{0, 30, 60}));
    // The test split, or the validation split when there is no test part.
    data::Split split;
    split.val = {4, 5};
    QCOMPARE(metrics::metricRows(split), (std::vector<int64_t>{4, 5}));
    split.test = {7, 8, 9};
    QCOMPARE(metrics::metricRows(split), (std::vector<int64_t>{7, 8, 9}));
}

void TestMetricsStability::metricDefaultsPerKind()
{
    const auto tab = metrics::metricDefaults(false), img = metrics::metricDefaults(true);
    // Tabular: half decades 0.001 .. 1, the usual 0.01 among them exactly.
    QCOMPARE(tab.eps, (std::vector<double>{0.001, 0.003162, 0.01, 0.031623, 0.1, 0.316228, 1.0}));
    // Images: fifth decades 0.1 .. 1.
    QCOMPARE(img.eps, (std::vector<double>{0.1, 0.158489, 0.251189, 0.398107, 0.630957, 1.0}));
    QCOMPARE(tab.stabilityPoints, 20);
    QCOMPARE(tab.faithfulnessPoints, 50);
    QCOMPARE(img.stabilityPoints, 10);
    QCOMPARE(img.faithfulnessPoints, 20);
}

void TestMetricsStability::oneSeedPerRun()
{
    // The run's seed is explainOptions.seed: the same seed gives the same curves, another
    // seed other LIME draws (and so another L̂), for faithfulness too.
    auto fx = makeTabular(200, 4, 65);
    auto model = quadraticModel(torch::diag(torch::tensor({2.0f, -1.0f, 0.5f, 0.25f})));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 2);
    ExplainOptions eo;
    eo.samples = 100;
    metrics::StabilityOptions so;
    so.threads = 1;
    so.noiseDraws = 2;
    auto a = metrics::stabilityCurves({Method::Lime}, model, fx->ctx, points, {0.01}, seeded(7, eo), so);
    auto b = metrics::stabilityCurves({Method::Lime}, model, fx->ctx, points, {0.01}, seeded(7, eo), so);
    auto c = metrics::stabilityCurves({Method::Lime}, model, fx->ctx, points, {0.01}, seeded(8, eo), so);
    for (size_t pi = 0; pi < points.size(); ++pi) {
        QCOMPARE(a.methods.at("lime").perPoint[0][pi], b.methods.at("lime").perPoint[0][pi]);
        QCOMPARE(a.moves.at("lime").perPoint[0][pi], b.moves.at("lime").perPoint[0][pi]);
        QVERIFY(a.methods.at("lime").perPoint[0][pi] != c.methods.at("lime").perPoint[0][pi]);
    }
    metrics::FaithfulnessOptions fo;
    fo.threads = 1;
    auto fa = metrics::faithfulness({Method::Lime}, model, fx->ctx, points, seeded(7, eo), fo);
    auto fb = metrics::faithfulness({Method::Lime}, model, fx->ctx, points, seeded(7, eo), fo);
    auto fc = metrics::faithfulness({Method::Lime}, model, fx->ctx, points, seeded(8, eo), fo);
    QCOMPARE(fa.methods.at("lime").faithfulnessCorrelation, fb.methods.at("lime").faithfulnessCorrelation);
    QVERIFY(fa.methods.at("lime").faithfulnessCorrelation != fc.methods.at("lime").faithfulnessCorrelation);
    // Max-sensitivity draws its neighbours from the same one seed.
    const float* x = fx->data.row(points[0]);
    const double s7 = metrics::maxSensitivity(Method::Saliency, model, fx->ctx, x, seeded(7));
    QCOMPARE(metrics::maxSensitivity(Method::Saliency, model, fx->ctx, x, seeded(7)), s7);
    QVERIFY(metrics::maxSensitivity(Method::Saliency, model, fx->ctx, x, seeded(8)) != s7);
}

void TestMetricsStability::memoryBudgetSharedByPoints()
{
    auto fx = makeTabular(200, 4, 66);
    auto model = quadraticModel(torch::diag(torch::tensor({2.0f, -1.0f, 0.5f, 0.25f})));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 2);
    const int64_t row = explain::detail::rowBytes(*model.impl());
    // A budget below one model row per point is refused up front with core's message.
    ExplainOptions tiny;
    tiny.memoryBudget = row; // one row in all: half a row each for 2 points in parallel
    metrics::StabilityOptions two;
    two.threads = 2;
    two.noiseDraws = 1;
    try {
        metrics::stabilityCurves({Method::Saliency}, model, fx->ctx, points, {0.1}, tiny, two);
        QFAIL("a budget of half a row per point was accepted");
    } catch (const senn::Error& e) {
        const QString msg = QString::fromUtf8(e.what());
        QVERIFY2(msg.contains("Stability with 2 points in parallel") && msg.contains("memory budget is"),
                 qPrintable(msg));
    }
    metrics::FaithfulnessOptions ftwo;
    ftwo.threads = 2;
    QVERIFY_THROWS_EXCEPTION(senn::Error, metrics::faithfulness({Method::Saliency}, model, fx->ctx, points, tiny, ftwo));
    // The same budget for one point at a time holds the row.
    metrics::StabilityOptions one = two;
    one.threads = 1;
    QCOMPARE(metrics::stabilityCurves({Method::Saliency}, model, fx->ctx, points, {0.1}, tiny, one)
                 .methods.at("saliency").pointsDone, 2);

    // Each point's share reaches the explainers: the smallest budget a LIME run accepts one
    // point at a time (LIME's own refusal, far above the row check) is too little for two
    // points in parallel, and twice that is enough for them.
    ExplainOptions lime;
    lime.samples = 300;
    one.noiseDraws = two.noiseDraws = 0;
    metrics::FaithfulnessOptions fone;
    fone.threads = 1;
    auto smallest = [&](const std::function<void(int64_t)>& run) {
        auto fits = [&](int64_t budget) {
            try {
                run(budget);
                return true;
            } catch (const senn::Error&) {
                return false;
            }
        };
        int64_t lo = row, hi = int64_t(1) << 32;
        if (fits(lo) || !fits(hi))
            return int64_t(-1);
        while (hi - lo > std::max<int64_t>(1, lo / 1000)) {
            const int64_t mid = lo + (hi - lo) / 2;
            (fits(mid) ? hi : lo) = mid;
        }
        return hi;
    };
    auto withBudget = [&](int64_t b) {
        auto o = lime;
        o.memoryBudget = b;
        return o;
    };
    const int64_t stab = smallest([&](int64_t b) {
        metrics::stabilityCurves({Method::Lime}, model, fx->ctx, points, {0.1}, withBudget(b), one);
    });
    QVERIFY2(stab > 2 * row, qPrintable(QString("%1 vs row %2").arg(stab).arg(row)));
    try {
        metrics::stabilityCurves({Method::Lime}, model, fx->ctx, points, {0.1}, withBudget(stab), two);
        QFAIL("two points in parallel each got the whole budget");
    } catch (const senn::Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains("LIME"), e.what());
    }
    QCOMPARE(metrics::stabilityCurves({Method::Lime}, model, fx->ctx, points, {0.1}, withBudget(2 * stab), two)
                 .methods.at("lime").pointsDone, 2);
    const int64_t faith = smallest([&](int64_t b) {
        metrics::faithfulness({Method::Lime}, model, fx->ctx, points, withBudget(b), fone);
    });
    QVERIFY2(faith > 2 * row, qPrintable(QString("%1 vs row %2").arg(faith).arg(row)));
    QVERIFY_THROWS_EXCEPTION(senn::Error, metrics::faithfulness({Method::Lime}, model, fx->ctx, points,
                                                               withBudget(faith), ftwo));
    QCOMPARE(metrics::faithfulness({Method::Lime}, model, fx->ctx, points, withBudget(2 * faith), ftwo)
                 .methods.at("lime").pointsDone, 2);
}

void TestMetricsStability::cancelInPoolKeepsFinishedResults()
{
    // 3 methods x 2 points on 2 workers, cancelled when the first (method, point) result
    // arrives: that result is kept (with the values a full run gives), the one in flight on the
    // other worker is dropped, and nothing else starts.
    auto fx = makeTabular(200, 4, 67);
    auto model = quadraticModel(torch::diag(torch::tensor({2.0f, -1.0f, 0.5f, 0.25f})));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 2);
    const std::vector<Method> methods = {Method::Saliency, Method::IntegratedGradients, Method::GradInput};
    jobs::CancelToken token;
    metrics::StabilityOptions so;
    so.threads = 2;
    so.noiseDraws = 2;
    so.keepPartialOnCancel = true;
    int calls = 0;
    so.partial = [&](const metrics::StabilityResult&) {
        ++calls;
        token.cancel();
    };
    auto res = metrics::stabilityCurves(methods, model, fx->ctx, points, {0.1, 0.2}, seeded(5), so, {}, token);
    QVERIFY(res.cancelled);
    int kept = 0;
    for (const auto& [id, c] : res.methods)
        kept += c.pointsDone;
    QCOMPARE(kept, calls);
    QVERIFY2(kept >= 1 && kept <= 2, qPrintable(QString::number(kept)));
    so.keepPartialOnCancel = false;
    so.partial = {};
    auto full = metrics::stabilityCurves(methods, model, fx->ctx, points, {0.1, 0.2}, seeded(5), so);
    int finite = 0;
    for (const auto& [id, c] : res.methods)
        for (size_t ei = 0; ei < 2; ++ei)
            for (size_t pi = 0; pi < 2; ++pi)
                if (std::isfinite(c.perPoint[ei][pi])) {
                    ++finite;
                    QVERIFY(close(c.perPoint[ei][pi], full.methods.at(id).perPoint[ei][pi]));
                    const double mv = res.moves.at(id).perPoint[ei][pi], fm = full.moves.at(id).perPoint[ei][pi];
                    QVERIFY(std::isnan(mv) == std::isnan(fm) && (std::isnan(mv) || close(mv, fm)));
                }
    QCOMPARE(finite, 2 * kept);
    // Faithfulness, the same.
    jobs::CancelToken t2;
    metrics::FaithfulnessOptions fo;
    fo.threads = 2;
    fo.keepPartialOnCancel = true;
    int fcalls = 0;
    fo.partial = [&](const metrics::FaithfulnessResult&) {
        ++fcalls;
        t2.cancel();
    };
    auto fr = metrics::faithfulness(methods, model, fx->ctx, points, seeded(5), fo, {}, t2);
    QVERIFY(fr.cancelled);
    int fkept = 0;
    for (const auto& [id, m] : fr.methods)
        fkept += m.pointsDone;
    QCOMPARE(fkept, fcalls);
    QVERIFY(fkept >= 1 && fkept <= 2);
}

QTEST_GUILESS_MAIN(TestMetricsStability)
#include "test_metrics_stability.moc"
