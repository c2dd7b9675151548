// SENN's robustness penalty against a finite-difference computation of its definition
// (senn.md): R(x) = || ∇_x f(x) - θ(x)ᵀ J_x h(x) ||_F, for identity and learned concepts; the
// fast mode's unbiasedness for R²; and R = 0 when θ is constant.
#include "core/torch_include.h"

#include "core/models/torch_model.h"
#include "core/train/robustness.h"
#include "core/train/trainer.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace senn;

namespace {

// A small in-memory tabular dataset: d features, C classes, n rows.
data::Dataset tinyData(int64_t n, int64_t d, int64_t classes, uint64_t seed)
{
    data::Dataset ds;
    ds.kind = data::DataKind::Tabular;
    ds.sampleShape = {d};
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.0f, 1.0f);
    for (int64_t i = 0; i < n * d; ++i)
        ds.x.push_back(2.0f + 3.0f * g(rng));
    for (int64_t i = 0; i < n; ++i)
        ds.y.push_back(i % classes);
    for (int64_t c = 0; c < classes; ++c)
        ds.classNames.push_back("c" + std::to_string(c));
    for (int64_t j = 0; j < d; ++j)
        ds.featureNames.push_back("f" + std::to_string(j));
    ds.source = "tiny";
    return ds;
}

std::shared_ptr<models::TorchModel> tinySenn(models::ConceptKind concepts, bool bias = false)
{
    torch::manual_seed(7);
    auto ds = tinyData(40, 4, 3, 1);
    auto split = data::makeSplit(ds, 0);
    auto cfg = models::ModelConfig::defaultsFor(ds.kind, models::ModelKind::Senn, ds.featureCount());
    cfg.concepts = concepts;
    cfg.k = 3;
    cfg.biasConcept = bias;
    cfg.hidden = {8, 6};
    auto model = train::buildModel(ds, split, cfg, models::TrainConfig::defaultsFor(ds.kind));
    auto impl = std::dynamic_pointer_cast<models::TorchModel>(model.impl());
    impl->setTraining(false);
    // Double precision so central differences are accurate to ~1e-8.
    for (auto& p : impl->parameters())
        p.set_data(p.data().to(torch::kFloat64));
    return impl;
}

// || ∇f - θᵀ J_h ||_F of one sample by central differences of f and h.
double finiteDifferencePenalty(models::TorchModel& m, const torch::Tensor& x1)
{
    torch::NoGradGuard noGrad;
    const int64_t d = x1.size(1);
    auto out = m.sennStd(x1);
    const int64_t k = out.theta.size(1), classes = out.theta.size(2);
    auto theta = out.theta[0]; // k x C
    auto jf = torch::zeros({classes, d}, torch::kFloat64);
    auto jh = torch::zeros({k, d}, torch::kFloat64);
    const double eps = 1e-5;
    for (int64_t j = 0; j < d; ++j) {
        auto xp = x1.clone(), xm = x1.clone();
        xp[0][j] += eps;
        xm[0][j] -= eps;
        auto op = m.sennStd(xp), om = m.sennStd(xm);
        jf.select(1, j).copy_((op.logits[0] - om.logits[0]) / (2 * eps));
        jh.select(1, j).copy_((op.h[0] - om.h[0]) / (2 * eps));
    }
    auto diff = jf - theta.transpose(0, 1).matmul(jh); // C x d
    return diff.pow(2).sum().sqrt().item<double>();
}

torch::Tensor someInputs(int64_t n, int64_t d)
{
    torch::manual_seed(3);
    return torch::randn({n, d}, torch::kFloat64);
}

} // namespace

class TestModelsPenalty : public QObject {
    Q_OBJECT
private:
    void checkExactAgainstFiniteDifferences(models::ConceptKind concepts, bool bias)
    {
        auto m = tinySenn(concepts, bias);
        auto x = someInputs(5, 4).requires_grad_(true);
        auto out = m->sennStd(x);
        auto r = train::robustnessPenalty(out, x, models::PenaltyMode::Exact, 1, false);
        QCOMPARE(r.size(0), 5);
        for (int64_t i = 0; i < 5; ++i) {
            const double fd = finiteDifferencePenalty(*m, x.detach()[i].unsqueeze(0));
            const double ours = r[i].item<double>();
            QVERIFY2(fd > 1e-3, "the test needs a non-trivial penalty");
            QVERIFY2(std::abs(ours - fd) <= 1e-3 * fd,
                     qPrintable(QString("sample %1: autograd %2 vs finite differences %3")
                                    .arg(i).arg(ours, 0, 'g', 10).arg(fd, 0, 'g', 10)));
        }
    }

private slots:
    void exactMatchesFiniteDifferencesIdentity()
    {
        checkExactAgainstFiniteDifferences(models::ConceptKind::Identity, false);
    }
    void exactMatchesFiniteDifferencesIdentityWithBias()
    {
        checkExactAgainstFiniteDifferences(models::ConceptKind::Identity, true);
    }
    void exactMatchesFiniteDifferencesAutoencoder()
    {
        checkExactAgainstFiniteDifferences(models::ConceptKind::Autoencoder, false);
    }

    void fastIsUnbiasedForTheSquaredNorm()
    {
        for (auto concepts : {models::ConceptKind::Identity, models::ConceptKind::Autoencoder}) {
            auto m = tinySenn(concepts);
            auto x = someInputs(6, 4).requires_grad_(true);
            auto out = m->sennStd(x);
            auto exact = train::robustnessPenalty(out, x, models::PenaltyMode::Exact, 1, false);
            torch::manual_seed(11);
            auto fast = train::robustnessPenalty(out, x, models::PenaltyMode::Fast, 4000, false);
            const double want = exact.pow(2).mean().item<double>();
            const double got = fast.mean().item<double>();
            QVERIFY2(std::abs(got - want) <= 0.05 * want,
                     qPrintable(QString("fast mean %1 vs exact squared %2").arg(got).arg(want)));
            // A single draw is not the answer (it is an estimate): it must differ somewhere.
            torch::manual_seed(12);
            auto one = train::robustnessPenalty(out, x, models::PenaltyMode::Fast, 1, false);
            QVERIFY(!torch::allclose(one, exact.pow(2), 1e-3, 0));
        }
    }

    void constantThetaHasZeroPenalty()
    {
        auto m = tinySenn(models::ConceptKind::Identity);
        auto x = someInputs(5, 4).requires_grad_(true);
        auto before = train::robustnessPenalty(*m, x, models::PenaltyMode::Exact, 1, false);
        QVERIFY(before.min().item<double>() > 1e-3);
        {
            torch::NoGradGuard noGrad;
            for (auto& p : m->parameters())
                if (p.dim() >= 2) // weights; biases stay, so θ is a non-zero constant
                    p.zero_();
        }
        auto out = m->sennStd(x);
        QVERIFY(out.theta.abs().max().item<double>() > 1e-3);
        auto after = train::robustnessPenalty(out, x, models::PenaltyMode::Exact, 1, false);
        QVERIFY2(after.max().item<double>() < 1e-8, qPrintable(QString::number(after.max().item<double>())));
        torch::manual_seed(1);
        auto fast = train::robustnessPenalty(out, x, models::PenaltyMode::Fast, 3, false);
        QVERIFY(fast.max().item<double>() < 1e-12);
    }

    void penaltyTrainsBothNetworks()
    {
        // With createGraph the penalty's gradient reaches the conceptizer too (h not detached).
        auto m = tinySenn(models::ConceptKind::Autoencoder);
        auto x = someInputs(4, 4).requires_grad_(true);
        auto out = m->sennStd(x);
        auto r = train::robustnessPenalty(out, x, models::PenaltyMode::Exact, 1, true).mean();
        auto params = m->parameters();
        auto grads = torch::autograd::grad({r}, params, {}, false, false, true);
        double encoderGrad = 0, total = 0;
        for (size_t i = 0; i < grads.size(); ++i)
            if (grads[i].defined())
                total += grads[i].abs().sum().item<double>();
        // The encoder's first layer (4 -> 64) is the only 64x4 weight in this net.
        for (size_t i = 0; i < params.size(); ++i)
            if (params[i].dim() == 2 && params[i].size(0) == 64 && params[i].size(1) == 4 && grads[i].defined())
                encoderGrad += grads[i].abs().sum().item<double>();
        QVERIFY(total > 0);
        QVERIFY2(encoderGrad > 0, "the penalty must train the conceptizer (h passed undetached)");
    }
};

QTEST_GUILESS_MAIN(TestModelsPenalty)
#include "test_models_penalty.moc"
