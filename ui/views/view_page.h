// Common frame of every view: a title row with a help button (opens resources/help/<id>.html)
// above the view's own content; and MethodPicker, the method checkboxes several views share.
#pragma once
#include "core/explain/explanation.h"

#include <QStringList>
#include <QWidget>

#include <map>
#include <vector>

class QCheckBox;
class QLabel;
class QVBoxLayout;

namespace senn::ui {

class ViewPage : public QWidget {
    Q_OBJECT
public:
    ViewPage(const QString& id, const QString& title, QWidget* parent = nullptr);
    QString viewId() const { return m_id; }
    QString viewTitle() const { return m_title; }
    // A warning about the model in use, shown under the title (hidden when empty), e.g. that a
    // SENN's θ barely varies and its explanations and stability are those of a linear model.
    void setModelWarning(const QString& text);
    QString modelWarning() const;

signals:
    void helpRequested(const QString& viewId);

protected:
    QVBoxLayout* body() const { return m_body; }
    QLabel* subtitle() const { return m_subtitle; }

private:
    QString m_id, m_title;
    QVBoxLayout* m_body = nullptr;
    QLabel* m_subtitle = nullptr;
    QLabel* m_warning = nullptr;
};

class MethodPicker : public QWidget {
    Q_OBJECT
public:
    explicit MethodPicker(QWidget* parent = nullptr, int columns = 5);
    std::vector<explain::Method> methods() const;
    QStringList methodIds() const;
    // Checked ids, disabled boxes included (what to remember when the model changes).
    QStringList checkedIds() const;
    void setMethodIds(const QStringList& ids);
    // A short note under each method's name, e.g. its estimated time ("~2 s"); methods
    // missing from `notes` show their name alone. Tooltips carry the longer `tips`.
    void setNotes(const std::map<explain::Method, QString>& notes,
                  const std::map<explain::Method, QString>& tips = {});
    // SENN needs a SENN model and FLINT a FLINT model; they are disabled otherwise.
    void setModelKind(bool isSenn, bool isFlint);

signals:
    void changed();

private:
    std::vector<std::pair<explain::Method, QCheckBox*>> m_boxes;
    std::vector<QString> m_names, m_tips; // per box: display name, default tooltip
};

} // namespace senn::ui
