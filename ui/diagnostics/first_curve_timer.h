// The first-curve instrument: with SENN_STALL_LOG set, stderr gets how long after Run the
// Stability view first showed a curve (the streamed results), once per run.
// tests/bench/gui_stall.sh reads the line; startDiagnostics() connects it.
#pragma once

namespace senn::ui {

class MainWindow;

void startFirstCurveTimer(MainWindow* window);

} // namespace senn::ui
