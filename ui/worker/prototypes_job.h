// The worker's concept-prototypes job: for each concept of a SENN model, the training rows
// that activate it most.
#pragma once
#include "ui/worker/worker_job.h"

namespace senn::ui {

class PrototypesJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    void prototypes(int perConcept, const jobs::CancelToken& cancel);
};

} // namespace senn::ui
