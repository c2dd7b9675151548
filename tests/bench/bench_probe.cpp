// What the guard on a TorchScript file costs when it loads: torch::jit::load and one forward
// pass alone, beside io::loadCheckedTorchScript (zip and pickle checks, the load and first
// forward passes in a forked child, then the load here and the tensor checks) and the app's
// whole io::loadTorchScript (which adds the trial calls on the data). A small model (linear,
// 4 features) and a larger one (MLP 784-2048-2048-10, 23 MB); medians of 5 runs each.
// A normal executable, not a CTest test:  build/dev/tests/bench_probe [SCRATCH_DIR]
#include "core/torch_include.h"

#include "core/io/isolated_probe.h"
#include "core/io/model_file.h"

#include "../support/torchscript_test_models.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

namespace {

template <typename F>
double medianMs(F f, int reps = 5)
{
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        const auto a = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

senn::data::Dataset table(int64_t n, int64_t d, int classes)
{
    senn::data::Dataset ds;
    ds.sampleShape = {d};
    std::mt19937 rng(3);
    std::normal_distribution<float> g;
    for (int64_t i = 0; i < n * d; ++i)
        ds.x.push_back(g(rng));
    for (int64_t i = 0; i < n; ++i)
        ds.y.push_back(i % classes);
    for (int c = 0; c < classes; ++c)
        ds.classNames.push_back("c" + std::to_string(c));
    ds.source = "memory";
    return ds;
}

} // namespace

int main(int argc, char** argv)
{
    namespace fs = std::filesystem;
    const fs::path dir = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "senn-bench-probe";
    fs::create_directories(dir);
    torch::set_num_threads(1);

    torch::jit::Module small("Small");
    small.register_parameter("w", torch::linspace(-1.0, 1.0, 8).view({4, 2}), false);
    small.define("def forward(self, x):\n    return torch.matmul(x, self.w)\n");
    torch::manual_seed(1);
    torch::jit::Module large("Large");
    large.register_module("fc1", senn::testing::linear("Fc1", 784, 2048, 0.02));
    large.register_module("fc2", senn::testing::linear("Fc2", 2048, 2048, 0.02));
    large.register_module("fc3", senn::testing::linear("Fc3", 2048, 10, 0.02));
    large.define("def forward(self, x):\n    return self.fc3.forward(torch.relu(self.fc2.forward(torch.relu(self.fc1.forward(x)))))\n");

    for (auto& [name, module, data] :
         {std::tuple<std::string, torch::jit::Module, senn::data::Dataset>{"small", small, table(64, 4, 2)},
          {"large", large, table(64, 784, 10)}}) {
        const std::string file = (dir / (name + ".pt")).string();
        module.save(file);
        const torch::Tensor x = torch::zeros({2, data.featureCount()});
        torch::NoGradGuard noGrad;
        const double plain = medianMs([&] { torch::jit::load(file).forward({x}); });
        const double checked = medianMs([&] { senn::io::loadCheckedTorchScript(file, x).forward({x}); });
        const double probe = medianMs([&] { senn::io::probeTorchScript(file, x, fs::file_size(file)); });
        const double app = medianMs([&] { senn::io::loadTorchScript(file, data); });
        std::printf("%s (%.0f KB): jit::load + forward %.1f ms; guarded load + forward %.1f ms (x%.1f); "
                    "the probe alone %.1f ms; io::loadTorchScript %.1f ms\n",
                    name.c_str(), double(fs::file_size(file)) / 1e3, plain, checked, checked / plain, probe, app);
    }
    return 0;
}
