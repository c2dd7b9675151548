// Attributions from a file (external_attributions.h): rows read back by row id with known
// values, float32 and float64; every refusal names the file (wrong N, wrong shape, NaN with its
// row and index, an integer dtype, a built-in method's name, a row outside the file's split);
// and a file holding our own saliency and integrated gradients scores exactly as our rows do
// in the scorecard and the faithfulness run, with the measures that need the method left NaN
// with their reason.
#include "support/explain_test_models.h"
#include "core/common/error.h"
#include "core/metrics/external_attributions.h"
#include "core/metrics/metrics.h"
#include "core/metrics/point_records.h"
#include "core/metrics/scorecard.h"
#include "core/metrics/scorecard_export.h"

#include <cmath>
#include <cstring>
#include <fstream>

#include <QTemporaryDir>
#include <QtTest>

using namespace senn;
using namespace senn::explain;
using namespace senn::testing;

namespace {

// A C-order little-endian .npy of `shape` with `values`, as numpy.save writes it.
void writeNpy(const std::string& path, const std::vector<int64_t>& shape, const std::vector<double>& values,
              const std::string& descr = "<f4")
{
    std::string dims;
    for (size_t i = 0; i < shape.size(); ++i)
        dims += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? ", " : "");
    std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    std::ofstream out(path, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const char len[2] = {char(header.size() & 0xff), char(header.size() >> 8)};
    out.write(len, 2);
    out << header;
    for (double v : values) {
        if (descr == "<f8") {
            out.write(reinterpret_cast<const char*>(&v), 8);
        } else if (descr == "<i4") {
            const int32_t i = int32_t(v);
            out.write(reinterpret_cast<const char*>(&i), 4);
        } else {
            const float f = float(v);
            out.write(reinterpret_cast<const char*>(&f), 4);
        }
    }
}

// The error message of f(), or "" when it does not throw.
template <class F>
std::string errorOf(F&& f)
{
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

} // namespace

class TestExternalAttributions : public QObject {
    Q_OBJECT
private slots:
    void rowsReadBackByRowId();
    void refusalsNameTheFile();
    void scorecardRowsEqualOurs();
    void faithfulnessRowsEqualOurs();
    void scorecardSkipsAndRecords();

private:
    QTemporaryDir m_dir;
    std::string file(const char* name) const { return m_dir.filePath(name).toStdString(); }
};

void TestExternalAttributions::rowsReadBackByRowId()
{
    // Value of (position i, feature j) = 10·i + j: row id split.test[i] reads back exactly those.
    auto fx = makeTabular(120, 4, 31);
    const auto& test = fx->split.test;
    const int64_t n = int64_t(test.size());
    std::vector<double> v;
    for (int64_t i = 0; i < n; ++i)
        for (int j = 0; j < 4; ++j)
            v.push_back(10.0 * double(i) + j + 0.25);
    for (const char* descr : {"<f4", "<f8"}) {
        const auto path = file(descr[2] == '4' ? "a32.npy" : "a64.npy");
        writeNpy(path, {n, 4}, v, descr);
        metrics::ExternalAttributions a({"mine", path, "test"}, fx->data, fx->split);
        QCOMPARE(a.rowCount(), n);
        QVERIFY(a.holds(test[3]));
        QVERIFY(!a.holds(fx->split.train[0]));
        const auto e = a.at(test[3]);
        QCOMPARE(e.method, std::string("mine"));
        QCOMPARE(e.shape, (std::vector<int64_t>{4}));
        QCOMPARE(e.values, (std::vector<float>{30.25f, 31.25f, 32.25f, 33.25f}));
        QCOMPARE(e.labels, fx->data.featureNames);
        QCOMPARE(a.at(test[n - 1]).values[3], float(10.0 * double(n - 1) + 3.25));
    }
    // "all": one row per row of the data, in the data's order.
    std::vector<double> all;
    for (int64_t r = 0; r < fx->data.rows(); ++r)
        for (int j = 0; j < 4; ++j)
            all.push_back(double(r) + 0.5 * j);
    writeNpy(file("all.npy"), {fx->data.rows(), 4}, all);
    metrics::ExternalAttributions a({"all-rows", file("all.npy"), "all"}, fx->data, fx->split);
    QCOMPARE(a.at(17).values, (std::vector<float>{17.0f, 17.5f, 18.0f, 18.5f}));
    const auto src = metrics::parseAttributionSource("shap.v2=" + file("all.npy"), "all");
    QCOMPARE(src.name, std::string("shap.v2"));
    QCOMPARE(src.path, file("all.npy"));
}

void TestExternalAttributions::refusalsNameTheFile()
{
    auto fx = makeTabular(120, 4, 32);
    const int64_t n = int64_t(fx->split.test.size());
    auto open = [&](const std::string& path, const std::string& name = "mine") {
        return errorOf([&] { metrics::ExternalAttributions({name, path, "test"}, fx->data, fx->split); });
    };
    // N: the file's rows and the split's, and the split whose size the file has.
    writeNpy(file("n.npy"), {int64_t(fx->split.train.size()), 4}, std::vector<double>(fx->split.train.size() * 4, 1.0));
    auto err = open(file("n.npy"));
    QVERIFY2(contains(err, file("n.npy")) && contains(err, std::to_string(fx->split.train.size()) + " rows") &&
                 contains(err, "test split has " + std::to_string(n)) && contains(err, "The train split"),
             err.c_str());
    // Per-row shape.
    writeNpy(file("shape.npy"), {n, 3}, std::vector<double>(size_t(n) * 3, 1.0));
    err = open(file("shape.npy"));
    QVERIFY2(contains(err, file("shape.npy")) && contains(err, "(3,)") && contains(err, "(4,)"), err.c_str());
    // dtype.
    writeNpy(file("int.npy"), {n, 4}, std::vector<double>(size_t(n) * 4, 1.0), "<i4");
    err = open(file("int.npy"));
    QVERIFY2(contains(err, file("int.npy")) && contains(err, "float32 or float64"), err.c_str());
    // A built-in method's id, a name with a space, two files of one name.
    writeNpy(file("ok.npy"), {n, 4}, std::vector<double>(size_t(n) * 4, 1.0));
    err = open(file("ok.npy"), "saliency");
    QVERIFY2(contains(err, file("ok.npy")) && contains(err, "built-in method"), err.c_str());
    err = open(file("ok.npy"), "my shap");
    QVERIFY2(contains(err, file("ok.npy")) && contains(err, "letters, digits"), err.c_str());
    err = errorOf([&] {
        metrics::openAttributions({{"a", file("ok.npy"), "test"}, {"a", file("n.npy"), "test"}}, fx->data, fx->split);
    });
    QVERIFY2(contains(err, file("n.npy")) && contains(err, "already given"), err.c_str());
    err = errorOf([&] { metrics::parseAttributionSource("no-equals.npy"); });
    QVERIFY2(contains(err, "NAME=FILE.npy"), err.c_str());
    // NaN and infinity: found when the row is read, with its position, data row and index.
    std::vector<double> v(size_t(n) * 4, 1.0);
    v[2 * 4 + 3] = std::nan("");
    v[5 * 4 + 1] = INFINITY;
    writeNpy(file("nan.npy"), {n, 4}, v);
    metrics::ExternalAttributions a({"mine", file("nan.npy"), "test"}, fx->data, fx->split);
    QCOMPARE(a.at(fx->split.test[0]).values, (std::vector<float>{1, 1, 1, 1}));
    err = errorOf([&] { a.check(fx->split.test); });
    QVERIFY2(contains(err, file("nan.npy")) && contains(err, "NaN at row 2 (data row " + std::to_string(fx->split.test[2]) + "), index 3"),
             err.c_str());
    err = errorOf([&] { a.at(fx->split.test[5]); });
    QVERIFY2(contains(err, "infinite value at row 5") && contains(err, "index 1"), err.c_str());
    // A row outside the file's split, and a cut file.
    err = errorOf([&] { a.at(fx->split.train[0]); });
    QVERIFY2(contains(err, file("nan.npy")) && contains(err, "not in the test split"), err.c_str());
    {
        std::ifstream in(file("ok.npy"), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream(file("cut.npy"), std::ios::binary).write(bytes.data(), std::streamsize(bytes.size() - 8));
    }
    err = open(file("cut.npy"));
    QVERIFY2(contains(err, file("cut.npy")) && contains(err, "truncated"), err.c_str());
}

namespace {

// Our explanations of every test row with `methods`, written as `senn explain --all` writes
// them (one file per method, the split's order), opened as sources named NAME-file.
metrics::ExternalList ourFiles(const TabularFixture& fx, const models::Model& model,
                               const std::vector<Method>& methods, const std::string& dir,
                               const ExplainOptions& options)
{
    std::vector<metrics::AttributionSource> sources;
    for (auto m : methods) {
        std::vector<double> v;
        for (auto row : fx.split.test) {
            const auto e = explain::explain(m, model, fx.ctx, fx.data.row(row), options);
            v.insert(v.end(), e.values.begin(), e.values.end());
        }
        const auto path = dir + "/ours_" + methodId(m) + ".npy";
        writeNpy(path, {int64_t(fx.split.test.size()), fx.data.featureCount()}, v);
        sources.push_back({methodId(m) + "-file", path, "test"});
    }
    return metrics::openAttributions(sources, fx.data, fx.split);
}

} // namespace

void TestExternalAttributions::scorecardRowsEqualOurs()
{
    // Every draw of a measure derives from (seed, row id, the measure's tag), not from the
    // method, so a file holding our own explanations scores exactly as our row, draw for draw.
    auto fx = makeTabular(160, 4, 33);
    auto model = symmetricModel();
    const std::vector<Method> methods = {Method::Saliency, Method::IntegratedGradients};
    ExplainOptions eo;
    eo.seed = 9;
    eo.target = 1; // class 0's logit is constant on these models
    metrics::ScorecardOptions so;
    so.external = ourFiles(*fx, model, methods, m_dir.path().toStdString(), eo);
    so.threads = 2;
    so.bootstrap = 50;
    for (const auto& m : metrics::scorecardMeasures())
        so.measures.push_back(m.id);
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 3);
    const auto r = metrics::scorecard(methods, model, fx->ctx, points, eo, so);
    QCOMPARE(r.methods, (std::vector<std::string>{"saliency", "integrated-gradients", "saliency-file",
                                                  "integrated-gradients-file"}));
    QCOMPARE(r.sources[0], std::string());
    QCOMPARE(r.sources[2], so.external[0]->path());
    QCOMPARE(r.pointsDone, (std::vector<int>{3, 3, 3, 3}));
    int compared = 0, unavailable = 0;
    for (size_t k = 0; k < r.measures.size(); ++k) {
        const std::string& id = r.measures[k].id;
        const bool needsMethod = !metrics::externalUnavailableReason(id).empty();
        for (size_t m = 0; m < 2; ++m) {
            QVERIFY(r.reasons[m][k].empty());
            QCOMPARE(r.reasons[m + 2][k].empty(), !needsMethod);
            for (size_t i = 0; i < points.size(); ++i) {
                if (needsMethod) {
                    QVERIFY2(std::isnan(r.values[m + 2][k][i]), id.c_str());
                    ++unavailable;
                    continue;
                }
                QVERIFY2(same(r.values[m][k][i], r.values[m + 2][k][i]),
                         qPrintable(QString::fromStdString(r.methods[m] + " " + id) + ": " +
                                    QString::number(r.values[m][k][i], 'g', 17) + " vs " +
                                    QString::number(r.values[m + 2][k][i], 'g', 17)));
                compared += std::isnan(r.values[m][k][i]) ? 0 : 1;
            }
        }
        // Only measures that rank every row judge the agreement.
        const bool judge = std::find(r.agreementMeasures.begin(), r.agreementMeasures.end(), id) !=
                           r.agreementMeasures.end();
        if (needsMethod)
            QVERIFY2(!judge, id.c_str());
    }
    QCOMPARE(compared, 2 * 3 * 12); // correlations, infidelity, the curves, sparseness, entropy: all finite
    QCOMPARE(unavailable, 2 * 3 * 5);  // RIS, ROS, average and max sensitivity, L̂
    const auto j = metrics::scorecardToJson(r);
    QCOMPARE(j["cells"]["saliency-file"]["source"].get<std::string>(), so.external[0]->path());
    QVERIFY(j["cells"]["saliency-file"]["max_sensitivity"]["median"].is_null());
    QVERIFY(contains(j["cells"]["saliency-file"]["max_sensitivity"]["reason"].get<std::string>(), "needs the method itself"));
    QVERIFY(!j["cells"]["saliency"].contains("source"));
    QVERIFY(!j["cells"]["saliency"]["max_sensitivity"].contains("reason"));
}

void TestExternalAttributions::faithfulnessRowsEqualOurs()
{
    auto fx = makeTabular(160, 4, 34);
    auto model = additiveProbabilityModel(torch::tensor({2.0f, -1.0f, 0.5f, 1.5f}));
    const std::vector<Method> methods = {Method::Saliency, Method::IntegratedGradients};
    ExplainOptions eo;
    eo.seed = 4;
    eo.target = 1;
    const auto files = ourFiles(*fx, model, methods, m_dir.path().toStdString(), eo);
    metrics::FaithfulnessOptions fo;
    fo.threads = 2;
    fo.measures = metrics::measureGroups();
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 3);
    std::vector<std::string> recorded;
    fo.record = [&](const metrics::FaithfulnessRecord& rec) { recorded.push_back(rec.method); };
    const auto f = metrics::faithfulness(methods, files, model, fx->ctx, points, eo, fo);
    QCOMPARE(f.methods.size(), size_t(4));
    int finite = 0;
    QCOMPARE(std::count(recorded.begin(), recorded.end(), std::string("saliency-file")), 3L);
    for (auto m : methods) {
        const auto& ours = f.methods.at(methodId(m));
        const auto& theirs = f.methods.at(methodId(m) + "-file");
        QCOMPARE(theirs.pointsDone, 3);
        for (const auto& [id, values] : ours.measures) {
            const bool needsMethod = !metrics::externalUnavailableReason(id).empty();
            for (size_t i = 0; i < points.size(); ++i) {
                QVERIFY2(needsMethod ? std::isnan(theirs.measures.at(id)[i]) : same(values[i], theirs.measures.at(id)[i]),
                         qPrintable(QString::fromStdString(methodId(m) + " " + id)));
                finite += needsMethod || std::isnan(values[i]) ? 0 : 1;
            }
        }
        for (size_t i = 0; i < points.size(); ++i)
            QVERIFY(same(ours.perPoint[i], theirs.perPoint[i]));
        QVERIFY(same(ours.median, theirs.median));
    }
    QCOMPARE(finite, 2 * 3 * 10); // every measure but the four robustness ones, at every point
}

void TestExternalAttributions::scorecardSkipsAndRecords()
{
    // Records of every finished (row, point) hold the run's values; a run told that the file's
    // row is done elsewhere computes only the method's, with the same values.
    auto fx = makeTabular(160, 4, 35);
    auto model = logitLinearModel(torch::tensor({1.0f, -2.0f, 0.5f, 4.0f}), 0.3);
    metrics::ScorecardOptions so;
    ExplainOptions eo;
    eo.target = 1;
    so.external = ourFiles(*fx, model, {Method::GradInput}, m_dir.path().toStdString(), eo);
    so.measures = {"sparseness", "infidelity", "deletion_aopc"};
    so.threads = 2;
    std::vector<int64_t> points(fx->split.test.begin(), fx->split.test.begin() + 3);
    std::vector<metrics::ScorecardRecord> records;
    so.record = [&](const metrics::ScorecardRecord& r) { records.push_back(r); };
    const auto full = metrics::scorecard({Method::GradInput}, model, fx->ctx, points, eo, so);
    QCOMPARE(records.size(), size_t(6));
    for (const auto& rec : records) {
        const size_t m = rec.method == "grad-input" ? 0 : 1;
        QCOMPARE(rec.row, points[rec.point]);
        QCOMPARE(rec.values.size(), size_t(3));
        for (size_t k = 0; k < 3; ++k)
            QVERIFY(same(rec.values[k], full.values[m][k][rec.point]));
    }
    records.clear();
    so.skip = [](size_t row, size_t) { return row == 1; };
    const auto part = metrics::scorecard({Method::GradInput}, model, fx->ctx, points, eo, so);
    QCOMPARE(part.pointsDone, (std::vector<int>{3, 0}));
    QCOMPARE(records.size(), size_t(3));
    for (size_t k = 0; k < 3; ++k)
        for (size_t i = 0; i < 3; ++i) {
            QVERIFY(same(part.values[0][k][i], full.values[0][k][i]));
            QVERIFY(std::isnan(part.values[1][k][i]));
        }
}

QTEST_MAIN(TestExternalAttributions)
#include "test_external_attributions.moc"
