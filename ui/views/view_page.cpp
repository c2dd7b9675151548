#include "ui/views/view_page.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace senn::ui {

ViewPage::ViewPage(const QString& id, const QString& title, QWidget* parent)
    : QWidget(parent), m_id(id), m_title(title)
{
    setObjectName(id + "View");
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 6, 8, 6);
    auto* head = new QHBoxLayout;
    auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(title));
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    label->setFont(f);
    m_subtitle = new QLabel;
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle->setWordWrap(true);
    auto* help = new QToolButton;
    help->setText(tr("?"));
    help->setObjectName("helpButton");
    help->setToolTip(tr("What this view shows (F1)"));
    help->setAutoRaise(true);
    connect(help, &QToolButton::clicked, this, [this] { emit helpRequested(m_id); });
    head->addWidget(label);
    head->addSpacing(12);
    head->addWidget(m_subtitle, 1);
    head->addWidget(help);
    outer->addLayout(head);
    m_warning = new QLabel;
    m_warning->setObjectName("modelWarning");
    m_warning->setWordWrap(true);
    m_warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->setStyleSheet(QStringLiteral("QLabel { color: #8a4b00; background: #fff4e0; "
                                            "border: 1px solid #e8c48a; padding: 3px 6px; }"));
    m_warning->hide();
    outer->addWidget(m_warning);
    m_body = new QVBoxLayout;
    m_body->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(m_body, 1);
}

void ViewPage::setModelWarning(const QString& text)
{
    m_warning->setText(text.isEmpty() ? QString() : tr("⚠ %1").arg(text));
    m_warning->setVisible(!text.isEmpty());
}

QString ViewPage::modelWarning() const
{
    return m_warning->isHidden() ? QString() : m_warning->text();
}

MethodPicker::MethodPicker(QWidget* parent, int columns) : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(2);
    int i = 0;
    for (auto m : explain::allMethods()) {
        auto* box = new QCheckBox(QString::fromStdString(explain::methodDisplayName(m)));
        box->setObjectName(QString::fromStdString(explain::methodId(m)));
        box->setToolTip(tr("Explain with %1 (method id: %2)")
                            .arg(box->text(), QString::fromStdString(explain::methodId(m))));
        connect(box, &QCheckBox::toggled, this, &MethodPicker::changed);
        grid->addWidget(box, i / columns, i % columns);
        m_boxes.emplace_back(m, box);
        m_names.push_back(box->text());
        m_tips.push_back(box->toolTip());
        ++i;
    }
    setMethodIds({"senn", "saliency", "integrated-gradients"});
}

std::vector<explain::Method> MethodPicker::methods() const
{
    std::vector<explain::Method> out;
    for (const auto& [m, box] : m_boxes)
        if (box->isChecked() && box->isEnabled())
            out.push_back(m);
    return out;
}

QStringList MethodPicker::methodIds() const
{
    QStringList out;
    for (auto m : methods())
        out << QString::fromStdString(explain::methodId(m));
    return out;
}

QStringList MethodPicker::checkedIds() const
{
    QStringList out;
    for (const auto& [m, box] : m_boxes)
        if (box->isChecked())
            out << QString::fromStdString(explain::methodId(m));
    return out;
}

void MethodPicker::setNotes(const std::map<explain::Method, QString>& notes,
                            const std::map<explain::Method, QString>& tips)
{
    for (size_t i = 0; i < m_boxes.size(); ++i) {
        const auto& [m, box] = m_boxes[i];
        const auto n = notes.find(m);
        // The note goes on a line of its own: beside the name it would widen every column of
        // the grid, and with it the narrowest the window can be.
        box->setText(n == notes.end() || n->second.isEmpty() ? m_names[i]
                                                             : QStringLiteral("%1\n%2").arg(m_names[i], n->second));
        const auto t = tips.find(m);
        box->setToolTip(t == tips.end() ? m_tips[i] : m_tips[i] + QStringLiteral("\n") + t->second);
    }
}

void MethodPicker::setMethodIds(const QStringList& ids)
{
    for (const auto& [m, box] : m_boxes) {
        const QSignalBlocker block(box);
        box->setChecked(ids.contains(QString::fromStdString(explain::methodId(m))));
    }
    emit changed();
}

void MethodPicker::setModelKind(bool isSenn, bool isFlint)
{
    for (const auto& [m, box] : m_boxes) {
        if (m == explain::Method::Senn)
            box->setEnabled(isSenn);
        else if (m == explain::Method::Flint)
            box->setEnabled(isFlint);
    }
}

} // namespace senn::ui
