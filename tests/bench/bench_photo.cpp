// Benchmark: explainers and metrics on colour photos with a ResNet-18-sized network (random
// weights, batch norm folded into the convolutions as in inference; [N, 3, 224, 224] -> 2
// logits). One method per process, so the peak RSS (getrusage ru_maxrss) is that method's.
// Not a test.
//   bench_photo --method ID [--side S] [--samples N] [--permutations P] [--budget MB]
//               [--faithfulness POINTS] [--stability POINTS] [--draws N] [--threads T]
//               [--chunk ROWS] [--window W] [--stride S]
//     --tabular D: a linear 2-class model on D standard-normal features (200 rows) instead
//     --chunk 64: rows per model call as before the memory budget (64 at least, whatever the size)
//     ID: a method id (occlusion, integrated-gradients, ...) or "none" (metrics only)
//     --faithfulness: faithfulness() over that many test points for the method
//     --stability: local Lipschitz estimates (eps 0.1, --draws draws, default ascent) per point
// Prints one line: method, seconds, model rows, peak RSS MB, RSS before the method MB.
#include "core/torch_include.h"

#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/explain/explain_internal.h"
#include "core/metrics/metrics.h"
#include "core/models/model_impl.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

using namespace senn;
using Clock = std::chrono::steady_clock;

namespace {

// ResNet-18's layers: 7x7/2 stem, 3x3/2 max pool, four stages of two basic blocks (64, 128,
// 256, 512 channels; stride 2 and a 1x1 projection at the start of stages 2-4), global
// average pool, a linear layer. Kaiming-normal weights, so activations keep their scale.
struct ResNet18 {
    struct Conv {
        torch::Tensor w, b;
        int64_t stride = 1, pad = 0;
        torch::Tensor operator()(const torch::Tensor& x) const { return torch::conv2d(x, w, b, stride, pad); }
    };
    struct Block {
        Conv c1, c2, proj;
        bool hasProj = false;
    };
    Conv stem;
    std::vector<Block> blocks;
    torch::Tensor fcW, fcB;

    static Conv conv(int64_t in, int64_t out, int64_t k, int64_t stride)
    {
        Conv c;
        c.w = torch::randn({out, in, k, k}) * std::sqrt(2.0 / double(in * k * k));
        c.b = torch::zeros({out});
        c.stride = stride;
        c.pad = k / 2;
        return c;
    }

    ResNet18()
    {
        torch::manual_seed(18);
        stem = conv(3, 64, 7, 2);
        int64_t in = 64;
        for (int64_t out : {64, 128, 256, 512})
            for (int i = 0; i < 2; ++i) {
                const int64_t stride = (i == 0 && out != 64) ? 2 : 1;
                Block b;
                b.c1 = conv(in, out, 3, stride);
                b.c2 = conv(out, out, 3, 1);
                // The second conv of each block starts near zero (as zero-init of the last
                // batch norm does), so the residual sums stay in range.
                b.c2.w.mul_(0.2);
                if (stride != 1 || in != out) {
                    b.proj = conv(in, out, 1, stride);
                    b.hasProj = true;
                }
                blocks.push_back(b);
                in = out;
            }
        fcW = torch::randn({2, 512}) * std::sqrt(1.0 / 512.0);
        fcB = torch::zeros({2});
    }

    torch::Tensor forward(const torch::Tensor& x) const
    {
        auto z = torch::relu(stem(x));
        z = torch::max_pool2d(z, 3, 2, 1);
        for (const auto& b : blocks) {
            auto y = b.c2(torch::relu(b.c1(z)));
            z = torch::relu(y + (b.hasProj ? b.proj(z) : z));
        }
        return torch::matmul(z.mean({2, 3}), fcW.t()) + fcB;
    }
};

class ResNetModel : public models::ModelImpl {
public:
    ResNetModel(models::ModelMeta meta, std::shared_ptr<ResNet18> net)
        : ModelImpl(std::move(meta)), m_net(std::move(net))
    {
    }
    torch::Tensor logits(const torch::Tensor& x) override
    {
        const auto& s = m_meta.inputShape;
        return m_net->forward(x.reshape({x.size(0), s[0], s[1], s[2]}));
    }
    std::shared_ptr<ModelImpl> clone() const override { return std::make_shared<ResNetModel>(m_meta, m_net); }
    std::string describe() const override { return "ResNet-18-sized network, random weights"; }
    std::string saveWeights() const override { return {}; }
    void loadWeights(const std::string&) override {}

private:
    std::shared_ptr<ResNet18> m_net;
};

// Logits [0, wᵀx] (tabular runs).
class LinearModel : public models::ModelImpl {
public:
    LinearModel(models::ModelMeta meta, torch::Tensor w) : ModelImpl(std::move(meta)), m_w(std::move(w)) {}
    torch::Tensor logits(const torch::Tensor& x) override
    {
        auto z = torch::matmul(x.reshape({x.size(0), -1}), m_w);
        return torch::stack({torch::zeros_like(z), z}, 1);
    }
    std::shared_ptr<ModelImpl> clone() const override { return std::make_shared<LinearModel>(m_meta, m_w); }
    std::string describe() const override { return "linear"; }
    std::string saveWeights() const override { return {}; }
    void loadWeights(const std::string&) override {}

private:
    torch::Tensor m_w;
};

double rssMb()
{
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    long long kb = 0;
    while (std::fgets(line, sizeof line, f))
        if (std::sscanf(line, "VmRSS: %lld kB", &kb) == 1)
            break;
    std::fclose(f);
    return double(kb) / 1024.0;
}

double peakRssMb()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_maxrss) / 1024.0;
}

} // namespace

int main(int argc, char** argv)
{
    std::string method = "occlusion";
    int64_t side = 224, samples = 0, permutations = 0, budgetMb = 0, chunk = 0;
    int window = 0, stride = 0;
    int64_t tabular = 0; // --tabular D: a linear model on D Gaussian features instead of photos
    int faithPoints = 0, stabPoints = 0, draws = 5;
    int threads = int(std::max(1u, std::thread::hardware_concurrency())); // as the app's default
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--method")
            method = next();
        else if (a == "--side")
            side = std::stoll(next());
        else if (a == "--samples")
            samples = std::stoll(next());
        else if (a == "--permutations")
            permutations = std::stoll(next());
        else if (a == "--budget")
            budgetMb = std::stoll(next());
        else if (a == "--faithfulness")
            faithPoints = std::stoi(next());
        else if (a == "--stability")
            stabPoints = std::stoi(next());
        else if (a == "--draws")
            draws = std::stoi(next());
        else if (a == "--threads")
            threads = std::stoi(next());
        else if (a == "--tabular")
            tabular = std::stoll(next());
        else if (a == "--chunk")
            chunk = std::stoll(next());
        else if (a == "--window")
            window = std::stoi(next());
        else if (a == "--stride")
            stride = std::stoi(next());
        else {
            std::fprintf(stderr, "unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    at::set_num_threads(threads);

    if (tabular > 0) {
        data::Dataset data;
        data.kind = data::DataKind::Tabular;
        data.sampleShape = {tabular};
        data.classNames = {"no", "yes"};
        std::mt19937_64 rng(7);
        std::normal_distribution<float> nd(0.0f, 1.0f);
        for (int64_t i = 0; i < 200; ++i) {
            for (int64_t j = 0; j < tabular; ++j)
                data.x.push_back(nd(rng));
            data.y.push_back(i % 2);
        }
        data::Split split;
        for (int64_t i = 0; i < 200; ++i)
            (i < 160 ? split.train : split.test).push_back(i);
        auto ctx = explain::ExplainContext::make(data, split);
        models::ModelMeta meta;
        meta.dataKind = data::DataKind::Tabular;
        meta.inputShape = {tabular};
        meta.classNames = {"no", "yes"};
        torch::manual_seed(1);
        models::Model model(std::make_shared<LinearModel>(meta, torch::randn({tabular}) / std::sqrt(double(tabular))));
        explain::ExplainOptions o;
        o.samples = int(samples);
        o.memoryBudget = budgetMb << 20;
        o.chunkRows = chunk;
        const double before = rssMb();
        std::printf("threads %d, budget %s, %lld features\n", at::get_num_threads(),
                    explain::detail::megabytes(explain::detail::memoryBudgetFor(o)).c_str(), (long long)tabular);
        try {
            const auto t0 = Clock::now();
            auto e = explain::explain(explain::methodFromId(method), model, ctx, data.row(split.test[0]), o);
            const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
            std::printf("%-22s %8.2f s  rows %7lld  peak RSS %7.0f MB  (RSS before %4.0f MB)  r2 %g\n", method.c_str(),
                        secs, (long long)e.modelRows, peakRssMb(), before,
                        e.diagnostics.count("r2") ? e.diagnostics.at("r2") : std::nan(""));
        } catch (const std::exception& ex) {
            std::printf("%-22s failed: %s  (peak RSS %.0f MB)\n", method.c_str(), ex.what(), peakRssMb());
            return 1;
        }
        return 0;
    }

    // 16 synthetic photos: smooth colour fields plus texture, in [0, 1]; 12 train rows.
    data::Dataset data;
    data.kind = data::DataKind::Image;
    data.sampleShape = {3, side, side};
    data.classNames = {"no", "yes"};
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const int64_t n = 16;
    data.x.reserve(size_t(n * 3 * side * side));
    for (int64_t i = 0; i < n; ++i) {
        const double a = u(rng), b = u(rng), c = u(rng);
        for (int64_t ch = 0; ch < 3; ++ch)
            for (int64_t r = 0; r < side; ++r)
                for (int64_t q = 0; q < side; ++q)
                    data.x.push_back(float(std::clamp(
                        0.5 + 0.35 * std::sin(6.0 * a * double(r) / double(side) + c * double(ch)) *
                                  std::cos(6.0 * b * double(q) / double(side)) +
                            0.08 * (u(rng) - 0.5),
                        0.0, 1.0)));
        data.y.push_back(i % 2);
    }
    data::Split split;
    for (int64_t i = 0; i < n; ++i)
        (i < 12 ? split.train : split.test).push_back(i);
    auto ctx = explain::ExplainContext::make(data, split);
    models::ModelMeta meta;
    meta.dataKind = data::DataKind::Image;
    meta.inputShape = {3, side, side};
    meta.classNames = {"no", "yes"};
    models::Model model(std::make_shared<ResNetModel>(meta, std::make_shared<ResNet18>()));

    explain::ExplainOptions o;
    o.samples = int(samples);
    o.permutations = int(permutations);
    o.memoryBudget = budgetMb << 20;
    o.chunkRows = chunk;
    o.occlusionWindow = window;
    o.occlusionStride = stride;
    const float* x = data.row(split.test[0]);
    const double before = rssMb();
    std::printf("threads %d, budget %s, side %lld\n", at::get_num_threads(),
                explain::detail::megabytes(explain::detail::memoryBudgetFor(o)).c_str(), (long long)side);
    try {
        if (method != "none") {
            const auto m = explain::methodFromId(method);
            const auto t0 = Clock::now();
            auto e = explain::explain(m, model, ctx, x, o);
            const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
            std::printf("%-22s %8.2f s  rows %7lld  peak RSS %7.0f MB  (RSS before %4.0f MB)", method.c_str(), secs,
                        (long long)e.modelRows, peakRssMb(), before);
            for (const char* k : {"windows", "window", "stride", "segments", "completeness_gap"})
                if (e.diagnostics.count(k))
                    std::printf("  %s %g", k, e.diagnostics.at(k));
            std::printf("\n");
            std::fflush(stdout);
            if (faithPoints > 0) {
                std::vector<int64_t> pts(split.test.begin(), split.test.begin() + std::min<int64_t>(faithPoints, 4));
                while (int64_t(pts.size()) < faithPoints)
                    pts.push_back(split.train[pts.size() - 4]);
                metrics::FaithfulnessOptions fo;
                const auto t1 = Clock::now();
                auto r = metrics::faithfulness({m}, model, ctx, pts, o, fo);
                const double s1 = std::chrono::duration<double>(Clock::now() - t1).count();
                const auto& pm = r.methods.at(method);
                std::printf("faithfulness %d points %8.2f s  peak RSS %7.0f MB  removal median %.3f  fc[0] %.3f\n",
                            faithPoints, s1, peakRssMb(), pm.median, pm.faithfulnessCorrelation[0]);
            }
            if (stabPoints > 0) {
                metrics::LipschitzOptions lo;
                lo.eps = 0.1;
                lo.draws = draws;
                const auto t2 = Clock::now();
                double worst = 0;
                for (int p = 0; p < stabPoints; ++p) {
                    auto r = metrics::localLipschitz(m, model, ctx, data.row(split.test[size_t(p)]), o, lo);
                    worst = std::max(worst, r.value);
                }
                const double s2 = std::chrono::duration<double>(Clock::now() - t2).count();
                std::printf("stability %d points, %d draws %8.2f s  peak RSS %7.0f MB  max L %.4g\n", stabPoints,
                            draws, s2, peakRssMb(), worst);
            }
        }
    } catch (const std::exception& ex) {
        std::printf("%-22s failed: %s  (peak RSS %.0f MB)\n", method.c_str(), ex.what(), peakRssMb());
        return 1;
    }
    return 0;
}
