// In-app help: the page behind each view's ? button is that view's section of the user guide
// (docs/user-guide.md, compiled into the resources), so the guide and the app never disagree
// and there is one text to keep up to date.
#pragma once
#include <QString>

class QWidget;

namespace senn::ui::help {

// The guide's section heading for a view id ("data" -> "Data view", "settings" -> "Explainer
// settings"); empty for an id the guide has no section for.
QString sectionTitle(const QString& viewId);

// The Markdown of the section headed "## title", up to the next "## " heading, made fit for a
// help window: images dropped (the screenshots are not in the app) and links to other pages of
// the documentation reduced to their text ("[metrics.md](metrics.md#x)" to "docs/metrics.md");
// web links stay. Empty when there is no such section.
QString sectionMarkdown(const QString& guide, const QString& title);

// The user guide as built into the application.
QString userGuide();

// Shows parent's help window (created once, non-modal) on viewId's section.
void showHelpWindow(QWidget* parent, const QString& viewId);

} // namespace senn::ui::help
