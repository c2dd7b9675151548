// Running the senn binary from a GUI test (its path comes from the SENN_CLI definition that
// tests/ui.cmake gives the tests which compare the app with the command line).
#pragma once
#include <QProcess>
#include <QString>
#include <QStringList>

namespace senn::ui::test {

// Runs `senn args...`; returns its exit code (-1 when it did not finish) and, in *err, its stderr.
inline int runSenn(const QStringList& args, QString* err)
{
    QProcess p;
    p.start(QStringLiteral(SENN_CLI), args);
    if (!p.waitForFinished(240000))
        return -1;
    *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace senn::ui::test
