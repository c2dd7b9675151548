// The worker's dataset job: opening a data file as the current dataset. A current model that
// fits the new data stays, with its own recorded split; one that does not is closed.
#pragma once
#include "ui/worker/worker_job.h"

namespace senn::ui {

class DatasetJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    void load(const QString& path, const QString& target, const jobs::CancelToken& cancel);
};

} // namespace senn::ui
