// SanityJob: runs metrics::sanityChecks on the current model and data with the pool of the
// Threads setting; each finished step goes to the view at once (steps take seconds each).
#include "ui/worker/sanity_job.h"

#include "ui/worker/core_worker.h"

#include "core/metrics/metrics.h"

#include <algorithm>

namespace senn::ui {

void registerSanityTypes()
{
    qRegisterMetaType<senn::ui::SanityRequest>();
    qRegisterMetaType<senn::metrics::SanityResult>();
}

void SanityJob::run(const SanityRequest& request, const jobs::CancelToken& cancel)
{
    if (!requireModel(JobKind::Sanity))
        return;
    m_runner.run(JobKind::Sanity, QStringLiteral("Sanity checks (%1 points)").arg(request.points), [&] {
        metrics::SanityOptions so;
        so.mode = request.mode;
        so.randomLogit = request.randomLogit;
        so.dataRandomisation = request.dataRandomisation;
        so.epochs = request.epochs;
        so.split = &m_state.split;
        so.threads = m_state.poolThreads.load();
        so.keepPartialOnCancel = true;
        so.partial = [this](const metrics::SanityResult& r) { emit m_out.sanityPartial(r); };
        auto options = request.options;
        options.seed = request.seed; // the run's one seed
        // The points of every metric run (`senn sanity --points N` takes the same rows).
        const auto points = metrics::pickPoints(metrics::metricRows(m_state.split), std::max(1, request.points));
        auto r = metrics::sanityChecks(request.methods, m_state.model, *m_state.ctx, points, options, so,
                                       m_runner.progressFor(JobKind::Sanity), cancel);
        if (r.cancelled)
            emit m_out.log(QStringLiteral("Sanity checks cancelled: kept %1 of %2 steps")
                               .arg(r.stepsDone).arg(r.steps.size()));
        emit m_out.sanityReady(r);
        return r.cancelled;
    });
}

} // namespace senn::ui
