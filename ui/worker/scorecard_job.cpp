// ScorecardJob: runs metrics::scorecard on the current model and data with the pool of the
// Threads setting. Partial results are summarised here, at most every 250 ms, because the
// bootstrap of every cell is the costly part of a summary and core streams every point.
#include "ui/worker/scorecard_job.h"

#include "ui/worker/core_worker.h"

#include "core/metrics/external_attributions.h"
#include "core/metrics/metrics.h"

#include <QElapsedTimer>

#include <algorithm>
#include <memory>

namespace senn::ui {

void registerScorecardTypes()
{
    qRegisterMetaType<senn::ui::ScorecardRequest>();
    qRegisterMetaType<senn::metrics::ScorecardResult>();
}

void ScorecardJob::run(const ScorecardRequest& request, const jobs::CancelToken& cancel)
{
    if (!requireModel(JobKind::Scorecard))
        return;
    m_runner.run(JobKind::Scorecard, QStringLiteral("Scorecard (%1 points)").arg(request.points), [&] {
        metrics::ScorecardOptions so;
        so.measures = request.measures;
        so.bootstrap = request.bootstrap;
        so.threads = m_state.poolThreads.load();
        so.keepPartialOnCancel = true;
        // Opened here, on the worker thread: the header checks read the files.
        so.external = metrics::openAttributions(request.attributions, *m_state.data, m_state.split);
        auto since = std::make_shared<QElapsedTimer>();
        so.partial = [this, since](const metrics::ScorecardResult& partial) {
            if (since->isValid() && since->elapsed() < 250)
                return;
            since->start();
            auto shown = partial;
            metrics::summarizeScorecard(shown);
            emit m_out.scorecardPartial(shown);
        };
        auto options = request.options;
        options.seed = request.seed; // the run's one seed
        // The points of every metric run (`senn scorecard --points N` takes the same rows).
        const auto points = metrics::pickPoints(metrics::metricRows(m_state.split), std::max(1, request.points));
        auto r = metrics::scorecard(request.methods, m_state.model, *m_state.ctx, points, options, so,
                                    m_runner.progressFor(JobKind::Scorecard), cancel);
        if (r.cancelled)
            emit m_out.log(QStringLiteral("Scorecard cancelled: the finished points are kept"));
        emit m_out.scorecardReady(r);
        return r.cancelled;
    });
}

} // namespace senn::ui
