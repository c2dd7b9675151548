// The files the app has open as inputs (the dataset, the model, a post-hoc predictor, the
// session): no save or export of the app may overwrite one of them, or write a data file into
// an input folder. One process-wide provider, set by the main window, consulted by
// every writer in ui/ (figures, CSV/JSON data, the report, sessions), so a new writer that goes
// through those functions is covered without knowing about the main window.
#pragma once
#include <QString>
#include <QStringList>
#include <functional>

namespace senn::ui {

// The provider returns the current input paths (empty entries are ignored). Pass {} to clear.
void setProtectedInputsProvider(std::function<QStringList()> provider);

// Empty when `path` may be written; otherwise a message for the user naming the file and why
// not (it is an input, compared through symbolic and hard links; it is a data file inside an
// input folder; its folder is missing or read-only; it is a folder).
QString outputRefusal(const QString& path);

} // namespace senn::ui
