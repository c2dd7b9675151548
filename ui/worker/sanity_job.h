// The worker's sanity-check job (core/metrics/sanity.h): the Sanity view's request over the
// points of a metric run, streamed after each step and kept up to the last step on cancel.
#pragma once
#include "ui/worker/sanity_results.h"
#include "ui/worker/worker_job.h"

namespace senn::ui {

class SanityJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    void run(const SanityRequest& request, const jobs::CancelToken& cancel);
};

} // namespace senn::ui
