#include "ui/session.h"

#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/explain/explanation.h"
#include "core/metrics/measures.h"

#include <QDir>
#include <algorithm>
#include <cmath>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace senn::ui {

QString sessionEcho(const QString& text, int maxChars)
{
    // Only the head of a long string is converted: a 50 MB string must cost nothing here.
    const int n = std::max(8, maxChars);
    const QString head = text.left(n + 8);
    QString out = QString::fromStdString(files::echo(head.toStdString(), size_t(n)));
    if (text.size() > head.size() && !out.endsWith(QStringLiteral("...")))
        out += QStringLiteral("...");
    return out;
}

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
    // Strings: paths no longer than a file system allows, names short; a longer one is refused
    // (its length is said, not its text).
    auto text = [&](const char* key, int maxChars, QString* to) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isNull() && !v.isString()) {
            if (error)
                *error = QObject::tr("\"%1\" must be a string").arg(QLatin1String(key));
            return false;
        }
        const QString t = v.toString();
        if (t.size() > maxChars) {
            if (error)
                *error = QObject::tr("\"%1\" is %L2 characters long (at most %L3): \"%4\"")
                             .arg(QLatin1String(key)).arg(t.size()).arg(maxChars).arg(sessionEcho(t, 40));
            return false;
        }
        *to = t;
        return true;
    };
    if (!text("dataset", kMaxSessionPath, &s.datasetPath) || !text("model", kMaxSessionPath, &s.modelPath)
        || !text("target", 1000, &s.target) || !text("view", 100, &s.currentView))
        return false;
    const QJsonValue row = o.value("example_row");
    // A row is a whole number from -1 (none) up to what a dataset may hold.
    const double r = row.toDouble(-1);
    s.exampleRow = row.isDouble() && std::isfinite(r) && r >= 0 && r <= double(limits::kMaxDatasetValues)
                       && r == std::floor(r)
                       ? qint64(r)
                       : -1;
    // Method ids this version knows; others are dropped (a list of any length is read once).
    const QJsonArray methods = o.value("methods").toArray();
    for (const auto& m : methods) {
        const QString id = m.toString();
        if (id.size() > 40 || s.methods.contains(id))
            continue;
        try {
            (void)explain::methodFromId(id.toStdString());
            s.methods << id;
        } catch (...) {
        }
    }
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
    // Checked before opening: opening a FIFO blocks until a writer comes, and a device such
    // as /dev/zero never ends. Links are followed, so a link to either is refused too.
    const QString name = sessionEcho(path, 200);
    const QFileInfo info(path);
    if (!info.exists()) {
        if (error)
            *error = QObject::tr("%1: no such file").arg(name);
        return false;
    }
    if (!info.isFile()) {
        if (error)
            *error = QObject::tr("%1: not a regular file (a folder, FIFO or device). Open a .sennsession "
                                 "file saved by SENN Studio").arg(name);
        return false;
    }
    if (info.size() > kMaxSessionBytes) {
        if (error)
            *error = QObject::tr("%1: %L2 bytes, more than a session can be (at most %L3 MiB). Open a "
                                 ".sennsession file saved by SENN Studio")
                         .arg(name).arg(info.size()).arg(kMaxSessionBytes >> 20);
        return false;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QObject::tr("%1: cannot open: %2").arg(name, f.errorString());
        return false;
    }
    // Read no more than the limit even if the file grew since it was checked; asking for the
    // file's size (not the limit) keeps QIODevice::read from allocating the whole limit first.
    const QByteArray bytes = f.read(std::min(info.size(), kMaxSessionBytes) + 1);
    if (bytes.size() > kMaxSessionBytes) {
        if (error)
            *error = QObject::tr("%1: more than %L2 MiB, more than a session can be").arg(name).arg(kMaxSessionBytes >> 20);
        return false;
    }
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(bytes, &pe);
    if (!doc.isNull() && !doc.isObject()) {
        if (error)
            *error = QObject::tr("%1: the file holds JSON but not a session (a JSON object is "
                                 "expected). Open a .sennsession file saved by SENN Studio").arg(name);
        return false;
    }
    if (doc.isNull()) {
        if (error)
            *error = QObject::tr("%1: offset %2: invalid JSON (%3). Save the session again from "
                                 "File > Save session").arg(name).arg(pe.offset).arg(pe.errorString());
        return false;
    }
    QString why;
    if (!fromJson(doc.object(), out, &why)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(name, why);
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
// A stored result holds at most this many points: a whole split, merged from shards or run
// with every point, fits; the session file's own size bound caps the memory it can take.
constexpr int kMaxStoredPoints = 1 << 20;
// Stored lists are read with a bound on their length and non-finite entries as NaN (= not
// computed).
constexpr qsizetype kMaxStoredList = qsizetype(kMaxStoredPoints) * 4;
std::vector<double> numbers(const QJsonValue& v)
{
    std::vector<double> out;
    const QJsonArray a = v.toArray();
    for (qsizetype i = 0; i < a.size() && i < kMaxStoredList; ++i) {
        const double x = a.at(i).isDouble() ? a.at(i).toDouble() : std::nan("");
        out.push_back(std::isfinite(x) ? x : std::nan(""));
    }
    return out;
}
int count(const QJsonValue& v, int hi)
{
    const double x = v.toDouble(0);
    return std::isfinite(x) ? int(std::clamp(x, 0.0, double(hi))) : 0;
}
double seconds(const QJsonValue& v)
{
    const double x = v.toDouble(0);
    return std::isfinite(x) && x >= 0 ? x : 0.0;
}
bool knownMethod(const QString& id)
{
    try {
        (void)explain::methodFromId(id.toStdString());
        return true;
    } catch (...) {
        return false;
    }
}
QJsonArray rows(const std::vector<int64_t>& v)
{
    QJsonArray a;
    for (auto x : v)
        a.append(qint64(x));
    return a;
}
std::vector<int64_t> rows(const QJsonValue& v, bool* ok)
{
    std::vector<int64_t> out;
    const QJsonArray a = v.toArray();
    if (a.size() > kMaxStoredList)
        *ok = false;
    for (qsizetype i = 0; i < a.size() && i < kMaxStoredList; ++i) {
        const double x = a.at(i).toDouble(-1);
        if (!(x >= 0 && x <= double(limits::kMaxDatasetValues)))
            *ok = false;
        out.push_back(int64_t(std::clamp(std::isfinite(x) ? x : -1.0, -1.0, double(limits::kMaxDatasetValues))));
    }
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
metrics::Curve curveFrom(const QJsonObject& o, size_t epsCount)
{
    metrics::Curve c;
    c.median = numbers(o["median"]);
    c.q25 = numbers(o["q25"]);
    c.q75 = numbers(o["q75"]);
    for (const auto& p : o["per_point"].toArray()) {
        if (c.perPoint.size() >= epsCount)
            break;
        c.perPoint.push_back(numbers(p));
    }
    c.pointsDone = count(o["points_done"], kMaxStoredPoints);
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

bool stabilityResultFromJson(const QJsonObject& o, metrics::StabilityResult* out, QString* why)
{
    auto refuse = [why](const QString& message) {
        if (why)
            *why = message;
        return false;
    };
    if (!o["eps"].isArray() || !o["methods"].isObject())
        return refuse(QObject::tr("the stored stability result has no ε list or no methods"));
    metrics::StabilityResult r;
    const QJsonArray eps = o["eps"].toArray();
    if (eps.isEmpty() || eps.size() > limits::kMaxEpsValues)
        return refuse(QObject::tr("the stored stability result has %L1 ε values (1 to %2)")
                          .arg(eps.size()).arg(limits::kMaxEpsValues));
    // ε is a radius in training standard deviations: positive, finite and not absurd (a huge
    // one would only make an axis of 300 decades).
    for (const auto& e : eps) {
        const double v = e.toDouble(std::nan(""));
        if (!(v > 0 && v <= kMaxSessionEps))
            return refuse(QObject::tr("the stored stability result has ε = %1, outside (0, %2]")
                              .arg(e.isDouble() ? QString::number(v, 'g', 6) : QObject::tr("(not a number)"))
                              .arg(kMaxSessionEps, 0, 'g', 3));
        r.eps.push_back(v);
    }
    bool rowsOk = true;
    r.points = rows(o["points"], &rowsOk);
    if (!rowsOk || r.points.size() > size_t(kMaxStoredPoints))
        return refuse(QObject::tr("the stored stability result lists invalid or too many points"));
    const QJsonObject methods = o["methods"].toObject(), moves = o["moves"].toObject();
    for (auto it = methods.begin(); it != methods.end(); ++it)
        if (knownMethod(it.key()))
            r.methods[it.key().toStdString()] = curveFrom(it.value().toObject(), r.eps.size());
    for (auto it = moves.begin(); it != moves.end(); ++it)
        if (knownMethod(it.key()))
            r.moves[it.key().toStdString()] = curveFrom(it.value().toObject(), r.eps.size());
    r.perturbedAccuracy = numbers(o["perturbed_accuracy"]);
    r.predictionKept = numbers(o["prediction_kept"]);
    r.noisyAccuracy = numbers(o["noisy_accuracy"]);
    r.noiseDraws = count(o["noise_draws"], 10000);
    r.seconds = seconds(o["seconds"]);
    r.draws = o["draws"].toString("independent") == QLatin1String("shared") ? "shared" : "independent";
    r.threads = std::max(1, count(o["threads"], limits::kMaxThreadsOption));
    r.cancelled = o["cancelled"].toBool();
    *out = std::move(r);
    return true;
}

QJsonObject faithfulnessResultToJson(const metrics::FaithfulnessResult& r)
{
    QJsonObject methods;
    for (const auto& [id, m] : r.methods) {
        QJsonObject measures; // by measures.h id, every measure the run computed
        for (const auto& [mid, v] : m.measures)
            measures[QString::fromStdString(mid)] = numbers(v);
        methods[QString::fromStdString(id)] = QJsonObject{
            {"per_point", numbers(m.perPoint)}, {"median", std::isfinite(m.median) ? QJsonValue(m.median) : QJsonValue()},
            {"faithfulness_correlation", numbers(m.faithfulnessCorrelation)}, {"infidelity", numbers(m.infidelity)},
            {"infidelity_normalized", numbers(m.infidelityNormalized)}, {"seconds", numbers(m.seconds)},
            {"points_done", m.pointsDone}, {"measures", measures}};
    }
    return {{"points", rows(r.points)}, {"methods", methods}, {"seconds", r.seconds}, {"threads", r.threads},
            {"cancelled", r.cancelled}, {"senn_attribution", QString::fromStdString(r.sennAttribution)}};
}

bool faithfulnessResultFromJson(const QJsonObject& o, metrics::FaithfulnessResult* out, QString* why)
{
    auto refuse = [why](const QString& message) {
        if (why)
            *why = message;
        return false;
    };
    if (!o["points"].isArray() || !o["methods"].isObject())
        return refuse(QObject::tr("the stored faithfulness result has no points or no methods"));
    metrics::FaithfulnessResult r;
    bool rowsOk = true;
    r.points = rows(o["points"], &rowsOk);
    if (!rowsOk || r.points.empty() || r.points.size() > size_t(kMaxStoredPoints))
        return refuse(QObject::tr("the stored faithfulness result lists invalid or too many points"));
    const QJsonObject methods = o["methods"].toObject();
    for (auto it = methods.begin(); it != methods.end(); ++it) {
        if (!knownMethod(it.key()))
            continue;
        const QJsonObject m = it.value().toObject();
        metrics::FaithfulnessResult::PerMethod pm;
        pm.perPoint = numbers(m["per_point"]);
        const double median = m["median"].toDouble(std::nan(""));
        pm.median = std::isfinite(median) ? median : std::nan("");
        pm.faithfulnessCorrelation = numbers(m["faithfulness_correlation"]);
        pm.infidelity = numbers(m["infidelity"]);
        pm.infidelityNormalized = numbers(m["infidelity_normalized"]);
        pm.seconds = numbers(m["seconds"]);
        pm.pointsDone = count(m["points_done"], kMaxStoredPoints);
        // Sessions of before have none; a measure this build does not know, or of the wrong
        // length, is left out rather than shown against the wrong points.
        const QJsonObject measures = m["measures"].toObject();
        for (auto mi = measures.begin(); mi != measures.end(); ++mi) {
            auto v = numbers(mi.value());
            if (metrics::findMeasure(mi.key().toStdString()) && v.size() == r.points.size())
                pm.measures[mi.key().toStdString()] = std::move(v);
        }
        r.methods[it.key().toStdString()] = std::move(pm);
    }
    r.seconds = seconds(o["seconds"]);
    r.threads = std::max(1, count(o["threads"], limits::kMaxThreadsOption));
    r.cancelled = o["cancelled"].toBool();
    r.sennAttribution = o["senn_attribution"].toString("theta_h") == QLatin1String("theta") ? "theta" : "theta_h";
    *out = std::move(r);
    return true;
}

} // namespace senn::ui
