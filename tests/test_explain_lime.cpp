// LIME (baselines.md): continuous sampling recovers a linear regressor's w·std, discretised
// sampling finds the only relevant feature, seeds reproduce, the sampler's normals and
// quartile-bin draws have their known moments, image LIME on a linear pixel
// model gives each segment its exact linear contribution, SLIC gives ~20-50 segments on MNIST.
#include "support/explain_test_models.h"
#include "core/data/loader.h"
#include "core/common/fast_rng.h"
#include "core/explain/explain_internal.h"

#include <QtTest>

#include <cmath>

using namespace senn;
using namespace senn::explain;
using namespace senn::testing;

class TestExplainLime : public QObject {
    Q_OBJECT
private slots:
    void continuousRecoversLinearRegressor();
    void discretizedFindsTheRelevantFeature();
    void seeds();
    void fastNormalsHaveNormalMoments();
    void fastBoundedDrawsAreUniform();
    void quartileBinSamplingKnownAnswers();
    void indicatorRidgeEqualsDenseRidge();
    void imageLinearPixelModel_data();
    void imageLinearPixelModel();
    void slicSegmentsOnMnist();
    void manyChannelsAreSegmentedOnTheGrid();
};

void TestExplainLime::continuousRecoversLinearRegressor()
{
    const std::vector<double> means{1, -2, 3, 0, 5}, sds{1, 2, 0.5, 1, 3};
    auto fx = makeTabular(400, 5, 21, means, sds);
    auto w = torch::tensor({0.8f, -0.5f, 1.5f, 0.2f, -0.3f});
    auto model = logitLinearModel(w, 0.4);
    ExplainOptions o;
    o.limeDiscretize = false;
    o.output = Output::Logit; // a regression output: the logit is linear in x
    o.target = 1;
    o.samples = 5000;
    for (int i = 0; i < 3; ++i) {
        const float* x = fx->data.row(fx->split.test[size_t(i)]);
        auto e = explain::explain(Method::Lime, model, fx->ctx, x, o);
        QCOMPARE(e.modelRows, int64_t(5000));
        for (int j = 0; j < 5; ++j) {
            const double expect = w[j].item<float>() * fx->ctx.stats.std[size_t(j)];
            QVERIFY2(std::fabs(e.values[size_t(j)] - expect) <= 0.05 * std::fabs(expect),
                     qPrintable(QString("feature %1: %2 vs %3").arg(j).arg(e.values[size_t(j)]).arg(expect)));
        }
        QVERIFY(e.diagnostics.at("r2") > 0.999);
        QVERIFY(std::fabs(e.diagnostics.at("local_prediction") - e.diagnostics.at("model_prediction")) < 0.01);
    }
}

void TestExplainLime::discretizedFindsTheRelevantFeature()
{
    auto fx = makeTabular(400, 4, 22);
    auto model = logitLinearModel(torch::tensor({3.0f, 0.0f, 0.0f, 0.0f}), 0.0);
    int checked = 0;
    for (auto row : fx->split.test) {
        const float* x = fx->data.row(row);
        if (std::fabs(x[0]) < 0.8)
            continue; // clearly in an outer quartile
        ExplainOptions o;
        o.target = 1;
        auto e = explain::explain(Method::Lime, model, fx->ctx, x, o);
        // Being in x0's bin raises p(class 1) when x0 is high, lowers it when x0 is low.
        QVERIFY(x[0] > 0 ? e.values[0] > 0.1 : e.values[0] < -0.1);
        for (int j = 1; j < 4; ++j)
            QVERIFY2(std::fabs(e.values[size_t(j)]) < 0.05 * std::fabs(e.values[0]),
                     qPrintable(QString("feature %1: %2 vs %3").arg(j).arg(e.values[size_t(j)]).arg(e.values[0])));
        QVERIFY(e.diagnostics.at("r2") > 0.5 && e.diagnostics.at("r2") <= 1.0);
        if (++checked == 4)
            break;
    }
    QCOMPARE(checked, 4);
}

void TestExplainLime::seeds()
{
    auto fx = makeTabular(300, 6, 23);
    auto model = symmetricModel();
    auto fx4 = makeTabular(300, 4, 23);
    const float* x = fx4->data.row(fx4->split.test[0]);
    ExplainOptions o;
    o.seed = 7;
    o.output = Output::Probability; // class 0's logit is the constant 0 in this model
    for (bool discretize : {true, false}) {
        o.limeDiscretize = discretize;
        o.seed = 7;
        auto a = explain::explain(Method::Lime, model, fx4->ctx, x, o);
        auto b = explain::explain(Method::Lime, model, fx4->ctx, x, o);
        QCOMPARE(a.values, b.values);
        o.seed = 8;
        auto c = explain::explain(Method::Lime, model, fx4->ctx, x, o);
        QVERIFY(a.values != c.values);
    }
    (void)fx;
}

namespace {
models::ModelMeta imageMeta(int64_t c = 1, int64_t side = 28)
{
    models::ModelMeta m;
    m.dataKind = data::DataKind::Image;
    m.inputShape = {c, side, side};
    m.classNames = {"no", "yes"};
    return m;
}
} // namespace

void TestExplainLime::fastNormalsHaveNormalMoments()
{
    // FastRng's ziggurat: moments and two probabilities of N(0, 1), each within 5 standard
    // errors (n = 2,000,000), and the tail beyond the base strip's edge r = 3.4426 (drawn by
    // the separate tail method) with its exact mass.
    const int64_t n = 2000000;
    senn::FastRng rng(11);
    double m1 = 0, m2 = 0, m4 = 0, inner = 0, tail = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double z = rng.normal();
        m1 += z;
        m2 += z * z;
        m4 += z * z * z * z;
        inner += std::fabs(z) < 0.5 ? 1 : 0;
        tail += std::fabs(z) > 3.442619855899 ? 1 : 0;
    }
    m1 /= double(n);
    m2 /= double(n);
    m4 /= double(n);
    inner /= double(n);
    tail /= double(n);
    const double se = 1.0 / std::sqrt(double(n));
    QVERIFY2(std::fabs(m1) < 5 * se, qPrintable(QString::number(m1)));
    QVERIFY2(std::fabs(m2 - 1) < 5 * std::sqrt(2.0) * se, qPrintable(QString::number(m2)));
    QVERIFY2(std::fabs(m4 - 3) < 5 * std::sqrt(96.0) * se, qPrintable(QString::number(m4)));
    const double pInner = std::erf(0.5 / std::sqrt(2.0));             // 0.38292
    const double pTail = std::erfc(3.442619855899 / std::sqrt(2.0));    // 5.76e-4
    QVERIFY2(std::fabs(inner - pInner) < 5 * std::sqrt(pInner * (1 - pInner)) * se, qPrintable(QString::number(inner)));
    QVERIFY2(std::fabs(tail - pTail) < 5 * std::sqrt(pTail * (1 - pTail)) * se, qPrintable(QString::number(tail)));
}

void TestExplainLime::fastBoundedDrawsAreUniform()
{
    // FastRng::below(n) (KernelSHAP's coalition members): every value of [0, 7) with frequency
    // 1/7 within 5 standard errors (n = 700,000); n = 1 gives 0; for n = 3·2^30 the multiply
    // alone maps 4 high words to 3 values, hitting every multiple of 3 twice: the share of
    // multiples of 3 is 1/3 with the rejection and 1/2 without (measured: 0.3337 and 0.5007).
    senn::FastRng rng(5);
    const int64_t draws = 700000;
    std::vector<int64_t> counts(7, 0);
    for (int64_t i = 0; i < draws; ++i) {
        const uint32_t v = rng.below(7);
        QVERIFY(v < 7);
        ++counts[v];
    }
    const double p = 1.0 / 7, se = std::sqrt(p * (1 - p) / double(draws));
    for (int k = 0; k < 7; ++k)
        QVERIFY2(std::fabs(double(counts[size_t(k)]) / double(draws) - p) < 5 * se,
                 qPrintable(QString("%1: %2").arg(k).arg(counts[size_t(k)])));
    for (int i = 0; i < 100; ++i)
        QCOMPARE(rng.below(1), 0u);
    const uint32_t big = 3u << 30;
    int64_t thirds = 0;
    for (int64_t i = 0; i < draws; ++i) {
        const uint32_t v = rng.below(big);
        QVERIFY(v < big);
        thirds += v % 3 == 0 ? 1 : 0;
    }
    const double share = double(thirds) / double(draws), seThirds = std::sqrt(2.0 / 9.0 / double(draws));
    QVERIFY2(std::fabs(share - 1.0 / 3.0) < 5 * seThirds, qPrintable(QString::number(share)));
}

void TestExplainLime::quartileBinSamplingKnownAnswers()
{
    // Hand-made tables for three features: four bins with unequal frequencies (asymmetric
    // truncations), a single far-tail interval [μ + 5σ, μ + 6σ] and a point bin. Known answers:
    // the bins' frequencies and the means of N(μ, σ²) truncated to [μ + aσ, μ + bσ],
    // μ + σ(φ(a) − φ(b)) / (Φ(b) − Φ(a)); and the quantile tables' CDF against the exact one.
    auto phi = [](double t) { return std::exp(-0.5 * t * t) / std::sqrt(2 * M_PI); };
    auto Phi = [](double t) { return 0.5 * std::erfc(-t / std::sqrt(2.0)); };
    const int64_t d = 3, N = 200000;
    LimeBinTables t;
    t.cum = {0.1, 0.4, 0.8, /**/ 1, 1, 1, /**/ 1, 1, 1};
    t.cuts = {1, 2, 3, /**/ INFINITY, INFINITY, INFINITY, /**/ INFINITY, INFINITY, INFINITY};
    const double freq[4] = {0.1, 0.3, 0.4, 0.2};
    const double mean0[4] = {0.8, 1.5, 2.1, 3.45}, sd0[4] = {0.4, 0.3, 0.5, 0.2};
    auto bin = [](double lo, double hi, double mean, double sd) {
        return LimeBin{lo, hi, mean, sd, (lo - mean) / sd, (hi - mean) / sd};
    };
    for (int b = 0; b < 4; ++b) // gaps between bins: a draw's bin is floor(value)
        t.bins.push_back(bin(b, b + 0.9, mean0[b], sd0[b]));
    for (double v : {5.0, 6.0, 6.0, 6.0}) // feature 1: bin 0 = [5, 6], N(0, 1)
        t.bins.push_back(bin(v, 6.0, 0.0, 1.0));
    for (int b = 0; b < 4; ++b) // feature 2: the point 2
        t.bins.push_back(bin(2.0, 2.0, 2.0, 1.0));
    explain::detail::fillBinQuantiles(t);
    QCOMPARE(t.quantiles.size(), t.bins.size() * size_t(LimeBinTables::kKnots + 1));
    // The draws' CDF (linear between the knots) against the exact truncated CDF, on a fine grid
    // of every bin: within 1e-3, seven times below the Monte Carlo error of LIME's 5,000 draws
    // (0.5 / √5000), so the interpolation cannot be seen in an explanation.
    double worst = 0;
    for (size_t k = 0; k < t.bins.size(); ++k) {
        const LimeBin& b = t.bins[k];
        if (!(b.hi > b.lo))
            continue;
        const float* q = &t.quantiles[k * size_t(LimeBinTables::kKnots + 1)];
        QCOMPARE(q[0], float(b.lo));
        QCOMPARE(q[LimeBinTables::kKnots], float(b.hi));
        const double pa = Phi(b.zlo), pb = Phi(b.zhi);
        for (int c = 0; c < LimeBinTables::kKnots; ++c) {
            QVERIFY(q[c + 1] >= q[c]);
            for (int s = 0; s <= 8; ++s) {
                const double v = q[c] + (q[c + 1] - q[c]) * s / 8.0;
                const double table = (c + (q[c + 1] > q[c] ? (v - q[c]) / (q[c + 1] - q[c]) : 0.0)) /
                                     LimeBinTables::kKnots;
                const double exact = (Phi((v - b.mean) / b.sd) - pa) / (pb - pa);
                worst = std::max(worst, std::fabs(table - exact));
            }
        }
    }
    qInfo("largest CDF error of the quantile tables: %.2e", worst);
    QVERIFY2(worst < 1e-3, qPrintable(QString::number(worst)));

    const std::vector<float> x{1.5f, 5.5f, 2.0f};
    const std::vector<int> xBin{1, 0, 0};
    std::vector<float> inv(size_t(N * d));
    std::vector<double> interp(size_t(N * d));
    std::vector<int> outside;
    explain::detail::sampleQuartileBins(t, xBin, x.data(), N, d, 5, inv.data(), interp.data(), outside);

    QCOMPARE(inv[0], 1.5f); // row 0 is x, fully inside its bins
    QCOMPARE(interp[0] + interp[1] + interp[2], 3.0);
    QCOMPARE(outside[0], 0);
    double count[4] = {0, 0, 0, 0}, sum[4] = {0, 0, 0, 0}, sum1 = 0;
    for (int64_t i = 1; i < N; ++i) {
        const float* r = &inv[size_t(i * d)];
        const int b = int(std::floor(r[0]));
        QVERIFY(b >= 0 && b < 4 && r[0] <= b + 0.9f);
        count[b] += 1;
        sum[b] += r[0];
        QVERIFY(r[1] >= 5.0f && r[1] <= 6.0f);
        sum1 += r[1];
        QCOMPARE(r[2], 2.0f);
        const double* q = &interp[size_t(i * d)];
        QCOMPARE(q[0], b == 1 ? 1.0 : 0.0);
        QCOMPARE(q[1] + q[2], 2.0);
        QCOMPARE(outside[size_t(i)], b == 1 ? 0 : 1);
    }
    const double rows = double(N - 1);
    for (int b = 0; b < 4; ++b) {
        const double p = count[b] / rows;
        QVERIFY2(std::fabs(p - freq[b]) < 5 * std::sqrt(freq[b] * (1 - freq[b]) / rows),
                 qPrintable(QString("bin %1: %2 vs %3").arg(b).arg(p).arg(freq[b])));
        const double a = (b - mean0[b]) / sd0[b], z = (b + 0.9 - mean0[b]) / sd0[b];
        const double expect = mean0[b] + sd0[b] * (phi(a) - phi(z)) / (Phi(z) - Phi(a));
        const double got = sum[b] / count[b];
        QVERIFY2(std::fabs(got - expect) < 5 * sd0[b] / std::sqrt(count[b]),
                 qPrintable(QString("bin %1 mean %2 vs %3").arg(b).arg(got).arg(expect)));
    }
    const double tailMean = (phi(5) - phi(6)) / (Phi(6) - Phi(5)); // 5.186
    QVERIFY2(std::fabs(sum1 / rows - tailMean) < 5 * 0.2 / std::sqrt(rows),
             qPrintable(QString("tail mean %1 vs %2").arg(sum1 / rows).arg(tailMean)));

    // The same seed draws the same rows; another seed other rows.
    std::vector<float> again(inv.size()), other(inv.size());
    std::vector<double> i2(interp.size());
    std::vector<int> o2;
    explain::detail::sampleQuartileBins(t, xBin, x.data(), N, d, 5, again.data(), i2.data(), o2);
    QVERIFY(again == inv);
    explain::detail::sampleQuartileBins(t, xBin, x.data(), N, d, 6, other.data(), i2.data(), o2);
    QVERIFY(other != inv);
}

void TestExplainLime::indicatorRidgeEqualsDenseRidge()
{
    // LIME's interpretable rows are indicators; weightedRidgeIndicators fits them from one
    // pass of weighted moments. Known answer: y = 2 + 3 x0 − x1 exactly gives those coefficients and
    // R² = 1 without a penalty; with noise and α = 1 both paths agree to rounding.
    auto g = at::detail::createCPUGenerator(4);
    const int64_t n = 3000, p = 12;
    auto X = (torch::rand({n, p}, g, torch::kFloat64) < 0.3).to(torch::kFloat64);
    auto w = torch::rand({n}, g, torch::kFloat64) + 0.05;
    auto exact = 2 + 3 * X.select(1, 0) - X.select(1, 1);
    auto fit = explain::detail::weightedRidgeIndicators(X, exact, w, 0.0);
    QVERIFY(std::fabs(fit.intercept - 2) < 1e-9);
    QVERIFY(std::fabs(fit.coef[0].item<double>() - 3) < 1e-9);
    QVERIFY(std::fabs(fit.coef[1].item<double>() + 1) < 1e-9);
    QVERIFY(fit.coef.slice(0, 2).abs().max().item<double>() < 1e-9);
    QVERIFY(std::fabs(fit.r2 - 1) < 1e-9);
    auto noisy = exact + 0.5 * torch::randn({n}, g, torch::kFloat64) + 40; // a large mean too
    for (double alpha : {0.0, 1.0}) {
        auto a = explain::detail::weightedRidgeIndicators(X, noisy, w, alpha);
        auto b = explain::detail::weightedRidge(X, noisy, w, alpha);
        QVERIFY((a.coef - b.coef).abs().max().item<double>() < 1e-9);
        QVERIFY(std::fabs(a.intercept - b.intercept) < 1e-9);
        QVERIFY2(std::fabs(a.r2 - b.r2) < 1e-9, qPrintable(QString("%1 vs %2").arg(a.r2).arg(b.r2)));
        QVERIFY(a.r2 > 0.5 && a.r2 < 1);
    }
    auto flat = torch::full({n}, 7.0, torch::kFloat64); // a constant y: R² = 1, coefficients 0
    auto c = explain::detail::weightedRidgeIndicators(X, flat, w, 1.0);
    QCOMPARE(c.r2, 1.0);
    QVERIFY(c.coef.abs().max().item<double>() < 1e-12);
    QVERIFY(std::fabs(c.intercept - 7) < 1e-12);
}

void TestExplainLime::imageLinearPixelModel_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("cell");
    QTest::newRow("gray 28x28, 7x7 cells") << 1 << 28 << 7;
    QTest::newRow("rgb 12x12, 4x4 cells") << 3 << 12 << 4;
}

void TestExplainLime::imageLinearPixelModel()
{
    QFETCH(int, channels);
    QFETCH(int, side);
    QFETCH(int, cell);
    const int HW = side * side, D = channels * HW, S = (side / cell) * (side / cell);
    auto g = at::detail::createCPUGenerator(31);
    auto wpix = torch::randn({D}, g, torch::kFloat32);
    auto model = models::Model(std::make_shared<FunctionModel>(imageMeta(channels, side), [wpix](const torch::Tensor& x) {
        auto z = torch::matmul(x.reshape({x.size(0), -1}), wpix) * 0.1;
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
    auto img = torch::rand({D}, g, torch::kFloat32);
    std::vector<float> x(img.data_ptr<float>(), img.data_ptr<float>() + D);
    ExplainContext ctx; // image LIME needs no training statistics
    ExplainOptions o;
    o.segmentation = "grid";
    o.segmentSize = cell;
    o.output = Output::Logit;
    o.target = 1;
    auto e = explain::explain(Method::Lime, model, ctx, x.data(), o);
    QCOMPARE(e.diagnostics.at("segments"), double(S));
    QCOMPARE(e.modelRows, int64_t(1000));
    QCOMPARE(e.segments.size(), size_t(HW));
    // Hidden segments take their per-channel mean, so
    // f(z) = const + Σ_s z_s Σ_c Σ_{p∈s} w_cp (x_cp - mean_cs): the surrogate is exact up to ridge α = 1.
    std::vector<double> expect(size_t(S), 0.0), mean(size_t(channels * S), 0.0), count(size_t(S), 0.0);
    for (int p = 0; p < HW; ++p) {
        const int sp = e.segments[size_t(p)];
        count[size_t(sp)] += 1;
        for (int c = 0; c < channels; ++c)
            mean[size_t(c * S + sp)] += x[size_t(c * HW + p)];
    }
    for (int p = 0; p < HW; ++p) {
        const int sp = e.segments[size_t(p)];
        for (int c = 0; c < channels; ++c)
            expect[size_t(sp)] += 0.1 * wpix[c * HW + p].item<float>() *
                                  (x[size_t(c * HW + p)] - mean[size_t(c * S + sp)] / count[size_t(sp)]);
    }
    QCOMPARE(e.values.size(), size_t(D)); // one value per pixel, repeated over the channels
    for (int i = 0; i < D; i += 7) {
        const double want = expect[size_t(e.segments[size_t(i % HW)])];
        QVERIFY2(std::fabs(e.values[size_t(i)] - want) <= 0.03 * std::fabs(want) + 2e-3,
                 qPrintable(QString("value %1: %2 vs %3").arg(i).arg(e.values[size_t(i)]).arg(want)));
    }
    QVERIFY(e.diagnostics.at("r2") > 0.99);
    // The rows go to the model in calls of a bounded size (1 MB of input: 334 rows of a 28x28
    // image, so 3 calls here); one call for all 1,000 rows gives the same explanation up to
    // float rounding (the BLAS blocks a product differently by its row count).
    QCOMPARE(explain::detail::chunkRowsFor(*model.impl(), 0), int64_t(std::clamp((1 << 20) / (D * 4), 8, 8192)));
    QCOMPARE(explain::detail::chunkRowsFor(*model.impl(), 1000), int64_t(1000));
    o.chunkRows = 1000;
    auto one = explain::explain(Method::Lime, model, ctx, x.data(), o);
    QCOMPARE(one.values.size(), e.values.size());
    double diff = 0, scale = 0;
    for (size_t i = 0; i < e.values.size(); ++i) {
        diff = std::max(diff, double(std::fabs(one.values[i] - e.values[i])));
        scale = std::max(scale, double(std::fabs(e.values[i])));
    }
    QVERIFY2(diff <= 1e-4 * scale, qPrintable(QString("%1 vs scale %2").arg(diff).arg(scale)));
}

void TestExplainLime::slicSegmentsOnMnist()
{
    auto data = data::loadIdxFolder(std::string(SENN_RESOURCE_DATA) + "/mnist-10k");
    auto model = models::Model(std::make_shared<FunctionModel>(imageMeta(), [](const torch::Tensor& x) {
        auto z = x.mean(1);
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
    ExplainContext ctx;
    for (int64_t i = 0; i < 5; ++i) {
        ExplainOptions o;
        o.samples = 50;
        auto e = explain::explain(Method::Lime, model, ctx, data.row(i * 101), o);
        const double s = e.diagnostics.at("segments");
        QVERIFY2(s >= 20 && s <= 50, qPrintable(QString("digit %1: %2 segments").arg(i).arg(s)));
        QCOMPARE(e.shape, (std::vector<int64_t>{1, 28, 28}));
    }
}

// SLIC takes 1-4 channels; a 6-band image is segmented on the grid (and says so) instead of
// refusing with advice the GUI cannot follow.
void TestExplainLime::manyChannelsAreSegmentedOnTheGrid()
{
    auto x = torch::rand({6, 12, 12}, torch::TensorOptions().dtype(torch::kFloat32));
    int count = 0;
    const auto seg = explain::detail::segmentImage(x, "slic", 4, count);
    QCOMPARE(count, 9); // 3 x 3 cells of 4 px
    QCOMPARE(seg[0], 0);
    QCOMPARE(seg[size_t(11 * 12 + 11)], 8);
    QVERIFY(!explain::detail::usesSlic("slic", 6));
    QVERIFY(explain::detail::usesSlic("slic", 3));
    QVERIFY(!explain::detail::usesSlic("grid", 1));
}

QTEST_GUILESS_MAIN(TestExplainLime)
#include "test_explain_lime.moc"
