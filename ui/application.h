// Entry point of the GUI: sets up QApplication (name, organisation, settings, theme), the
// main window and its worker thread, opens a file given on the command line, runs the loop.
#pragma once

namespace senn::ui {
int runApplication(int argc, char** argv);
}
