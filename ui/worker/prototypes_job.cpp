// PrototypesJob: the top-activating training rows of each concept of a SENN model.
#include "ui/worker/prototypes_job.h"

#include "ui/worker/core_worker.h"

#include "core/metrics/metrics.h"

namespace senn::ui {

void PrototypesJob::prototypes(int perConcept, const jobs::CancelToken& cancel)
{
    if (!requireModel(JobKind::Prototypes))
        return;
    if (!m_state.model.isSenn()) {
        emit m_out.jobFailed(JobKind::Prototypes, QStringLiteral("Concept prototypes need a SENN model."));
        return;
    }
    m_runner.run(JobKind::Prototypes, QStringLiteral("Concept prototypes"), [&] {
        emit m_out.prototypesReady(metrics::conceptPrototypes(m_state.model, *m_state.data, m_state.split.train,
                                                              perConcept, cancel));
        return false;
    });
}

} // namespace senn::ui
