// Row counts per method mirror how core sizes each explainer (superpixels on images, the
// background size, occlusion windows): the rows a method needs are known before any timing.
#include "ui/views/method_estimates.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace senn::ui {

using explain::Method;

namespace {
// Perturbation methods evaluate the model on hundreds to millions of rows per example; they run
// only when asked for (Explain), never because the example changed.
bool isPerturbation(Method m)
{
    return m == Method::Lime || m == Method::KernelShap || m == Method::Shapley || m == Method::Occlusion;
}

// One model row (a forward pass, or one with its gradient) per explanation.
bool isSingleRow(Method m)
{
    return m == Method::Senn || m == Method::Saliency || m == Method::GradInput || m == Method::Flint;
}
} // namespace

void MethodEstimates::setData(std::shared_ptr<const data::Dataset> data)
{
    m_data = std::move(data);
    forget();
}

void MethodEstimates::forget()
{
    m_measured.clear();
    m_rowSecondsForward = m_rowSecondsGradient = -1;
}

void MethodEstimates::setOptions(const explain::ExplainOptions& options)
{
    m_options = options;
    m_measured.clear(); // other samples, steps or background: other times
}

bool MethodEstimates::runsAutomatically(Method m, double budget) const
{
    if (isPerturbation(m))
        return false;
    const bool image = m_data && m_data->isImage();
    // Small images (MNIST, 8x8 digits) take IG's and SmoothGrad's 50 rows in no time.
    const bool smallInput = m_data && m_data->featureCount() <= 3 * 32 * 32;
    const double est = seconds(m);
    return est >= 0 ? est <= budget : (!image || isSingleRow(m) || smallInput);
}

int64_t MethodEstimates::rows(Method m) const
{
    if (!m_data)
        return -1;
    const auto& d = *m_data;
    const bool image = d.isImage();
    const int64_t features = std::max<int64_t>(1, d.featureCount());
    // Images are explained over superpixels (LIME, SHAP) or windows (occlusion), not pixels.
    const int64_t players = image ? 100 : features;
    int64_t background = 10; // KernelSHAP's and Shapley's default: k-means with 10 centres
    const std::string& bg = m_options.background;
    if (bg == "mean" || bg == "zeros")
        background = 1;
    else if (const auto colon = bg.find(':'); colon != std::string::npos)
        background = std::max<int64_t>(1, std::atoll(bg.c_str() + colon + 1));
    switch (m) {
    case Method::Senn:
    case Method::Saliency:
    case Method::GradInput:
    case Method::Flint:
        return 1;
    case Method::IntegratedGradients:
        return std::max(1, m_options.igSteps);
    case Method::SmoothGrad:
        return std::max(1, m_options.smoothGradSamples);
    case Method::Lime:
        return m_options.samples > 0 ? m_options.samples : (image ? 1000 : 5000);
    case Method::KernelShap:
        return (m_options.samples > 0 ? m_options.samples : 2 * players + 2048) * background;
    case Method::Shapley:
        if (players <= std::min(m_options.exactShapleyMaxFeatures, 40) && m_options.permutations <= 0)
            return (int64_t(1) << players) * background;
        return std::max(m_options.permutations, 100) * players * background;
    case Method::Occlusion: {
        if (!image || d.sampleShape.size() < 2)
            return features + 1;
        const int64_t H = d.sampleShape[d.sampleShape.size() - 2], W = d.sampleShape.back();
        // 0 = auto, as core resolves it: a window of a seventh of the side, half that stride.
        const int64_t window = m_options.occlusionWindow > 0
            ? m_options.occlusionWindow : std::max<int64_t>(4, std::llround(double(std::min(H, W)) / 7.0));
        const int64_t stride = m_options.occlusionStride > 0 ? m_options.occlusionStride
                                                              : std::max<int64_t>(1, window / 2);
        return ((H + stride - 1) / stride) * ((W + stride - 1) / stride) + 1;
    }
    }
    return -1;
}

double MethodEstimates::seconds(Method m) const
{
    // This model's own last time with this method is the best guess for the next example.
    if (const auto it = m_measured.find(m); it != m_measured.end())
        return it->second;
    const int64_t n = rows(m);
    if (n < 0)
        return -1;
    // A gradient row costs a forward and a backward pass: about three forward rows.
    const bool gradient = explain::isDifferentiable(m);
    double perRow = gradient ? m_rowSecondsGradient : m_rowSecondsForward;
    if (!(perRow > 0))
        perRow = gradient ? (m_rowSecondsForward > 0 ? 3 * m_rowSecondsForward : -1)
                          : (m_rowSecondsGradient > 0 ? m_rowSecondsGradient / 3 : -1);
    return perRow > 0 ? perRow * double(n) : -1;
}

void MethodEstimates::measure(const std::vector<explain::Explanation>& explanations)
{
    // Per-row times: the smallest over the methods of each kind (batched rows are cheapest, a
    // one-row method carries the call's overhead), so estimates err on the long side for
    // gradient methods run one row at a time and stay close for batched ones.
    double fwd = -1, grad = -1;
    for (const auto& e : explanations) {
        Method m;
        try {
            m = explain::methodFromId(e.method);
        } catch (...) {
            continue;
        }
        if (!(e.seconds >= 0) || !std::isfinite(e.seconds))
            continue;
        m_measured[m] = e.seconds;
        if (e.modelRows <= 0)
            continue;
        const double perRow = e.seconds / double(e.modelRows);
        double& slot = explain::isDifferentiable(m) ? grad : fwd;
        if (slot < 0 || perRow < slot)
            slot = perRow;
    }
    if (fwd > 0)
        m_rowSecondsForward = fwd;
    if (grad > 0)
        m_rowSecondsGradient = grad;
}

void MethodEstimates::notes(double budget, std::map<Method, QString>* notes, std::map<Method, QString>* tips) const
{
    for (Method m : explain::allMethods()) {
        const double est = seconds(m);
        const int64_t n = rows(m);
        if (est >= 0)
            (*notes)[m] = formatSeconds(est);
        if (n > 0)
            (*tips)[m] = est >= 0 ? tr("About %L1 model rows per example, %2 on this model%3")
                                     .arg(n).arg(formatSeconds(est))
                                     .arg(isPerturbation(m) || est > budget
                                              ? tr("; runs when you press Explain") : QString())
                               : tr("About %L1 model rows per example%2").arg(n)
                                     .arg(isPerturbation(m) ? tr("; runs when you press Explain") : QString());
    }
}

QString MethodEstimates::formatSeconds(double s)
{
    if (s < 0.95)
        return tr("~%1 ms").arg(std::max(1.0, std::round(s * 1000 / 10) * 10), 0, 'f', 0);
    if (s < 60)
        return tr("~%1 s").arg(s, 0, 'f', s < 10 ? 1 : 0);
    if (s < 3600)
        return tr("~%1 min").arg(s / 60, 0, 'f', 0);
    return tr("~%1 h").arg(s / 3600, 0, 'f', 1);
}

} // namespace senn::ui
