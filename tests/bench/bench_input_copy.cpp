// What the private input copy the TorchScript wrapper makes costs beside the forward pass it
// precedes: a 30-feature table batch of 8,192 rows (MLP 30-64-32-2) and MNIST batches (the test
// CNN of tests/support/torchscript_test_models.h). Also what the checks on a TorchScript archive
// (central directory, pickled storages, every tensor) add to torch::jit::load, and the time to
// open an MNIST SENN .senn file. A normal executable, not a CTest test.
#include "core/torch_include.h"

#include "core/io/archive_guard.h"
#include "core/io/model_file.h"
#include "core/models/torch_model.h"

#include "../support/torchscript_test_models.h"

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

    const std::string pt = "/tmp/bench_input_copy_cnn.pt";
    cnn.save(pt);
    const double load = medianMicros([&] { auto m = torch::jit::load(pt); }, 20);
    const double checks = medianMicros([&] {
        std::map<std::string, uint64_t> entries;
        senn::io::checkZipFileSizes(pt, &entries);
        caffe2::serialize::PyTorchStreamReader reader(pt);
        senn::io::checkPickledStorages(reader, entries);
        senn::io::checkModuleTensors(torch::jit::load(pt));
    }, 20) - load;
    std::printf("TorchScript CNN file: jit::load %.0f us, the checks add %.0f us\n", load, checks);

    senn::models::ModelMeta meta;
    meta.config = senn::models::ModelConfig::defaultsFor(senn::data::DataKind::Image, senn::models::ModelKind::Senn, 784);
    meta.dataKind = senn::data::DataKind::Image;
    meta.inputShape = {1, 28, 28};
    meta.classNames = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    const std::string senn = "/tmp/bench_input_copy_mnist.senn";
    senn::io::saveModel(senn::models::Model(senn::models::createNetwork(meta)), senn);
    std::printf("MNIST SENN .senn file: loadModel %.0f us\n",
                medianMicros([&] { auto m = senn::io::loadModel(senn); }, 20));
    std::remove(pt.c_str());
    std::remove(senn.c_str());
    return 0;
}
