// Step 2 of the Right reasons view: the brush, where a stroke applies, and the mask's coverage.
#include "ui/views/rrr/mask_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace senn::ui {

RrrMaskPanel::RrrMaskPanel(QWidget* parent) : QGroupBox(tr("2 · Annotation mask"), parent)
{
    auto* form = new QFormLayout(this);
    m_brush = new QSpinBox;
    m_brush->setRange(1, 10);
    m_brush->setValue(2);
    m_brush->setToolTip(tr("Brush radius in image pixels."));
    m_scope = new QComboBox;
    m_scope->addItem(tr("this example"), int(RrrScope::Example));
    m_scope->addItem(tr("its class"), int(RrrScope::Class));
    m_scope->addItem(tr("all examples"), int(RrrScope::All));
    m_scope->setCurrentIndex(2);
    m_scope->setToolTip(tr("Where a stroke applies: the example shown, every example of its true "
                           "class, or every example (a rule such as \"never use these pixels\")."));
    m_erase = new QPushButton(tr("&Erase"));
    m_erase->setCheckable(true);
    m_erase->setToolTip(tr("Strokes erase mask pixels (the right mouse button always does)."));
    m_clear = new QPushButton(tr("C&lear mask"));
    m_status = new QLabel(tr("No mask."));
    m_status->setWordWrap(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_erase);
    buttons->addWidget(m_clear);
    form->addRow(tr("Brush:"), m_brush);
    form->addRow(tr("Apply to:"), m_scope);
    form->addRow(buttons);
    form->addRow(m_status);
    connect(m_brush, qOverload<int>(&QSpinBox::valueChanged), this, &RrrMaskPanel::brushChanged);
    connect(m_erase, &QPushButton::toggled, this, &RrrMaskPanel::eraseToggled);
    connect(m_clear, &QPushButton::clicked, this, &RrrMaskPanel::clearRequested);
}

int RrrMaskPanel::brush() const { return m_brush->value(); }
RrrScope RrrMaskPanel::scope() const { return RrrScope(m_scope->currentData().toInt()); }
void RrrMaskPanel::setScope(RrrScope scope) { m_scope->setCurrentIndex(m_scope->findData(int(scope))); }

void RrrMaskPanel::showMaskState(const RrrMaskState& state)
{
    if (state.maskedRows == 0)
        m_status->setText(tr("No mask: paint over the example, or generate Decoy MNIST."));
    else
        m_status->setText(tr("%1%2 rows masked, %3 of the training pixels.")
                              .arg(state.decoy ? tr("Decoy patches (seed %1); ").arg(state.decoySeed) : QString())
                              .arg(state.maskedRows)
                              .arg(QStringLiteral("%1%").arg(state.coverage * 100.0, 0, 'f', 2)));
}

} // namespace senn::ui
