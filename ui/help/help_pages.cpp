#include "ui/help/help_pages.h"

#include <QDialog>
#include <QFile>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace senn::ui::help {

QString sectionTitle(const QString& viewId)
{
    static const struct { const char* id; const char* title; } kSections[] = {
        {"data", "Data view"},
        {"model", "Model view"},
        {"explain", "Explain view"},
        {"concepts", "Concepts view"},
        {"stability", "Stability view"},
        {"faithfulness", "Faithfulness view"},
        {"flint", "FLINT view"},
        {"rrr", "Right reasons view"},
        {"sanity", "Sanity view"},
        {"scorecard", "Scorecard view"},
        {"settings", "Explainer settings"},
    };
    for (const auto& s : kSections)
        if (viewId == QLatin1String(s.id))
            return QString::fromUtf8(s.title);
    return {};
}

QString sectionMarkdown(const QString& guide, const QString& title)
{
    const QString heading = QStringLiteral("## ") + title;
    const QStringList lines = guide.split(QLatin1Char('\n'));
    QStringList out;
    bool inside = false;
    for (const QString& line : lines) {
        if (line.startsWith(QLatin1String("## ")) || line.startsWith(QLatin1String("# "))) {
            if (inside)
                break;
            inside = line.trimmed() == heading;
            if (inside)
                out << line;
            continue;
        }
        if (!inside)
            continue;
        if (line.trimmed().startsWith(QLatin1String("![")))
            continue; // a screenshot of the view the user is looking at
        out << line;
    }
    if (out.isEmpty())
        return {};
    // [text](target) -> text, unless target is a web address: the other pages and the guide's
    // own anchors are not in the help window.
    static const QRegularExpression link(QStringLiteral(R"(\[([^\]]+)\]\(([^)\s]+)\))"));
    QString text = out.join(QLatin1Char('\n')).trimmed() + QLatin1Char('\n');
    QString result;
    qsizetype last = 0;
    for (auto it = link.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        result += text.mid(last, m.capturedStart() - last);
        const QString label = m.captured(1), target = m.captured(2);
        if (target.startsWith(QLatin1String("http://")) || target.startsWith(QLatin1String("https://")))
            result += m.captured(0);
        else if (label.endsWith(QLatin1String(".md"))) // a page named by its file: say where it is
            result += QStringLiteral("docs/") + label;
        else
            result += label;
        last = m.capturedEnd();
    }
    result += text.mid(last);
    return result;
}

QString userGuide()
{
    QFile f(QStringLiteral(":/help/user-guide.md"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

void showHelpWindow(QWidget* parent, const QString& viewId)
{
    auto* dlg = parent->findChild<QDialog*>(QStringLiteral("helpDialog"));
    if (!dlg) {
        dlg = new QDialog(parent);
        dlg->setObjectName(QStringLiteral("helpDialog"));
        dlg->resize(680, 600);
        auto* layout = new QVBoxLayout(dlg);
        auto* browser = new QTextBrowser;
        browser->setObjectName(QStringLiteral("helpBrowser"));
        browser->setOpenExternalLinks(true);
        layout->addWidget(browser);
    }
    auto* browser = dlg->findChild<QTextBrowser*>(QStringLiteral("helpBrowser"));
    const QString title = sectionTitle(viewId);
    const QString page = title.isEmpty() ? QString() : sectionMarkdown(userGuide(), title);
    if (page.isEmpty())
        browser->setPlainText(QObject::tr("There is no help page for '%1'.").arg(viewId));
    else
        browser->setMarkdown(page);
    dlg->setWindowTitle(QObject::tr("Help: %1").arg(title.isEmpty() ? viewId : title));
    dlg->show();
    dlg->raise();
}

} // namespace senn::ui::help
