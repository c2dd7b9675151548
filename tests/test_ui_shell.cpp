// The window's parts outside the views: File > Recent (RecentFiles), the status bar's job
// display (StatusPanel) and which folders the Open dataset dialog opens as a dataset.
#include "support/test_ui_util.h"

#include "ui/shell/dataset_file_dialog.h"
#include "ui/shell/recent_files.h"
#include "ui/shell/status_panel.h"

#include <QDir>
#include <QImage>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QProgressBar>
#include <QStatusBar>
#include <QTemporaryDir>

using namespace senn;
using namespace senn::ui;

namespace {
QStringList actionTexts(const QMenu& menu)
{
    QStringList texts;
    for (auto* a : menu.actions())
        texts << (a->isSeparator() ? QStringLiteral("--") : a->text());
    return texts;
}
} // namespace

class TestUiShell : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }
    void init() { QSettings().clear(); }

    // Newest first, absolute, each path once, at most ten.
    void recentKeepsTenNewestOnce()
    {
        QTemporaryDir dir;
        for (int i = 1; i <= 12; ++i)
            RecentFiles::add(dir.filePath(QStringLiteral("f%1.csv").arg(i)));
        RecentFiles::add(dir.filePath("f5.csv"));
        const QStringList e = RecentFiles::entries();
        QCOMPARE(e.size(), RecentFiles::kMaxEntries);
        QCOMPARE(e.first(), QFileInfo(dir.filePath("f5.csv")).absoluteFilePath());
        QCOMPARE(e.at(1), QFileInfo(dir.filePath("f12.csv")).absoluteFilePath());
        QCOMPARE(e.count(e.first()), 1);
        QVERIFY(!e.contains(QFileInfo(dir.filePath("f1.csv")).absoluteFilePath()));
        QVERIFY(!e.contains(QFileInfo(dir.filePath("f2.csv")).absoluteFilePath()));
        QCOMPARE(e.last(), QFileInfo(dir.filePath("f3.csv")).absoluteFilePath()); // f5 moved up: no drop
        // A relative path is stored absolute.
        RecentFiles::add(QStringLiteral("relative.csv"));
        QCOMPARE(RecentFiles::entries().first(), QDir::current().absoluteFilePath("relative.csv"));
    }

    // The menu: numbered entries (the tenth "1&0"), "(none)" when empty, then Clear.
    void recentMenuEntriesOpenAndClear()
    {
        QMenu menu;
        RecentFiles recent(&menu);
        recent.rebuildMenu();
        QCOMPARE(actionTexts(menu), (QStringList{"(none)", "--", "&Clear"}));
        QVERIFY(!menu.actions().first()->isEnabled());

        for (int i = 10; i >= 1; --i)
            RecentFiles::add(QStringLiteral("/data/f%1.csv").arg(i));
        recent.rebuildMenu();
        const QStringList texts = actionTexts(menu);
        QCOMPARE(texts.size(), 12);
        QCOMPARE(texts.first(), QStringLiteral("&1 f1.csv"));
        QCOMPARE(texts.at(8), QStringLiteral("&9 f9.csv"));
        QCOMPARE(texts.at(9), QStringLiteral("1&0 f10.csv"));
        QCOMPARE(menu.actions().first()->toolTip(), QStringLiteral("/data/f1.csv"));

        QSignalSpy open(&recent, &RecentFiles::openRequested);
        menu.actions().at(2)->trigger();
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().first().toString(), QStringLiteral("/data/f3.csv"));

        menu.actions().last()->trigger(); // Clear
        QVERIFY(RecentFiles::entries().isEmpty());
        recent.rebuildMenu();
        QCOMPARE(actionTexts(menu), (QStringList{"(none)", "--", "&Clear"}));
    }

    // Idle: only the text. A job: its message, progress and time; training is shown before
    // other jobs; the phase after the last step is named; Cancel asks to cancel.
    void statusPanelShowsTheJob()
    {
        QMainWindow window;
        StatusPanel panel(window.statusBar());
        auto* text = window.statusBar()->findChild<QLabel*>("statusText");
        auto* progress = window.statusBar()->findChild<QProgressBar*>("jobProgress");
        auto* eta = window.statusBar()->findChild<QLabel*>("eta");
        auto* cancel = window.statusBar()->findChild<QPushButton*>("statusCancel");
        QVERIFY(text && progress && eta && cancel);
        QCOMPARE(text->text(), QStringLiteral("Ready"));
        QVERIFY(progress->isHidden() && eta->isHidden() && cancel->isHidden());

        panel.jobStarted(JobKind::Stability, QStringLiteral("Stability…"));
        QVERIFY(panel.isRunning(JobKind::Stability));
        QVERIFY(!panel.isRunning(JobKind::Train));
        QVERIFY(!progress->isHidden() && !eta->isHidden() && !cancel->isHidden());
        QCOMPARE(text->text(), QStringLiteral("Stability…"));
        panel.jobProgress(JobKind::Stability, 0.25, QStringLiteral("point 5 of 20"));
        QCOMPARE(progress->value(), 250);
        QCOMPARE(progress->format(), QStringLiteral("Stability %p%"));
        QCOMPARE(text->text(), QStringLiteral("point 5 of 20"));
        panel.jobProgress(JobKind::Stability, 0.3, QString()); // no message: the last one stays
        QCOMPARE(text->text(), QStringLiteral("point 5 of 20"));

        panel.jobStarted(JobKind::Train, QStringLiteral("Training SENN…"));
        QCOMPARE(panel.runningJobs().size(), 2);
        QCOMPARE(text->text(), QStringLiteral("Training SENN…"));
        QCOMPARE(progress->value(), 0);
        panel.jobProgress(JobKind::Train, 1.0, QString());
        QCOMPARE(progress->format(), QStringLiteral("Training: evaluating"));
        QCOMPARE(eta->text(), QStringLiteral("evaluating on the test split…"));

        QSignalSpy cancelled(&panel, &StatusPanel::cancelRequested);
        cancel->click();
        QCOMPARE(cancelled.count(), 1);

        panel.jobEnded(JobKind::Train);
        QCOMPARE(panel.runningJobs(), QList<JobKind>{JobKind::Stability});
        QCOMPARE(text->text(), QStringLiteral("point 5 of 20"));
        panel.setIdleText(QStringLiteral("Ready · SENN model"));
        QCOMPARE(text->text(), QStringLiteral("point 5 of 20")); // a job still runs
        panel.jobEnded(JobKind::Stability);
        QCOMPARE(text->text(), QStringLiteral("Ready · SENN model"));
        QVERIFY(progress->isHidden() && eta->isHidden() && cancel->isHidden());
    }

    // An IDX folder and class folders holding images are datasets; an ordinary folder is not.
    void datasetFolders()
    {
        QVERIFY(isDatasetFolder(test::mnist()));
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("plain/a"));
        QVERIFY(!isDatasetFolder(dir.filePath("plain")));
        QVERIFY(QDir(dir.path()).mkpath("images/cat") && QDir(dir.path()).mkpath("images/dog"));
        QImage img(4, 4, QImage::Format_Grayscale8);
        img.fill(128);
        QVERIFY(img.save(dir.filePath("images/cat/1.png")) && img.save(dir.filePath("images/dog/1.png")));
        QVERIFY(isDatasetFolder(dir.filePath("images")));
        QVERIFY(!isDatasetFolder(dir.filePath("images/cat")));
    }
};

QTEST_MAIN(TestUiShell)
#include "test_ui_shell.moc"
