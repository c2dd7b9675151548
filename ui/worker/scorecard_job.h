// The worker's scorecard job (core/metrics/scorecard.h): every method × measure over the
// points of a metric run, streamed (summarised) while it goes on and kept on cancel.
#pragma once
#include "ui/worker/scorecard_results.h"
#include "ui/worker/worker_job.h"

namespace senn::ui {

class ScorecardJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    void run(const ScorecardRequest& request, const jobs::CancelToken& cancel);
};

} // namespace senn::ui
