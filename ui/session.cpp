#include "ui/session.h"

#include "core/common/files.h"

#include <QDir>
#include <cmath>
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
    for (const QString& input : {datasetPath, modelPath})
        if (!input.isEmpty() && files::samePath(path.toStdString(), input.toStdString())) {
            if (error)
                *error = QObject::tr("%1: this is the session's own dataset or model file; saving "
                                     "the session there would destroy it. Choose another name")
                             .arg(path);
            return false;
        }
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
    if (!doc.isNull() && !doc.isObject()) {
        if (error)
            *error = QObject::tr("%1: the file holds JSON but not a session (a JSON object is "
                                 "expected). Open a .sennsession file saved by SENN Studio").arg(path);
        return false;
    }
    if (doc.isNull()) {
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

namespace {
QJsonArray numbers(const std::vector<double>& v)
{
    QJsonArray a;
    for (double x : v)
        a.append(std::isfinite(x) ? QJsonValue(x) : QJsonValue());
    return a;
}
std::vector<double> numbers(const QJsonValue& v)
{
    std::vector<double> out;
    for (const auto& x : v.toArray())
        out.push_back(x.isDouble() ? x.toDouble() : std::nan(""));
    return out;
}
QJsonArray rows(const std::vector<int64_t>& v)
{
    QJsonArray a;
    for (auto x : v)
        a.append(qint64(x));
    return a;
}
std::vector<int64_t> rows(const QJsonValue& v)
{
    std::vector<int64_t> out;
    for (const auto& x : v.toArray())
        out.push_back(x.toInteger());
    return out;
}
QJsonObject curveJson(const metrics::Curve& c)
{
    QJsonArray per;
    for (const auto& p : c.perPoint)
        per.append(numbers(p));
    return {{"median", numbers(c.median)}, {"q25", numbers(c.q25)}, {"q75", numbers(c.q75)},
            {"per_point", per}, {"points_done", c.pointsDone}};
}
metrics::Curve curveFrom(const QJsonObject& o)
{
    metrics::Curve c;
    c.median = numbers(o["median"]);
    c.q25 = numbers(o["q25"]);
    c.q75 = numbers(o["q75"]);
    for (const auto& p : o["per_point"].toArray())
        c.perPoint.push_back(numbers(p));
    c.pointsDone = o["points_done"].toInt();
    return c;
}
} // namespace

QJsonObject stabilityResultToJson(const metrics::StabilityResult& r)
{
    QJsonObject methods, moves;
    for (const auto& [id, c] : r.methods)
        methods[QString::fromStdString(id)] = curveJson(c);
    for (const auto& [id, c] : r.moves)
        moves[QString::fromStdString(id)] = curveJson(c);
    return {{"eps", numbers(r.eps)}, {"points", rows(r.points)}, {"methods", methods}, {"moves", moves},
            {"perturbed_accuracy", numbers(r.perturbedAccuracy)}, {"prediction_kept", numbers(r.predictionKept)},
            {"noisy_accuracy", numbers(r.noisyAccuracy)}, {"noise_draws", r.noiseDraws}, {"seconds", r.seconds},
            {"draws", QString::fromStdString(r.draws)}, {"threads", r.threads}, {"cancelled", r.cancelled}};
}

bool stabilityResultFromJson(const QJsonObject& o, metrics::StabilityResult* out)
{
    if (!o["eps"].isArray() || !o["methods"].isObject())
        return false;
    metrics::StabilityResult r;
    r.eps = numbers(o["eps"]);
    r.points = rows(o["points"]);
    const QJsonObject methods = o["methods"].toObject(), moves = o["moves"].toObject();
    for (auto it = methods.begin(); it != methods.end(); ++it)
        r.methods[it.key().toStdString()] = curveFrom(it.value().toObject());
    for (auto it = moves.begin(); it != moves.end(); ++it)
        r.moves[it.key().toStdString()] = curveFrom(it.value().toObject());
    r.perturbedAccuracy = numbers(o["perturbed_accuracy"]);
    r.predictionKept = numbers(o["prediction_kept"]);
    r.noisyAccuracy = numbers(o["noisy_accuracy"]);
    r.noiseDraws = o["noise_draws"].toInt();
    r.seconds = o["seconds"].toDouble();
    r.draws = o["draws"].toString("independent").toStdString();
    r.threads = o["threads"].toInt(1);
    r.cancelled = o["cancelled"].toBool();
    if (r.eps.empty())
        return false;
    *out = std::move(r);
    return true;
}

QJsonObject faithfulnessResultToJson(const metrics::FaithfulnessResult& r)
{
    QJsonObject methods;
    for (const auto& [id, m] : r.methods)
        methods[QString::fromStdString(id)] = QJsonObject{
            {"per_point", numbers(m.perPoint)}, {"median", std::isfinite(m.median) ? QJsonValue(m.median) : QJsonValue()},
            {"faithfulness_correlation", numbers(m.faithfulnessCorrelation)}, {"infidelity", numbers(m.infidelity)},
            {"infidelity_normalized", numbers(m.infidelityNormalized)}, {"seconds", numbers(m.seconds)},
            {"points_done", m.pointsDone}};
    return {{"points", rows(r.points)}, {"methods", methods}, {"seconds", r.seconds}, {"threads", r.threads},
            {"cancelled", r.cancelled}, {"senn_attribution", QString::fromStdString(r.sennAttribution)}};
}

bool faithfulnessResultFromJson(const QJsonObject& o, metrics::FaithfulnessResult* out)
{
    if (!o["points"].isArray() || !o["methods"].isObject())
        return false;
    metrics::FaithfulnessResult r;
    r.points = rows(o["points"]);
    const QJsonObject methods = o["methods"].toObject();
    for (auto it = methods.begin(); it != methods.end(); ++it) {
        const QJsonObject m = it.value().toObject();
        metrics::FaithfulnessResult::PerMethod pm;
        pm.perPoint = numbers(m["per_point"]);
        pm.median = m["median"].isDouble() ? m["median"].toDouble() : std::nan("");
        pm.faithfulnessCorrelation = numbers(m["faithfulness_correlation"]);
        pm.infidelity = numbers(m["infidelity"]);
        pm.infidelityNormalized = numbers(m["infidelity_normalized"]);
        pm.seconds = numbers(m["seconds"]);
        pm.pointsDone = m["points_done"].toInt();
        r.methods[it.key().toStdString()] = std::move(pm);
    }
    r.seconds = o["seconds"].toDouble();
    r.threads = o["threads"].toInt(1);
    r.cancelled = o["cancelled"].toBool();
    r.sennAttribution = o["senn_attribution"].toString("theta_h").toStdString();
    if (r.points.empty())
        return false;
    *out = std::move(r);
    return true;
}

} // namespace senn::ui
