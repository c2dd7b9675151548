// Settings of the explainers (baselines.md) that a user tunes: samples and sampling of LIME,
// background and kept features of KernelSHAP, steps of integrated gradients, SmoothGrad's
// noise, the occlusion window, the seed, and the memory one job may use. One ExplainOptions for the Explain, Stability and
// Faithfulness views; saved in sessions and remembered between runs (QSettings).
#pragma once
#include "core/explain/explanation.h"

#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace senn::ui {

// seedRuns: "Intervals over N seeds" (core/explain/uncertainty.h), kept beside the options
// as "seed_runs" (1 = off).
QJsonObject explainOptionsToJson(const explain::ExplainOptions& options, int seedRuns = 1);
// Missing keys keep the defaults; values out of range are clamped to what the dialog allows.
explain::ExplainOptions explainOptionsFromJson(const QJsonObject& json);
// "seed_runs" clamped to 1..kMaxSeedRuns; 1 when missing (settings and sessions written before).
int seedRunsFromJson(const QJsonObject& json);

// A message of a job that did not fit its memory (the core's refusal, or running out of
// memory), followed by where the app sets the budget; any other message unchanged.
QString withMemorySettingHint(const QString& message);

// Version of the explainer settings remembered between runs (QSettings "explainers"; written
// by explainOptionsToJson as "settings_version"). 2: the explained output's default became the
// logit; before, "probability" was the default every user had stored.
constexpr int kExplainerSettingsVersion = 3;
// Brings settings stored by an older version up to date, once: a "model_output" of
// "probability" saved before version 2 (the old default) becomes "logit". Returns true when
// json changed (the caller stores it back, so a value chosen after the update is kept).
bool migrateStoredExplainerSettings(QJsonObject& json);

class ExplainerSettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExplainerSettingsDialog(QWidget* parent = nullptr);
    void setOptions(const explain::ExplainOptions& options);
    explain::ExplainOptions options() const;
    void setSeedRuns(int runs);
    int seedRuns() const;

private:
    explain::ExplainOptions m_base; // fields the dialog does not show pass through unchanged
    QSpinBox *m_limeSamples, *m_limeFeatures, *m_shapKeep, *m_igSteps,
        *m_smoothSamples, *m_occWindow, *m_occStride, *m_segmentSize, *m_permutations, *m_seed,
        *m_memory, *m_seedRuns;
    QComboBox *m_limeSampling, *m_segmentation, *m_background, *m_output;
    QLineEdit* m_backgroundK;
    QDoubleSpinBox* m_smoothSigma;
    QCheckBox* m_absSaliency;
};

} // namespace senn::ui
