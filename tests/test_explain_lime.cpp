// LIME (baselines.md): continuous sampling recovers a linear regressor's w·std, discretised
// sampling finds the only relevant feature, seeds reproduce, image LIME on a linear pixel
// model gives each segment its exact linear contribution, SLIC gives ~20-50 segments on MNIST.
#include "explain_test_models.h"
#include "core/data/loader.h"
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
    void truncatedNormalMoments();
    void imageLinearPixelModel();
    void slicSegmentsOnMnist();
};

void TestExplainLime::continuousRecoversLinearRegressor()
{
    const std::vector<double> means{1, -2, 3, 0, 5}, sds{1, 2, 0.5, 1, 3};
    auto fx = makeTabular(400, 5, 21, means, sds);
    auto w = torch::tensor({0.8f, -0.5f, 1.5f, 0.2f, -0.3f});
    auto model = logitLinearModel(w, 0.4);
    ExplainOptions o;
    o.limeDiscretize = false;
    o.modelOutput = "logit"; // a regression output: the logit is linear in x
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
    o.modelOutput = "probability"; // class 0's logit is the constant 0 in this model
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
models::ModelMeta imageMeta()
{
    models::ModelMeta m;
    m.dataKind = data::DataKind::Image;
    m.inputShape = {1, 28, 28};
    m.classNames = {"no", "yes"};
    return m;
}
} // namespace

void TestExplainLime::truncatedNormalMoments()
{
    // The mean of N(μ, σ²) truncated to [μ + aσ, μ + bσ] is μ + σ(φ(a) − φ(b)) / (Φ(b) − Φ(a)).
    // Three intervals: a wide one (rejection), a far tail (inverse CDF) and a point.
    const int64_t n = 200000;
    auto phi = [](double t) { return std::exp(-0.5 * t * t) / std::sqrt(2 * M_PI); };
    auto Phi = [](double t) { return 0.5 * std::erfc(-t / std::sqrt(2.0)); };
    struct Case { double mu, sd, a, b; };
    for (const Case c : {Case{2.0, 3.0, -1.0, 2.0}, Case{-1.0, 0.5, 5.0, 6.0}, Case{0.0, 1.0, -0.3, 0.4}}) {
        auto full = [&](double v) { return torch::full({n}, v, torch::kFloat64); };
        auto gen = explain::detail::makeGenerator(9);
        auto v = explain::detail::truncatedNormal(full(c.mu + c.a * c.sd), full(c.mu + c.b * c.sd), full(c.mu),
                                                  full(c.sd), gen);
        QCOMPARE(v.size(0), n);
        QVERIFY(v.min().item<double>() >= c.mu + c.a * c.sd - 1e-12);
        QVERIFY(v.max().item<double>() <= c.mu + c.b * c.sd + 1e-12);
        const double expect = c.mu + c.sd * (phi(c.a) - phi(c.b)) / (Phi(c.b) - Phi(c.a));
        // Standard error of the mean is below σ/√n ≈ 0.0067σ: 5 of them.
        const double got = v.mean().item<double>();
        QVERIFY2(std::fabs(got - expect) < 5 * c.sd / std::sqrt(double(n)),
                 qPrintable(QString("mean %1 vs %2").arg(got).arg(expect)));
    }
    // A point interval gives the point.
    auto gen = explain::detail::makeGenerator(1);
    auto p = explain::detail::truncatedNormal(torch::full({3}, 1.5, torch::kFloat64), torch::full({3}, 1.5, torch::kFloat64),
                                              torch::full({3}, 1.0, torch::kFloat64), torch::full({3}, 2.0, torch::kFloat64), gen);
    QCOMPARE(p.min().item<double>(), 1.5);
    QCOMPARE(p.max().item<double>(), 1.5);
}

void TestExplainLime::imageLinearPixelModel()
{
    auto g = at::detail::createCPUGenerator(31);
    auto wpix = torch::randn({784}, g, torch::kFloat32);
    auto model = models::Model(std::make_shared<FunctionModel>(imageMeta(), [wpix](const torch::Tensor& x) {
        auto z = torch::matmul(x, wpix) * 0.1;
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
    auto img = torch::rand({784}, g, torch::kFloat32);
    std::vector<float> x(img.data_ptr<float>(), img.data_ptr<float>() + 784);
    ExplainContext ctx; // image LIME needs no training statistics
    ExplainOptions o;
    o.segmentation = "grid";
    o.segmentSize = 7;
    o.modelOutput = "logit";
    o.target = 1;
    auto e = explain::explain(Method::Lime, model, ctx, x.data(), o);
    QCOMPARE(e.diagnostics.at("segments"), 16.0);
    QCOMPARE(e.modelRows, int64_t(1000));
    QCOMPARE(e.segments.size(), size_t(784));
    // f(z) = const + Σ_s z_s Σ_{p∈s} w_p (x_p - mean_s): the surrogate is exact up to ridge α = 1.
    std::vector<double> expect(16, 0.0), mean(16, 0.0), count(16, 0.0);
    for (int p = 0; p < 784; ++p) {
        mean[size_t(e.segments[size_t(p)])] += x[size_t(p)];
        count[size_t(e.segments[size_t(p)])] += 1;
    }
    for (int p = 0; p < 784; ++p) {
        const int s = e.segments[size_t(p)];
        expect[size_t(s)] += 0.1 * wpix[p].item<float>() * (x[size_t(p)] - mean[size_t(s)] / count[size_t(s)]);
    }
    for (int p = 0; p < 784; p += 37) {
        const double want = expect[size_t(e.segments[size_t(p)])];
        QVERIFY2(std::fabs(e.values[size_t(p)] - want) <= 0.03 * std::fabs(want) + 2e-3,
                 qPrintable(QString("pixel %1: %2 vs %3").arg(p).arg(e.values[size_t(p)]).arg(want)));
    }
    QVERIFY(e.diagnostics.at("r2") > 0.99);
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

QTEST_GUILESS_MAIN(TestExplainLime)
#include "test_explain_lime.moc"
