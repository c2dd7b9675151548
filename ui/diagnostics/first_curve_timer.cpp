#include "ui/diagnostics/first_curve_timer.h"

#include "ui/main_window.h"
#include "ui/views/stability_view.h"

#include <QElapsedTimer>

#include <cstdio>
#include <memory>

namespace senn::ui {

void startFirstCurveTimer(MainWindow* window)
{
    auto clock = std::make_shared<QElapsedTimer>();
    auto logged = std::make_shared<bool>(true);
    // Connected after the window's own handler: a request without methods starts no run.
    QObject::connect(window->stabilityView(), &StabilityView::runRequested, window,
                     [clock, logged](const StabilityRequest& r) {
        if (r.methods.empty())
            return;
        clock->start();
        *logged = false;
    });
    QObject::connect(window, &MainWindow::stabilityUpdated, window, [clock, logged] {
        if (*logged)
            return;
        *logged = true;
        const qint64 ms = clock->isValid() ? clock->elapsed() : -1;
        std::fprintf(stderr, "timing: first stability curve drawn %lld ms after Run\n", static_cast<long long>(ms));
    });
}

} // namespace senn::ui
