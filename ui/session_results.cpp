// Sanity and scorecard results in a session (session_results.h): written as the views hold
// them, read back only when every list has the length the views index it with.
#include "ui/session_results.h"

#include "core/common/limits.h"
#include "core/explain/explanation.h"
#include "core/metrics/similarity.h"
#include "ui/session.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace senn::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// As many points as a stored stability or faithfulness result may hold (session.cpp).
constexpr qsizetype kMaxPoints = qsizetype(1) << 20;
// Steps of a sanity run: one per re-drawn layer and the original; no network has more layers.
constexpr qsizetype kMaxSteps = 4096;
// Layer and step names, and methods or measures in one table.
constexpr int kMaxName = 1000;
constexpr qsizetype kMaxRows = 256;

QJsonValue number(double x) { return std::isfinite(x) ? QJsonValue(x) : QJsonValue(); }

QJsonArray numbers(const std::vector<double>& v)
{
    QJsonArray a;
    for (double x : v)
        a.append(number(x));
    return a;
}

QJsonArray floats(const std::vector<float>& v)
{
    QJsonArray a;
    for (float x : v)
        a.append(std::isfinite(x) ? QJsonValue(double(x)) : QJsonValue());
    return a;
}

template <class T> QJsonArray integers(const std::vector<T>& v)
{
    QJsonArray a;
    for (auto x : v)
        a.append(qint64(x));
    return a;
}

QJsonArray strings(const std::vector<std::string>& v)
{
    QJsonArray a;
    for (const auto& s : v)
        a.append(QString::fromStdString(s));
    return a;
}

// A seed is 64 bits; JSON numbers keep 53, so it is stored as decimal text.
QJsonValue seedJson(uint64_t seed) { return QString::number(quint64(seed)); }
uint64_t seedFrom(const QJsonValue& v)
{
    bool ok = false;
    const quint64 s = v.toString().toULongLong(&ok);
    if (ok)
        return s;
    const double d = v.toDouble(0);
    return d >= 0 && d <= 9007199254740992.0 && d == std::floor(d) ? uint64_t(d) : 0;
}

// Readers: false when the value is not what it must be; NaN stands for null and non-numbers.
bool numbersFrom(const QJsonValue& v, qsizetype maxSize, std::vector<double>* out)
{
    if (!v.isArray())
        return false;
    const QJsonArray a = v.toArray();
    if (a.size() > maxSize)
        return false;
    out->clear();
    out->reserve(size_t(a.size()));
    for (const auto& x : a) {
        const double d = x.isDouble() ? x.toDouble() : kNaN;
        out->push_back(std::isfinite(d) ? d : kNaN);
    }
    return true;
}

// A number that must lie in [lo, hi] (NaN allowed where nan is true).
bool inRange(double x, double lo, double hi, bool nan = true) { return std::isnan(x) ? nan : x >= lo && x <= hi; }

bool integerIn(const QJsonValue& v, double lo, double hi, int64_t* out)
{
    const double d = v.toDouble(kNaN);
    if (!v.isDouble() || !(d >= lo && d <= hi) || d != std::floor(d))
        return false;
    *out = int64_t(d);
    return true;
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

bool stringsFrom(const QJsonValue& v, qsizetype maxSize, std::vector<std::string>* out, int maxChars = kMaxName)
{
    if (!v.isArray())
        return false;
    const QJsonArray a = v.toArray();
    if (a.size() > maxSize)
        return false;
    out->clear();
    for (const auto& x : a) {
        if (!x.isString() || x.toString().size() > maxChars)
            return false;
        out->push_back(x.toString().toStdString());
    }
    return true;
}

bool rowsFrom(const QJsonValue& v, std::vector<int64_t>* out)
{
    if (!v.isArray())
        return false;
    const QJsonArray a = v.toArray();
    if (a.size() > kMaxPoints)
        return false;
    out->clear();
    for (const auto& x : a) {
        int64_t r = 0;
        if (!integerIn(x, 0, double(limits::kMaxDatasetValues), &r))
            return false;
        out->push_back(r);
    }
    return true;
}

bool isExplainMethod(const std::string& id)
{
    try {
        (void)explain::methodFromId(id);
        return true;
    } catch (...) {
        return false;
    }
}

bool isSimilarity(const std::string& id)
{
    const auto& ids = metrics::similarityMeasures();
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

QJsonObject seriesJson(const metrics::SimilaritySeries& s)
{
    QJsonArray per;
    for (const auto& p : s.perPoint)
        per.append(numbers(p));
    return {{"per_point", per}, {"median", numbers(s.median)}, {"q25", numbers(s.q25)}, {"q75", numbers(s.q75)}};
}

} // namespace

QJsonObject sanityResultToJson(const metrics::SanityResult& r, const std::string& measure)
{
    QJsonObject results;
    for (const auto& [id, m] : r.results) {
        QJsonObject steps, randomLogit, dataRandomisation;
        for (const auto& [mid, s] : m.steps)
            steps[QString::fromStdString(mid)] = seriesJson(s);
        for (const auto& [mid, v] : m.randomLogit)
            randomLogit[QString::fromStdString(mid)] = numbers(v);
        for (const auto& [mid, v] : m.dataRandomisation)
            dataRandomisation[QString::fromStdString(mid)] = numbers(v);
        QJsonArray example;
        for (const auto& e : m.example)
            example.append(floats(e));
        results[QString::fromStdString(id)] =
            QJsonObject{{"steps", steps}, {"example", example}, {"shape", integers(m.shape)},
                        {"random_logit", randomLogit}, {"data_randomisation", dataRandomisation}};
    }
    return {{"mode", QString::fromStdString(r.mode)},
            {"points", integers(r.points)},
            {"targets", integers(r.targets)},
            {"random_targets", integers(r.randomTargets)},
            {"layers", strings(r.layers)},
            {"steps", strings(r.steps)},
            {"methods", strings(r.methods)},
            {"results", results},
            {"steps_done", r.stepsDone},
            {"random_logit", r.randomLogit},
            {"data_randomisation", r.dataRandomisation},
            {"randomised_epochs", r.randomisedEpochs},
            {"randomised_accuracy", number(r.randomisedAccuracy)},
            {"seed", seedJson(r.seed)},
            {"threads", r.threads},
            {"seconds", r.seconds},
            {"cancelled", r.cancelled},
            {"measure", QString::fromStdString(measure)}};
}

bool sanityResultFromJson(const QJsonObject& o, metrics::SanityResult* out, std::string* measure, QString* why)
{
    auto refuse = [why](const QString& message) {
        if (why)
            *why = message;
        return false;
    };
    metrics::SanityResult r;
    const QString mode = o["mode"].toString();
    if (mode != QLatin1String("cascading") && mode != QLatin1String("independent"))
        return refuse(QObject::tr("the stored sanity result has mode \"%1\" (cascading or independent)")
                          .arg(sessionEcho(mode, 40)));
    r.mode = mode.toStdString();
    if (!stringsFrom(o["steps"], kMaxSteps, &r.steps) || r.steps.empty())
        return refuse(QObject::tr("the stored sanity result has no list of steps, or one of more than %L1 "
                                  "names of up to %L2 characters").arg(kMaxSteps).arg(kMaxName));
    if (!o["layers"].isUndefined() && !stringsFrom(o["layers"], kMaxSteps, &r.layers))
        return refuse(QObject::tr("the stored sanity result's layer list is not a list of short names"));
    if (!rowsFrom(o["points"], &r.points) || r.points.empty())
        return refuse(QObject::tr("the stored sanity result lists invalid or too many points"));
    const size_t steps = r.steps.size(), points = r.points.size();
    // Classes, one per point (the random-logit ones only when that test ran).
    auto classes = [&](const char* key, std::vector<int>* to) {
        const QJsonArray a = o[QLatin1String(key)].toArray();
        if (size_t(a.size()) > points)
            return false;
        for (const auto& x : a) {
            int64_t c = 0;
            if (!integerIn(x, 0, double(limits::kMaxClasses - 1), &c))
                return false;
            to->push_back(int(c));
        }
        return true;
    };
    if (!classes("targets", &r.targets) || !classes("random_targets", &r.randomTargets))
        return refuse(QObject::tr("the stored sanity result has a class out of range or more classes than points"));
    r.stepsDone = count(o["steps_done"], int(steps));
    r.randomLogit = o["random_logit"].toBool();
    r.dataRandomisation = o["data_randomisation"].toBool();
    r.randomisedEpochs = count(o["randomised_epochs"], limits::kMaxEpochs);
    const double accuracy = o["randomised_accuracy"].toDouble(0);
    r.randomisedAccuracy = inRange(accuracy, 0, 1, false) ? accuracy : 0.0;
    r.seed = seedFrom(o["seed"]);
    r.threads = std::max(1, count(o["threads"], limits::kMaxThreadsOption));
    r.seconds = seconds(o["seconds"]);
    r.cancelled = o["cancelled"].toBool();

    // Methods this version knows (the explainers and the edge detector), each once; others are
    // dropped, as a stored stability result drops them.
    const QJsonArray methods = o["methods"].toArray();
    if (methods.size() > kMaxRows)
        return refuse(QObject::tr("the stored sanity result lists %L1 methods (at most %L2)")
                          .arg(methods.size()).arg(kMaxRows));
    const QJsonObject results = o["results"].toObject();
    for (const auto& m : methods) {
        const std::string id = m.toString().left(64).toStdString();
        if ((!isExplainMethod(id) && id != metrics::kEdgeDetectorId)
            || std::find(r.methods.begin(), r.methods.end(), id) != r.methods.end())
            continue;
        r.methods.push_back(id);
        if (!results.contains(QString::fromStdString(id)))
            continue; // a method whose first step had not finished
        const QJsonObject mo = results[QString::fromStdString(id)].toObject();
        const QString name = QString::fromStdString(id);
        metrics::SanityMethodResult mr;
        const QJsonObject series = mo["steps"].toObject();
        for (auto it = series.begin(); it != series.end(); ++it) {
            const std::string mid = it.key().toStdString();
            if (!isSimilarity(mid))
                continue;
            const QJsonObject so = it.value().toObject();
            metrics::SimilaritySeries s;
            if (!numbersFrom(so["median"], qsizetype(steps), &s.median) || !numbersFrom(so["q25"], qsizetype(steps), &s.q25)
                || !numbersFrom(so["q75"], qsizetype(steps), &s.q75) || s.q25.size() != s.median.size()
                || s.q75.size() != s.median.size())
                return refuse(QObject::tr("the stored sanity result of %1 (%2) has medians and quartiles of different "
                                          "lengths, or more than its %L3 steps").arg(name, it.key()).arg(steps));
            const QJsonArray per = so["per_point"].toArray();
            if (size_t(per.size()) > steps)
                return refuse(QObject::tr("the stored sanity result of %1 (%2) has more rows than its %L3 steps")
                                  .arg(name, it.key()).arg(steps));
            for (const auto& p : per) {
                std::vector<double> v;
                if (!numbersFrom(p, qsizetype(points), &v))
                    return refuse(QObject::tr("the stored sanity result of %1 (%2) has a step with more values than "
                                              "its %L3 points").arg(name, it.key()).arg(points));
                s.perPoint.push_back(std::move(v));
            }
            mr.steps[mid] = std::move(s);
        }
        for (const auto& [key, to] : {std::pair{"random_logit", &mr.randomLogit},
                                      std::pair{"data_randomisation", &mr.dataRandomisation}}) {
            const QJsonObject tests = mo[QLatin1String(key)].toObject();
            for (auto it = tests.begin(); it != tests.end(); ++it) {
                std::vector<double> v;
                if (!isSimilarity(it.key().toStdString()))
                    continue;
                if (!numbersFrom(it.value(), qsizetype(points), &v))
                    return refuse(QObject::tr("the stored sanity result of %1 has a %2 test with more values than "
                                              "its %L3 points").arg(name, QLatin1String(key)).arg(points));
                (*to)[it.key().toStdString()] = std::move(v);
            }
        }
        // The example's explanation at each step: {d} or {C, H, W}, every one of that size.
        const QJsonArray shape = mo["shape"].toArray();
        const QJsonArray example = mo["example"].toArray();
        if (shape.size() > 3 || size_t(example.size()) > steps)
            return refuse(QObject::tr("the stored sanity result of %1 has an example of more than three "
                                      "dimensions or more than its %L2 steps").arg(name).arg(steps));
        int64_t size = 1;
        for (const auto& d : shape) {
            int64_t n = 0;
            if (!integerIn(d, 1, double(limits::kMaxModelInputValues), &n) || size > limits::kMaxModelInputValues / n)
                return refuse(QObject::tr("the stored sanity result of %1 has an example shape out of range").arg(name));
            size *= n;
            mr.shape.push_back(n);
        }
        for (const auto& e : example) {
            const QJsonArray a = e.toArray();
            if (!e.isArray() || (!a.isEmpty() && (shape.isEmpty() || a.size() != size)))
                return refuse(QObject::tr("the stored sanity result of %1 has an example whose size is not its "
                                          "shape's").arg(name));
            std::vector<float> v;
            v.reserve(size_t(a.size()));
            for (const auto& x : a) {
                const double d = x.isDouble() ? x.toDouble() : 0.0;
                v.push_back(std::isfinite(d) ? float(std::clamp(d, -3.0e38, 3.0e38)) : 0.0f);
            }
            mr.example.push_back(std::move(v));
        }
        r.results[id] = std::move(mr);
    }
    if (measure) {
        const std::string shown = o["measure"].toString().left(64).toStdString();
        *measure = isSimilarity(shown) ? shown : std::string();
    }
    *out = std::move(r);
    return true;
}

QJsonObject scorecardResultToJson(const metrics::ScorecardResult& r)
{
    QJsonArray measures, values, cells, ranks, tau;
    for (const auto& m : r.measures)
        measures.append(QString::fromStdString(m.id));
    for (size_t m = 0; m < r.values.size(); ++m) {
        QJsonArray row;
        for (const auto& v : r.values[m])
            row.append(numbers(v));
        values.append(row);
    }
    for (const auto& row : r.cells) {
        QJsonArray a;
        for (const auto& c : row)
            a.append(QJsonArray{number(c.median), number(c.lo), number(c.hi), c.n});
        cells.append(a);
    }
    for (const auto& row : r.ranks)
        ranks.append(numbers(row));
    for (const auto& row : r.tau)
        tau.append(numbers(row));
    QJsonArray reasons;
    for (const auto& row : r.reasons)
        reasons.append(strings(row));
    return {{"points", integers(r.points)},
            {"methods", strings(r.methods)},
            {"sources", strings(r.sources)},
            {"reasons", reasons},
            {"measures", measures},
            {"values", values},
            {"points_done", integers(r.pointsDone)},
            {"cells", cells},
            {"ranks", ranks},
            {"kendall_w", number(r.kendallW)},
            {"agreement_measures", strings(r.agreementMeasures)},
            {"tau", tau},
            {"bootstrap", r.bootstrap},
            {"level", r.level},
            {"seed", seedJson(r.seed)},
            {"seconds", r.seconds},
            {"threads", r.threads},
            {"cancelled", r.cancelled},
            {"measure_seconds", numbers(r.measureSeconds)},
            {"explain_seconds", r.explainSeconds}};
}

bool scorecardResultFromJson(const QJsonObject& o, metrics::ScorecardResult* out, QString* why,
                             const std::vector<metrics::ScorecardMeasure>& known)
{
    auto refuse = [why](const QString& message) {
        if (why)
            *why = message;
        return false;
    };
    metrics::ScorecardResult r;
    if (!rowsFrom(o["points"], &r.points) || r.points.empty())
        return refuse(QObject::tr("the stored scorecard lists invalid or too many points"));
    // Rows and columns: every one known and named once, or the table is not shown (its ranks
    // and W were computed over exactly these).
    std::vector<std::string> methods, measures;
    if (!stringsFrom(o["methods"], kMaxRows, &methods) || methods.empty()
        || !stringsFrom(o["measures"], kMaxRows, &measures) || measures.empty())
        return refuse(QObject::tr("the stored scorecard has no list of methods or of measures, or a list of "
                                  "more than %L1").arg(kMaxRows));
    // Per row, the file of attributions from elsewhere it was read from ("" for our methods):
    // such a row is named by the user, not by a method id.
    std::vector<std::string> sources;
    if (!o["sources"].isUndefined()
        && (!stringsFrom(o["sources"], kMaxRows, &sources, kMaxSessionPath)
            || (!sources.empty() && sources.size() != methods.size())))
        return refuse(QObject::tr("the stored scorecard's sources are not one path per row"));
    sources.resize(methods.size());
    for (size_t m = 0; m < methods.size(); ++m) {
        const std::string& id = methods[m];
        if (!sources[m].empty() && (id.empty() || id.size() > 100))
            return refuse(QObject::tr("the stored scorecard has a row from a file without a name, or with one of "
                                      "more than 100 characters"));
        if (sources[m].empty() && !isExplainMethod(id))
            return refuse(QObject::tr("the stored scorecard names a method this version does not know: \"%1\"")
                              .arg(sessionEcho(QString::fromStdString(id), 40)));
        if (std::count(methods.begin(), methods.end(), id) > 1)
            return refuse(QObject::tr("the stored scorecard names the method %1 twice").arg(QString::fromStdString(id)));
    }
    r.methods = methods;
    r.sources = sources;
    for (const auto& id : measures) {
        auto it = std::find_if(known.begin(), known.end(), [&](const auto& m) { return m.id == id; });
        if (it == known.end())
            return refuse(QObject::tr("the stored scorecard names a measure this version does not know: \"%1\"")
                              .arg(sessionEcho(QString::fromStdString(id), 40)));
        if (std::count(measures.begin(), measures.end(), id) > 1)
            return refuse(QObject::tr("the stored scorecard names the measure %1 twice").arg(QString::fromStdString(id)));
        r.measures.push_back(*it);
    }
    const size_t M = r.methods.size(), K = r.measures.size(), P = r.points.size();
    const QString shapeError = QObject::tr("the stored scorecard's %1 is not %2 x %3 (methods x measures)");
    // [method][measure] arrays, each entry read by `cell`.
    auto table = [&](const char* key, size_t cols, const auto& cell) {
        const QJsonArray rows = o[QLatin1String(key)].toArray();
        if (size_t(rows.size()) != M)
            return false;
        for (size_t m = 0; m < M; ++m) {
            const QJsonArray row = rows[qsizetype(m)].toArray();
            if (size_t(row.size()) != cols)
                return false;
            for (size_t k = 0; k < cols; ++k)
                if (!cell(m, k, row[qsizetype(k)]))
                    return false;
        }
        return true;
    };
    r.values.assign(M, std::vector<std::vector<double>>(K));
    if (!table("values", K, [&](size_t m, size_t k, const QJsonValue& v) {
            return numbersFrom(v, qsizetype(P), &r.values[m][k]) && r.values[m][k].size() == P;
        }))
        return refuse(shapeError.arg(QObject::tr("table of values per point")).arg(M).arg(K)
                      + QObject::tr(", or a cell does not have one value per point (%L1)").arg(P));
    r.cells.assign(M, std::vector<metrics::MedianInterval>(K));
    if (!table("cells", K, [&](size_t m, size_t k, const QJsonValue& v) {
            std::vector<double> c;
            if (!numbersFrom(v, 4, &c) || c.size() != 4 || !inRange(c[3], 0, double(P), false) || c[3] != std::floor(c[3]))
                return false;
            r.cells[m][k] = {c[0], c[1], c[2], int(c[3])};
            return true;
        }))
        return refuse(shapeError.arg(QObject::tr("table of medians and intervals")).arg(M).arg(K));
    // Why a cell of a file's row has no values; none (missing or empty) in sessions written
    // before there were files, and in results made without any.
    r.reasons.assign(M, std::vector<std::string>(K));
    if (!o["reasons"].toArray().isEmpty()
        && !table("reasons", K, [&](size_t m, size_t k, const QJsonValue& v) {
               if (!v.isString() || v.toString().size() > kMaxName)
                   return false;
               r.reasons[m][k] = v.toString().toStdString();
               return true;
           }))
        return refuse(shapeError.arg(QObject::tr("table of reasons")).arg(M).arg(K));
    r.ranks.assign(M, std::vector<double>(K, kNaN));
    if (!table("ranks", K, [&](size_t m, size_t k, const QJsonValue& v) {
            const double x = v.isDouble() ? v.toDouble() : kNaN;
            r.ranks[m][k] = x;
            return inRange(x, 1, double(M));
        }))
        return refuse(shapeError.arg(QObject::tr("table of ranks")).arg(M).arg(K) + QObject::tr(", or a rank is not in 1 to %1").arg(M));
    // τ: measures x measures.
    const QJsonArray tau = o["tau"].toArray();
    if (size_t(tau.size()) != K)
        return refuse(QObject::tr("the stored scorecard's τ is not %1 x %1 (measures x measures)").arg(K));
    for (const auto& row : tau) {
        std::vector<double> t;
        if (!numbersFrom(row, qsizetype(K), &t) || t.size() != K
            || std::any_of(t.begin(), t.end(), [](double x) { return !inRange(x, -1, 1); }))
            return refuse(QObject::tr("the stored scorecard's τ is not %1 x %1 (measures x measures) in [-1, 1]").arg(K));
        r.tau.push_back(std::move(t));
    }
    const QJsonValue w = o["kendall_w"];
    r.kendallW = w.isDouble() ? w.toDouble() : kNaN;
    if (!inRange(r.kendallW, 0, 1))
        return refuse(QObject::tr("the stored scorecard has Kendall's W = %1, outside [0, 1]").arg(r.kendallW));
    if (!stringsFrom(o["agreement_measures"], qsizetype(K), &r.agreementMeasures)
        || std::any_of(r.agreementMeasures.begin(), r.agreementMeasures.end(),
                       [&](const std::string& id) { return std::find(measures.begin(), measures.end(), id) == measures.end(); }))
        return refuse(QObject::tr("the stored scorecard's agreement lists a measure that is not one of its columns"));
    const QJsonArray done = o["points_done"].toArray();
    if (size_t(done.size()) != M)
        return refuse(QObject::tr("the stored scorecard's points done are not one count per method"));
    for (const auto& d : done)
        r.pointsDone.push_back(count(d, int(P)));
    if (!numbersFrom(o["measure_seconds"], qsizetype(K), &r.measureSeconds))
        r.measureSeconds.clear();
    for (double& s : r.measureSeconds)
        s = std::isfinite(s) && s >= 0 ? s : kNaN;
    r.bootstrap = count(o["bootstrap"], 1000000);
    const double level = o["level"].toDouble(0.95);
    r.level = level > 0 && level < 1 ? level : 0.95;
    r.seed = seedFrom(o["seed"]);
    r.seconds = seconds(o["seconds"]);
    r.explainSeconds = seconds(o["explain_seconds"]);
    r.threads = std::max(1, count(o["threads"], limits::kMaxThreadsOption));
    r.cancelled = o["cancelled"].toBool();
    *out = std::move(r);
    return true;
}

} // namespace senn::ui
