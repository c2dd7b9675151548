// WorkerJob: what every job kind checks before it runs on a model.
#include "ui/worker/worker_job.h"

#include "ui/worker/core_worker.h"

namespace senn::ui {

bool WorkerJob::requireModel(JobKind kind)
{
    if (!m_state.model.isValid()) {
        emit m_out.jobFailed(kind, QStringLiteral("No model: train one in the Model view or open a model file."));
        return false;
    }
    if (kind != JobKind::Save && (!m_state.data || !m_state.modelHasData || !m_state.ctx)) {
        emit m_out.jobFailed(kind, QStringLiteral("Open the model's dataset first."));
        return false;
    }
    return true;
}

} // namespace senn::ui
