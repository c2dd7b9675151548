// RemovalJob: metrics::removalCorrelation and the deletion, insertion and ROAD curves for each
// explanation of one example, cancellable between methods; a method whose curves fail keeps
// empty ones so the others still show.
#include "ui/worker/removal_job.h"

#include "ui/worker/core_worker.h"

#include "core/metrics/removal_curves.h"

namespace senn::ui {

void RemovalJob::curves(ExplainResult example, const jobs::CancelToken& cancel)
{
    if (cancel.isCancelled()) // superseded while queued (a newer example or model)
        return;
    if (!requireModel(JobKind::Removal))
        return;
    m_runner.run(JobKind::Removal, QStringLiteral("Removal curves of row %1").arg(example.request.row), [&] {
        const explain::ExplainContext& ctx = *m_state.ctx;
        const size_t n = example.explanations.size();
        auto progress = m_runner.progressFor(JobKind::Removal);
        example.removal.assign(n, {});
        for (size_t i = 0; i < n; ++i) {
            cancel.throwIfCancelled();
            const auto& e = example.explanations[i];
            try {
                progress({double(i) / double(n), "removal",
                          "Removal curve of " + explain::methodDisplayName(explain::methodFromId(e.method))});
                const auto& baseline = e.baseline.empty() ? ctx.stats.mean : e.baseline;
                auto r = metrics::removalCorrelation(m_state.model, ctx, example.input.data(), e, baseline);
                // ROAD's noise follows the explained row and the explanation's seed, as in a
                // faithfulness run's draws for that row.
                metrics::CurveOptions co;
                co.seed = example.request.options.seed;
                co.row = std::max<int64_t>(0, example.request.row);
                r.perturbation = metrics::perturbationCurves(m_state.model, ctx, example.input.data(), e, baseline, co, cancel);
                example.removal[i] = std::move(r);
            } catch (const std::exception& ex) {
                emit m_out.log(QStringLiteral("Removal curve for %1 failed: %2")
                                   .arg(QString::fromStdString(e.method), ex.what()));
            }
        }
        cancel.throwIfCancelled();
        emit m_out.removalReady(example);
        return false;
    });
}

} // namespace senn::ui
