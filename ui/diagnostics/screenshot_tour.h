// A scripted walk through every view (train a small model, explain, prototypes, stability,
// faithfulness) that saves a PNG of each view and quits: for the docs' screenshots and for
// looking at the real window under Xvfb. Started by SENN_SCREENSHOT_DIR.
#pragma once
#include <QString>

namespace senn::ui {

class MainWindow;

// Waits for the dataset given on the command line, then runs the tour; epochs <= 0 means 2.
void startScreenshotTour(MainWindow* window, const QString& dir, const QString& prefix, int epochs);

} // namespace senn::ui
