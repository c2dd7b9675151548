// Entry point of the GUI: sets up QApplication (name, organisation, settings, icon), the main
// window and its worker thread, opens a file given on the command line, runs the loop.
#pragma once

namespace senn::ui {

int runApplication(int argc, char** argv);

// With SENN_WORKER_NICE=N (N > 0), lowers the calling thread's scheduling priority by N
// (Linux: this thread only; threads it starts later inherit it), so the GUI thread wins the
// cores over the worker's training and explanation threads. Off by default: it
// showed no shorter stalls and slows the work on a busy machine.
void lowerCurrentThreadPriority();

// Registers the compiled-in resources (help pages, icons); safe to call more than once.
void initResources();

} // namespace senn::ui
