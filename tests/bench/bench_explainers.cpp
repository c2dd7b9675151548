// Benchmark (baselines.md "Cost, the physical floor"): each explainer's time against one
// batched forward (or forward+backward) over exactly the rows it evaluated, in the same run,
// median of several repeats. Optionally times 5-method stability curves. Not a test.
//   bench_explainers [--repeats R] [--cpu] [--only SUBSTRING] [--stability] [--points N] [--chunk ROWS]
//     --only: run only the cases whose "dataset case" name contains SUBSTRING (for perf)
//     --chunk: rows per model call for the explainers and their floors (default chunkRowsFor)
#include "core/torch_include.h"

#include "core/data/loader.h"
#include "core/data/split.h"
#include "core/explain/explain_internal.h"
#include "core/metrics/metrics.h"
#include "core/common/system_info.h"
#include "core/models/model_impl.h"
#include "core/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

using namespace senn;
using Clock = std::chrono::steady_clock;

namespace {

std::string g_only; // --only
int64_t g_chunk = 0;    // --chunk: rows per model call; 0: chunkRowsFor, as the app
bool g_cpuTime = false; // --cpu: process CPU seconds instead of wall seconds (robust on a
                        // machine shared with other jobs; equal to wall time on one idle thread)

double cpuNow()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double timeIt(const std::function<void()>& fn)
{
    if (g_cpuTime) {
        const double c0 = cpuNow();
        fn();
        return cpuNow() - c0;
    }
    const auto t0 = Clock::now();
    fn();
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : (v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]));
}

models::Model trainQuick(const data::Dataset& data, const data::Split& split, models::ModelKind kind,
                         int epochs, int64_t limit)
{
    auto cfg = models::ModelConfig::defaultsFor(data.kind, kind, data.featureCount());
    auto tc = models::TrainConfig::defaultsFor(data.kind);
    tc.epochs = epochs;
    auto s = split;
    if (limit > 0 && int64_t(s.train.size()) > limit)
        s.train.resize(size_t(limit));
    auto r = train::train(data, s, cfg, tc);
    std::fprintf(stderr, "  trained %s: val %.3f test %.3f\n", models::toString(kind).c_str(),
                 r.bestValAccuracy, r.testAccuracy);
    return r.model;
}

// The floor: a batched forward (gradient: forward+backward) over `rows` rows like x, in the
// model calls of the size the explainers use (chunkRowsFor: about 1 MB of input per call). One
// call over all rows is slower where the activations outgrow the caches: 1,000 MNIST rows
// through the SENN took 57 ms in one call and 48 ms in the explainer's three.
// The explained output is the case's (the logit by default, ExplainOptions::output): with
// a softmax the floor counted work the explainers did not do (on the breast-cancer SENN,
// LibTorch's softmax over 2 classes is 0.5 ms per 8,192 rows, 15% of that forward).
double floorTime(const models::Model& model, const float* x, int64_t rows, bool backward, bool probability)
{
    const int64_t chunk = explain::detail::chunkRowsFor(*model.impl(), g_chunk);
    auto& impl = *model.impl();
    impl.setTraining(false);
    auto X = models::toTensor(x, 1, impl.meta().inputShape).expand(explain::detail::batchShape(impl, rows)).contiguous();
    X = X + 0.01f * torch::randn_like(X);
    return timeIt([&] {
        if (backward) {
            torch::AutoGradMode on(true);
            auto xr = X.clone().requires_grad_(true);
            auto z = impl.logits(xr).select(1, 0).sum();
            auto g = torch::autograd::grad({z}, {xr});
        } else {
            torch::NoGradGuard ng;
            for (int64_t r0 = 0; r0 < rows; r0 += chunk) {
                auto z = impl.logits(X.slice(0, r0, std::min(rows, r0 + chunk)));
                if (probability)
                    z = torch::softmax(z, 1);
            }
        }
    });
}

struct Case {
    std::string name;
    explain::Method method;
    explain::ExplainOptions options;
    bool backward;
};

void runCases(const char* dataName, const models::Model& model, const explain::ExplainContext& ctx,
              const float* x, const std::vector<Case>& cases, int repeats)
{
    for (const auto& c : cases) {
        if (!g_only.empty() && (std::string(dataName) + " " + c.name).find(g_only) == std::string::npos)
            continue;
        std::vector<double> te, tf;
        int64_t rows = 0;
        explain::Explanation e;
        auto options = c.options;
        options.chunkRows = g_chunk;
        e = explain::explain(c.method, model, ctx, x, options); // warm-up
        for (int r = 0; r < repeats; ++r) {
            te.push_back(timeIt([&] { e = explain::explain(c.method, model, ctx, x, options); }));
            rows = e.modelRows;
            // IG / saliency: the gradient rows need forward+backward; 2 extra forwards are noise.
            const int64_t gradRows = c.backward ? rows - 2 : rows;
            tf.push_back(floorTime(model, x, gradRows, c.backward, options.output == explain::Output::Probability));
        }
        const double me = median(te), mf = median(tf);
        std::printf("%-14s %-26s rows %8lld  explainer %8.4f s  floor %8.4f s  ratio %5.2f\n", dataName,
                    c.name.c_str(), static_cast<long long>(rows), me, mf, me / mf);
        std::fflush(stdout);
    }
}

} // namespace

int main(int argc, char** argv)
{
    int repeats = 5, points = 50;
    bool stability = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc)
            repeats = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--points") && i + 1 < argc)
            points = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--stability"))
            stability = true;
        else if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
            g_only = argv[++i];
        else if (!std::strcmp(argv[i], "--chunk") && i + 1 < argc)
            g_chunk = std::atoll(argv[++i]);
        else if (!std::strcmp(argv[i], "--cpu"))
            g_cpuTime = true;
    }
    common::tuneAllocator();
    torch::manual_seed(0);
    std::printf("threads: %d, repeats: %d, %s time\n%s", at::get_num_threads(), repeats,
                g_cpuTime ? "CPU" : "wall",
                common::describe(common::systemInfo()).c_str());

    // --- breast cancer: MLP and SENN (identity concepts) ---
    data::LoadOptions lo;
    lo.target = "diagnosis";
    auto bc = data::loadCsv(std::string(SENN_RESOURCE_DATA) + "/breast-cancer.csv", lo);
    auto bcSplit = data::makeSplit(bc, 0);
    auto bcCtx = explain::ExplainContext::make(bc, bcSplit);
    auto bcMlp = trainQuick(bc, bcSplit, models::ModelKind::Mlp, 10, -1);
    const float* xb = bc.row(bcSplit.test[0]);
    std::vector<Case> tab;
    {
        explain::ExplainOptions o;
        tab.push_back({"lime (5000)", explain::Method::Lime, o, false});
        o.background = "kmeans:10";
        tab.push_back({"kernel-shap (kmeans:10)", explain::Method::KernelShap, o, false});
        explain::ExplainOptions g;
        tab.push_back({"integrated-gradients (50)", explain::Method::IntegratedGradients, g, true});
    }
    runCases("breast-cancer", bcMlp, bcCtx, xb, tab, repeats);
    // The same explainers on a SENN (what the stability benchmark explains): a costlier forward.
    if (g_only.empty() || g_only.find("senn") != std::string::npos) {
        auto bcSennModel = trainQuick(bc, bcSplit, models::ModelKind::Senn, 10, -1);
        runCases("bc-senn", bcSennModel, bcCtx, xb, tab, repeats);
    }

    // --- MNIST (8,000 + 2,000 digits): MLP ---
    auto mn = data::loadIdxFolder(std::string(SENN_RESOURCE_DATA) + "/mnist-10k");
    auto mnSplit = data::makeSplit(mn, 0);
    auto mnCtx = explain::ExplainContext::make(mn, mnSplit);
    auto mnMlp = trainQuick(mn, mnSplit, models::ModelKind::Mlp, 1, 3000);
    const float* xm = mn.row(mnSplit.test[0]);
    std::vector<Case> img;
    {
        explain::ExplainOptions o;
        img.push_back({"lime image (1000, slic)", explain::Method::Lime, o, false});
        img.push_back({"integrated-gradients (50)", explain::Method::IntegratedGradients, o, true});
    }
    runCases("mnist", mnMlp, mnCtx, xm, img, repeats);
    if (g_only.empty() || g_only.find("senn") != std::string::npos) {
        auto mnSennModel = trainQuick(mn, mnSplit, models::ModelKind::Senn, 1, 3000);
        runCases("mnist-senn", mnSennModel, mnCtx, xm, img, repeats);
    }

    if (stability) {
        // The stability view's workload: 5 methods, 8 ε values (log-spaced), `points` test
        // points, each L̂ a random search of 50 draws (+ 5 ascent steps for differentiable
        // methods) and the "explanation moves" curve (4 noisy draws per point and σ).
        // Per method (SENN on a SENN model, the rest on the MLP), then the sum.
        using M = explain::Method;
        auto curve = [&](const char* name, const std::vector<M>& methods, const models::Model& senn,
                         const models::Model& other, const explain::ExplainContext& ctx,
                         const std::vector<int64_t>& pts, const std::vector<double>& eps) {
            double total = 0;
            for (auto m : methods) {
                const auto& model = m == M::Senn ? senn : other;
                auto res = metrics::stabilityCurves({m}, model, ctx, pts, eps, {});
                total += res.seconds;
                const auto& c = res.methods.begin()->second;
                std::printf("stability %-13s %-22s 8 eps x %zu points: %8.2f s  median L at eps[0] %.3g, eps[7] %.3g\n",
                            name, explain::methodId(m).c_str(), pts.size(), res.seconds, c.median.front(),
                            c.median.back());
                std::fflush(stdout);
            }
            std::printf("stability %-13s 5-method curve total: %.1f s\n", name, total);
            std::fflush(stdout);
        };
        std::vector<double> eps;
        for (int i = 0; i < 8; ++i)
            eps.push_back(1e-3 * std::pow(1000.0, i / 7.0));
        auto bcSenn = trainQuick(bc, bcSplit, models::ModelKind::Senn, 10, -1);
        std::vector<int64_t> pts(bcSplit.test.begin(), bcSplit.test.begin() + std::min<size_t>(size_t(points), bcSplit.test.size()));
        curve("breast-cancer", {M::Senn, M::Lime, M::KernelShap, M::Saliency, M::IntegratedGradients}, bcSenn, bcMlp,
              bcCtx, pts, eps);
        std::vector<double> epsImg;
        for (int i = 0; i < 8; ++i)
            epsImg.push_back(0.05 * std::pow(20.0, i / 7.0));
        auto mnSenn = trainQuick(mn, mnSplit, models::ModelKind::Senn, 1, 3000);
        std::vector<int64_t> ptsM(mnSplit.test.begin(), mnSplit.test.begin() + std::min<size_t>(size_t(points), mnSplit.test.size()));
        curve("mnist", {M::Senn, M::Lime, M::Saliency, M::IntegratedGradients, M::SmoothGrad}, mnSenn, mnMlp, mnCtx,
              ptsM, epsImg);
    }
    return 0;
}
