// Instruments for benchmarks and visual checks, each off unless its environment variable is set:
// SENN_STALL_LOG (a heartbeat on the GUI thread that logs how long the event loop was blocked,
// and how long after Run the first stability curve came),
// SENN_SCREENSHOT_DIR (a scripted tour that saves every view as PNG), SENN_WORKER_NICE (a lower
// scheduling priority for the worker thread). They live in this folder; the product classes only
// call the hooks below. tests/bench/gui_stall.sh and the documentation's screenshots use them.
#pragma once

class QApplication;

namespace senn::ui {

class MainWindow;

// From main(), once the window is shown: starts the screenshot tour and the stall heartbeat
// when the environment asks for them.
void startDiagnostics(QApplication& app, MainWindow* window);

// With SENN_WORKER_NICE=N (N > 0), lowers the calling thread's scheduling priority by N
// (Linux: this thread only; threads it starts later inherit it), so the GUI thread wins the
// cores over the worker's training and explanation threads. Off by default: it
// showed no shorter stalls and slows the work on a busy machine.
void lowerCurrentThreadPriority();

} // namespace senn::ui
