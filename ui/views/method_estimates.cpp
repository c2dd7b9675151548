// The rows a method needs come from core's own plan (core/explain/cost.h: samples, players,
// background, occlusion windows), so they are known before any timing and match the run.
#include "ui/views/method_estimates.h"

#include "core/explain/cost.h"
#include "core/explain/uncertainty.h"

#include <algorithm>
#include <cmath>

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

void MethodEstimates::setSeedRuns(int runs)
{
    m_seedRuns = std::clamp(runs, 1, explain::kMaxSeedRuns);
}

int MethodEstimates::runsOf(Method m) const
{
    if (m_seedRuns <= 1 || !m_data)
        return 1;
    return explain::drawsRandomly(m, m_options, explain::nominalPlayers(m_data->sampleShape, m_options)) ? m_seedRuns : 1;
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
    // The dataset's rows bound the training rows that a k-means or sampled background has.
    if (!m_data)
        return -1;
    const int64_t once = explain::estimatedModelRows(m, m_options, m_data->sampleShape, m_data->rows());
    return once < 0 ? once : once * runsOf(m);
}

double MethodEstimates::seconds(Method m) const
{
    // This model's own last time with this method is the best guess for the next example.
    if (const auto it = m_measured.find(m); it != m_measured.end())
        return it->second * runsOf(m);
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
        m_measured[m] = e.seconds / double(std::max(1, e.seedRuns)); // seconds and rows are totals
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
