// File > Recent: the last ten datasets, models and sessions opened or saved, kept in the
// settings ("recent", newest first) and listed in a menu rebuilt each time it opens.
#pragma once
#include <QObject>
#include <QStringList>

class QMenu;

namespace senn::ui {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxEntries = 10;
    // Fills menu from the settings whenever it is about to show.
    explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);

    // Puts path (made absolute) first; an entry already listed moves up instead of repeating.
    static void add(const QString& path);
    static QStringList entries();
    static void clear();

    // The menu's entries now: "&1 name" ... "1&0 name", "(none)" when empty, then "&Clear".
    void rebuildMenu();

signals:
    void openRequested(const QString& path);

private:
    QMenu* m_menu;
};

} // namespace senn::ui
