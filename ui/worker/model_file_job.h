// The worker's model-file job: saving the current model, and opening a .senn or TorchScript
// file. A .senn model is fitted to its data the one way the CLI does it too
// (io::fitToModel): the open dataset when it fits, else the data file the model records.
#pragma once
#include "ui/worker/worker_job.h"

namespace senn::ui {

class ModelFileJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    void save(const QString& path);
    void open(const QString& path);
    void openTorchScript(const QString& path);

private:
    void adoptTorchScript(const QString& path, const char* remedy);
    void openSenn(const QString& path);
};

} // namespace senn::ui
