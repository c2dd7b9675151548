// Controls the Stability and Faithfulness views share: their Run/Cancel buttons, the run's Seed
// box (the one seed of a metric run, as `senn stability|faithfulness --seed`), the settings of
// a run as sessions store them, and the test for a model on images that picks core's defaults.
#pragma once
#include "ui/worker/results.h"

#include <QJsonObject>
#include <QString>

class QPushButton;
class QSpinBox;

namespace senn::ui {

class MethodPicker;

QPushButton* metricButton(const QString& text, const QString& objectName, const QString& tip);

// `draws` names what the seed drives in this run; `command` is the CLI command with the same
// --seed ("stability").
QSpinBox* runSeedBox(const QString& objectName, const QString& draws, const QString& command);

// {"methods": [ids], "points": N, "seed": S}; a key missing from `json` leaves its control as is.
QJsonObject runSettings(const MethodPicker* methods, const QSpinBox* points, const QSpinBox* seed);
void applyRunSettings(const QJsonObject& json, MethodPicker* methods, QSpinBox* points, QSpinBox* seed);

bool isImageModel(const ModelSummary& summary);

} // namespace senn::ui
