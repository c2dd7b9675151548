#include "core/common/error.h"
#include "core/common/fast_rng.h"
#include "core/explain/cost.h"
#include "core/explain/explain_internal.h"

#include <opencv2/core.hpp>
#include <opencv2/ximgproc/slic.hpp>

#include <cmath>
#include <cstring>
#include <map>
#include <mutex>

namespace senn::explain::detail {

namespace {

std::vector<int> relabel(const std::vector<int>& raw, int& count)
{
    std::map<int, int> ids;
    std::vector<int> out(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        auto it = ids.find(raw[i]);
        if (it == ids.end())
            it = ids.emplace(raw[i], int(ids.size())).first;
        out[i] = it->second;
    }
    count = int(ids.size());
    return out;
}

} // namespace

bool usesSlic(const std::string& method, int64_t channels)
{
    return method != "grid" && channels <= 4;
}

// One segment id per pixel (H*W), ids 0..count-1. x: [C, H, W] float in [0, 1] (CPU).
std::vector<int> segmentImage(const torch::Tensor& x, const std::string& method, int size, int& count)
{
    const int64_t C = x.size(0), H = x.size(1), W = x.size(2);
    const int cell = superpixelCell(H, W, size);
    std::vector<int> raw(static_cast<size_t>(H * W));
    if (method != "grid" && method != "slic" && !method.empty())
        throw Error("unknown segmentation '" + method + "'; valid: slic, grid");
    // SLIC works on 1-4 channels; other images (e.g. 5-band or stacked inputs) are segmented on
    // the grid instead, and the explanation's "slic" diagnostic says which was used.
    if (!usesSlic(method, C)) {
        const int64_t cols = (W + cell - 1) / cell;
        for (int64_t r = 0; r < H; ++r)
            for (int64_t c = 0; c < W; ++c)
                raw[size_t(r * W + c)] = int((r / cell) * cols + c / cell);
    } else {
        // OpenCV's own thread pool costs more than it saves on the images LIME explains: SLIC
        // on a digit is several times faster on one thread (docs/benchmarks.md).
        // OpenCV serves only image decoding and SLIC here, and the stability and faithfulness
        // engines already run test points in parallel, so the process keeps OpenCV serial.
        static std::once_flag serialOpenCv;
        std::call_once(serialOpenCv, [] { cv::setNumThreads(1); });
        auto hwc = (x.permute({1, 2, 0}).clamp(0, 1) * 255.0).round().to(torch::kUInt8).contiguous();
        cv::Mat img(int(H), int(W), CV_8UC(int(C)), hwc.data_ptr<uint8_t>());
        auto slic = cv::ximgproc::createSuperpixelSLIC(img, cv::ximgproc::SLIC, cell, 10.0f);
        slic->iterate(10);
        slic->enforceLabelConnectivity(25);
        cv::Mat labels;
        slic->getLabels(labels);
        for (int r = 0; r < int(H); ++r)
            for (int c = 0; c < int(W); ++c)
                raw[size_t(r * W + c)] = labels.at<int>(r, c);
    }
    return relabel(raw, count);
}

Explanation explainLimeImage(Run& run, const ExplainContext&, const torch::Tensor& xIn, int target,
                             const ExplainOptions& options)
{
    const auto& shape = run.impl.meta().inputShape;
    if (shape.size() != 3)
        throw Error("image LIME needs [C, H, W] inputs");
    const int64_t C = shape[0], H = shape[1], W = shape[2], HW = H * W;
    auto x = xIn.reshape({C, H, W}).to(torch::kCPU, torch::kFloat32).contiguous();
    int S = 0;
    auto seg = segmentImage(x, options.segmentation, options.segmentSize, S);
    auto segT = torch::tensor(std::vector<int64_t>(seg.begin(), seg.end()), torch::kLong);

    // Hidden segments take the segment's mean colour (lime's default hide_color=None).
    auto flatX = x.view({C, HW});
    auto counts = torch::zeros({S}, torch::kFloat32).index_add_(0, segT, torch::ones({HW}));
    auto sums = torch::zeros({C, S}, torch::kFloat32).index_add_(1, segT, flatX);
    auto fudged = (sums / counts.unsqueeze(0)).index_select(1, segT); // [C, HW]

    const int64_t N = limeSamples(options, true);
    // z ~ Bernoulli(0.5) per segment, one bit of FastRng each; row 0 is the instance itself.
    auto z = torch::empty({N, int64_t(S)}, torch::kFloat32);
    {
        float* pz = z.data_ptr<float>();
        senn::FastRng rng(options.seed);
        uint64_t bits = 0;
        int left = 0;
        for (int64_t i = 0; i < N * S; ++i) {
            if (left == 0) {
                bits = rng.next();
                left = 64;
            }
            pz[i] = float(bits & 1u);
            bits >>= 1;
            --left;
        }
        std::fill(pz, pz + S, 1.0f);
    }

    run.plannedRows = N;
    const Output out = options.output;
    std::vector<torch::Tensor> ys;
    // Each pixel is exactly x or its segment's mean, picked by the row's bit for the pixel's
    // segment, as bits: row = f ^ ((x ^ f) & m) with m all ones where the segment is shown. One
    // branch-free pass writes the rows (a gathered mask and torch::where over the chunk cost
    // as much as the model's forward).
    const float* pz = z.data_ptr<float>();
    auto fudgedC = fudged.contiguous();
    std::vector<uint32_t> fBits(size_t(C * HW)), dBits(size_t(C * HW));
    {
        const float* px = flatX.data_ptr<float>();
        const float* pf = fudgedC.data_ptr<float>();
        std::memcpy(fBits.data(), pf, fBits.size() * sizeof(float));
        std::memcpy(dBits.data(), px, dBits.size() * sizeof(float));
        for (size_t i = 0; i < dBits.size(); ++i)
            dBits[i] ^= fBits[i];
    }
    for (int64_t b = 0; b < N; b += run.chunk) {
        const int64_t e = std::min(N, b + run.chunk);
        auto rows = torch::empty({e - b, C, HW}, torch::kFloat32);
        auto* pr = reinterpret_cast<uint32_t*>(rows.data_ptr<float>());
        at::parallel_for(b, e, 32, [&](int64_t r0, int64_t r1) {
            std::vector<uint32_t> shown(static_cast<size_t>(S));
            for (int64_t r = r0; r < r1; ++r) {
                for (int s = 0; s < S; ++s)
                    shown[size_t(s)] = pz[r * S + s] != 0.0f ? 0xffffffffu : 0u;
                uint32_t* dst = pr + (r - b) * C * HW;
                for (int64_t c = 0; c < C; ++c) {
                    const uint32_t* fc = fBits.data() + c * HW;
                    const uint32_t* dc = dBits.data() + c * HW;
                    uint32_t* oc = dst + c * HW;
                    for (int64_t p = 0; p < HW; ++p)
                        oc[p] = fc[p] ^ (dc[p] & shown[size_t(seg[size_t(p)])]);
                }
            }
        });
        ys.push_back(evalOutput(run, rows.view({e - b, C, H, W}), target, out));
    }
    auto y = torch::cat(ys, 0);

    auto zd = z.to(torch::kFloat64);
    auto norms = zd.pow(2).sum(1).sqrt();
    auto cosSim = zd.sum(1) / (norms * std::sqrt(double(S)));
    auto dist = torch::where(norms > 0, 1 - cosSim, torch::ones_like(norms));
    const double width = options.limeKernelWidth > 0 ? options.limeKernelWidth : 0.25;
    auto w = torch::exp(-dist.pow(2) / (2 * width * width));
    auto fit = weightedRidgeIndicators(zd, y, w, 1.0); // z is 0/1: segments off/on

    Explanation e;
    auto perPixel = fit.coef.to(torch::kFloat32).index_select(0, segT); // [HW]
    e.values = models::toVector(perPixel.unsqueeze(0).expand({C, HW}).contiguous());
    e.shape = shape;
    e.segments = seg;
    e.diagnostics["r2"] = fit.r2;
    e.diagnostics["intercept"] = fit.intercept;
    e.diagnostics["local_prediction"] = predictRidge(fit, zd[0]);
    e.diagnostics["model_prediction"] = y[0].item<double>();
    e.diagnostics["segments"] = double(S);
    e.diagnostics["samples"] = double(N);
    e.diagnostics["kernel_width"] = width;
    e.diagnostics["slic"] = usesSlic(options.segmentation, C) ? 1 : 0;
    return e;
}

} // namespace senn::explain::detail
