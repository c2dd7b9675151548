// A saved session (.sennsession, JSON): the dataset and target, the model file, the chosen
// example, methods and view settings, so reopening it restores the same screen.
#pragma once
#include "core/metrics/metrics.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace senn::ui {

// Stability and faithfulness results as they are kept in a session's settings (NaN = null),
// so that reopening a session shows them again. FromJson returns false for a malformed object.
QJsonObject stabilityResultToJson(const metrics::StabilityResult& r);
bool stabilityResultFromJson(const QJsonObject& json, metrics::StabilityResult* out);
QJsonObject faithfulnessResultToJson(const metrics::FaithfulnessResult& r);
bool faithfulnessResultFromJson(const QJsonObject& json, metrics::FaithfulnessResult* out);

struct Session {
    int version = 1;
    QString datasetPath, target, modelPath;
    qint64 exampleRow = -1;       // row index in the dataset
    QStringList methods;          // method ids (explain::methodId)
    QString currentView;          // "data", "model", "explain", ...
    QJsonObject settings;         // per-view settings (stability points, eps, ...)

    QJsonObject toJson() const;
    // Throws nothing; returns false and fills error when the JSON is not a session.
    static bool fromJson(const QJsonObject& json, Session* out, QString* error);
    bool save(const QString& path, QString* error) const;  // atomic; paths made relative
    static bool load(const QString& path, Session* out, QString* error); // paths made absolute
};

} // namespace senn::ui
