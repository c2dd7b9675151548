#include "core/common/error.h"
#include "core/metrics/metrics_internal.h"

#include <algorithm>
#include <numeric>

namespace senn::metrics {

Prototypes conceptPrototypes(const models::Model& model, const data::Dataset& data,
                             const std::vector<int64_t>& rows, int l, const jobs::CancelToken& cancel)
{
    auto implPtr = model.impl();
    if (!implPtr || !implPtr->isSenn())
        throw Error("concept prototypes need a SENN model: other models have no concepts");
    if (rows.empty())
        throw Error("concept prototypes: no training rows to search");
    auto& impl = *implPtr;
    const int64_t d = data.featureCount(), n = int64_t(rows.size());
    torch::NoGradGuard noGrad;
    impl.setTraining(false);
    std::vector<torch::Tensor> hs;
    const int64_t chunk = 1024;
    for (int64_t b = 0; b < n; b += chunk) {
        cancel.throwIfCancelled();
        const int64_t e = std::min(n, b + chunk);
        auto X = torch::empty({e - b, d}, torch::kFloat32);
        for (int64_t i = b; i < e; ++i)
            X[i - b].copy_(torch::from_blob(const_cast<float*>(data.row(rows[size_t(i)])), {d}, torch::kFloat32));
        auto out = impl.senn(X.reshape(explain::detail::batchShape(impl, e - b)).to(impl.device()));
        hs.push_back(out.h.reshape({e - b, -1}).to(torch::kCPU, torch::kFloat32));
    }
    auto H = torch::cat(hs, 0).contiguous(); // [n, k]
    Prototypes p;
    p.k = H.size(1);
    const int64_t take = std::min<int64_t>(std::max(1, l), n);
    for (int64_t c = 0; c < p.k; ++c) {
        auto col = H.select(1, c).contiguous();
        const float* v = col.data_ptr<float>();
        std::vector<int64_t> idx(static_cast<size_t>(n));
        std::iota(idx.begin(), idx.end(), 0);
        std::stable_sort(idx.begin(), idx.end(), [&](int64_t a, int64_t b) { return v[a] > v[b]; });
        std::vector<int64_t> top, bottom;
        std::vector<float> topV, bottomV;
        for (int64_t r = 0; r < take; ++r) {
            top.push_back(rows[size_t(idx[size_t(r)])]);
            topV.push_back(v[idx[size_t(r)]]);
            const int64_t j = idx[size_t(n - 1 - r)];
            bottom.push_back(rows[size_t(j)]);
            bottomV.push_back(v[j]);
        }
        p.top.push_back(top);
        p.bottom.push_back(bottom);
        p.topValue.push_back(topV);
        p.bottomValue.push_back(bottomV);
    }
    return p;
}

} // namespace senn::metrics
