// The frame every worker job runs in: started/finished/failed signals, cancellation and
// errors turned into messages a person can read, and progress thinned out for the GUI.
// Job classes (worker_job.h) run their bodies through one JobRunner shared by the worker.
#pragma once
#include "ui/worker/results.h"

#include "core/jobs/job.h"

#include <QElapsedTimer>
#include <QString>

#include <functional>

namespace senn::ui {

class CoreWorker;

class JobRunner {
public:
    explicit JobRunner(CoreWorker& out);
    // Runs body() as one job of `kind`, described by `what` in the log. body returns true
    // when it was cancelled; jobs::Cancelled thrown from it counts as cancelled as well.
    void run(JobKind kind, const QString& what, const std::function<bool()>& body);
    // Progress for the GUI: at most ~20 updates a second; the end of a job always arrives.
    jobs::ProgressFn progressFor(JobKind kind);

private:
    void fail(JobKind kind, const QString& what, const QString& message);

    CoreWorker& m_out;
    QElapsedTimer m_throttle;
};

// Lets a training's batch reports through at most every 50 ms: the first one, and every
// epoch's end, always.
class BatchThrottle {
public:
    BatchThrottle() { m_since.start(); }
    bool admit(bool epochEnd);

private:
    QElapsedTimer m_since;
    bool m_first = true;
};

} // namespace senn::ui
