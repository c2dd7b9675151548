// In-app help is the user guide: every view's ? page is its section of docs/user-guide.md as
// compiled into the app (the same bytes as the file in the tree), cut at the next section,
// without screenshots and with links to other pages reduced to their text.
#include "support/test_ui_util.h"

#include "ui/help/help_pages.h"
#include "ui/views/view_page.h"

#include <QDialog>
#include <QFile>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTextBrowser>

using namespace senn;
using namespace senn::ui;

class TestUiHelp : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void sectionIsCutAndCleaned()
    {
        const QString guide = QStringLiteral(
            "# Guide\n\nIntro [a](#x).\n\n## A view\n\n![shot](screenshots/a.png)\n\n"
            "Text with [metrics](metrics.md#stability), [here](#b-view) and "
            "[web](https://example.org/p) ([rrr.md](rrr.md)).\n\n- item\n\n## B view\n\nOther.\n");
        QCOMPARE(help::sectionMarkdown(guide, QStringLiteral("A view")),
                 QStringLiteral("## A view\n\n\nText with metrics, here and "
                                "[web](https://example.org/p) (docs/rrr.md).\n\n- item\n"));
        QCOMPARE(help::sectionMarkdown(guide, QStringLiteral("B view")),
                 QStringLiteral("## B view\n\nOther.\n"));
        QVERIFY(help::sectionMarkdown(guide, QStringLiteral("C view")).isEmpty());
        // A heading that merely starts like another one is not it.
        QVERIFY(help::sectionMarkdown(guide, QStringLiteral("A")).isEmpty());
    }

    void builtInGuideIsTheDocument()
    {
        QFile f(QStringLiteral(SENN_SOURCE_ROOT "/docs/user-guide.md"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(help::userGuide(), QString::fromUtf8(f.readAll()));
    }

    void everyViewHasItsSection()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        const QString guide = help::userGuide();
        QStringList ids;
        for (int i = 0; i < w.tabs()->count(); ++i) {
            auto* page = qobject_cast<ViewPage*>(w.tabs()->widget(i));
            QVERIFY(page);
            ids << page->viewId();
        }
        // The eight original views and those added since (Sanity, ...), each with its section.
        QVERIFY2(ids.size() >= 9 && ids.contains(QStringLiteral("sanity")), qPrintable(ids.join(',')));
        for (const QString& id : ids) {
            const QString title = help::sectionTitle(id);
            QVERIFY2(!title.isEmpty(), qPrintable(id));
            const QString md = help::sectionMarkdown(guide, title);
            QVERIFY2(md.startsWith(QStringLiteral("## ") + title + QLatin1Char('\n')), qPrintable(id));
            QVERIFY2(md.size() > 400, qPrintable(id)); // a page, not a heading
            QVERIFY2(!md.contains(QStringLiteral("![")), qPrintable(id));
            QVERIFY2(!md.contains(QRegularExpression(QStringLiteral(R"(\]\([^)]*\.md)"))), qPrintable(id));
        }
        QVERIFY(!help::sectionMarkdown(guide, help::sectionTitle(QStringLiteral("settings"))).isEmpty());
    }

    void questionMarkShowsTheSection()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.showHelp(QStringLiteral("stability"));
        auto* browser = w.findChild<QTextBrowser*>(QStringLiteral("helpBrowser"));
        QVERIFY(browser);
        QCOMPARE(browser->window()->windowTitle(), QStringLiteral("Help: Stability view"));
        const QString text = browser->toPlainText();
        QVERIFY(text.startsWith(QStringLiteral("Stability view")));
        QVERIFY(text.contains(QStringLiteral("local Lipschitz constant")));
        QVERIFY(!text.contains(QStringLiteral("Faithfulness view"))); // cut at the next section
        // SENN_HELP_SCREENSHOT=file.png: the window as a person sees it (run under Xvfb).
        if (const QString shot = qEnvironmentVariable("SENN_HELP_SCREENSHOT"); !shot.isEmpty())
            QVERIFY(browser->window()->grab().save(shot));
        // The same window turns to another view's page.
        w.showHelp(QStringLiteral("rrr"));
        QCOMPARE(w.findChildren<QDialog*>(QStringLiteral("helpDialog")).size(), 1);
        QVERIFY(browser->toPlainText().contains(QStringLiteral("Right for the Right Reasons")));
        QCOMPARE(browser->window()->windowTitle(), QStringLiteral("Help: Right reasons view"));
        browser->window()->hide();
    }
};

QTEST_MAIN(TestUiHelp)
#include "test_ui_help.moc"
