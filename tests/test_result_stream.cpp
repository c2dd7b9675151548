// Known answers for sharded runs in core: SHA-256 of the FIPS examples; the results file keeps
// whole records, drops a torn last one and refuses a damaged one in the middle; a run's
// result rebuilt from its records equals the run's own; a run split by points (with skip)
// gives the same records as the whole run; JSON of results and records round-trips; the
// results files of running shards give the run's values at their finished points.
#include "support/explain_test_models.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/io/metric_json.h"
#include "core/io/result_stream.h"
#include "core/io/run_identity.h"
#include "core/io/run_records_file.h"
#include "core/metrics/metrics.h"
#include "core/metrics/partial_results.h"
#include "core/metrics/point_records.h"
#include "core/metrics/run_records.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>

using namespace senn;
using namespace senn::testing;
using explain::ExplainOptions;
using explain::Method;
using nlohmann::json;

class TestResultStream : public QObject {
    Q_OBJECT
private slots:
    void sha256KnownAnswers();
    void streamKeepsWholeRecords();
    void stabilityRecordsRebuildTheRun();
    void faithfulnessRecordsRebuildTheRun();
    void identityDifferenceNamesIt();
    void partialRunFromShardsRecords();
};

namespace {

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

// Equal, NaN included.
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

bool sameVectors(const std::vector<double>& a, const std::vector<double>& b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i]))
            return false;
    return true;
}

} // namespace

void TestResultStream::sha256KnownAnswers()
{
    QCOMPARE(QString::fromStdString(common::sha256Hex("abc", 3)),
             QString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(QString::fromStdString(common::sha256Hex("", 0)),
             QString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    const std::string two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; // 56 bytes: two blocks
    QCOMPARE(QString::fromStdString(common::sha256Hex(two.data(), two.size())),
             QString("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    common::Sha256 h; // the same bytes given in pieces
    for (char c : two)
        h.update(&c, 1);
    QCOMPARE(QString::fromStdString(h.hexDigest()), QString("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
}

void TestResultStream::streamKeepsWholeRecords()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("run.records").toStdString();
    {
        auto w = io::ResultStreamWriter::create(path, json{{"identity", "x"}});
        for (int i = 0; i < 3; ++i)
            w.write(json{{"i", i}, {"v", 0.1 * i}});
    }
    // Length, CRC32 of the JSON (zlib's), the JSON, a newline.
    QCOMPARE(QString::fromStdString(io::frameRecord(json{{"a", 1}})), QString("7 561bacaf {\"a\":1}\n"));
    auto c = io::readResultStream(path);
    QCOMPARE(c.header["identity"].get<std::string>(), std::string("x"));
    QCOMPARE(c.records.size(), size_t(3));
    QCOMPARE(c.records[2]["v"].get<double>(), 0.2);
    QVERIFY(!c.tornTail);
    QCOMPARE(c.validBytes, int64_t(readAll(path).size()));

    // A record cut short at the end (a kill while writing) is dropped, and appending resumes
    // on the record boundary.
    const std::string whole = readAll(path);
    writeAll(path, whole.substr(0, whole.size() - 5));
    c = io::readResultStream(path);
    QVERIFY(c.tornTail);
    QCOMPARE(c.records.size(), size_t(2));
    {
        auto w = io::ResultStreamWriter::resume(path, c.validBytes);
        w.write(json{{"i", 2}, {"v", 0.2}});
    }
    QCOMPARE(readAll(path), whole);

    // A damaged record followed by whole ones: the file is refused, naming it.
    std::string damaged = whole;
    const size_t at = damaged.find("\"i\":1");
    damaged[at + 4] = '7';
    writeAll(path, damaged);
    bool refused = false;
    try {
        io::readResultStream(path);
    } catch (const Error& e) {
        refused = QString(e.what()).contains("record 3") && QString(e.what()).contains("run.records");
    }
    QVERIFY(refused);
}

void TestResultStream::stabilityRecordsRebuildTheRun()
{
    auto fx = makeTabular(200, 4, 70);
    auto model = quadraticModel(torch::diag(torch::tensor({2.0f, -1.0f, 0.5f, 0.25f})));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 5);
    const std::vector<double> eps{0.05, 0.3};
    ExplainOptions eo;
    eo.samples = 100;
    eo.seed = 3;
    metrics::StabilityOptions so;
    so.threads = 2;
    so.noiseDraws = 2;
    std::vector<metrics::StabilityRecord> records;
    so.record = [&](const metrics::StabilityRecord& r) { records.push_back(r); };
    const std::vector<Method> methods{Method::Lime, Method::Saliency};
    auto run = metrics::stabilityCurves(methods, model, fx->ctx, points, eps, eo, so);
    QCOMPARE(records.size(), methods.size() * points.size());
    auto rebuilt = metrics::stabilityFromRecords({"lime", "saliency"}, points, eps, 2, run.draws, records);
    for (const auto& [id, c] : run.methods) {
        for (size_t e = 0; e < eps.size(); ++e) {
            QVERIFY(sameVectors(c.perPoint[e], rebuilt.methods.at(id).perPoint[e]));
            QVERIFY(sameVectors(run.moves.at(id).perPoint[e], rebuilt.moves.at(id).perPoint[e]));
        }
        QVERIFY(sameVectors(c.median, rebuilt.methods.at(id).median));
    }
    QVERIFY(sameVectors(run.perturbedAccuracy, rebuilt.perturbedAccuracy));
    QVERIFY(sameVectors(run.predictionKept, rebuilt.predictionKept));
    QVERIFY(sameVectors(run.noisyAccuracy, rebuilt.noisyAccuracy));

    // Points 1 and 3 alone, in another list and thread count: each point's values are the
    // whole run's (draws follow the row). Skipping LIME leaves it to another process.
    std::vector<metrics::StabilityRecord> part;
    so.threads = 1;
    so.record = [&](const metrics::StabilityRecord& r) { part.push_back(r); };
    so.skip = [](size_t method, size_t) { return method == 0; };
    metrics::stabilityCurves(methods, model, fx->ctx, {points[3], points[1]}, eps, eo, so);
    QCOMPARE(part.size(), size_t(2));
    for (const auto& r : part) {
        QCOMPARE(QString::fromStdString(r.method), QString("saliency"));
        const size_t whole = r.row == points[3] ? 3 : 1;
        for (size_t e = 0; e < eps.size(); ++e) {
            QVERIFY(same(r.lhat[e], run.methods.at("saliency").perPoint[e][whole]));
            QVERIFY(same(r.moved[e], run.moves.at("saliency").perPoint[e][whole]));
        }
    }

    // JSON: the result and its per-point counts read back into the same records.
    const auto j = json::parse(io::stabilityToJson(run, records).dump());
    auto back = io::stabilityRecordsFromJson(j, "test");
    QCOMPARE(back.size(), records.size());
    std::map<std::pair<std::string, size_t>, metrics::StabilityRecord> byKey;
    for (const auto& r : records)
        byKey[{r.method, r.point}] = r;
    for (const auto& r : back) {
        const auto& o = byKey.at(std::make_pair(r.method, r.point));
        QCOMPARE(r.row, o.row);
        QVERIFY(sameVectors(r.lhat, o.lhat) && sameVectors(r.argmaxCorrect, o.argmaxCorrect) &&
                sameVectors(r.moved, o.moved) && sameVectors(r.kept, o.kept) &&
                sameVectors(r.noisyCorrect, o.noisyCorrect));
    }
    const auto one = io::stabilityRecordFromJson(json::parse(io::recordToJson(records[0]).dump()), "test");
    QVERIFY(sameVectors(one.lhat, records[0].lhat) && one.point == records[0].point);
}

void TestResultStream::faithfulnessRecordsRebuildTheRun()
{
    auto fx = makeTabular(200, 4, 71);
    auto model = quadraticModel(torch::diag(torch::tensor({2.0f, -1.0f, 0.5f, 0.25f})));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 4);
    ExplainOptions eo;
    eo.samples = 100;
    eo.seed = 5;
    metrics::FaithfulnessOptions fo;
    fo.threads = 2;
    std::vector<metrics::FaithfulnessRecord> records;
    fo.record = [&](const metrics::FaithfulnessRecord& r) { records.push_back(r); };
    auto run = metrics::faithfulness({Method::Lime, Method::Saliency}, model, fx->ctx, points, eo, fo);
    auto rebuilt = metrics::faithfulnessFromRecords({"lime", "saliency"}, points, run.sennAttribution, records);
    for (const auto& [id, m] : run.methods) {
        const auto& r = rebuilt.methods.at(id);
        QVERIFY(sameVectors(m.perPoint, r.perPoint) && sameVectors(m.faithfulnessCorrelation, r.faithfulnessCorrelation) &&
                sameVectors(m.infidelity, r.infidelity) && sameVectors(m.infidelityNormalized, r.infidelityNormalized));
        QVERIFY(same(m.median, r.median));
    }
    // The last point alone, first in its list: the LIME values of the whole run.
    std::vector<metrics::FaithfulnessRecord> part;
    fo.threads = 1;
    fo.record = [&](const metrics::FaithfulnessRecord& r) { part.push_back(r); };
    metrics::faithfulness({Method::Lime}, model, fx->ctx, {points[3]}, eo, fo);
    QCOMPARE(part.size(), size_t(1));
    QVERIFY(same(part[0].measures.at("faithfulness_correlation"), run.methods.at("lime").faithfulnessCorrelation[3]));
    QVERIFY(same(part[0].measures.at("infidelity"), run.methods.at("lime").infidelity[3]));
    QVERIFY(same(part[0].measures.at("removal_correlation"), run.methods.at("lime").perPoint[3]));
    // The JSON of the rebuilt result reads back into the same values.
    const auto back = io::faithfulnessFromJson(json::parse(io::faithfulnessToJson(rebuilt).dump()), "test");
    QVERIFY(sameVectors(back.methods.at("lime").infidelity, run.methods.at("lime").infidelity));
    QCOMPARE(io::faithfulnessRecordsFromJson(json::parse(io::faithfulnessToJson(rebuilt).dump()), "test").size(),
             records.size());
}

void TestResultStream::identityDifferenceNamesIt()
{
    const json a = {{"command", "stability"}, {"code", "senn 0.1.0"}, {"points", 20},
                    {"model", {{"path", "/a/m.senn"}, {"sha256", "aa"}}},
                    {"data", {{"path", "/a/d.csv"}, {"sha256", "dd"}, {"rows", 9}}},
                    {"settings", {{"seed", 0}, {"methods", {"lime"}}}}};
    json b = a;
    b["model"]["path"] = "/elsewhere/m.senn"; // paths do not count
    QCOMPARE(QString::fromStdString(io::identityDifference(a, b)), QString());
    b["settings"]["seed"] = 4;
    QVERIFY(QString::fromStdString(io::identityDifference(a, b)).contains("setting seed differs"));
    b = a;
    b["model"]["sha256"] = "ab";
    QVERIFY(QString::fromStdString(io::identityDifference(a, b)).contains("model file differs"));
    json r = {{"x", 1}, {"timing", {{"seconds", 3}}}};
    io::addChecksum(r);
    QVERIFY(io::checksumMatches(r));
    r["timing"]["seconds"] = 9; // the timing is outside the checksum
    QVERIFY(io::checksumMatches(r));
    r["x"] = 2;
    QVERIFY(!io::checksumMatches(r));
}

namespace {

std::string refusal(const std::function<void()>& f)
{
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

} // namespace

void TestResultStream::partialRunFromShardsRecords()
{
    // A whole stability run of 5 points; its records are what two shards (1/2: positions 0, 2,
    // 4; 2/2: positions 1, 3) write as they go.
    auto fx = makeTabular(200, 4, 72);
    auto model = quadraticModel(torch::diag(torch::tensor({2.0f, -1.0f, 0.5f, 0.25f})));
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 5);
    const std::vector<double> eps{0.05, 0.3};
    ExplainOptions eo;
    eo.seed = 4;
    metrics::StabilityOptions so;
    so.threads = 1;
    std::vector<metrics::StabilityRecord> records;
    so.record = [&](const metrics::StabilityRecord& r) { records.push_back(r); };
    auto run = metrics::stabilityCurves({Method::Saliency, Method::GradInput}, model, fx->ctx, points, eps, eo, so);
    QCOMPARE(records.size(), size_t(10));
    const json identity = {{"command", "stability"}, {"code", "senn test"}, {"points", 5},
                           {"model", {{"path", "m.senn"}, {"sha256", "aa"}}},
                           {"data", {{"path", "d.csv"}, {"sha256", "dd"}, {"rows", 200}}},
                           {"settings", {{"methods", {"saliency", "grad-input"}}, {"eps", eps}, {"points", 5},
                                         {"seed", 4}, {"draws", "independent"}}}};
    QTemporaryDir dir;
    const std::string s1 = dir.filePath("s1.json.records").toStdString();
    const std::string s2 = dir.filePath("s2.json.records").toStdString();
    // Shard 1 has finished positions 0 and 2 (both methods) and position 4 for saliency only;
    // shard 2 position 3 for both.
    auto keep = [&](const metrics::StabilityRecord& r) {
        return r.point == 0 || r.point == 2 || r.point == 3 || (r.point == 4 && r.method == "saliency");
    };
    {
        auto w1 = io::ResultStreamWriter::create(s1, io::runRecordsHeader(identity, 1, 2));
        auto w2 = io::ResultStreamWriter::create(s2, io::runRecordsHeader(identity, 2, 2));
        for (const auto& r : records)
            if (keep(r))
                (r.point % 2 == 0 ? w1 : w2).write(io::recordToJson(r));
    }
    // The header is the documented one.
    QVERIFY(readAll(s1).find(" {\"identity\":{") != std::string::npos);
    QVERIFY(readAll(s1).find("\"shard\":{\"k\":1,\"n\":2}}\n") != std::string::npos);
    // A writer in the middle of its next record: the torn tail is dropped.
    writeAll(s2, readAll(s2) + "812 0badc0de {\"method\":\"saliency\",\"po");

    auto check = [&](const std::vector<std::string>& paths, const std::vector<size_t>& positions) {
        std::vector<io::RunRecordsFile> files;
        for (const auto& p : paths)
            files.push_back(io::readRunRecordsFile(p));
        auto part = metrics::partialRun(files);
        bool ok = part.command == "stability" && part.stability.points.size() == positions.size();
        for (size_t i = 0; ok && i < positions.size(); ++i)
            ok = part.stability.points[i] == points[positions[i]];
        for (const char* id : {"saliency", "grad-input"})
            for (size_t e = 0; ok && e < eps.size(); ++e)
                for (size_t i = 0; ok && i < positions.size(); ++i) {
                    const double got = part.stability.methods.at(id).perPoint[e][i];
                    const bool missing = positions[i] == 4 && std::string(id) == "grad-input";
                    ok = missing ? std::isnan(got) : same(got, run.methods.at(id).perPoint[e][positions[i]]);
                }
        return std::make_pair(ok, part);
    };
    auto [oneOk, one] = check({s1}, {0, 2, 4});
    QVERIFY(oneOk);
    QCOMPARE(one.pointsDone, size_t(2)); // position 4 lacks a method
    QCOMPARE(one.pointsPlanned, size_t(3));
    QCOMPARE(one.shardKs, std::vector<int>{1});
    auto [bothOk, both] = check({s2, s1}, {0, 2, 3, 4});
    QVERIFY(bothOk);
    QCOMPARE(both.pointsDone, size_t(3));
    QCOMPARE(both.pointsPlanned, size_t(5));
    QCOMPARE(both.shardKs, (std::vector<int>{1, 2}));
    QVERIFY(both.tornTail);
    // Read record by record from the paths (what the app does): the same result.
    const auto streamed = metrics::partialRun(std::vector<std::string>{s2, s1});
    QCOMPARE(streamed.stability.points, both.stability.points);
    QCOMPARE(streamed.pointsDone, both.pointsDone);
    QVERIFY(streamed.tornTail);
    for (size_t e = 0; e < eps.size(); ++e)
        QVERIFY(sameVectors(streamed.stability.methods.at("grad-input").perPoint[e],
                            both.stability.methods.at("grad-input").perPoint[e]));

    // Not shards of one run: another seed, or the same shard twice, named.
    json other = identity;
    other["settings"]["seed"] = 5;
    const std::string s3 = dir.filePath("s3.json.records").toStdString();
    io::ResultStreamWriter::create(s3, io::runRecordsHeader(other, 2, 2));
    std::string msg = refusal([&] { metrics::partialRun({io::readRunRecordsFile(s1), io::readRunRecordsFile(s3)}); });
    QVERIFY2(QString::fromStdString(msg).contains("seed differs"), msg.c_str());
    msg = refusal([&] { metrics::partialRun({io::readRunRecordsFile(s1), io::readRunRecordsFile(s1)}); });
    QVERIFY2(QString::fromStdString(msg).contains("given twice"), msg.c_str());
    // A damaged record in the middle is reported, naming the file.
    std::string text = readAll(s1);
    text[text.find("\"lhat\"") + 2] = 'X';
    writeAll(s1, text);
    msg = refusal([&] { io::readRunRecordsFile(s1); });
    QVERIFY2(QString::fromStdString(msg).contains("s1.json.records") && QString::fromStdString(msg).contains("damaged"),
             msg.c_str());
    msg = refusal([&] { metrics::partialRun(std::vector<std::string>{s1}); });
    QVERIFY2(QString::fromStdString(msg).contains("damaged"), msg.c_str());
    // Not a run's header.
    io::ResultStreamWriter::create(s3, json{{"identity", "x"}});
    msg = refusal([&] { io::readRunRecordsFile(s3); });
    QVERIFY2(QString::fromStdString(msg).contains("header"), msg.c_str());
}

QTEST_GUILESS_MAIN(TestResultStream)
#include "test_result_stream.moc"
