#include "ui/shell/last_dirs.h"

#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace senn::ui {

QString lastDir(const char* kind)
{
    return QSettings().value(QStringLiteral("dirs/%1").arg(kind),
                             QStandardPaths::writableLocation(QStandardPaths::HomeLocation)).toString();
}

void rememberDir(const char* kind, const QString& chosenPath)
{
    QSettings().setValue(QStringLiteral("dirs/%1").arg(kind), QFileInfo(chosenPath).absolutePath());
}

} // namespace senn::ui
