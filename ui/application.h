// Entry point of the GUI: sets up QApplication (name, organisation, settings, icon), the main
// window and its worker thread, opens a file given on the command line, runs the loop.
#pragma once

namespace senn::ui {

int runApplication(int argc, char** argv);

// Lowers the calling thread's scheduling priority (Linux: nice +10 for this thread only;
// threads it starts later inherit it), so the GUI thread wins the cores over the worker's
// training and explanation threads and the event loop does not stall (issue 9).
void lowerCurrentThreadPriority();

// Registers the compiled-in resources (help pages, icons); safe to call more than once.
void initResources();

} // namespace senn::ui
