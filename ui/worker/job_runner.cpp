// JobRunner and BatchThrottle: the signals around every job, the mapping of exceptions to
// messages, and the thinning of progress reports.
#include "ui/worker/job_runner.h"

#include "ui/worker/core_worker.h"

#include "core/common/error.h"
#include "core/common/files.h"

#include <new>

namespace senn::ui {

JobRunner::JobRunner(CoreWorker& out) : m_out(out)
{
    m_throttle.start();
}

void JobRunner::run(JobKind kind, const QString& what, const std::function<bool()>& body)
{
    emit m_out.jobStarted(kind, what);
    QElapsedTimer timer;
    timer.start();
    try {
        const bool cancelled = body();
        const double s = timer.elapsed() / 1000.0;
        emit m_out.log(QStringLiteral("%1 %2 in %3 s").arg(what, cancelled ? "cancelled" : "done")
                           .arg(s, 0, 'f', 2));
        emit m_out.jobFinished(kind, s, cancelled);
    } catch (const jobs::Cancelled&) {
        const double s = timer.elapsed() / 1000.0;
        emit m_out.log(QStringLiteral("%1 cancelled after %2 s").arg(what).arg(s, 0, 'f', 2));
        emit m_out.jobFinished(kind, s, true);
    } catch (const senn::Error& e) {
        fail(kind, what, QString::fromStdString(files::cleanMessage(e.what(), 1000)));
    } catch (const std::bad_alloc&) {
        fail(kind, what, QStringLiteral("Not enough memory for this job. Use a smaller dataset "
                                        "or fewer samples"));
    } catch (const std::exception& e) {
        // LibTorch's messages carry a C++ backtrace: cleanMessage keeps the first lines only.
        fail(kind, what, QStringLiteral("Unexpected error: %1")
                             .arg(QString::fromStdString(files::cleanMessage(e.what()))));
    }
}

void JobRunner::fail(JobKind kind, const QString& what, const QString& message)
{
    emit m_out.log(QStringLiteral("%1 failed: %2").arg(what, message));
    emit m_out.jobFailed(kind, message);
}

jobs::ProgressFn JobRunner::progressFor(JobKind kind)
{
    return [this, kind](const jobs::Progress& p) {
        if (p.fraction < 1.0 && m_throttle.elapsed() < 50)
            return;
        m_throttle.restart();
        emit m_out.jobProgress(kind, p.fraction, QString::fromStdString(p.message));
    };
}

bool BatchThrottle::admit(bool epochEnd)
{
    if (!m_first && !epochEnd && m_since.elapsed() < 50)
        return false;
    m_first = false;
    m_since.restart();
    return true;
}

} // namespace senn::ui
