// What the desktop app needs once at start-up, shared by app/main.cpp and MainWindow (which
// tests build without main()): the compiled-in resources and the way signals end the app.
#pragma once

namespace senn::ui {

class MainWindow;

// Registers the compiled-in resources (help pages, icons); safe to call more than once.
void initResources();

// SIGTERM, SIGINT and SIGHUP reach `window` as a request to quit (MainWindow::quitOnSignal),
// so a logout or `kill` closes the app as File > Quit does. Call once, from the GUI thread.
void quitOnSignals(MainWindow* window);

} // namespace senn::ui
