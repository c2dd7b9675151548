// Step 1 of the Right reasons view: the Decoy MNIST seed and button, and what the open data is.
#include "ui/views/rrr/decoy_panel.h"

#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace senn::ui {

RrrDecoyPanel::RrrDecoyPanel(QWidget* parent) : QGroupBox(tr("1 · Decoy MNIST"), parent)
{
    auto* form = new QFormLayout(this);
    m_seed = new QSpinBox;
    m_seed->setRange(0, 1 << 30);
    m_seed->setToolTip(tr("Seeds the corner of each patch and the random digits of the test split."));
    m_generate = new QPushButton(tr("&Generate Decoy MNIST"));
    m_generate->setObjectName("generateDecoy");
    m_generate->setToolTip(tr("Adds a 4x4 patch in a random corner of each image whose grey level "
                              "(255 − 25·y) gives the label away in the training split and a random "
                              "digit in the test split. The patches become the mask."));
    m_status = new QLabel(tr("Open an image dataset (File > Examples > MNIST)."));
    m_status->setWordWrap(true);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(m_generate);
    form->addRow(m_status);
    connect(m_generate, &QPushButton::clicked, this, [this] { emit generateRequested(quint64(m_seed->value())); });
}

void RrrDecoyPanel::showDataset(const DatasetSummary& summary)
{
    if (!summary.data)
        m_status->setText(tr("Open an image dataset (File > Examples > MNIST)."));
    else if (!summary.data->transforms.empty() && summary.format.startsWith("Decoy"))
        m_status->setText(tr("%1: %2 rows; the patch keys the label in train/val, a random "
                             "digit in test.").arg(summary.format).arg(summary.data->rows()));
    else if (summary.data->isImage())
        m_status->setText(tr("%1 rows of %2 classes. Generate the decoy, then train plain "
                             "and with RRR.").arg(summary.data->rows()).arg(summary.data->numClasses()));
    else
        m_status->setText(tr("Decoy MNIST needs images; with tabular data paint (tick) "
                             "features in the 1 x d strip instead."));
}

} // namespace senn::ui
