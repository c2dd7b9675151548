#include "core/common/error.h"
#include "core/explain/explain_internal.h"
#include "core/explain/memory_budget.h"
#include "core/models/shape.h"

#include <algorithm>
#include <chrono>
#include <mutex>

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>

#include <sys/resource.h>
#include <unistd.h>

namespace senn::explain::detail {

void Run::afterChunk(int64_t n)
{
    rows += n;
    if (plannedRows > 0)
        jobs::report(progress, std::min(1.0, double(rows) / double(plannedRows)), stage,
                     stage + ": " + std::to_string(rows) + " of " + std::to_string(plannedRows) +
                         " model rows");
    cancel.throwIfCancelled();
}

namespace {
torch::Tensor targetColumn(const torch::Tensor& z, int target)
{
    if (target < 0 || target >= z.size(1))
        throw Error("target class " + std::to_string(target) + " is out of range: the model has " +
                    std::to_string(z.size(1)) + " classes");
    return z.select(1, target);
}

// The model on X in chunks of run.chunk rows, without autograd; keep(z) picks what each chunk
// contributes (every class, or the target's column) so only that is held.
template <class Keep>
torch::Tensor evalChunked(Run& run, const torch::Tensor& X, Output output, Keep keep, at::IntArrayRef emptyShape)
{
    torch::NoGradGuard noGrad;
    run.impl.setTraining(false);
    const int64_t n = X.size(0);
    std::vector<torch::Tensor> parts;
    for (int64_t b = 0; b < n; b += run.chunk) {
        run.cancel.throwIfCancelled();
        const int64_t e = std::min(n, b + run.chunk);
        auto xc = X.slice(0, b, e).to(run.impl.device(), torch::kFloat32);
        auto z = run.impl.logits(xc);
        if (output == Output::Probability)
            z = torch::softmax(z, 1);
        parts.push_back(keep(z).to(torch::kCPU, torch::kFloat64));
        run.afterChunk(e - b);
    }
    return parts.empty() ? torch::zeros(emptyShape, torch::kFloat64) : torch::cat(parts, 0);
}
} // namespace

torch::Tensor evalAll(Run& run, const torch::Tensor& X, Output output)
{
    return evalChunked(run, X, output, [](const torch::Tensor& z) { return z; }, {0, 0});
}

torch::Tensor evalOutput(Run& run, const torch::Tensor& X, int target, Output output)
{
    return evalChunked(run, X, output, [target](const torch::Tensor& z) { return targetColumn(z, target); },
                       {0});
}

torch::Tensor logitGradient(Run& run, const torch::Tensor& X, const std::vector<int>& targets,
                            bool createGraph, torch::Tensor* logitsOut)
{
    run.impl.setTraining(false);
    torch::AutoGradMode enable(true);
    const int64_t n = X.size(0);
    auto pick = [&](const torch::Tensor& logits, int64_t b, int64_t e) {
        // The explained output: the logit, or the softmax probability of the target.
        const torch::Tensor z = run.output == Output::Probability ? torch::softmax(logits, 1) : logits;
        if (targets.size() == 1)
            return targetColumn(z, targets[0]);
        std::vector<int64_t> idx(targets.begin() + b, targets.begin() + e);
        for (auto t : idx)
            if (t < 0 || t >= z.size(1))
                throw Error("target class " + std::to_string(t) + " is out of range");
        auto it = torch::tensor(idx, torch::kLong).to(z.device()).unsqueeze(1);
        return z.gather(1, it).squeeze(1);
    };
    if (targets.size() != 1 && int64_t(targets.size()) != n)
        throw Error("internal: one target per row expected");
    if (createGraph) {
        auto z = run.impl.logits(X);
        auto g = torch::autograd::grad({pick(z, 0, n).sum()}, {X}, {}, true, true)[0];
        run.afterChunk(n);
        return g;
    }
    std::vector<torch::Tensor> parts, zs;
    for (int64_t b = 0; b < n; b += run.chunk) {
        run.cancel.throwIfCancelled();
        const int64_t e = std::min(n, b + run.chunk);
        auto xc = X.slice(0, b, e).detach().to(run.impl.device(), torch::kFloat32).requires_grad_(true);
        auto z = run.impl.logits(xc);
        auto zt = pick(z, b, e);
        auto g = torch::autograd::grad({zt.sum()}, {xc})[0];
        parts.push_back(g.detach());
        if (logitsOut)
            zs.push_back(zt.detach().to(torch::kCPU, torch::kFloat64));
        run.afterChunk(e - b);
    }
    if (logitsOut)
        *logitsOut = torch::cat(zs, 0);
    return torch::cat(parts, 0);
}

std::vector<int64_t> batchShape(const models::ModelImpl& impl, int64_t n)
{
    std::vector<int64_t> s{n};
    const auto& in = impl.meta().inputShape;
    s.insert(s.end(), in.begin(), in.end());
    return s;
}

int64_t chunkRowsFor(const models::ModelImpl& impl, int64_t requested, int64_t budget)
{
    if (requested > 0)
        return requested;
    // About 1 MB of input per call: a few hundred MNIST rows, whose SENN activations then stay
    // within a pool worker's glibc thread heap; larger calls made every call unmap and fault
    // back in its heap (docs/benchmarks.md, "Kernels and samplers"). Tables keep 8,192 rows
    // per call. Photos get at least 8 rows per call (a batch still pays for itself), bounded
    // by the budget: a backward pass keeps every row's activations.
    const int64_t mb = int64_t(1) << 20;
    const int64_t bytesPerRow = std::max<int64_t>(1, featureCount(impl)) * int64_t(sizeof(float));
    int64_t rows = std::clamp<int64_t>(mb / bytesPerRow, 8, 8192);
    if (budget > 0)
        rows = std::min(rows, budget / rowBytes(impl));
    return std::max<int64_t>(1, rows);
}

int64_t rowBytes(const models::ModelImpl& impl)
{
    return std::max<int64_t>(1, featureCount(impl)) * int64_t(sizeof(float)) * 64;
}

namespace {
// The first number in a file ("max" and unreadable files give 0).
int64_t firstNumber(const char* path)
{
    long long v = 0;
    if (std::FILE* f = std::fopen(path, "r")) {
        if (std::fscanf(f, "%lld", &v) != 1)
            v = 0;
        std::fclose(f);
    }
    return int64_t(v);
}

// A "Key: N kB" line of /proc/self/status, in bytes.
int64_t statusBytes(const char* key)
{
    int64_t out = 0;
    if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
        char line[256];
        const size_t n = std::strlen(key);
        while (std::fgets(line, sizeof line, f))
            if (std::strncmp(line, key, n) == 0) {
                out = int64_t(std::atoll(line + n)) * 1024;
                break;
            }
        std::fclose(f);
    }
    return out;
}
} // namespace

int64_t defaultMemoryBudget()
{
    int64_t avail = 0;
    if (std::FILE* f = std::fopen("/proc/meminfo", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f)) {
            long long kb = 0;
            if (std::sscanf(line, "MemAvailable: %lld kB", &kb) == 1) {
                avail = int64_t(kb) * 1024;
                break;
            }
        }
        std::fclose(f);
    }
    if (avail <= 0) {
        const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
        if (pages > 0 && page > 0)
            avail = int64_t(pages) * int64_t(page);
    }
    if (avail <= 0)
        avail = int64_t(2) << 30; // unknown: assume a small machine
    // A cap on the address space (ulimit -v) or the container's memory limit bounds what the
    // machine's free memory would suggest.
    rlimit lim{};
    if (getrlimit(RLIMIT_AS, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY)
        avail = std::min(avail, std::max<int64_t>(0, int64_t(lim.rlim_cur) - statusBytes("VmSize:")));
    const int64_t cgMax = firstNumber("/sys/fs/cgroup/memory.max");
    if (cgMax > 0)
        avail = std::min(avail, std::max<int64_t>(0, cgMax - firstNumber("/sys/fs/cgroup/memory.current")));
    return avail / 2;
}

int64_t memoryBudgetFor(const ExplainOptions& options)
{
    if (options.memoryBudget > 0)
        return options.memoryBudget;
    // Read again at most every quarter second: a loop of cheap explanations (a stability run,
    // a gradient per example) would otherwise read three files per call, a fixed cost as large
    // as a small model's gradient. The process and its address-space limit key the value, so
    // a forked child under a new limit (ulimit -v, the tests' sandboxes) reads its own.
    using Clock = std::chrono::steady_clock;
    struct Reading { int64_t budget, at; pid_t pid; rlim_t limit; };
    static std::mutex mutex;
    static Reading last{0, 0, 0, 0};
    rlimit lim{};
    const rlim_t limit = getrlimit(RLIMIT_AS, &lim) == 0 ? lim.rlim_cur : RLIM_INFINITY;
    const pid_t pid = getpid();
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
    std::lock_guard<std::mutex> lock(mutex);
    if (last.at == 0 || now - last.at >= 250 || last.pid != pid || last.limit != limit)
        last = {defaultMemoryBudget(), now, pid, limit};
    return last.budget;
}

std::string megabytes(int64_t bytes)
{
    return std::to_string((bytes + (int64_t(1) << 20) - 1) >> 20) + " MB";
}

void requireMemory(const Run& run, int64_t fixedBytes, const std::string& what, const std::string& hint)
{
    if (run.budget <= 0)
        return;
    const int64_t need = fixedBytes + rowBytes(run.impl);
    if (need > run.budget)
        throw Error(what + " needs about " + megabytes(need) + " of memory (" + megabytes(fixedBytes) +
                    " for its own tensors and " + megabytes(rowBytes(run.impl)) +
                    " for one model row at a time), but the memory budget is " + megabytes(run.budget) +
                    (hint.empty() ? std::string(". Free memory or raise the budget.") : ". " + hint));
}

void configureRun(Run& run, const ExplainOptions& options)
{
    run.budget = memoryBudgetFor(options);
    run.chunk = chunkRowsFor(run.impl, options.chunkRows, run.budget);
}

int64_t featureCount(const models::ModelImpl& impl)
{
    return models::shapeProduct(impl.meta().inputShape);
}

torch::Tensor sampleTensor(const models::ModelImpl& impl, const float* x, int64_t n)
{
    return torch::from_blob(const_cast<float*>(x), batchShape(impl, n), torch::kFloat32).clone();
}

at::Generator makeGenerator(uint64_t seed)
{
    return at::detail::createCPUGenerator(seed);
}

double pearson(const std::vector<double>& a, const std::vector<double>& b)
{
    const size_t n = std::min(a.size(), b.size());
    if (n < 2)
        return std::nan("");
    double ma = 0, mb = 0;
    for (size_t i = 0; i < n; ++i) {
        ma += a[i];
        mb += b[i];
    }
    ma /= double(n);
    mb /= double(n);
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < n; ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    // A constant vector has no correlation with anything: report NaN rather than 0 so that
    // summaries can exclude it instead of averaging in a made-up value.
    const double scale = std::max({1.0, std::fabs(ma), std::fabs(mb)});
    if (saa <= 1e-24 * scale * scale * double(n) || sbb <= 1e-24 * scale * scale * double(n))
        return std::nan("");
    return sab / std::sqrt(saa * sbb);
}

void gaussLegendre01(int n, std::vector<double>& nodes, std::vector<double>& weights)
{
    nodes.assign(size_t(n), 0.0);
    weights.assign(size_t(n), 0.0);
    const double pi = 3.14159265358979323846;
    for (int i = 0; i < n; ++i) {
        // Newton on P_n from the Chebyshev-like initial guess; converges in a few steps.
        double x = std::cos(pi * (i + 0.75) / (n + 0.5));
        double dp = 1;
        for (int it = 0; it < 100; ++it) {
            double p0 = 1, p1 = x;
            for (int k = 2; k <= n; ++k) {
                const double p2 = ((2.0 * k - 1) * x * p1 - (k - 1.0) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            const double pn = n == 0 ? 1 : (n == 1 ? x : p1);
            const double pnm1 = n == 1 ? 1 : p0;
            dp = n * (x * pn - pnm1) / (x * x - 1);
            const double dx = pn / dp;
            x -= dx;
            if (std::fabs(dx) < 1e-15)
                break;
        }
        // Recompute the derivative at the converged root for the weight.
        double p0 = 1, p1 = x;
        for (int k = 2; k <= n; ++k) {
            const double p2 = ((2.0 * k - 1) * x * p1 - (k - 1.0) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        const double pn = n == 1 ? x : p1, pnm1 = n == 1 ? 1 : p0;
        dp = n * (x * pn - pnm1) / (x * x - 1);
        const double w = 2.0 / ((1 - x * x) * dp * dp);
        nodes[size_t(n - 1 - i)] = 0.5 * (x + 1);
        weights[size_t(n - 1 - i)] = 0.5 * w;
    }
}

int resolveTarget(Run& run, const torch::Tensor& x, int requested)
{
    const int64_t classes = int64_t(run.impl.meta().classNames.size());
    if (requested >= 0) {
        if (classes > 0 && requested >= classes)
            throw Error("target class " + std::to_string(requested) +
                        " is out of range: the model has " + std::to_string(classes) +
                        " classes (0.." + std::to_string(classes - 1) + ")");
        return requested;
    }
    torch::NoGradGuard noGrad;
    run.impl.setTraining(false);
    auto z = run.impl.logits(x.to(run.impl.device()));
    return int(z.argmax(1).item<int64_t>());
}

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

torch::Tensor sennLogitsWithConcepts(const torch::Tensor& theta, const torch::Tensor& hPrime)
{
    return torch::matmul(hPrime, theta);
}

} // namespace senn::explain::detail

namespace senn::explain {
int64_t automaticMemoryBudget() { return detail::defaultMemoryBudget(); }
} // namespace senn::explain
