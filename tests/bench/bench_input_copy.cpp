// What the private input copy the TorchScript wrapper makes costs beside the forward pass it
// precedes: a 30-feature table batch of 8,192 rows (MLP 30-64-32-2) and MNIST batches (the test
// CNN of tests/torchscript_test_models.h). A normal executable, not a CTest test.
#include "core/torch_include.h"

#include "../torchscript_test_models.h"

#include <chrono>
#include <cstdio>

namespace {

template <typename F>
double medianMicros(F f, int reps)
{
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        const auto a = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

void row(const char* what, torch::jit::Module& m, const torch::Tensor& x, int reps)
{
    torch::NoGradGuard noGrad;
    const double copy = medianMicros([&] { auto c = x.clone(); }, reps);
    const double fwd = medianMicros([&] { auto z = m.forward({x}).toTensor(); }, reps);
    std::printf("%-28s copy %9.1f us   forward %10.1f us   copy/forward %5.2f%%\n", what, copy, fwd,
                100.0 * copy / fwd);
}

} // namespace

int main(int argc, char** argv)
{
    const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
    at::set_num_threads(threads);
    std::printf("threads %d\n", threads);
    auto mlp = senn::testing::makeMlp(30, 64, 2);
    mlp.eval();
    row("table 8192 x 30, MLP", mlp, torch::randn({8192, 30}), 200);
    auto cnn = senn::testing::makeCnn();
    cnn.eval();
    row("MNIST 256 x 1x28x28, CNN", cnn, torch::rand({256, 1, 28, 28}), 50);
    row("MNIST 1000 x 1x28x28, CNN", cnn, torch::rand({1000, 1, 28, 28}), 20);
    return 0;
}
