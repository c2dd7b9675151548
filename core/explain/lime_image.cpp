#include "core/common/error.h"
#include "core/explain/explain_internal.h"

#include <opencv2/core.hpp>
#include <opencv2/ximgproc/slic.hpp>

#include <cmath>
#include <map>

namespace senn::explain::detail {

namespace {

int autoSegmentSize(int64_t h, int64_t w)
{
    // About 30 segments: a 28x28 digit gets region size 5 (~20-50 superpixels after SLIC).
    return std::max(2, int(std::lround(std::sqrt(double(h * w) / 30.0))));
}

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

// One segment id per pixel (H*W), ids 0..count-1. x: [C, H, W] float in [0, 1] (CPU).
std::vector<int> segmentImage(const torch::Tensor& x, const std::string& method, int size, int& count)
{
    const int64_t C = x.size(0), H = x.size(1), W = x.size(2);
    const int cell = size > 0 ? size : autoSegmentSize(H, W);
    std::vector<int> raw(static_cast<size_t>(H * W));
    if (method == "grid") {
        const int64_t cols = (W + cell - 1) / cell;
        for (int64_t r = 0; r < H; ++r)
            for (int64_t c = 0; c < W; ++c)
                raw[size_t(r * W + c)] = int((r / cell) * cols + c / cell);
    } else if (method == "slic" || method.empty()) {
        if (C > 4)
            throw Error("SLIC superpixels need an image with 1-4 channels; use --segmentation grid");
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
    } else {
        throw Error("unknown segmentation '" + method + "'; valid: slic, grid");
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

    const int64_t N = options.samples > 0 ? options.samples : 1000;
    auto gen = makeGenerator(options.seed);
    auto z = torch::randint(0, 2, {N, int64_t(S)}, gen, torch::kFloat32);
    z[0].fill_(1.0f);

    run.plannedRows = N;
    const Output out = outputFor(options);
    std::vector<torch::Tensor> ys;
    const auto zb = z.to(torch::kBool);
    const auto xs = flatX.unsqueeze(0), fs = fudged.unsqueeze(0);
    for (int64_t b = 0; b < N; b += run.chunk) {
        const int64_t e = std::min(N, b + run.chunk);
        // Segment masks as one gather and one select over the whole chunk (exactly x or the
        // segment mean per pixel, no arithmetic on the pixels).
        auto mask = zb.slice(0, b, e).index_select(1, segT).unsqueeze(1); // [n,1,HW]
        auto rows = torch::where(mask, xs, fs);
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
    e.diagnostics["slic"] = options.segmentation == "grid" ? 0 : 1;
    return e;
}

} // namespace senn::explain::detail
