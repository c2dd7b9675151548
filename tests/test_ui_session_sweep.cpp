// Sessions mutated a few hundred ways and opened through the app's own path (MainWindow::
// openSession, offscreen), with a fixed seed so every run sees the same files. The crash class
// this guards against lived in the views after a session loaded (a stored ε of 1.7e308 reached
// a log axis), so each mutant that loads is also drawn: every view is shown and grabbed. Each
// mutant either loads, or is refused with a short message naming the file; none crashes or
// hangs.
#include "support/test_ui_util.h"

#include "ui/session.h"
#include "ui/session_results.h"
#include "ui/views/explain_view.h"
#include "ui/views/stability_view.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>

#include <cmath>
#include <random>

using namespace senn::ui;

namespace {

// Stored results with every kind of field the readers range-check, so that mutations reach
// the numbers the stability and faithfulness views draw.
QJsonObject storedStability()
{
    senn::metrics::StabilityResult r;
    r.eps = {0.01, 0.1, 1.0};
    r.points = {0, 3, 5};
    senn::metrics::Curve c;
    c.median = {0.5, 1.0, 2.0};
    c.q25 = {0.25, 0.5, 1.0};
    c.q75 = {1.0, 2.0, 4.0};
    c.perPoint = {{0.4, 0.5, 0.6}, {0.9, 1.0, 1.1}, {1.9, 2.0, 2.1}};
    c.pointsDone = 3;
    r.methods["saliency"] = c;
    r.methods["senn"] = c;
    r.moves["saliency"] = c;
    r.perturbedAccuracy = {1.0, 0.9, 0.5};
    r.predictionKept = {1.0, 0.95, 0.6};
    r.noisyAccuracy = {1.0, 0.9, 0.55};
    r.noiseDraws = 4;
    r.seconds = 1.5;
    r.threads = 2;
    r.pointSeconds["saliency"] = {0.1, 0.2, 0.3};
    return stabilityResultToJson(r);
}

QJsonObject storedFaithfulness()
{
    senn::metrics::FaithfulnessResult r;
    r.points = {0, 3, 5};
    senn::metrics::FaithfulnessResult::PerMethod m;
    m.perPoint = {0.1, 0.5, 0.9};
    m.median = 0.5;
    m.faithfulnessCorrelation = {0.2, 0.3, 0.4};
    m.infidelity = {1.0, 2.0, 3.0};
    m.infidelityNormalized = {0.1, 0.2, 0.3};
    m.seconds = {0.01, 0.02, 0.03};
    m.pointsDone = 3;
    m.measures = {{"deletion_aopc", {0.4, std::nan(""), 0.6}}, {"ris", {1.5, 2.5, 3.5}}};
    r.methods["saliency"] = m;
    r.methods["senn"] = m;
    r.seconds = 0.5;
    r.threads = 2;
    return faithfulnessResultToJson(r);
}

// A sanity run of two steps on a {3} example and a scorecard of two methods x two measures:
// small, so that the mutations still reach the other results as often.
QJsonObject storedSanity()
{
    senn::metrics::SanityResult r;
    r.points = {0, 3};
    r.steps = {"original", "fc1"};
    r.layers = {"fc1"};
    r.methods = {"saliency", senn::metrics::kEdgeDetectorId};
    r.stepsDone = 2;
    r.randomLogit = true;
    for (const auto& id : r.methods) {
        senn::metrics::SanityMethodResult m;
        m.steps["spearman_abs"] = {{{1.0, 1.0}, {0.2, 0.4}}, {1.0, 0.3}, {1.0, 0.2}, {1.0, 0.4}};
        m.randomLogit["spearman_abs"] = {0.1, 0.5};
        m.shape = {3};
        m.example = {{0.1f, -0.2f, 0.3f}, {0.3f, 0.2f, -0.1f}};
        r.results[id] = m;
    }
    return sanityResultToJson(r, "spearman_abs");
}

QJsonObject storedScorecard()
{
    senn::metrics::ScorecardResult r;
    r.points = {0, 3};
    r.methods = {"saliency", "grad-input"};
    r.measures = {senn::metrics::scorecardMeasure("removal_correlation"), senn::metrics::scorecardMeasure("sparseness")};
    r.values = {{{0.1, 0.3}, {0.5, 0.6}}, {{0.4, 0.2}, {0.7, std::nan("")}}};
    r.pointsDone = {2, 2};
    r.bootstrap = 50;
    senn::metrics::summarizeScorecard(r);
    return scorecardResultToJson(r);
}

// One mutation of a JSON value, chosen by its type: numbers at the edges of every range (and
// NaN and infinity spelt as strings, since JSON has no spelling for them), strings lengthened
// to megabytes or turned into paths that are not files, arrays emptied, halved, doubled or
// grown to a hundred thousand elements, objects losing a key, and any value swapped for
// another type.
class Mutator {
public:
    explicit Mutator(uint64_t seed) : m_rng(seed) {}

    int below(int n) { return int(std::uniform_int_distribution<int>(0, n - 1)(m_rng)); }

    QJsonValue mutate(const QJsonValue& v)
    {
        if (below(6) == 0)
            return otherType(v);
        if (v.isDouble()) {
            static const double edges[] = {0.0, -0.0, -1.0, 1e308, -1e308, 1.7e308, 1e-308, 4.9e-324,
                                           2147483648.0, -2147483649.0, 9.2233720368547758e18,
                                           1.8446744073709552e19, 1e9, 0.5};
            static const char* const spelt[] = {"NaN", "nan", "-inf", "Infinity", "1e999"};
            if (below(5) == 0)
                return QString(spelt[below(5)]);
            return edges[below(int(std::size(edges)))];
        }
        if (v.isString()) {
            const QString s = v.toString();
            switch (below(5)) {
            case 0: return QString(2 << 20, QLatin1Char('a'));
            case 1: return s.repeated(std::max(1, int((1 << 20) / std::max<qsizetype>(1, s.size()))));
            case 2: return QString();
            case 3: return QString("/dev/zero");
            default: return QString("\x01\n\t\"") + s + QString(QChar(0xd800));
            }
        }
        if (v.isArray()) {
            QJsonArray a = v.toArray();
            switch (below(4)) {
            case 0: return QJsonArray();
            case 1: {
                while (a.size() > 1 && a.size() > v.toArray().size() / 2)
                    a.removeLast();
                return a;
            }
            case 2: {
                for (const auto& x : v.toArray())
                    a.append(x);
                return a;
            }
            default: {
                const QJsonValue first = a.isEmpty() ? QJsonValue(1.0) : a.first();
                if (first.isObject() || first.isArray())
                    return a;
                for (int i = 0; i < 100000; ++i)
                    a.append(first);
                return a;
            }
            }
        }
        if (v.isObject()) {
            QJsonObject o = v.toObject();
            if (!o.isEmpty() && below(2) == 0)
                o.remove(o.keys().at(below(int(o.size()))));
            else
                o.insert("unexpected", QJsonArray{1, "two", QJsonObject()});
            return o;
        }
        return otherType(v);
    }

private:
    QJsonValue otherType(const QJsonValue& v)
    {
        switch (below(6)) {
        case 0: return QJsonValue(QJsonValue::Null);
        case 1: return v.isBool() ? QJsonValue(42) : QJsonValue(true);
        case 2: return QJsonObject();
        case 3: return QJsonArray();
        case 4: return v.isString() ? QJsonValue(-1) : QJsonValue(QString("x"));
        default: return QJsonArray{QJsonArray{QJsonArray{}}};
        }
    }

    std::mt19937_64 m_rng;
};

int countValues(const QJsonValue& v)
{
    int n = 1;
    if (v.isObject())
        for (const auto& x : v.toObject())
            n += countValues(x);
    else if (v.isArray())
        for (const auto& x : v.toArray())
            n += countValues(x);
    return n;
}

// `v` with its value number `target` (in document order, `v` itself being 0) mutated. Only the
// members on the way to the target are written back: writing every member visited copied each
// nested result again, which made a sweep over a session with stored results slow.
QJsonValue mutateAt(const QJsonValue& v, int& counter, int target, Mutator& m)
{
    if (counter++ == target)
        return m.mutate(v);
    if (counter > target)
        return v;
    if (v.isObject()) {
        QJsonObject o = v.toObject();
        for (const QString& key : o.keys()) {
            const QJsonValue child = o.value(key);
            const int size = countValues(child);
            if (counter + size <= target) {
                counter += size;
                continue;
            }
            o[key] = mutateAt(child, counter, target, m);
            break;
        }
        return o;
    }
    if (v.isArray()) {
        QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QJsonValue child = a.at(i);
            const int size = countValues(child);
            if (counter + size <= target) {
                counter += size;
                continue;
            }
            a[i] = mutateAt(child, counter, target, m);
            break;
        }
        return a;
    }
    return v;
}

bool idle(const MainWindow& w)
{
    for (auto kind : {JobKind::Load, JobKind::Train, JobKind::Save, JobKind::Explain, JobKind::Perturb,
                      JobKind::Stability, JobKind::Faithfulness, JobKind::Prototypes, JobKind::Flint})
        if (w.isRunning(kind))
            return false;
    return true;
}

} // namespace

class TestUiSessionSweep : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    // The per-method measures of a faithfulness run come back from a session; one of another
    // length than the points, or an id this build does not know, is left out.
    void faithfulnessMeasuresRoundTrip()
    {
        QJsonObject stored = storedFaithfulness();
        senn::metrics::FaithfulnessResult r;
        QVERIFY(faithfulnessResultFromJson(stored, &r, nullptr));
        const auto& m = r.methods.at("saliency").measures;
        QCOMPARE(m.size(), size_t(2));
        QCOMPARE(m.at("ris"), (std::vector<double>{1.5, 2.5, 3.5}));
        QCOMPARE(m.at("deletion_aopc")[0], 0.4);
        QVERIFY(std::isnan(m.at("deletion_aopc")[1]));
        QJsonObject methods = stored["methods"].toObject();
        QJsonObject saliency = methods["saliency"].toObject();
        QJsonObject measures = saliency["measures"].toObject();
        measures["ris"] = QJsonArray{1.0, 2.0};
        measures["no_such_measure"] = QJsonArray{1.0, 2.0, 3.0};
        saliency["measures"] = measures;
        methods["saliency"] = saliency;
        stored["methods"] = methods;
        QVERIFY(faithfulnessResultFromJson(stored, &r, nullptr));
        QCOMPARE(r.methods.at("saliency").measures.size(), size_t(1));
        QVERIFY(r.methods.at("saliency").measures.count("deletion_aopc"));
        QCOMPARE(r.methods.at("senn").measures.size(), size_t(2)); // the other method keeps both
    }

    void mutatedSessionsLoadOrAreRefused()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString basePath = dir.filePath("base.sennsession");
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.resize(1300, 850);
        w.show();
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        QVERIFY(test::trainAndWait(w, 1));
        w.showView("explain");
        w.explainView()->methodPicker()->setMethodIds({"senn", "saliency"});
        QVERIFY(w.explainView()->setCurrentRow(w.dataset().testRows.at(3)));
        QSignalSpy saved(&w, &MainWindow::modelSaved);
        QVERIFY(w.saveSession(basePath));
        QVERIFY(QTest::qWaitFor([&] { return saved.count() > 0 && idle(w); }, 60000));

        // The saved session with stored results added: what the sweep mutates.
        QFile baseFile(basePath);
        QVERIFY(baseFile.open(QIODevice::ReadOnly));
        QJsonObject base = QJsonDocument::fromJson(baseFile.readAll()).object();
        baseFile.close();
        QVERIFY(base.contains("settings"));
        QJsonObject settings = base["settings"].toObject();
        settings["stability_result"] = storedStability();
        settings["faithfulness_result"] = storedFaithfulness();
        settings["sanity_result"] = storedSanity();
        settings["scorecard_result"] = storedScorecard();
        base["settings"] = settings;
        base["view"] = "stability";
        const int values = countValues(base);

        Mutator m(20261207);
        const int kMutants = 240;
        int loaded = 0, refusedAtOnce = 0, failedLater = 0;
        const QStringList views = {"data", "model", "explain", "concepts", "stability", "faithfulness", "sanity",
                                   "scorecard"};
        for (int i = 0; i < kMutants; ++i) {
            const QString name = QString("m%1.sennsession").arg(i, 3, 10, QLatin1Char('0'));
            const QString path = dir.filePath(name);
            QByteArray text;
            QString what;
            if (i % 5 == 4) {
                // A number token spelt as JSON cannot write it (NaN, 1e999, -0): only the text
                // can carry these.
                QString json = QString::fromUtf8(QJsonDocument(base).toJson(QJsonDocument::Compact));
                static const QRegularExpression number(R"((?<=[:\[,])-?\d+(\.\d+)?([eE][-+]?\d+)?)");
                QList<QRegularExpressionMatch> hits;
                for (auto it = number.globalMatch(json); it.hasNext();)
                    hits.append(it.next());
                QVERIFY(!hits.isEmpty());
                const auto& hit = hits.at(m.below(int(hits.size())));
                static const char* const spelt[] = {"NaN", "1e999", "-1e999", "-0", "1e-999", "0x10",
                                                    "99999999999999999999999999"};
                const QString token = QString::fromLatin1(spelt[m.below(int(std::size(spelt)))]);
                json.replace(hit.capturedStart(), hit.capturedLength(), token);
                text = json.toUtf8();
                what = "number at " + QString::number(hit.capturedStart()) + " -> " + token;
            } else {
                QJsonValue doc = base;
                const int edits = 1 + m.below(3);
                for (int e = 0; e < edits; ++e) {
                    int counter = 0;
                    const int target = 1 + m.below(std::max(1, countValues(doc) - 1));
                    doc = mutateAt(doc, counter, target, m);
                    what += QString(" value %1").arg(target);
                }
                text = doc.isObject() ? QJsonDocument(doc.toObject()).toJson(QJsonDocument::Compact)
                                      : QByteArray("[]");
            }
            {
                QFile f(path);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(text);
            }
            const QString label = name + ":" + what;
            // The mutants with megabyte strings add up: each file goes once it has been read.
            const auto cleanup = qScopeGuard([&] { QFile::remove(path); });

            QSignalSpy errors(&w, &MainWindow::errorShown);
            QSignalSpy restored(&w, &MainWindow::sessionRestored);
            if (!w.openSession(path)) {
                ++refusedAtOnce;
                QVERIFY2(errors.count() == 1, qPrintable(label));
                const QString message = errors.first().first().toString();
                QVERIFY2(message.contains(name), qPrintable(label + " " + message.left(300)));
                QVERIFY2(message.size() < 2000, qPrintable(label));
                continue;
            }
            // Opened: the dataset and model load on the worker. No hang: done within a minute.
            QVERIFY2(QTest::qWaitFor([&] { return (restored.count() > 0 || errors.count() > 0) && idle(w); }, 60000),
                     qPrintable(label));
            for (const auto& e : errors) {
                const QString message = e.first().toString();
                QVERIFY2(!message.trimmed().isEmpty() && message.size() < 2000,
                         qPrintable(label + " " + message.left(300)));
            }
            if (errors.isEmpty())
                ++loaded;
            else
                ++failedLater;
            // Every view drawn with whatever the session put there.
            for (const QString& v : views) {
                w.showView(v);
                const QImage image = w.grab().toImage();
                QVERIFY2(!image.isNull() && image.width() > 0, qPrintable(label + " " + v));
            }
            QVERIFY2(QTest::qWaitFor([&] { return idle(w); }, 60000), qPrintable(label));
        }
        qInfo("%d values in the base session; %d mutants: %d loaded, %d refused at once, %d refused "
              "while loading", values, kMutants, loaded, refusedAtOnce, failedLater);
        // Both outcomes are exercised, and the unmutated session still loads afterwards.
        QVERIFY(loaded > 0 && refusedAtOnce + failedLater > 0);
        QSignalSpy restored(&w, &MainWindow::sessionRestored);
        QVERIFY(w.openSession(basePath));
        QVERIFY(QTest::qWaitFor([&] { return restored.count() > 0 && idle(w); }, 60000));
        QVERIFY(w.model().valid);
        QCOMPARE(w.currentViewId(), QString("explain"));
    }
};

QTEST_MAIN(TestUiSessionSweep)
#include "test_ui_session_sweep.moc"
