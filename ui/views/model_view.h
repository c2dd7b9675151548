// Model view: the training form (model kind, conceptizer, k, λ, penalty, maximum epochs,
// patience, which epoch is kept, the bias concept, batch, lr and its schedule, seed; defaults per data kind, a tooltip per field),
// Train / Cancel, live training curves, and the model card (architecture, data, why training
// stopped, metrics beside the logistic-regression baseline, confusion matrix).
#pragma once
#include "ui/views/view_page.h"
#include "ui/worker/results.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTextBrowser;

namespace senn::ui {

class ConfusionMatrixView;
class TrainingCurves;

class ModelView : public ViewPage {
    Q_OBJECT
public:
    explicit ModelView(QWidget* parent = nullptr);

    void setDataset(const DatasetSummary& summary);
    void setModel(const ModelSummary& summary);
    void setTraining(bool running);
    void addProgress(const train::BatchReport& report);
    // The card's comparison line "Previous model: a%; this one: b%", only right after a
    // finished training replaced a model (setModel clears it: after a cancel, a restore or an
    // open there is one current model and nothing to compare).
    // The current model was saved to path: the card names the file instead of "(not saved)".
    void setModelPath(const QString& path);
    void setPreviousAccuracy(double previousAccuracy);
    // The curves show this model's own recorded history (per epoch), nothing of a training
    // that was cancelled or whose model was rejected; empty when it has none.
    void showHistoryOf(const ModelSummary& summary);

    // The form as configs (throws nothing: invalid text falls back to the defaults).
    models::ModelConfig modelConfig() const;
    models::TrainConfig trainConfig() const;
    // Sets the form fields (tests, sessions).
    void setEpochs(int epochs);
    void setModelKind(models::ModelKind kind);
    TrainingCurves* curves() const { return m_curves; }
    QPushButton* trainButton() const { return m_train; }
    QPushButton* cancelButton() const { return m_cancel; }
    QJsonObject settings() const;
    void applySettings(const QJsonObject& json);

signals:
    void trainRequested(const senn::models::ModelConfig& config,
                        const senn::models::TrainConfig& trainConfig);
    void cancelRequested();

private:
    void applyDefaults();
    void updateEnabled();
    void renderCard();

    data::DataKind m_kind = data::DataKind::Tabular;
    int64_t m_features = 0;
    bool m_hasData = false, m_training = false;
    double m_previousAccuracy = -1;
    ModelSummary m_summary;
    QComboBox *m_modelKind, *m_concepts, *m_penalty, *m_schedule, *m_keep;
    QCheckBox* m_biasConcept;
    QSpinBox *m_k, *m_epochs, *m_patience, *m_batch, *m_seed, *m_threads;
    QLineEdit *m_lambda, *m_lr;
    QPushButton *m_train, *m_cancel, *m_defaults;
    TrainingCurves* m_curves;
    QTextBrowser* m_card;
    ConfusionMatrixView* m_confusion;
};

} // namespace senn::ui
