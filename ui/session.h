// A saved session (.sennsession, JSON): the dataset and target, the model file, the chosen
// example, methods and view settings, so reopening it restores the same screen.
#pragma once
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace senn::ui {

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
