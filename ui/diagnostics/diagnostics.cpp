#include "ui/diagnostics/diagnostics.h"

#include "ui/diagnostics/first_curve_timer.h"
#include "ui/diagnostics/screenshot_tour.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <memory>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace senn::ui {

namespace {
// SENN_STALL_LOG=FILE: a 10 ms heartbeat timer on the GUI thread measures how late
// it fires; every new longest stall over 50 ms and the longest at exit are appended to FILE
// ("-" = stderr), so a script can check that the event loop never blocks. Each line says how
// much of the stall the GUI thread itself ran (its CPU time: the rest it waited for a core)
// and the phase the screenshot tour set as the application's "sennPhase" property; stalls in
// the tour's own "screenshots" phase (grabbing and PNG-encoding every view) are not counted.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

void startStallHeartbeat(QApplication& app)
{
    const QString path = qEnvironmentVariable("SENN_STALL_LOG");
    if (path.isEmpty())
        return;
    auto write = [path](const QString& line) {
        if (path == QLatin1String("-")) {
            std::fprintf(stderr, "%s\n", qPrintable(line));
            return;
        }
        QFile f(path);
        if (f.open(QIODevice::Append | QIODevice::Text))
            f.write((line + '\n').toUtf8());
    };
    auto* timer = new QTimer(&app);
    timer->setTimerType(Qt::PreciseTimer);
    timer->setInterval(10);
    auto clock = std::make_shared<QElapsedTimer>();
    auto since = std::make_shared<QElapsedTimer>();
    auto longest = std::make_shared<qint64>(0);
    auto cpu = std::make_shared<double>(threadCpuMs());
    clock->start();
    since->start();
    QObject::connect(timer, &QTimer::timeout, &app, [&app, clock, since, longest, cpu, write] {
        const qint64 late = clock->restart() - 10; // ms beyond the interval
        const double cpuNow = threadCpuMs(), ran = cpuNow - *cpu;
        *cpu = cpuNow;
        const QString phase = app.property("sennPhase").toString();
        if (phase == QLatin1String("screenshots"))
            return;
        if (late > *longest) {
            *longest = late;
            if (late > 50)
                write(QStringLiteral("stall %1 ms at %2 s (GUI thread ran %3 ms of it%4) (longest so far)")
                          .arg(late).arg(since->elapsed() / 1000.0, 0, 'f', 2).arg(ran, 0, 'f', 0)
                          .arg(phase.isEmpty() ? QString() : QStringLiteral("; ") + phase));
        }
    });
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &app, [longest, write] {
        write(QStringLiteral("longest stall %1 ms").arg(*longest));
    });
    timer->start();
}
} // namespace

void lowerCurrentThreadPriority()
{
#ifdef __linux__
    // Off unless SENN_WORKER_NICE=N (N > 0) asks for it: on a loaded machine it did not shorten
    // the GUI's stalls (A/B in tests/bench/README.md), and a niced worker loses the cores to
    // every other process, so its jobs take several times longer.
    const int by = qEnvironmentVariableIntValue("SENN_WORKER_NICE");
    const auto tid = id_t(syscall(SYS_gettid));
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, tid);
    if (errno == 0 && by > 0)
        setpriority(PRIO_PROCESS, tid, std::min(nice + by, 19));
#endif
}

void startDiagnostics(QApplication& app, MainWindow* window)
{
    // SENN_SCREENSHOT_DIR: scripted tour that saves a PNG of every view (docs, visual checks).
    const QString shots = qEnvironmentVariable("SENN_SCREENSHOT_DIR");
    if (!shots.isEmpty())
        startScreenshotTour(window, shots, qEnvironmentVariable("SENN_SCREENSHOT_PREFIX"),
                            qEnvironmentVariableIntValue("SENN_SCREENSHOT_EPOCHS"));
    startStallHeartbeat(app);
    if (!qEnvironmentVariableIsEmpty("SENN_STALL_LOG"))
        startFirstCurveTimer(window);
}

} // namespace senn::ui
