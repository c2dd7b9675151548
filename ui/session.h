// A saved session (.sennsession, JSON): the dataset and target, the model file, the chosen
// example, methods and view settings, so reopening it restores the same screen.
#pragma once
#include "core/metrics/metrics.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace senn::ui {

// Session files are input from anywhere: load() reads only regular files up to
// kMaxSessionBytes, every number is range-checked where it is read, and strings from the file
// go into messages only through sessionEcho() (cut, control characters escaped).
constexpr qint64 kMaxSessionBytes = qint64(64) << 20;
// Longest path a session may name; a longer one is refused (no file system has such paths).
constexpr int kMaxSessionPath = 4096;
// Largest stability radius ε a stored result may hold (in training standard deviations).
constexpr double kMaxSessionEps = 1e6;
QString sessionEcho(const QString& text, int maxChars = 80);

// Stability and faithfulness results as they are kept in a session's settings (NaN = null),
// so that reopening a session shows them again. FromJson returns false for a malformed object
// or one with numbers out of range (why, if given, says which).
QJsonObject stabilityResultToJson(const metrics::StabilityResult& r);
bool stabilityResultFromJson(const QJsonObject& json, metrics::StabilityResult* out, QString* why = nullptr);
QJsonObject faithfulnessResultToJson(const metrics::FaithfulnessResult& r);
bool faithfulnessResultFromJson(const QJsonObject& json, metrics::FaithfulnessResult* out,
                                QString* why = nullptr);

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
    // Paths made absolute. Refuses, with a message naming the file, anything but a regular file
    // (FIFO, device, folder; links are followed) and files above kMaxSessionBytes.
    static bool load(const QString& path, Session* out, QString* error);
};

} // namespace senn::ui
