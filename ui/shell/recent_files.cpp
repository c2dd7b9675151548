#include "ui/shell/recent_files.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace senn::ui {

namespace {
const QString kKey = QStringLiteral("recent");
}

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), m_menu(menu)
{
    connect(m_menu, &QMenu::aboutToShow, this, &RecentFiles::rebuildMenu);
}

void RecentFiles::add(const QString& path)
{
    QSettings s;
    QStringList recent = s.value(kKey).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    recent.removeAll(abs);
    recent.prepend(abs);
    while (recent.size() > kMaxEntries)
        recent.removeLast();
    s.setValue(kKey, recent);
}

QStringList RecentFiles::entries() { return QSettings().value(kKey).toStringList(); }

void RecentFiles::clear() { QSettings().remove(kKey); }

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    const QStringList recent = entries();
    int i = 1;
    for (const auto& p : recent) {
        const QString text = i < 10 ? QStringLiteral("&%1 %2").arg(i).arg(QFileInfo(p).fileName())
                                    : QStringLiteral("1&0 %1").arg(QFileInfo(p).fileName());
        auto* a = m_menu->addAction(text, this, [this, p] { emit openRequested(p); });
        a->setToolTip(p);
        a->setStatusTip(p);
        ++i;
    }
    if (recent.isEmpty())
        m_menu->addAction(tr("(none)"))->setEnabled(false);
    m_menu->addSeparator();
    m_menu->addAction(tr("&Clear"), this, [] { clear(); });
}

} // namespace senn::ui
