// LibTorch's intra-op thread count during training: chosen by timing one batch when the user
// leaves it to the program, and restored when a trainer returns.
#include "core/train/train_internal.h"

#include "core/common/limits.h"
#include "core/models/torch_model.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>

namespace senn::train::detail {

// "Auto" intra-op threads (TrainConfig::threads 0): measured, not assumed. On small machines
// a second LibTorch thread made every model shipped here slower, even on idle cores, and many
// times slower beside other jobs, while larger layers on machines with more cores do gain (the
// figures are in docs/benchmarks.md). So one training batch is timed (forward and backward of
// the cross-entropy, three times after a warm-up) with every core and with one, and the cores
// are used only when that is clearly faster (by 15%). The choice is kept per process and
// architecture, so two trainings of one model in a run use the same count; the RNG state is
// restored and the gradients cleared: the training itself is unchanged.
int measuredIntraOpThreads(models::TorchModel& net, const torch::Tensor& xStdAll, const torch::Tensor& yAll,
                           const std::vector<int64_t>& train, size_t batch)
{
    const int cores = limits::hardwareThreads();
    if (cores <= 1 || train.empty() || net.device() != torch::kCPU)
        return 1;
    static std::mutex mutex;
    static std::map<std::string, int> chosen;
    const std::string key = net.describe() + "|" + std::to_string(batch);
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (auto it = chosen.find(key); it != chosen.end())
            return it->second;
    }
    auto gen = at::detail::getDefaultCPUGenerator();
    torch::Tensor rngState;
    {
        std::lock_guard<std::mutex> lock(gen.mutex());
        rngState = gen.get_state();
    }
    auto idx = indexTensor(train, 0, std::min(train.size(), batch));
    auto x = xStdAll.index_select(0, idx), y = yAll.index_select(0, idx);
    net.setTraining(true);
    auto seconds = [&](int threads) {
        at::set_num_threads(threads);
        std::vector<double> t;
        for (int r = 0; r < 4; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            torch::nn::functional::cross_entropy(net.logitsStd(x), y).backward();
            t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        std::sort(t.begin() + 1, t.end()); // t[0] was the warm-up
        return t[2];
    };
    const double many = seconds(cores), one = seconds(1);
    const int threads = many < 0.85 * one ? cores : 1;
    at::set_num_threads(threads);
    for (auto& p : net.parameters())
        if (p.grad().defined())
            p.mutable_grad() = torch::Tensor();
    {
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_state(rngState);
    }
    std::lock_guard<std::mutex> lock(mutex);
    chosen.emplace(key, threads);
    return threads;
}

IntraOpThreadsScope::IntraOpThreadsScope() : m_saved(at::get_num_threads()) {}

IntraOpThreadsScope::~IntraOpThreadsScope()
{
    at::set_num_threads(m_saved);
}

} // namespace senn::train::detail
