// The helpers of perturbation_internal.h: model outputs of perturbed rows written a chunk at
// a time, and the removal groups (values or patches) shared with removalCorrelation.
#include "core/metrics/perturbation_internal.h"

#include <algorithm>
#include <numeric>

namespace senn::metrics::detail {

namespace ed = explain::detail;

torch::Tensor outputsOfRows(const models::Model& model, int64_t n,
                            const std::function<void(int64_t, float*)>& fill, explain::Output output,
                            int target, int64_t budget, const jobs::CancelToken& cancel)
{
    jobs::ProgressFn none;
    ed::Run run{*model.impl(), none, cancel, "metric"};
    run.budget = budget > 0 ? budget : ed::defaultMemoryBudget();
    run.chunk = ed::chunkRowsFor(*model.impl(), 0, run.budget);
    ed::requireMemory(run, 0, "the metric");
    const int64_t d = model.featureCount();
    std::vector<torch::Tensor> parts;
    for (int64_t b = 0; b < n; b += run.chunk) {
        cancel.throwIfCancelled();
        const int64_t e = std::min(n, b + run.chunk);
        auto rows = torch::empty({e - b, d}, torch::kFloat32);
        float* pr = rows.data_ptr<float>();
        for (int64_t i = b; i < e; ++i)
            fill(i, pr + (i - b) * d);
        auto X = rows.reshape(ed::batchShape(*model.impl(), e - b));
        parts.push_back(target >= 0 ? ed::evalOutput(run, X, target, output) : ed::evalAll(run, X, output));
    }
    return torch::cat(parts, 0);
}

std::vector<int64_t> removalGroupsOf(const models::ModelImpl& impl, int64_t d, int64_t& count, int64_t& patch)
{
    const auto& shape = impl.meta().inputShape;
    std::vector<int64_t> group(static_cast<size_t>(d));
    patch = 0;
    if (shape.size() != 3 || d <= explain::kMaxPixelPlayers) {
        std::iota(group.begin(), group.end(), int64_t(0));
        count = d;
        return group;
    }
    const int64_t C = shape[0], H = shape[1], W = shape[2];
    patch = std::max<int64_t>(2, std::llround(double(std::min(H, W)) / 7.0));
    const int64_t cols = (W + patch - 1) / patch, rowsN = (H + patch - 1) / patch;
    for (int64_t c = 0; c < C; ++c)
        for (int64_t r = 0; r < H; ++r)
            for (int64_t q = 0; q < W; ++q)
                group[size_t((c * H + r) * W + q)] = (r / patch) * cols + q / patch;
    count = rowsN * cols;
    return group;
}

} // namespace senn::metrics::detail
