#include "core/common/error.h"
#include "core/explain/explain_internal.h"

#include <algorithm>
#include <cmath>

namespace senn::explain {

void occlusionGeometry(int64_t H, int64_t W, const ExplainOptions& options, int64_t& window, int64_t& stride)
{
    // A window of a fixed pixel count that suits a 28x28 digit gives a 224x224 photo 12,321
    // windows. A seventh of the side keeps MNIST's 4 and 2 and gives any larger image about
    // 170 windows (13 x 13), each interior pixel covered by four: a ResNet-18 evaluates them in
    // seconds, where a fourteenth (729 windows) took more than a minute and a half on 2 cores.
    const int64_t side = std::min(H, W);
    window = options.occlusionWindow > 0 ? options.occlusionWindow
                                         : std::max<int64_t>(4, std::llround(double(side) / 7.0));
    stride = options.occlusionStride > 0 ? options.occlusionStride : std::max<int64_t>(1, window / 2);
}

} // namespace senn::explain

namespace senn::explain::detail {

Explanation explainOcclusion(Run& run, const ExplainContext& ctx, const torch::Tensor& x, int target,
                             const ExplainOptions& options)
{
    const auto& shape = run.impl.meta().inputShape;
    const int64_t d = featureCount(run.impl);
    auto xf = x.reshape({d}).to(torch::kCPU, torch::kFloat32).contiguous();
    auto base = baselineRow(ctx, options, d).contiguous();
    // Windows as rectangles of the [C, H, W] image (all channels), or single tabular features.
    // Rows are written window by window for one chunk at a time: building every masked row at
    // once took rows x d floats (12,321 x 150,528 for a 224x224 photo) and several temporaries.
    const bool image = shape.size() == 3;
    const int64_t C = image ? shape[0] : 1, H = image ? shape[1] : 1, Wd = image ? shape[2] : d;
    int64_t win = 1, st = 1;
    if (image)
        occlusionGeometry(H, Wd, options, win, st);
    const int64_t wh = image ? std::min(win, H) : 1, ww = std::min(win, Wd);
    const int64_t ny = image ? (H - wh) / st + 1 : 1, nx = (Wd - ww) / st + 1;
    const int64_t nw = ny * nx;
    requireMemory(run, 4 * d * int64_t(sizeof(double)), "occlusion");
    run.plannedRows = nw + 1;
    const Output out = options.output;
    auto y0 = evalOutput(run, xf.view(batchShape(run.impl, 1)), target, out);
    const double f0 = y0[0].item<double>();

    const float* pb = base.data_ptr<float>();
    std::vector<double> sum(size_t(d), 0.0), count(size_t(d), 0.0);
    auto forWindow = [&](int64_t w, auto&& fn) { // fn(flat index) over the window's elements
        const int64_t i = w / nx, j = w % nx;
        const int64_t y0w = i * st, x0w = j * st;
        for (int64_t c = 0; c < C; ++c)
            for (int64_t r = y0w; r < y0w + wh; ++r)
                for (int64_t q = x0w; q < x0w + ww; ++q)
                    fn((c * H + r) * Wd + q);
    };
    for (int64_t w0 = 0; w0 < nw; w0 += run.chunk) {
        run.cancel.throwIfCancelled();
        const int64_t w1 = std::min(nw, w0 + run.chunk), n = w1 - w0;
        auto rows = xf.view({1, d}).repeat({n, 1});
        float* pr = rows.data_ptr<float>();
        for (int64_t w = w0; w < w1; ++w) {
            float* row = pr + (w - w0) * d;
            forWindow(w, [&](int64_t k) { row[k] = pb[k]; });
        }
        auto y = evalOutput(run, rows.view(batchShape(run.impl, n)), target, out); // reports progress
        const double* py = y.data_ptr<double>();
        for (int64_t w = w0; w < w1; ++w) {
            const double drop = f0 - py[w - w0];
            forWindow(w, [&](int64_t k) {
                sum[size_t(k)] += drop;
                count[size_t(k)] += 1;
            });
        }
    }
    Explanation e;
    e.values.resize(size_t(d));
    for (int64_t k = 0; k < d; ++k)
        e.values[size_t(k)] = count[size_t(k)] > 0 ? float(sum[size_t(k)] / count[size_t(k)]) : 0.0f;
    e.shape = shape;
    e.baseline = models::toVector(base);
    e.diagnostics["windows"] = double(nw);
    e.diagnostics["window"] = double(image ? win : 1);
    e.diagnostics["stride"] = double(image ? st : 1);
    e.diagnostics["model_prediction"] = f0;
    return e;
}

} // namespace senn::explain::detail
