// Entry point of the GUI: sets up QApplication (name, organisation, settings, icon), the main
// window and its worker thread, opens a file given on the command line, runs the loop.
#pragma once

namespace senn::ui {

int runApplication(int argc, char** argv);

// Registers the compiled-in resources (help pages, icons); safe to call more than once.
void initResources();

} // namespace senn::ui
