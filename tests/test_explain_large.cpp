// Explainers and metrics on inputs the size of colour photos must stay within memory: every
// method and measure on a small convolutional network over 64x64 RGB images runs in a child
// process whose address space is capped; chunked occlusion gives the direct loop's answer;
// the ridge surrogate's dual form equals the primal; a budget too small is refused up front.
#include "support/explain_test_models.h"
#include "core/common/error.h"
#include "core/explain/explain_internal.h"
#include "core/metrics/metrics.h"

#include <QtTest>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace senn;
using explain::Method;

class TestExplainLarge : public QObject {
    Q_OBJECT
private slots:
    void everyMethodFitsUnderAnAddressSpaceLimit();
    void occlusionChunkedEqualsTheDirectLoop();
    void occlusionWindowScalesWithTheImage();
    void ridgeDualFormEqualsThePrimal();
    void tooSmallABudgetIsRefused();
    void chunkedExplanationGradientEqualsTheWholeGraph();
};

namespace {

models::ModelMeta imageMeta(int64_t c, int64_t h, int64_t w)
{
    models::ModelMeta m;
    m.dataKind = data::DataKind::Image;
    m.inputShape = {c, h, w};
    m.classNames = {"no", "yes"};
    return m;
}

struct ImageFixture {
    data::Dataset data;
    data::Split split;
    explain::ExplainContext ctx;
};

// n images in [0, 1]: smooth gradients plus noise, so SLIC finds regions; 3 in 4 train.
std::unique_ptr<ImageFixture> makeImages(int64_t n, int64_t c, int64_t h, int64_t w, uint64_t seed)
{
    auto f = std::make_unique<ImageFixture>();
    f->data.kind = data::DataKind::Image;
    f->data.sampleShape = {c, h, w};
    f->data.classNames = {"no", "yes"};
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int64_t i = 0; i < n; ++i) {
        const double a = u(rng), b = u(rng);
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t r = 0; r < h; ++r)
                for (int64_t q = 0; q < w; ++q)
                    f->data.x.push_back(float(std::clamp(
                        0.5 + 0.3 * std::sin(a * 6 * double(r) / double(h) + double(ch)) * std::cos(b * 6 * double(q) / double(w)) +
                            0.1 * (u(rng) - 0.5),
                        0.0, 1.0)));
        f->data.y.push_back(i % 2);
    }
    for (int64_t i = 0; i < n; ++i)
        (i < n * 3 / 4 ? f->split.train : f->split.test).push_back(i);
    f->ctx = explain::ExplainContext::make(f->data, f->split);
    return f;
}

// A small CNN on [3, 64, 64]: two strided convolutions, ReLU, global average pool, 2 logits.
// Plain torch ops, so autograd and double backward (the Lipschitz ascent) work.
models::Model smallCnn(int64_t side)
{
    torch::manual_seed(3);
    auto w1 = torch::randn({8, 3, 5, 5}) * 0.2, b1 = torch::randn({8}) * 0.1;
    auto w2 = torch::randn({8, 8, 3, 3}) * 0.2, b2 = torch::randn({8}) * 0.1;
    auto w3 = torch::randn({2, 8}), b3 = torch::randn({2}) * 0.1;
    return models::Model(std::make_shared<testing::FunctionModel>(
        imageMeta(3, side, side), [=](const torch::Tensor& x) {
            auto z = x.reshape({x.size(0), 3, side, side});
            z = torch::relu(torch::conv2d(z, w1, b1, 2));
            z = torch::relu(torch::conv2d(z, w2, b2, 2));
            return torch::matmul(z.mean({2, 3}), w3.t()) + b3;
        }));
}

int64_t vmBytes()
{
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    long long kb = 0;
    while (std::fgets(line, sizeof line, f))
        if (std::sscanf(line, "VmSize: %lld kB", &kb) == 1)
            break;
    std::fclose(f);
    return int64_t(kb) * 1024;
}

} // namespace

void TestExplainLarge::everyMethodFitsUnderAnAddressSpaceLimit()
{
    // The child caps its address space at its own size after a warm-up (LibTorch's mapping,
    // the thread stacks and arenas a forward and a backward create) plus 768 MB. A 64x64 RGB
    // input has d = 12,288 values. What materialising everything took, against that cap:
    //   removal correlation's d x d float64 identity: 12,288² x 8 B = 1.21 GB, and two more
    //   d x d temporaries beside it;
    //   KernelSHAP per value: 26,624 coalitions x 12,288 x 8 B = 2.6 GB of masks, 1.2 GB of
    //   normal equations;
    //   occlusion with a 1-pixel window: 4,096 masked rows x 12,288 x 4 B = 201 MB per tensor,
    //   five of them alive (masks, both products, the sum, the concatenation) = 1.0 GB.
    // Chunked, each model call holds at most 21 rows (1 MB of input); the largest tensors left
    // are LIME's sample matrix and the superpixel coalitions, a few MB.
#if defined(__SANITIZE_ADDRESS__)
    QSKIP("AddressSanitizer reserves its shadow memory in the address space RLIMIT_AS caps");
#endif
    int fds[2];
    QVERIFY(pipe(fds) == 0);
    const pid_t pid = fork();
    QVERIFY(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        std::string msg = "ok";
        int rc = 0;
        try {
            at::set_num_threads(1);
            auto fx = makeImages(24, 3, 64, 64, 5);
            auto model = smallCnn(64);
            const float* x = fx->data.row(fx->split.test[0]);
            explain::ExplainOptions o;
            o.memoryBudget = int64_t(256) << 20;
            o.seed = 1;
            explain::explain(Method::Saliency, model, fx->ctx, x, o); // warm-up
            explain::explain(Method::Lime, model, fx->ctx, x, [&] { auto p = o; p.samples = 20; return p; }());
            const int64_t base = vmBytes();
            rlimit lim{};
            lim.rlim_cur = lim.rlim_max = rlim_t(base + (int64_t(768) << 20));
            if (base <= 0 || setrlimit(RLIMIT_AS, &lim) != 0)
                throw Error("could not read VmSize or set RLIMIT_AS");
            for (Method m : explain::allMethods()) {
                if (m == Method::Senn || m == Method::Flint)
                    continue; // need their own model kinds
                auto p = o;
                if (m == Method::KernelShap || m == Method::Lime)
                    p.samples = 300;
                if (m == Method::Shapley)
                    p.permutations = 4;
                if (m == Method::Occlusion)
                    p.occlusionWindow = p.occlusionStride = 1;
                auto e = explain::explain(m, model, fx->ctx, x, p);
                if (e.values.size() != size_t(3 * 64 * 64))
                    throw Error(explain::methodId(m) + ": wrong value count");
                for (float v : e.values)
                    if (!std::isfinite(v))
                        throw Error(explain::methodId(m) + ": non-finite value");
                auto r = metrics::removalCorrelation(model, fx->ctx, x, e, {});
                if (r.patch <= 0 || r.drops.size() != r.attributions.size() || r.curve.empty())
                    throw Error(explain::methodId(m) + ": removal should run over patches");
                metrics::faithfulnessCorrelation(model, x, e, fx->ctx.stats.mean, 20, 0.2, 1);
                metrics::infidelity(model, x, e, 0.003, 5, 1);
            }
            metrics::LipschitzOptions lo;
            lo.eps = 0.1;
            lo.draws = 3;
            lo.ascentSteps = 1;
            auto io = o;
            io.igSteps = 10;
            for (Method m : {Method::Saliency, Method::IntegratedGradients, Method::Occlusion})
                metrics::localLipschitz(m, model, fx->ctx, x, io, lo);
            metrics::FaithfulnessOptions fo;
            fo.threads = 1;
            auto fr = metrics::faithfulness({Method::GradInput, Method::Occlusion}, model, fx->ctx,
                                            {fx->split.test[1]}, [&] { auto so = o; so.seed = 2; return so; }(), fo);
            if (fr.methods.at("occlusion").pointsDone != 1)
                throw Error("faithfulness did not finish its point");
        } catch (const std::exception& ex) {
            msg = ex.what();
            rc = 1;
        }
        const ssize_t wrote = write(fds[1], msg.data(), msg.size());
        (void)wrote;
        close(fds[1]);
        _exit(rc);
    }
    close(fds[1]);
    std::string msg;
    char buf[4096];
    ssize_t n = 0;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
        msg.append(buf, size_t(n));
    close(fds[0]);
    int status = 0;
    QVERIFY(waitpid(pid, &status, 0) == pid);
    QVERIFY2(WIFEXITED(status), qPrintable(QString("child killed by signal %1").arg(WTERMSIG(status))));
    QVERIFY2(WEXITSTATUS(status) == 0, msg.c_str());
    QCOMPARE(QString::fromStdString(msg), QString("ok"));
}

void TestExplainLarge::occlusionChunkedEqualsTheDirectLoop()
{
    // Target logit wᵀx: a window's drop is Σ_window w_k (x_k − b_k), and each value's
    // attribution the mean drop over the windows covering it (0 where none does).
    const int64_t C = 3, H = 9, W = 10, d = C * H * W;
    auto fx = makeImages(12, C, H, W, 7);
    torch::manual_seed(2);
    auto w = torch::randn({d}, torch::kFloat64);
    models::Model model(std::make_shared<testing::FunctionModel>(imageMeta(C, H, W), [w](const torch::Tensor& x) {
        auto z = torch::matmul(x.to(torch::kFloat64), w).to(torch::kFloat32);
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
    const float* x = fx->data.row(fx->split.test[0]);
    const auto& b = fx->ctx.stats.mean;
    const int64_t win = 3, st = 2;
    std::vector<double> sum(size_t(d), 0.0), cnt(size_t(d), 0.0);
    for (int64_t r0 = 0; r0 + win <= H; r0 += st)
        for (int64_t q0 = 0; q0 + win <= W; q0 += st) {
            double drop = 0;
            for (int64_t c = 0; c < C; ++c)
                for (int64_t r = r0; r < r0 + win; ++r)
                    for (int64_t q = q0; q < q0 + win; ++q) {
                        const int64_t k = (c * H + r) * W + q;
                        drop += w[k].item<double>() * (double(x[k]) - double(b[size_t(k)]));
                    }
            for (int64_t c = 0; c < C; ++c)
                for (int64_t r = r0; r < r0 + win; ++r)
                    for (int64_t q = q0; q < q0 + win; ++q) {
                        const int64_t k = (c * H + r) * W + q;
                        sum[size_t(k)] += drop;
                        cnt[size_t(k)] += 1;
                    }
        }
    explain::ExplainOptions o;
    o.occlusionWindow = int(win);
    o.occlusionStride = int(st);
    o.output = explain::Output::Logit;
    o.target = 1;
    for (int64_t chunk : {int64_t(1), int64_t(3), int64_t(100000)}) {
        o.chunkRows = chunk;
        int reports = 0;
        auto e = explain::explain(Method::Occlusion, model, fx->ctx, x, o, [&](const jobs::Progress&) { ++reports; });
        QCOMPARE(e.values.size(), size_t(d));
        QCOMPARE(e.diagnostics.at("windows"), double(4 * 4));
        QCOMPARE(e.modelRows, int64_t(4 * 4 + 1));
        if (chunk == 1)
            QVERIFY(reports >= 16); // one progress report per chunk
        for (int64_t k = 0; k < d; ++k) {
            const double want = cnt[size_t(k)] > 0 ? sum[size_t(k)] / cnt[size_t(k)] : 0.0;
            QVERIFY2(std::fabs(e.values[size_t(k)] - want) <= 1e-4 * (1 + std::fabs(want)),
                     qPrintable(QString("chunk %1 value %2: %3 vs %4").arg(chunk).arg(k).arg(e.values[size_t(k)]).arg(want)));
        }
    }
}

void TestExplainLarge::occlusionWindowScalesWithTheImage()
{
    explain::ExplainOptions o; // 0 and 0: from the image
    int64_t win = 0, st = 0;
    explain::occlusionGeometry(28, 28, o, win, st);
    QCOMPARE(win, int64_t(4)); // MNIST keeps its 4-pixel window and stride 2
    QCOMPARE(st, int64_t(2));
    explain::occlusionGeometry(224, 224, o, win, st);
    QCOMPARE(win, int64_t(32));
    QCOMPARE(st, int64_t(16)); // 13 x 13 = 169 windows, not 12,321
    o.occlusionWindow = 6;
    o.occlusionStride = 3;
    explain::occlusionGeometry(224, 224, o, win, st);
    QCOMPARE(win, int64_t(6));
    QCOMPARE(st, int64_t(3));
}

void TestExplainLarge::ridgeDualFormEqualsThePrimal()
{
    // More columns than rows: the fit goes through the n x n dual system; the primal normal
    // equations (p x p, fine at this size) must give the same coefficients and R².
    const int64_t n = 40, p = 90;
    auto gen = explain::detail::makeGenerator(4);
    auto X = torch::randn({n, p}, gen, torch::kFloat64);
    auto Xb = (torch::rand({n, p}, gen, torch::kFloat64) < 0.5).to(torch::kFloat64);
    auto y = torch::randn({n}, gen, torch::kFloat64);
    auto wt = torch::rand({n}, gen, torch::kFloat64) + 0.1;
    for (int variant = 0; variant < 2; ++variant) {
        const auto& A = variant == 0 ? X : Xb;
        auto fit = variant == 0 ? explain::detail::weightedRidge(A, y, wt, 1.0)
                                : explain::detail::weightedRidgeIndicators(A, y, wt, 1.0);
        const double sw = wt.sum().item<double>();
        auto xm = (A * wt.unsqueeze(1)).sum(0) / sw;
        const double ym = (y * wt).sum().item<double>() / sw;
        auto Xc = A - xm;
        auto yc = y - ym;
        auto G = torch::matmul(Xc.t(), Xc * wt.unsqueeze(1)) + torch::eye(p, torch::kFloat64);
        auto beta = torch::linalg::solve(G, torch::matmul((Xc * wt.unsqueeze(1)).t(), yc).unsqueeze(1), true).squeeze(1);
        const double diff = (fit.coef - beta).abs().max().item<double>();
        QVERIFY2(diff < 1e-9, qPrintable(QString("variant %1: %2").arg(variant).arg(diff)));
        QVERIFY(std::fabs(fit.intercept - (ym - (xm * beta).sum().item<double>())) < 1e-9);
        auto res = y - (torch::matmul(A, beta) + (ym - (xm * beta).sum().item<double>()));
        const double r2 = 1 - (wt * res.pow(2)).sum().item<double>() / (wt * yc.pow(2)).sum().item<double>();
        QVERIFY2(std::fabs(fit.r2 - r2) < 1e-9, qPrintable(QString("%1 vs %2").arg(fit.r2).arg(r2)));
    }
}

void TestExplainLarge::tooSmallABudgetIsRefused()
{
    auto fx = makeImages(8, 3, 64, 64, 9);
    auto model = smallCnn(64);
    explain::ExplainOptions o;
    o.memoryBudget = int64_t(1) << 20; // less than one model row (64 x 49 KB)
    try {
        explain::explain(Method::Occlusion, model, fx->ctx, fx->data.row(0), o);
        QFAIL("a 1 MB budget was accepted");
    } catch (const Error& e) {
        const QString m = e.what();
        QVERIFY2(m.contains("memory budget is 1 MB") && m.contains("needs about"), qPrintable(m));
    }
    // Within a budget the chunks shrink to fit it: 64x64 RGB rows cost 3 MB each.
    o.memoryBudget = int64_t(10) << 20;
    jobs::ProgressFn none;
    jobs::CancelToken token;
    explain::detail::Run run{*model.impl(), none, token, "test"};
    explain::detail::configureRun(run, o);
    QCOMPARE(run.chunk, int64_t(3));
}

// The stability ascent's gradient of e(x)·v, taken a chunk of rows at a time, equals the one
// from the whole double-backward graph: on a smooth CNN (tanh, so second derivatives are not
// zero) for IG and SmoothGrad over several chunks, and for the one-row methods.
void TestExplainLarge::chunkedExplanationGradientEqualsTheWholeGraph()
{
    const int64_t side = 12, d = 3 * side * side;
    auto fx = makeImages(8, 3, side, side, 4);
    torch::manual_seed(5);
    auto w1 = torch::randn({4, 3, 3, 3}) * 0.3, w2 = torch::randn({2, 4}) * 0.5;
    models::Model model(std::make_shared<testing::FunctionModel>(
        imageMeta(3, side, side), [=](const torch::Tensor& x) {
            auto z = torch::tanh(torch::conv2d(x.reshape({x.size(0), 3, side, side}), w1, {}, 2));
            return torch::matmul(z.mean({2, 3}), w2.t());
        }));
    auto& impl = *model.impl();
    const auto x = torch::from_blob(const_cast<float*>(fx->data.row(fx->split.test[0])), {1, 3, side, side}).clone();
    auto v = torch::randn({d});
    jobs::ProgressFn none;
    jobs::CancelToken token;
    explain::ExplainOptions o;
    o.igSteps = 11;
    o.smoothGradSamples = 7;
    o.seed = 3;
    for (Method m : {Method::IntegratedGradients, Method::SmoothGrad, Method::Saliency, Method::GradInput}) {
        explain::detail::Run whole{impl, none, token, "test"};
        torch::Tensor expected;
        {
            torch::AutoGradMode enable(true);
            auto xr = x.clone().requires_grad_(true);
            auto e = explain::detail::explainBatchDifferentiable(m, whole, fx->ctx, xr, {1}, o, true)[0];
            expected = torch::autograd::grad({(e.reshape({-1}) * v).sum()}, {xr})[0].reshape({d});
        }
        explain::detail::Run chunked{impl, none, token, "test"};
        chunked.chunk = 3; // IG: 4 chunks of 11 steps; SmoothGrad: 3 of 7 samples
        auto got = explain::detail::explanationVjp(m, chunked, fx->ctx, x, 1, o, v);
        const double scale = expected.abs().max().item<double>();
        QVERIFY2(scale > 0, qPrintable(QString::fromStdString(explain::methodId(m))));
        const double err = (got - expected).abs().max().item<double>();
        QVERIFY2(err <= 1e-4 * scale, qPrintable(QStringLiteral("%1: %2 of %3")
                                                     .arg(QString::fromStdString(explain::methodId(m)))
                                                     .arg(err).arg(scale)));
    }
}

QTEST_GUILESS_MAIN(TestExplainLarge)
#include "test_explain_large.moc"
