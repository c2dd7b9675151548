// The worker's training job: trains a new model on the open dataset and split (the previous
// model stays usable until it is done, and a cancel keeps it), and gives back the model the
// last training replaced.
#pragma once
#include "ui/worker/worker_job.h"

namespace senn::ui {

class TrainJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    void train(const models::ModelConfig& config, const models::TrainConfig& trainConfig,
               const jobs::CancelToken& cancel);
    // Makes the replaced model current again (and keeps the newer one to swap back to).
    void restorePrevious();

private:
    // After a successful training that replaced a model of the same data: both accuracies.
    void compareWithReplaced(double newAccuracy);
};

} // namespace senn::ui
