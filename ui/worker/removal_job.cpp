// RemovalJob: metrics::removalCorrelation for each explanation of one example, cancellable
// between methods; a method whose curve fails keeps an empty one so the others still show.
#include "ui/worker/removal_job.h"

#include "ui/worker/core_worker.h"

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
                example.removal[i] = metrics::removalCorrelation(m_state.model, ctx, example.input.data(), e,
                                                                 e.baseline.empty() ? ctx.stats.mean : e.baseline);
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
