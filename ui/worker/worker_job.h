// The base of the worker's job classes: one subclass per job kind (dataset, training, model
// files, explanation, metrics, prototypes, FLINT, RRR), each in its own *_job.{h,cpp}. A job
// reads and changes the WorkerState, runs through the JobRunner and answers through the
// CoreWorker's signals; it runs on the worker thread and stops at the CancelToken it is given.
#pragma once
#include "ui/worker/job_runner.h"
#include "ui/worker/worker_state.h"

namespace senn::ui {

class CoreWorker;

class WorkerJob {
public:
    WorkerJob(CoreWorker& out, WorkerState& state, JobRunner& runner)
        : m_out(out), m_state(state), m_runner(runner) {}
    virtual ~WorkerJob() = default;
    WorkerJob(const WorkerJob&) = delete;
    WorkerJob& operator=(const WorkerJob&) = delete;

protected:
    // False (after jobFailed) when there is no model, or, for anything but saving, no data
    // the model was opened or trained with.
    bool requireModel(JobKind kind);

    CoreWorker& m_out; // its signals carry the results to the GUI
    WorkerState& m_state;
    JobRunner& m_runner;
};

} // namespace senn::ui
