// Step 3 of the Right reasons view: the model to train, its epochs and λ₁ with the guidance
// that suggests it (both loss terms of the same order), and Train plain / Train with RRR.
#pragma once
#include "core/models/model.h"

#include <QGroupBox>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace senn::ui {

class RrrTrainPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit RrrTrainPanel(QWidget* parent = nullptr);
    models::ModelKind modelKind() const;
    QString modelName() const;
    int epochs() const;
    double lambda() const;
    void setEpochs(int epochs);
    void setLambda(double lambda);
    void setGuidance(const QString& text);
    // Plain and RRR training while idle (RRR only with a mask); Cancel while a run goes on.
    void setEnabledFor(bool data, bool mask, bool busy);
    QLabel* guidanceLabel() const { return m_guidance; }
    QPushButton* plainButton() const { return m_plain; }
    QPushButton* rrrButton() const { return m_rrr; }

signals:
    void modelChanged();
    void suggestRequested();
    void trainRequested(bool rrr);
    void cancelRequested();

private:
    QComboBox* m_model;
    QSpinBox* m_epochs;
    QDoubleSpinBox* m_lambda;
    QPushButton *m_suggest, *m_plain, *m_rrr, *m_cancel;
    QLabel* m_guidance;
};

} // namespace senn::ui
