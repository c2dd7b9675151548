// The training curves and the runs table of the Right reasons view.
#include "ui/views/rrr/training_panel.h"

#include "ui/plots/training_curves.h"

#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace senn::ui {

QString accuracyText(double v)
{
    return v < 0 ? QStringLiteral("–") : QStringLiteral("%1%").arg(v * 100.0, 0, 'f', 1);
}

RrrTrainingPanel::RrrTrainingPanel(QWidget* parent) : QGroupBox(tr("Training"), parent)
{
    auto* layout = new QVBoxLayout(this);
    m_curves = new TrainingCurves;
    m_curves->setObjectName("rrrCurves");
    m_curves->setMinimumHeight(150);
    m_runs = new QTableWidget(0, 4);
    m_runs->setObjectName("rrrRuns");
    m_runs->setHorizontalHeaderLabels({tr("Run"), tr("λ₁"), tr("Train acc."), tr("Test acc.")});
    m_runs->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_runs->verticalHeader()->hide();
    m_runs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runs->setMaximumHeight(130);
    layout->addWidget(m_curves, 1);
    layout->addWidget(m_runs);
}

void RrrTrainingPanel::addRun(const QString& name, double lambda, double trainAccuracy, double testAccuracy)
{
    const int line = m_runs->rowCount();
    m_runs->insertRow(line);
    m_runs->setItem(line, 0, new QTableWidgetItem(name));
    m_runs->setItem(line, 1, new QTableWidgetItem(QString::number(lambda)));
    m_runs->setItem(line, 2, new QTableWidgetItem(accuracyText(trainAccuracy)));
    m_runs->setItem(line, 3, new QTableWidgetItem(accuracyText(testAccuracy)));
    m_runs->scrollToBottom();
}

} // namespace senn::ui
