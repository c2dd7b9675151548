// MetricsJob: stability and faithfulness runs on a pool of the Threads setting, streaming
// partial results to the views and keeping them on cancel.
#include "ui/worker/metrics_job.h"

#include "ui/worker/core_worker.h"

#include "core/metrics/external_attributions.h"
#include "core/metrics/metrics.h"

#include <algorithm>

namespace senn::ui {

namespace {

// A partial result callback that lets the first result through at once and later ones at
// most every 120 ms (each is a copy of the whole result so far).
template <class Result, class Emit> std::function<void(const Result&)> streamEvery120ms(Emit emitPartial)
{
    auto since = std::make_shared<QElapsedTimer>();
    return [since, emitPartial](const Result& partial) {
        if (since->isValid() && since->elapsed() < 120)
            return;
        since->start();
        emitPartial(partial);
    };
}

} // namespace

std::vector<int64_t> MetricsJob::points(int n) const
{
    // Core's rule, shared with `senn stability|faithfulness --points N`.
    return metrics::pickPoints(metrics::metricRows(m_state.split), std::max(1, n));
}

void MetricsJob::stability(const StabilityRequest& request, const jobs::CancelToken& cancel)
{
    if (!requireModel(JobKind::Stability))
        return;
    m_runner.run(JobKind::Stability, QStringLiteral("Stability (%1 points)").arg(request.points), [&] {
        // Points run in parallel on a pool of the Threads setting (LibTorch's thread count).
        metrics::StabilityOptions so;
        so.draws = request.draws;
        so.threads = m_state.poolThreads.load();
        so.keepPartialOnCancel = true;
        so.partial = streamEvery120ms<metrics::StabilityResult>(
            [this](const metrics::StabilityResult& r) { emit m_out.stabilityPartial(r); });
        // The view's seed is the run's one seed (core derives every draw from options.seed).
        auto options = request.options;
        options.seed = request.seed;
        auto r = metrics::stabilityCurves(request.methods, m_state.model, *m_state.ctx, points(request.points),
                                          request.eps, options, so, m_runner.progressFor(JobKind::Stability), cancel);
        if (r.cancelled) {
            int done = 0, total = 0;
            for (const auto& [id, c] : r.methods) {
                done += c.pointsDone;
                total += int(r.points.size());
            }
            emit m_out.log(QStringLiteral("Stability cancelled: kept %1 of %2 (method, point) results").arg(done).arg(total));
        }
        emit m_out.stabilityReady(r);
        return r.cancelled;
    });
}

void MetricsJob::faithfulness(const std::vector<explain::Method>& methods, int n, uint64_t seed,
                              explain::ExplainOptions options, const jobs::CancelToken& cancel,
                              const std::vector<std::string>& measures,
                              const std::vector<metrics::AttributionSource>& attributions)
{
    if (!requireModel(JobKind::Faithfulness))
        return;
    m_runner.run(JobKind::Faithfulness, QStringLiteral("Faithfulness (%1 points)").arg(n), [&] {
        metrics::FaithfulnessOptions fo;
        fo.threads = m_state.poolThreads.load();
        fo.keepPartialOnCancel = true;
        fo.measures = measures;
        fo.partial = streamEvery120ms<metrics::FaithfulnessResult>(
            [this](const metrics::FaithfulnessResult& r) { emit m_out.faithfulnessPartial(r); });
        options.seed = seed; // the run's one seed
        // Opened here, on the worker thread: the header checks read the files.
        const auto external = metrics::openAttributions(attributions, *m_state.data, m_state.split);
        auto r = metrics::faithfulness(methods, external, m_state.model, *m_state.ctx, points(n), options, fo,
                                       m_runner.progressFor(JobKind::Faithfulness), cancel);
        if (r.cancelled)
            emit m_out.log(QStringLiteral("Faithfulness cancelled: the finished points are kept"));
        emit m_out.faithfulnessReady(r);
        return r.cancelled;
    });
}

} // namespace senn::ui
