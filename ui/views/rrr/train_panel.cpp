// Step 3 of the Right reasons view: the model, epochs and λ₁ a training starts with.
#include "ui/views/rrr/train_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace senn::ui {

RrrTrainPanel::RrrTrainPanel(QWidget* parent) : QGroupBox(tr("3 · Train"), parent)
{
    auto* form = new QFormLayout(this);
    m_model = new QComboBox;
    m_model->addItem(tr("MLP 50-30 (the paper's)"), int(models::ModelKind::Mlp));
    m_model->addItem(tr("CNN"), int(models::ModelKind::Cnn));
    m_model->addItem(tr("SENN"), int(models::ModelKind::Senn));
    m_epochs = new QSpinBox;
    m_epochs->setObjectName("rrrEpochs");
    m_epochs->setRange(1, 200);
    m_epochs->setValue(10);
    m_lambda = new QDoubleSpinBox;
    m_lambda->setObjectName("rrrLambda");
    m_lambda->setDecimals(4);
    m_lambda->setRange(0, 1e7);
    m_lambda->setValue(10);
    m_lambda->setToolTip(tr("λ₁, the weight of Σ(A·∂Σlog p/∂x)². Choose it so both loss terms are "
                            "of the same order at the start of training (Suggest)."));
    m_suggest = new QPushButton(tr("&Suggest λ₁"));
    auto* lambdaRow = new QHBoxLayout;
    lambdaRow->addWidget(m_lambda, 1);
    lambdaRow->addWidget(m_suggest);
    m_guidance = new QLabel(tr("λ₁ guidance appears once there is a mask."));
    m_guidance->setObjectName("rrrGuidance");
    m_guidance->setWordWrap(true);
    m_plain = new QPushButton(tr("Train &plain"));
    m_plain->setToolTip(tr("Cross-entropy only (λ₁ = 0): on Decoy MNIST it learns the patch."));
    m_rrr = new QPushButton(tr("Train with &RRR"));
    m_rrr->setObjectName("trainRrr");
    m_cancel = new QPushButton(tr("Cancel"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_plain);
    buttons->addWidget(m_rrr);
    buttons->addWidget(m_cancel);
    form->addRow(tr("Model:"), m_model);
    form->addRow(tr("Epochs:"), m_epochs);
    form->addRow(tr("λ₁:"), lambdaRow);
    form->addRow(m_guidance);
    form->addRow(buttons);
    connect(m_model, qOverload<int>(&QComboBox::currentIndexChanged), this, &RrrTrainPanel::modelChanged);
    connect(m_suggest, &QPushButton::clicked, this, &RrrTrainPanel::suggestRequested);
    connect(m_plain, &QPushButton::clicked, this, [this] { emit trainRequested(false); });
    connect(m_rrr, &QPushButton::clicked, this, [this] { emit trainRequested(true); });
    connect(m_cancel, &QPushButton::clicked, this, &RrrTrainPanel::cancelRequested);
}

models::ModelKind RrrTrainPanel::modelKind() const { return models::ModelKind(m_model->currentData().toInt()); }
QString RrrTrainPanel::modelName() const { return m_model->currentText(); }
int RrrTrainPanel::epochs() const { return m_epochs->value(); }
double RrrTrainPanel::lambda() const { return m_lambda->value(); }
void RrrTrainPanel::setEpochs(int epochs) { m_epochs->setValue(epochs); }
void RrrTrainPanel::setLambda(double lambda) { m_lambda->setValue(lambda); }
void RrrTrainPanel::setGuidance(const QString& text) { m_guidance->setText(text); }

void RrrTrainPanel::setEnabledFor(bool data, bool mask, bool busy)
{
    m_plain->setEnabled(data && !busy);
    m_rrr->setEnabled(data && !busy && mask);
    m_cancel->setEnabled(busy);
}

} // namespace senn::ui
