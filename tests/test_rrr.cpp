// Right for the Right Reasons (rrr.md): the input-gradient penalty against a hand computation
// on a linear model, the Decoy MNIST reproduction on the bundled digits (a plain MLP learns
// the decoy; with the RRR mask it recovers to within 3 points of the clean model), the λ₁
// guidance, and find another explanation (round 2 looks elsewhere than round 1).
#include "core/torch_include.h"

#include "core/common/error.h"
#include "core/data/decoy.h"
#include "core/data/loader.h"
#include "core/train/robustness.h"
#include "core/train/rrr.h"
#include "core/train/trainer.h"

#include <QtTest>

#include <cmath>

using namespace senn;

namespace {

const std::string kData = SENN_RESOURCE_DATA;

// The in-suite Decoy MNIST setting (tests/bench/rrr_decoy.sh runs all 7,200 training digits).
constexpr int64_t kRows = 3000;
constexpr int kEpochs = 8;
constexpr double kLambda = 10.0;

models::ModelConfig mlp5030(const data::Dataset& ds)
{
    auto cfg = models::ModelConfig::defaultsFor(ds.kind, models::ModelKind::Mlp, ds.featureCount());
    cfg.hidden = {50, 30}; // the paper's 784-50-30-10
    return cfg;
}

models::TrainConfig trainCfg(int epochs)
{
    models::TrainConfig tc = models::TrainConfig::defaultsFor(data::DataKind::Image);
    tc.epochs = epochs;
    tc.batch = 64;
    tc.threads = 2;
    tc.seed = 0;
    return tc;
}

// Fraction of Σ|g| of the maps that falls where mask >= 0.5.
double massInside(const std::vector<float>& g, const std::vector<float>& mask)
{
    double in = 0, all = 0;
    for (size_t i = 0; i < g.size(); ++i) {
        all += std::abs(g[i]);
        if (mask[i] >= 0.5f)
            in += std::abs(g[i]);
    }
    return all > 0 ? in / all : 0.0;
}

} // namespace

class TestRrr : public QObject {
    Q_OBJECT

private slots:
    void penaltyIsZeroForEmptyMask()
    {
        torch::manual_seed(3);
        auto w = torch::randn({3, 5});
        auto x = torch::randn({4, 5}).requires_grad_(true);
        auto logits = torch::matmul(x, w.t());
        auto mask = torch::zeros({4, 5});
        auto r = train::rrrPenalty(logits, x, mask, torch::ones({1, 5}), false);
        QCOMPARE(r.size(0), int64_t(4));
        QCOMPARE(r.abs().max().item<double>(), 0.0);
    }

    // Linear model z = W x + b, C = 2 classes, d = 2 features, standardisation x_std = x / s:
    // ∂/∂x_std Σ_k log p_k = Σ_k W_k - C Σ_j p_j W_j, and ∂/∂x_raw = that / s.
    void penaltyMatchesHandComputation()
    {
        const double W[2][2] = {{1.0, 2.0}, {3.0, -1.0}};
        const double b[2] = {0.5, -0.5};
        const double xs[2] = {0.5, -0.25};
        const double s[2] = {2.0, 0.5}; // per-feature std: invStd = 1/s
        const double z0 = W[0][0] * xs[0] + W[0][1] * xs[1] + b[0];
        const double z1 = W[1][0] * xs[0] + W[1][1] * xs[1] + b[1];
        const double p0 = std::exp(z0) / (std::exp(z0) + std::exp(z1)), p1 = 1 - p0;
        double g[2];
        for (int d = 0; d < 2; ++d)
            g[d] = (W[0][d] + W[1][d] - 2 * (p0 * W[0][d] + p1 * W[1][d])) / s[d];
        // Mask only feature 1: penalty = g1²; both features: g0² + g1².
        auto wT = torch::tensor({1.0, 2.0, 3.0, -1.0}, torch::kFloat64).view({2, 2});
        auto bT = torch::tensor({0.5, -0.5}, torch::kFloat64);
        auto x = torch::tensor({xs[0], xs[1]}, torch::kFloat64).view({1, 2}).requires_grad_(true);
        auto logits = torch::matmul(x, wT.t()) + bT;
        auto invStd = torch::tensor({1 / s[0], 1 / s[1]}, torch::kFloat64).view({1, 2});
        auto one = train::rrrPenalty(logits, x, torch::tensor({0.0, 1.0}, torch::kFloat64).view({1, 2}),
                                     invStd, false);
        auto both = train::rrrPenalty(logits, x, torch::tensor({1.0, 1.0}, torch::kFloat64).view({1, 2}),
                                      invStd, false);
        QVERIFY(std::abs(one.item<double>() - g[1] * g[1]) < 1e-10);
        QVERIFY(std::abs(both.item<double>() - (g[0] * g[0] + g[1] * g[1])) < 1e-10);
        QVERIFY(g[1] * g[1] > 0.01); // not a trivial zero
    }

    void guidanceAndErrors()
    {
        auto ds = data::loadIdxFolder(kData + "/mnist-10k");
        auto split = data::makeSplit(ds, 0, 500);
        std::vector<float> masks;
        data::applyDecoy(ds, split.test, 0, &masks);
        auto cfg = mlp5030(ds);
        auto tc = trainCfg(1);
        const auto g = train::lambdaGuidance(ds, split, cfg, tc, masks);
        QCOMPARE(g.rows, int64_t(64));
        // An untrained 10-class model: CE close to log 10.
        QVERIFY2(std::abs(g.ce - std::log(10.0)) < 0.3, qPrintable(QString::number(g.ce)));
        QVERIFY(g.penalty > 0);
        QVERIFY(g.suggestedLambda > 0);
        QVERIFY(std::abs(std::log10(g.suggestedLambda * g.penalty / g.ce)) < 0.5); // same order
        qInfo("λ₁ guidance (784-50-30-10, decoy mask): CE %.3f, rrr %.3g, suggested λ₁ %g",
              g.ce, g.penalty, g.suggestedLambda);
        // An all-zero mask: no suggestion, and the text says why.
        const auto none = train::lambdaGuidance(ds, split, cfg, tc,
                                                std::vector<float>(masks.size(), 0.0f));
        QCOMPARE(none.suggestedLambda, 0.0);
        QVERIFY(!none.text.empty());
        // Bad input: clear errors.
        QVERIFY_THROWS_EXCEPTION(senn::Error, train::lambdaGuidance(ds, split, cfg, tc, {1.0f}));
        auto rrrCfg = cfg;
        rrrCfg.rrrLambda = 1;
        QVERIFY_THROWS_EXCEPTION(senn::Error, train::train(ds, split, rrrCfg, tc, train::TrainOptions{}));
        train::FindAnotherOptions fo;
        fo.rounds = 2;
        QVERIFY_THROWS_EXCEPTION(senn::Error, train::findAnotherExplanation(ds, split, cfg, tc, fo));
    }

    // rrr.md "Decoy MNIST": the paper's plain MLP scores 0.997 on the decoyed training split
    // and 0.516 on the decoyed test split; with the mask it matches a clean model (0.961).
    void decoyMnistReproduction()
    {
        auto clean = data::loadIdxFolder(kData + "/mnist-10k");
        const auto split = data::makeSplit(clean, 0, kRows);
        auto decoy = clean;
        std::vector<float> masks;
        data::applyDecoy(decoy, split.test, 0, &masks);
        const auto cfg = mlp5030(clean);
        const auto tc = trainCfg(kEpochs);

        auto cleanRun = train::train(clean, split, cfg, tc);
        auto plainRun = train::train(decoy, split, cfg, tc);
        auto rrrCfg = cfg;
        rrrCfg.rrrLambda = kLambda;
        rrrCfg.rrrMask = "decoy";
        train::TrainOptions to;
        to.masks = &masks;
        double firstRrr = -1, lastRrr = -1;
        to.onBatch = [&](const train::BatchReport& r) {
            if (r.epochEnd)
                return;
            if (firstRrr < 0)
                firstRrr = r.rrr;
            lastRrr = r.rrr;
        };
        auto rrrRun = train::train(decoy, split, rrrCfg, tc, to);

        auto acc = [&](const train::TrainResult& r, const data::Dataset& d, const char* part) {
            return train::evaluate(r.model, d, split.byName(part), part).accuracy;
        };
        const double cleanTest = acc(cleanRun, clean, "test");
        const double plainTrain = acc(plainRun, decoy, "train"), plainTest = acc(plainRun, decoy, "test");
        const double rrrTrain = acc(rrrRun, decoy, "train"), rrrTest = acc(rrrRun, decoy, "test");
        qInfo("Decoy MNIST, %lld rows x %d epochs, MLP 784-50-30-10: clean test %.4f; decoy plain "
              "train %.4f test %.4f; decoy RRR (λ₁ = %g) train %.4f test %.4f; rrr term %.3g -> %.3g",
              static_cast<long long>(kRows), kEpochs, cleanTest, plainTrain, plainTest, kLambda,
              rrrTrain, rrrTest, firstRrr, lastRrr);
        // The plain model learns the decoy: near-perfect on training rows, far worse on test.
        QVERIFY2(plainTrain >= 0.97, qPrintable(QString::number(plainTrain)));
        QVERIFY2(plainTest <= cleanTest - 0.2, qPrintable(QString::number(plainTest)));
        // The bar: RRR within 3 points of the same model trained on clean digits.
        QVERIFY2(rrrTest >= cleanTest - 0.03,
                 qPrintable(QString("RRR %1 vs clean %2").arg(rrrTest).arg(cleanTest)));
        QVERIFY(firstRrr >= 0 && lastRrr > 0); // the rrr term is reported with every batch
        // Its input gradients stay off the patches: little gradient mass on the masked pixels.
        std::vector<int64_t> rows(split.test.begin(), split.test.begin() + 50);
        const size_t d = static_cast<size_t>(decoy.featureCount());
        std::vector<float> testMask;
        for (int64_t r : rows)
            testMask.insert(testMask.end(), masks.begin() + r * int64_t(d), masks.begin() + (r + 1) * int64_t(d));
        const double inPlain = massInside(train::inputGradients(plainRun.model, decoy, rows), testMask);
        const double inRrr = massInside(train::inputGradients(rrrRun.model, decoy, rows), testMask);
        qInfo("gradient mass on the decoy patches (16 of 784 pixels): plain %.3f, RRR %.4f", inPlain, inRrr);
        QVERIFY(inRrr < 0.1 * inPlain);
    }

    void findAnotherExplanationRounds()
    {
        auto ds = data::loadIdxFolder(kData + "/mnist-10k");
        const auto split = data::makeSplit(ds, 0, 1500);
        auto cfg = mlp5030(ds);
        cfg.rrrLambda = kLambda;
        const auto tc = trainCfg(4);
        train::FindAnotherOptions fo;
        fo.rounds = 2;
        fo.showRows.assign(split.train.begin(), split.train.begin() + 40);
        int reported = 0;
        fo.onRound = [&](const train::ExplanationRound& r) { QCOMPARE(r.round, ++reported); };
        const auto rounds = train::findAnotherExplanation(ds, split, cfg, tc, fo);
        QCOMPARE(int(rounds.size()), 2);
        QCOMPARE(reported, 2);
        const auto& r1 = rounds[0];
        const auto& r2 = rounds[1];
        QCOMPARE(r1.maskCoverage, 0.0);
        QVERIFY(std::all_of(r1.mask.begin(), r1.mask.end(), [](float v) { return v == 0.0f; }));
        // The 0.67-of-max rule marks a few percent of the pixels (rrr.md: about the top 2%).
        QVERIFY2(r2.maskCoverage > 0.002 && r2.maskCoverage < 0.1, qPrintable(QString::number(r2.maskCoverage)));
        QCOMPARE(r2.gradients.size(), size_t(40 * 784));
        // Known answer: round 2 was trained to keep its gradient off round 1's mask.
        const double in1 = massInside(r1.gradients, r2.mask);
        const double in2 = massInside(r2.gradients, r2.mask);
        qInfo("find another explanation: test accuracy %.4f -> %.4f, mask coverage %.4f, gradient "
              "mass inside round 1's mask: round 1 %.3f, round 2 %.4f",
              r1.testAccuracy, r2.testAccuracy, r2.maskCoverage, in1, in2);
        QVERIFY(in2 < 0.25 * in1);
        QVERIFY(r2.testAccuracy > 0.5); // another explanation, still a working classifier
        // Thresholded maps (visualisation rule) keep only |g| > 10% of each map's max.
        const auto shown = train::thresholdGradients(r2.gradients, 784);
        QCOMPARE(shown.size(), r2.gradients.size());
        QVERIFY(std::count(shown.begin(), shown.end(), 0.0f) > std::count(r2.gradients.begin(), r2.gradients.end(), 0.0f));
    }
};

QTEST_GUILESS_MAIN(TestRrr)
#include "test_rrr.moc"
