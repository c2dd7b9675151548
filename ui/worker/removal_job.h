// The worker's removal-curve job: the Faithfulness view's "removal curve of the current
// example", computed for an explanation that has already arrived, and only when that view
// shows it (each curve costs about one model row per feature or patch).
#pragma once
#include "ui/worker/worker_job.h"

namespace senn::ui {

class RemovalJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    // Fills example.removal (one result per explanation) and emits removalReady with it.
    void curves(ExplainResult example, const jobs::CancelToken& cancel);
};

} // namespace senn::ui
