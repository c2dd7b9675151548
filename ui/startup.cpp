#include "ui/startup.h"

#include "ui/main_window.h"

#include <QObject>
#include <QSocketNotifier>

#include <csignal>

#include <sys/socket.h>
#include <unistd.h>

// Q_INIT_RESOURCE declares a function at file scope: it cannot be used inside a namespace.
static void initSennResources()
{
    Q_INIT_RESOURCE(senn);
}

namespace senn::ui {

namespace {

// Through a socket pair: a signal handler may only write a byte; the window's bounded wait for
// the worker then runs on the GUI thread.
int g_signalPipe[2] = {-1, -1};

extern "C" void onQuitSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[0], &byte, 1);
}

} // namespace

void initResources()
{
    static bool done = false;
    if (!done) {
        initSennResources();
        done = true;
    }
}

void quitOnSignals(MainWindow* window)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto* notifier = new QSocketNotifier(g_signalPipe[1], QSocketNotifier::Read, window);
    QObject::connect(notifier, &QSocketNotifier::activated, window, [window, notifier] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(g_signalPipe[1], &byte, 1);
        notifier->setEnabled(false);
        window->quitOnSignal();
    });
    struct sigaction sa = {};
    sa.sa_handler = onQuitSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int sig : {SIGTERM, SIGINT, SIGHUP})
        ::sigaction(sig, &sa, nullptr);
}

} // namespace senn::ui
