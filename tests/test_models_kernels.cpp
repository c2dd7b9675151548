// The fast kernels under the networks' layers (core/models/kernels.h) against LibTorch: 2x2 max
// pooling bit for bit with its first and second derivatives, SENN's sum aggregator against the
// float64 sum, tanh within 3 ulp of the float64 tanh in both SIMD kernels.
#include "core/torch_include.h"

#include "core/models/kernels.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace senn;

class TestModelsKernels : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { at::set_num_threads(2); }

    // max_pool2d's values bit for bit (ties everywhere, a NaN), its gradient and its double
    // backward through a nonlinearity, on even and odd plane sizes.
    void maxPoolFastPathIsExact()
    {
        namespace F = torch::nn::functional;
        auto gen = at::detail::createCPUGenerator(5);
        for (const auto& shape : std::vector<std::vector<int64_t>>{{3, 4, 24, 24}, {2, 5, 9, 7}}) {
            auto x = torch::randn(shape, gen);
            x.narrow(0, 0, 1).fill_(0.25f);          // ties everywhere, as on MNIST's background
            x.index_put_({1, 2, 3, 4}, std::nanf("")); // NaN wins its window, as in max_pool2d
            torch::Tensor want, got;
            {
                torch::NoGradGuard ng;
                want = F::max_pool2d(x, F::MaxPool2dFuncOptions(2));
                got = models::maxPool2x2(x);
            }
            QCOMPARE(got.sizes(), want.sizes());
            QVERIFY(torch::equal(got.isnan(), want.isnan()));
            QVERIFY(std::isnan(got.index({1, 2, 1, 2}).item<float>()));
            QVERIFY(torch::equal(torch::nan_to_num(got), torch::nan_to_num(want)));
            // Under autograd: max_pool2d's gradient (one winner per window, ties included).
            auto w = torch::randn(want.sizes(), gen);
            auto xa = x.nan_to_num().requires_grad_(true), xb = x.nan_to_num().requires_grad_(true);
            auto ga = torch::autograd::grad({(models::maxPool2x2(xa) * w).sum()}, {xa})[0];
            auto gb = torch::autograd::grad({(F::max_pool2d(xb, F::MaxPool2dFuncOptions(2)) * w).sum()}, {xb})[0];
            QVERIFY(torch::equal(ga, gb));
            // Second order (the robustness penalty's double backward): the same Hessian-vector
            // product through a nonlinearity before the pooling.
            auto ha = xa.detach().clone().requires_grad_(true), hb = xb.detach().clone().requires_grad_(true);
            auto gha = torch::autograd::grad({(models::maxPool2x2(ha * ha) * w).sum()}, {ha}, {}, true, true)[0];
            auto ghb = torch::autograd::grad({(F::max_pool2d(hb * hb, F::MaxPool2dFuncOptions(2)) * w).sum()}, {hb}, {},
                                             true, true)[0];
            QVERIFY(torch::equal(gha, ghb));
            auto hva = torch::autograd::grad({gha.pow(2).sum()}, {ha})[0];
            auto hvb = torch::autograd::grad({ghb.pow(2).sum()}, {hb})[0];
            QVERIFY(torch::allclose(hva, hvb, 1e-6, 1e-6));
            QVERIFY(hva.abs().sum().item<double>() > 0);
        }
    }

    // SENN's sum aggregator without autograd is a float32 loop: against the same sum in float64
    // for every class count it handles (1-16; 1, 2 and 4 in SIMD lanes) and one it hands to bmm
    // (17), concept counts that fill the lanes or leave a tail, row counts that are
    // no multiple of the rows it takes at once, a non-contiguous θ; NaN in θ reaches only its
    // own row's logits; under autograd it is bmm, gradient included.
    void sumAggregateIsTheSum()
    {
        torch::manual_seed(5);
        for (int64_t c = 1; c <= 17; ++c)
            for (int64_t k : {1, 3, 8, 31}) // 4-lane steps: none, partial, whole, and a tail
                for (int64_t n : {1, 3, 4, 7, 1001}) {
                    auto h = torch::randn({n, k});
                    auto theta = torch::randn({n, c, k}).transpose(1, 2); // strided
                    auto z = models::sumAggregate(h, theta);
                    auto ref = (h.to(torch::kFloat64).unsqueeze(2) * theta.to(torch::kFloat64)).sum(1);
                    QCOMPARE(z.sizes().vec(), (std::vector<int64_t>{n, c}));
                    QVERIFY2(torch::allclose(z.to(torch::kFloat64), ref, 1e-5, 1e-5),
                             qPrintable(QString("C %1, k %2, N %3").arg(c).arg(k).arg(n)));
                }
        auto h = torch::randn({6, 4});
        auto theta = torch::randn({6, 4, 2});
        theta[2][1][0] = std::numeric_limits<float>::quiet_NaN();
        auto z = models::sumAggregate(h, theta);
        QVERIFY(std::isnan(z[2][0].item<float>()));
        QCOMPARE(int(torch::isnan(z).sum().item<int64_t>()), 1);
        // Autograd: bmm's values and gradients.
        auto hg = torch::randn({5, 3}, torch::requires_grad()), tg = torch::randn({5, 3, 2}, torch::requires_grad());
        auto zg = models::sumAggregate(hg, tg);
        QVERIFY(zg.requires_grad());
        auto gh = torch::autograd::grad({zg.sum()}, {hg})[0];
        QVERIFY(torch::allclose(gh, tg.sum(2).detach()));
    }

    // The activations' tanh without autograd: within 3 ulp of the float64 tanh everywhere (a
    // dense grid over [-20, 20], the tiny, huge and special values), NaN stays NaN, -0 stays -0,
    // a length that is no multiple of 4 and a strided input give the same values; under
    // autograd it is LibTorch's tanh, gradient included.
    void tanhActivationIsTanh()
    {
        std::vector<float> xs;
        for (int i = -400000; i <= 400000; ++i)
            xs.push_back(float(i) * 5e-5f);
        for (float v : {1e-30f, 1e-20f, 1e-8f, 3e-4f, 0.3465f, 0.3466f, 8.99f, 9.0f, 9.01f, 30.0f, 1e30f,
                        std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max()}) {
            xs.push_back(v);
            xs.push_back(-v);
        }
        xs.push_back(11.0f); // an odd count: the last values take the tail path
        auto x = torch::tensor(xs);
        torch::Tensor y;
        {
            torch::NoGradGuard ng;
            y = models::tanhActivation(x);
        }
        auto worstUlp = [&](const float* py) {
            double worst = 0;
            for (size_t i = 0; i < xs.size(); ++i) {
                const double want = std::tanh(double(xs[i]));
                const float wf = float(want);
                const double ulp = std::nextafter(std::fabs(wf), 2.0f) - std::fabs(wf);
                worst = std::max(worst, std::fabs(double(py[i]) - want) / ulp);
            }
            return worst;
        };
        // Both kernels: SSE2 (every x86-64) and AVX2 with FMA (where the CPU has them).
        std::vector<float> sse(xs.size());
        models::detail::tanhValues(xs.data(), sse.data(), int64_t(xs.size()), false);
        const double worstTensor = worstUlp(y.data_ptr<float>()), worstSse = worstUlp(sse.data());
        qInfo("tanhActivation: worst error %.2f ulp (%s), SSE2 kernel %.2f ulp, over %zu values", worstTensor,
              models::detail::tanhHasAvx2() ? "AVX2" : "SSE2", worstSse, xs.size());
        // The bound: ~1 ulp from the polynomial, 0.5 from 2^k - 1, 1.5 from the quotient of two
        // rounded values (measured: 2.48 with SSE2).
        QVERIFY2(worstTensor <= 3.0, qPrintable(QString::number(worstTensor)));
        QVERIFY2(worstSse <= 3.0, qPrintable(QString::number(worstSse)));
        for (bool avx2 : {false, true}) {
            const float in[5] = {std::nanf(""), INFINITY, -INFINITY, -0.0f, 0.0f};
            float special[5];
            models::detail::tanhValues(in, special, 5, avx2);
            QVERIFY(std::isnan(special[0]));
            QCOMPARE(special[1], 1.0f);
            QCOMPARE(special[2], -1.0f);
            QVERIFY(std::signbit(special[3]) && special[3] == 0.0f);
            QVERIFY(!std::signbit(special[4]));
        }
        {
            torch::NoGradGuard ng;
            auto strided = x.slice(0, 1, 1001, 3); // a non-contiguous view
            QVERIFY(torch::equal(models::tanhActivation(strided), y.slice(0, 1, 1001, 3)));
        }
        auto xa = x.slice(0, 0, 1000).clone().requires_grad_(true);
        auto ya = models::tanhActivation(xa);
        QVERIFY(torch::equal(ya, torch::tanh(xa)));
        auto g = torch::autograd::grad({ya.sum()}, {xa})[0];
        QVERIFY(torch::allclose(g, 1 - torch::tanh(xa.detach()).pow(2), 1e-6, 1e-7));
    }
};

QTEST_GUILESS_MAIN(TestModelsKernels)
#include "test_models_kernels.moc"
