// Known answers for the attribution methods (metrics.md "Checks with known answers"):
// gradients of linear models, IG completeness, exact Shapley vs w ⊙ (x - b), KernelSHAP vs
// exact Shapley, efficiency, symmetry, permutation sampling, occlusion and SENN's θ.
#include "support/explain_test_models.h"
#include "core/explain/explain_internal.h"
#include "core/common/error.h"

#include <QtTest>

using namespace senn;
using namespace senn::explain;
using namespace senn::testing;

class TestExplainAttributions : public QObject {
    Q_OBJECT
private slots:
    void gradientOfLinearModelIsW();
    void integratedGradientsCompleteness();
    void exactShapleyOfLinearLogit();
    void kernelShapFullEnumerationEqualsExact();
    void kernelShapSamplingKeepsEfficiency();
    void larsEntryOrder();
    void kernelShapKeepTopFeatures();
    void identicalFeaturesShareCredit();
    void permutationShapley();
    void occlusionOfLinearLogit();
    void sennExplanation();
    void gaussLegendreIntegratesPolynomials();
    void explainedOutputIsOneSetting();
};

namespace {
torch::Tensor fixedRandn(std::vector<int64_t> shape, uint64_t seed)
{
    auto g = at::detail::createCPUGenerator(seed);
    return torch::randn(shape, g, torch::kFloat32);
}

// z1 = tanh(x0 x1 + x2) + sin(x3) x4 + 0.3 x5 (+ 0.1 Σ_{j≥6} x_j²): interactions everywhere.
models::Model interactionModel(int64_t d)
{
    auto meta = tabularMeta(d, 2);
    return models::Model(std::make_shared<FunctionModel>(meta, [d](const torch::Tensor& x) {
        auto z = torch::tanh(x.select(1, 0) * x.select(1, 1) + x.select(1, 2)) +
                 torch::sin(x.select(1, 3)) * x.select(1, 4) + 0.3 * x.select(1, 5);
        if (d > 6)
            z = z + 0.1 * x.slice(1, 6).pow(2).sum(1);
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
}
} // namespace

void TestExplainAttributions::gradientOfLinearModelIsW()
{
    auto fx = makeTabular(200, 5, 1);
    auto W = fixedRandn({3, 5}, 2), b = fixedRandn({3}, 3);
    auto model = linearModel(W, b);
    const float* x = fx->data.row(fx->split.test[0]);
    for (int target = 0; target < 3; ++target) {
        ExplainOptions o;
        o.target = target;
        auto sal = explain::explain(Method::Saliency, model, fx->ctx, x, o);
        auto gi = explain::explain(Method::GradInput, model, fx->ctx, x, o);
        QCOMPARE(sal.values.size(), size_t(5));
        QCOMPARE(sal.target, target);
        for (int j = 0; j < 5; ++j) {
            QCOMPARE(sal.values[size_t(j)], W[target][j].item<float>());
            QVERIFY(std::fabs(gi.values[size_t(j)] - W[target][j].item<float>() * x[j]) < 1e-6);
        }
        QCOMPARE(sal.modelRows, int64_t(1)); // the logit comes from the gradient's forward
    }
    // SmoothGrad of a linear model is w too (the gradient does not depend on the noise).
    auto sg = explain::explain(Method::SmoothGrad, model, fx->ctx, x, {});
    const int t = sg.target;
    for (int j = 0; j < 5; ++j)
        QVERIFY(std::fabs(sg.values[size_t(j)] - W[t][j].item<float>()) < 1e-5);
}

void TestExplainAttributions::integratedGradientsCompleteness()
{
    auto fx = makeTabular(300, 6, 4);
    auto model = interactionModel(6);
    for (int i = 0; i < 5; ++i) {
        const float* x = fx->data.row(fx->split.test[size_t(i)]);
        for (const char* bg : {"mean", "zeros"}) {
            ExplainOptions o;
            o.background = bg;
            o.target = 1;
            auto e = explain::explain(Method::IntegratedGradients, model, fx->ctx, x, o);
            const double dz = e.diagnostics.at("logit") - e.diagnostics.at("logit_baseline");
            const double gap = e.diagnostics.at("completeness_gap");
            QVERIFY2(std::fabs(gap) < 1e-3 * std::fabs(dz) + 1e-6,
                     qPrintable(QString("gap %1 vs dz %2").arg(gap).arg(dz)));
            QCOMPARE(e.modelRows, int64_t(50 + 2));
        }
    }
    // Linear model: IG = w ⊙ (x - x') exactly (up to float rounding).
    auto w = fixedRandn({6}, 5);
    auto lin = logitLinearModel(w, 0.3);
    const float* x = fx->data.row(fx->split.test[0]);
    ExplainOptions o;
    o.target = 1;
    auto e = explain::explain(Method::IntegratedGradients, lin, fx->ctx, x, o);
    for (int j = 0; j < 6; ++j)
        QVERIFY(std::fabs(e.values[size_t(j)] - w[j].item<float>() * (x[j] - fx->ctx.stats.mean[size_t(j)])) < 1e-5);
}

void TestExplainAttributions::exactShapleyOfLinearLogit()
{
    auto fx = makeTabular(300, 7, 6, {1, -2, 3, 0, 5, -1, 2}, {1, 2, 0.5, 1, 3, 1, 2});
    auto w = fixedRandn({7}, 7);
    auto model = logitLinearModel(w, -0.2);
    const float* x = fx->data.row(fx->split.test[3]);
    ExplainOptions o;
    o.background = "mean";
    o.output = Output::Logit;
    o.target = 1;
    auto e = explain::explain(Method::Shapley, model, fx->ctx, x, o);
    QCOMPARE(e.diagnostics.at("exact"), 1.0);
    for (int j = 0; j < 7; ++j) {
        const double expect = double(w[j].item<float>()) * (double(x[j]) - fx->ctx.stats.mean[size_t(j)]);
        QVERIFY2(std::fabs(e.values[size_t(j)] - expect) < 1e-5,
                 qPrintable(QString("feature %1: %2 vs %3").arg(j).arg(e.values[size_t(j)]).arg(expect)));
    }
}

void TestExplainAttributions::kernelShapFullEnumerationEqualsExact()
{
    auto fx = makeTabular(300, 6, 8);
    auto model = interactionModel(6);
    for (int i = 0; i < 3; ++i) {
        const float* x = fx->data.row(fx->split.test[size_t(i)]);
        for (const char* bg : {"kmeans:5", "sample:7", "mean"}) {
            ExplainOptions o;
            o.background = bg;
            o.seed = 11;
            auto ks = explain::explain(Method::KernelShap, model, fx->ctx, x, o);
            auto ex = explain::explain(Method::Shapley, model, fx->ctx, x, o);
            QCOMPARE(ks.diagnostics.at("full_enumeration"), 1.0);
            QCOMPARE(ks.diagnostics.at("coalitions"), 62.0);
            QCOMPARE(ks.target, ex.target);
            for (int j = 0; j < 6; ++j)
                QVERIFY2(std::fabs(ks.values[size_t(j)] - ex.values[size_t(j)]) < 1e-6,
                         qPrintable(QString("%1 feature %2: kernel %3 exact %4").arg(bg).arg(j)
                                        .arg(ks.values[size_t(j)]).arg(ex.values[size_t(j)])));
            QVERIFY(std::fabs(ks.diagnostics.at("expected_value") - ex.diagnostics.at("expected_value")) < 1e-12);
        }
    }
}

void TestExplainAttributions::larsEntryOrder()
{
    // Orthonormal columns: LARS is soft thresholding, variables enter by |Xᵀy|.
    auto q = std::get<0>(torch::linalg::qr(fixedRandn({6, 4}, 21).to(torch::kFloat64)));
    auto y = torch::matmul(q, torch::tensor({0.5, -3.0, 2.0, -1.0}, torch::kFloat64));
    QCOMPARE(explain::detail::larsEntryOrder(q, y, 4), (std::vector<int64_t>{1, 2, 3, 0}));
    QCOMPARE(explain::detail::larsEntryOrder(q, y, 2), (std::vector<int64_t>{1, 2}));
    // By hand: X = [[1,0],[0,1],[0,0]], y = (2,1,0): c = Xᵀy = (2, 1), x0 enters, then x1 when
    // the common correlation has fallen to 1. X = [[1,0],[1,0],[0,1]], y = (1,1,0): c = (2, 0),
    // x1 never correlates with a residual, so the path ends after x0.
    auto X = torch::tensor({1.0, 0.0, 0.0, 1.0, 0.0, 0.0}, torch::kFloat64).view({3, 2});
    QCOMPARE(explain::detail::larsEntryOrder(X, torch::tensor({2.0, 1.0, 0.0}, torch::kFloat64), 2),
             (std::vector<int64_t>{0, 1}));
    auto Xc = torch::tensor({1.0, 0.0, 1.0, 0.0, 0.0, 1.0}, torch::kFloat64).view({3, 2});
    QCOMPARE(explain::detail::larsEntryOrder(Xc, torch::tensor({1.0, 1.0, 0.0}, torch::kFloat64), 2),
             (std::vector<int64_t>{0}));
}

void TestExplainAttributions::kernelShapKeepTopFeatures()
{
    // A linear logit that uses 3 of 8 features: keeping 3 (shap's l1_reg="num_features(3)")
    // finds exactly those and their exact Shapley values w ⊙ (x − b), the rest get 0.
    auto fx = makeTabular(300, 8, 22);
    auto w = torch::tensor({2.0f, 0.0f, 0.0f, -1.5f, 0.0f, 0.7f, 0.0f, 0.0f});
    auto model = logitLinearModel(w, 0.1);
    ExplainOptions o;
    o.background = "mean";
    o.output = Output::Logit;
    o.target = 1;
    o.seed = 5;
    for (int i = 0; i < 3; ++i) {
        const float* x = fx->data.row(fx->split.test[size_t(i)]);
        o.shapKeepFeatures = 3;
        auto e = explain::explain(Method::KernelShap, model, fx->ctx, x, o);
        QCOMPARE(e.diagnostics.at("kept_features"), 3.0);
        for (int j = 0; j < 8; ++j) {
            const double expect = double(w[j].item<float>()) * (double(x[j]) - fx->ctx.stats.mean[size_t(j)]);
            QVERIFY2(std::fabs(e.values[size_t(j)] - expect) < 1e-5,
                     qPrintable(QString("row %1 feature %2: %3 vs %4").arg(i).arg(j).arg(e.values[size_t(j)]).arg(expect)));
        }
        // One feature kept: it carries the whole f(x) − E f (efficiency holds exactly).
        o.shapKeepFeatures = 1;
        auto one = explain::explain(Method::KernelShap, model, fx->ctx, x, o);
        QCOMPARE(int(std::count_if(one.values.begin(), one.values.end(), [](float v) { return v != 0.0f; })), 1);
        double sum = 0;
        for (float v : one.values)
            sum += v;
        QVERIFY(std::fabs(sum - (one.diagnostics.at("fx") - one.diagnostics.at("expected_value"))) < 1e-5);
        // Keeping all 8 is the plain KernelSHAP.
        o.shapKeepFeatures = 8;
        auto all = explain::explain(Method::KernelShap, model, fx->ctx, x, o);
        o.shapKeepFeatures = 0;
        QCOMPARE(all.values, explain::explain(Method::KernelShap, model, fx->ctx, x, o).values);
    }
}

void TestExplainAttributions::kernelShapSamplingKeepsEfficiency()
{
    auto fx = makeTabular(300, 12, 9);
    auto model = interactionModel(12);
    const float* x = fx->data.row(fx->split.test[1]);
    ExplainOptions o;
    o.background = "kmeans:10";
    o.seed = 3;
    auto e = explain::explain(Method::KernelShap, model, fx->ctx, x, o);
    QCOMPARE(e.diagnostics.at("full_enumeration"), 0.0);
    QCOMPARE(e.diagnostics.at("nsamples"), 2.0 * 12 + 2048);
    double sum = 0;
    for (float v : e.values)
        sum += v;
    const double target = e.diagnostics.at("fx") - e.diagnostics.at("expected_value");
    QVERIFY2(std::fabs(sum - target) < 1e-6, qPrintable(QString("%1 vs %2").arg(sum).arg(target)));
    QVERIFY(std::fabs(e.diagnostics.at("efficiency_gap")) < 1e-9);
    QCOMPARE(e.modelRows, int64_t(2072 * 10 + 11));
    // Same seed, same explanation; another seed, another sample.
    auto again = explain::explain(Method::KernelShap, model, fx->ctx, x, o);
    QCOMPARE(again.values, e.values);
    o.seed = 4;
    auto other = explain::explain(Method::KernelShap, model, fx->ctx, x, o);
    QVERIFY(other.values != e.values);
    // The seed drives the coalitions, not the background: that is fixed per context, as
    // shap.kmeans's and shap.sample's random_state=0 (the same rows, so the same E f).
    QCOMPARE(other.baseline, e.baseline);
    QCOMPARE(other.diagnostics.at("expected_value"), e.diagnostics.at("expected_value"));
    {
        ExplainOptions s3 = o, s4 = o;
        s3.background = s4.background = "sample:20";
        s3.seed = 3;
        auto a = explain::explain(Method::KernelShap, model, fx->ctx, x, s3);
        auto b = explain::explain(Method::KernelShap, model, fx->ctx, x, s4);
        QCOMPARE(a.baseline, b.baseline);
        QCOMPARE(a.diagnostics.at("expected_value"), b.diagnostics.at("expected_value"));
        QVERIFY(a.baseline != e.baseline); // and it is another background than k-means's
    }
    // Sampling stays close to the exact values (4096 coalitions enumerated).
    o.seed = 3;
    auto exact = explain::explain(Method::Shapley, model, fx->ctx, x, o);
    double maxAbs = 0, maxDiff = 0;
    for (int j = 0; j < 12; ++j) {
        maxAbs = std::max(maxAbs, double(std::fabs(exact.values[size_t(j)])));
        maxDiff = std::max(maxDiff, double(std::fabs(exact.values[size_t(j)] - e.values[size_t(j)])));
    }
    QVERIFY2(maxDiff < 0.05 * maxAbs, qPrintable(QString("%1 vs %2").arg(maxDiff).arg(maxAbs)));
}

void TestExplainAttributions::identicalFeaturesShareCredit()
{
    auto fx = makeTabular(300, 4, 10);
    for (int64_t i = 0; i < fx->data.rows(); ++i)
        fx->data.row(i)[1] = fx->data.row(i)[0]; // feature 1 duplicates feature 0
    fx->ctx = ExplainContext::make(fx->data, fx->split);
    auto model = symmetricModel();
    for (int i = 0; i < 4; ++i) {
        const float* x = fx->data.row(fx->split.test[size_t(i)]);
        ExplainOptions o;
        o.background = "sample:20";
        o.output = Output::Probability; // the predicted class may be 0, whose logit is constant
        for (auto m : {Method::Shapley, Method::KernelShap}) {
            auto e = explain::explain(m, model, fx->ctx, x, o);
            QVERIFY2(std::fabs(e.values[0] - e.values[1]) < 1e-6,
                     qPrintable(QString("%1: %2 vs %3").arg(QString::fromStdString(e.method))
                                    .arg(e.values[0]).arg(e.values[1])));
            QVERIFY(std::fabs(e.values[0]) > 1e-4); // and they do get credit
        }
    }
}

void TestExplainAttributions::permutationShapley()
{
    auto fx = makeTabular(300, 6, 12);
    // Linear logit: every marginal contribution is w_i (x_i - b_i), so the estimate is exact.
    auto w = fixedRandn({6}, 13);
    auto lin = logitLinearModel(w, 0.0);
    const float* x = fx->data.row(fx->split.test[2]);
    ExplainOptions o;
    o.background = "mean";
    o.output = Output::Logit;
    o.target = 1;
    o.permutations = 10;
    auto e = explain::explain(Method::Shapley, lin, fx->ctx, x, o);
    QCOMPARE(e.diagnostics.at("exact"), 0.0);
    QCOMPARE(e.standardError.size(), size_t(6));
    for (int j = 0; j < 6; ++j) {
        const double expect = double(w[j].item<float>()) * (double(x[j]) - fx->ctx.stats.mean[size_t(j)]);
        QVERIFY(std::fabs(e.values[size_t(j)] - expect) < 1e-5);
        QVERIFY(e.standardError[size_t(j)] < 1e-5);
    }
    // Nonlinear: within 5 standard errors of the exact values, and Σφ exact.
    auto model = interactionModel(6);
    ExplainOptions p;
    p.background = "kmeans:4";
    p.permutations = 200;
    p.seed = 5;
    auto approx = explain::explain(Method::Shapley, model, fx->ctx, x, p);
    p.permutations = 0;
    auto exact = explain::explain(Method::Shapley, model, fx->ctx, x, p);
    for (int j = 0; j < 6; ++j)
        QVERIFY2(std::fabs(approx.values[size_t(j)] - exact.values[size_t(j)]) <= 5 * approx.standardError[size_t(j)] + 1e-6,
                 qPrintable(QString("feature %1: %2 vs %3 (se %4)").arg(j).arg(approx.values[size_t(j)])
                                .arg(exact.values[size_t(j)]).arg(approx.standardError[size_t(j)])));
    QVERIFY(std::fabs(approx.diagnostics.at("efficiency_gap")) < 1e-9);
}

void TestExplainAttributions::occlusionOfLinearLogit()
{
    auto fx = makeTabular(200, 5, 14);
    auto w = fixedRandn({5}, 15);
    auto lin = logitLinearModel(w, 0.1);
    const float* x = fx->data.row(fx->split.test[0]);
    ExplainOptions o;
    o.output = Output::Logit;
    o.target = 1;
    auto e = explain::explain(Method::Occlusion, lin, fx->ctx, x, o);
    QCOMPARE(e.modelRows, int64_t(6));
    for (int j = 0; j < 5; ++j)
        QVERIFY(std::fabs(e.values[size_t(j)] - w[j].item<float>() * (x[j] - fx->ctx.stats.mean[size_t(j)])) < 1e-5);
}

void TestExplainAttributions::sennExplanation()
{
    auto fx = makeTabular(200, 4, 16);
    auto theta = fixedRandn({4, 3}, 17);
    auto model = constantThetaSenn(theta);
    const float* x = fx->data.row(fx->split.test[0]);
    ExplainOptions o;
    o.target = 2;
    auto e = explain::explain(Method::Senn, model, fx->ctx, x, o);
    QCOMPARE(e.shape, std::vector<int64_t>{4});
    QCOMPARE(e.labels, fx->data.featureNames);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(e.values[size_t(i)], theta[i][2].item<float>());
        QCOMPARE(e.h[size_t(i)], x[i]);
        QVERIFY(std::fabs(e.contribution[size_t(i)] - theta[i][2].item<float>() * x[i]) < 1e-6);
    }
    // A non-SENN model gets a clear error.
    bool threw = false;
    try {
        explain::explain(Method::Senn, logitLinearModel(fixedRandn({4}, 1), 0), fx->ctx, x, {});
    } catch (const Error& err) {
        threw = QString(err.what()).contains("SENN");
    }
    QVERIFY(threw);
}

void TestExplainAttributions::gaussLegendreIntegratesPolynomials()
{
    std::vector<double> t, w;
    explain::detail::gaussLegendre01(50, t, w);
    double s0 = 0, s5 = 0, s99 = 0;
    for (size_t i = 0; i < t.size(); ++i) {
        s0 += w[i];
        s5 += w[i] * std::pow(t[i], 5);
        s99 += w[i] * std::pow(t[i], 99); // degree 2n-1 is still exact
    }
    QVERIFY(std::fabs(s0 - 1) < 1e-13);
    QVERIFY(std::fabs(s5 - 1.0 / 6) < 1e-13);
    QVERIFY(std::fabs(s99 - 1.0 / 100) < 1e-12);
    QVERIFY(std::is_sorted(t.begin(), t.end()) && t.front() > 0 && t.back() < 1);
}


// One "explained output" for every method (cli.md): logit by default; "probability" makes
// the gradient family differentiate the softmax and the sampling methods explain p.
void TestExplainAttributions::explainedOutputIsOneSetting()
{
    auto fx = makeTabular(200, 5, 11);
    auto W = fixedRandn({3, 5}, 12), b = fixedRandn({3}, 13);
    auto model = linearModel(W, b);
    const float* x = fx->data.row(fx->split.test[1]);
    QVERIFY(ExplainOptions{}.output == Output::Logit);
    ExplainOptions o;
    o.target = 2;
    // Default: every method says it explained the logit.
    for (auto m : {Method::Saliency, Method::Occlusion, Method::Shapley}) {
        auto e = explain::explain(m, model, fx->ctx, x, o);
        QVERIFY(e.output == Output::Logit);
        QCOMPARE(e.diagnostics.count("output_logit"), size_t(0)); // the field says it, not a diagnostic
    }
    // Probability: d p_t / dx = p_t (W_t - Σ_k p_k W_k).
    o.output = Output::Probability;
    auto sal = explain::explain(Method::Saliency, model, fx->ctx, x, o);
    QVERIFY(sal.output == Output::Probability);
    auto xt = torch::from_blob(const_cast<float*>(x), {1, 5}, torch::kFloat32).clone();
    auto p = torch::softmax(torch::matmul(xt, W.t()) + b, 1)[0];
    for (int j = 0; j < 5; ++j) {
        double mix = 0;
        for (int k = 0; k < 3; ++k)
            mix += p[k].item<double>() * W[k][j].item<double>();
        const double expect = p[2].item<double>() * (W[2][j].item<double>() - mix);
        QVERIFY2(std::fabs(sal.values[size_t(j)] - expect) < 1e-5,
                 qPrintable(QString("feature %1: %2 vs %3").arg(j).arg(sal.values[size_t(j)]).arg(expect)));
    }
    // IG on the probability is complete for the probability.
    auto ig = explain::explain(Method::IntegratedGradients, model, fx->ctx, x, o);
    const double dp = ig.diagnostics.at("probability") - ig.diagnostics.at("probability_baseline");
    QVERIFY(std::fabs(ig.diagnostics.at("completeness_gap")) < 1e-3 * std::fabs(dp) + 1e-5);
    QCOMPARE(ig.diagnostics.count("logit"), size_t(0));
    auto sh = explain::explain(Method::Shapley, model, fx->ctx, x, o);
    QVERIFY(sh.output == Output::Probability);
    // SENN-free check of the θ rule lives in sennExplanation. The ids are the command line's;
    // a bad one names the valid ones.
    QCOMPARE(outputId(Output::Probability), std::string("probability"));
    QVERIFY(outputFromId("logit") == Output::Logit);
    try {
        outputFromId("logits");
        QFAIL("outputFromId accepted 'logits'");
    } catch (const senn::Error& err) {
        const std::string what = err.what();
        QVERIFY2(what.find("logits") != std::string::npos && what.find("logit, probability") != std::string::npos,
                 err.what());
    }
}

QTEST_GUILESS_MAIN(TestExplainAttributions)
#include "test_explain_attributions.moc"
