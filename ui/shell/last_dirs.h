// The folder each kind of file dialog (data, model, session, report) opened in last, kept in
// the settings as dirs/<kind>, so the next dialog of that kind starts there.
#pragma once
#include <QString>

namespace senn::ui {

QString lastDir(const char* kind); // the home folder the first time
void rememberDir(const char* kind, const QString& chosenPath);

} // namespace senn::ui
