#include "ui/session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace senn::ui {

QJsonObject Session::toJson() const
{
    QJsonObject o;
    o["format"] = "senn-session";
    o["version"] = version;
    o["dataset"] = datasetPath;
    o["target"] = target;
    o["model"] = modelPath;
    o["example_row"] = exampleRow;
    o["methods"] = QJsonArray::fromStringList(methods);
    o["view"] = currentView;
    o["settings"] = settings;
    return o;
}

bool Session::fromJson(const QJsonObject& o, Session* out, QString* error)
{
    if (o.value("format").toString() != "senn-session") {
        if (error)
            *error = QObject::tr("not a SENN Studio session (no \"format\": \"senn-session\")");
        return false;
    }
    if (o.value("version").toInt(1) > 1) {
        if (error)
            *error = QObject::tr("session version %1 is newer than this SENN Studio reads (1); "
                                 "update SENN Studio").arg(o.value("version").toInt());
        return false;
    }
    Session s;
    s.datasetPath = o.value("dataset").toString();
    s.target = o.value("target").toString();
    s.modelPath = o.value("model").toString();
    s.exampleRow = o.value("example_row").toInteger(-1);
    for (const auto& m : o.value("methods").toArray())
        s.methods << m.toString();
    s.currentView = o.value("view").toString();
    s.settings = o.value("settings").toObject();
    *out = s;
    return true;
}

namespace {
// Paths are stored relative to the session file so a folder can be moved or shared whole.
QString relativeTo(const QDir& dir, const QString& p)
{
    return p.isEmpty() ? p : dir.relativeFilePath(QFileInfo(p).absoluteFilePath());
}
QString absoluteFrom(const QDir& dir, const QString& p)
{
    return p.isEmpty() ? p : QDir::cleanPath(dir.absoluteFilePath(p));
}
} // namespace

bool Session::save(const QString& path, QString* error) const
{
    const QDir dir = QFileInfo(path).absoluteDir();
    Session rel = *this;
    rel.datasetPath = relativeTo(dir, datasetPath);
    rel.modelPath = relativeTo(dir, modelPath);
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QObject::tr("%1: cannot write: %2").arg(path, f.errorString());
        return false;
    }
    f.write(QJsonDocument(rel.toJson()).toJson(QJsonDocument::Indented));
    if (!f.commit()) {
        if (error)
            *error = QObject::tr("%1: cannot write: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

bool Session::load(const QString& path, Session* out, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QObject::tr("%1: cannot open: %2").arg(path, f.errorString());
        return false;
    }
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (doc.isNull() || !doc.isObject()) {
        if (error)
            *error = QObject::tr("%1: offset %2: invalid JSON (%3). Save the session again from "
                                 "File > Save session").arg(path).arg(pe.offset).arg(pe.errorString());
        return false;
    }
    QString why;
    if (!fromJson(doc.object(), out, &why)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, why);
        return false;
    }
    const QDir dir = QFileInfo(path).absoluteDir();
    out->datasetPath = absoluteFrom(dir, out->datasetPath);
    out->modelPath = absoluteFrom(dir, out->modelPath);
    return true;
}

} // namespace senn::ui
