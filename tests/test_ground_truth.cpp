// Ground truth (metrics.md "Ground truth"): localisation scores on hand-made attributions and
// masks, mask files, and the unit models with known answers: explainers put exactly nothing on
// the columns a linear model ignores, exact Shapley halves an interaction, and gradient×input
// stays inside the patch an image model reads.
#include "core/data/loader.h"
#include "core/data/split.h"
#include "core/explain/explanation.h"
#include "core/io/ground_truth.h"
#include "core/io/model_file.h"
#include "core/io/workspace.h"
#include "core/metrics/localisation.h"
#include "support/errors.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

using namespace senn;
using explain::Method;

namespace {

struct Opened {
    std::shared_ptr<const data::Dataset> data;
    data::Split split;
    models::Model model;
    explain::ExplainContext ctx;
};

// Writes the unit model and opens it the way the app and the CLI do.
Opened openUnitModel(const std::string& id, const std::string& dataPath, const std::string& file)
{
    auto raw = std::make_shared<data::Dataset>(data::loadDataset(dataPath));
    io::writeUnitModel(id, *raw, file);
    Opened o;
    o.model = io::loadTorchScript(file, *raw);
    auto fitted = io::fitToModel(o.model, raw);
    o.data = fitted.data;
    o.split = fitted.split;
    o.ctx = explain::ExplainContext::make(*o.data, o.split);
    return o;
}

double accuracy(const Opened& o, const std::vector<int64_t>& rows)
{
    int64_t right = 0;
    for (auto r : rows)
        right += o.model.predict(o.data->row(r), 1)[0] == o.data->y[size_t(r)] ? 1 : 0;
    return double(right) / double(rows.size());
}

double accuracy(const Opened& o)
{
    return accuracy(o, o.split.test);
}

double absTotal(const std::vector<float>& v)
{
    double s = 0;
    for (float x : v)
        s += std::fabs(double(x));
    return s;
}

// A .npy file of uint8 values in C order.
void writeNpy(const std::string& path, const std::vector<uint8_t>& v, const std::string& shape)
{
    std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': " + shape + ", }";
    while ((10 + header.size() + 1) % 64)
        header += ' ';
    header += '\n';
    std::ofstream f(path, std::ios::binary);
    f.write("\x93NUMPY\x01\x00", 8);
    const uint16_t len = uint16_t(header.size());
    f.put(char(len & 0xff));
    f.put(char(len >> 8));
    f << header;
    f.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size()));
}

} // namespace

class TestGroundTruth : public QObject {
    Q_OBJECT
private slots:
    void scoresKnownAnswers();
    void tiesCountAgainstTheMask();
    void selectionEqualsTheSortedRanking();
    void undefinedScoresAreNaN();
    void maskFiles();
    void linearModelIrrelevantColumnsGetNothing();
    void interactionIsSplitEvenly();
    void patchModelGradientTimesInputStaysInThePatch();
    void truthTravelsInTheFile();
    void bundledUnitModelsAreCurrent();

private:
    QTemporaryDir m_dir;
};

void TestGroundTruth::scoresKnownAnswers()
{
    const std::vector<float> a{3, -1, 2, 0, 1};
    const std::vector<uint8_t> m{1, 0, 0, 0, 1};
    auto s = metrics::localisation(a.data(), m.data(), 5);
    QCOMPARE(s.maskSize, int64_t(2));
    QVERIFY(std::fabs(s.massAccuracy - 4.0 / 6.0) < 1e-12);   // positive mass 3+2+1, inside 3+1
    QVERIFY(std::fabs(s.irrelevantMass - 3.0 / 7.0) < 1e-12); // |−1| + 2 + 0 of 7
    QCOMPARE(s.rankAccuracy, 0.5);                             // top 2: 3 (in), 2 (out)
    QCOMPARE(s.pointingGame, 1.0);
    QCOMPARE(s.topKIntersection, 0.5);                         // k = mask size
    metrics::LocalisationOptions k3;
    k3.topK = 3;
    QVERIFY(std::fabs(metrics::localisation(a.data(), m.data(), 5, k3).topKIntersection - 2.0 / 3.0) < 1e-12);
    metrics::LocalisationOptions abs;
    abs.absolute = true;
    const std::vector<float> b{-5, 1, 2, 0, 1};
    auto sa = metrics::localisation(b.data(), m.data(), 5, abs);
    QVERIFY(std::fabs(sa.massAccuracy - 6.0 / 9.0) < 1e-12);
    QCOMPARE(sa.pointingGame, 1.0); // |−5| is the top
    auto sp = metrics::localisation(b.data(), m.data(), 5);
    QCOMPARE(sp.pointingGame, 0.0); // by value, 2 (outside) is the top
    QVERIFY(std::fabs(sp.massAccuracy - 1.0 / 4.0) < 1e-12);

    explain::Explanation e;
    e.method = "saliency";
    e.values = a;
    QVERIFY(std::fabs(metrics::localisation(e, m).massAccuracy - 4.0 / 6.0) < 1e-12);
    QVERIFY(testing::throwsSennError([&] { metrics::localisation(e, std::vector<uint8_t>{1, 0}); }));
    QVERIFY(metrics::onInput(e, 5));
    e.method = "senn";
    QVERIFY(!metrics::onInput(e, 5));
}

void TestGroundTruth::tiesCountAgainstTheMask()
{
    const std::vector<float> flat(6, 1.0f);
    const std::vector<uint8_t> m{0, 1, 0, 1, 0, 0};
    auto s = metrics::localisation(flat.data(), m.data(), 6);
    QCOMPARE(s.pointingGame, 0.0);
    QCOMPARE(s.rankAccuracy, 0.0);
    QVERIFY(std::fabs(s.massAccuracy - 2.0 / 6.0) < 1e-12); // mass spreads as chance would
}

void TestGroundTruth::selectionEqualsTheSortedRanking()
{
    // The scores count the mask's features among the top k without sorting; they must equal
    // what the ranking itself gives (by score, ties against the mask), on values with many ties
    // (a few levels), both signs, every k, with and without |a|.
    uint64_t state = 12345;
    const auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return uint32_t(state >> 33);
    };
    for (int trial = 0; trial < 200; ++trial) {
        const int64_t n = 2 + int64_t(next() % 40);
        std::vector<float> a(static_cast<size_t>(n));
        std::vector<uint8_t> mask(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) {
            a[size_t(i)] = float(int(next() % 7) - 3) * 0.5f;
            mask[size_t(i)] = next() % 3 == 0;
        }
        mask[0] = 1;
        mask[size_t(n - 1)] = 0;
        for (bool absolute : {false, true}) {
            const auto score = [&](int64_t i) { return absolute ? std::fabs(a[size_t(i)]) : a[size_t(i)]; };
            std::vector<int64_t> order(static_cast<size_t>(n));
            for (int64_t i = 0; i < n; ++i)
                order[size_t(i)] = i;
            std::stable_sort(order.begin(), order.end(), [&](int64_t i, int64_t j) {
                return score(i) != score(j) ? score(i) > score(j) : (!mask[size_t(i)] && mask[size_t(j)]);
            });
            for (int64_t k = 1; k <= n; ++k) {
                metrics::LocalisationOptions o;
                o.absolute = absolute;
                o.topK = k;
                const auto s = metrics::localisation(a.data(), mask.data(), n, o);
                if (std::isnan(s.pointingGame))
                    continue; // nothing ranked above zero
                int64_t found = 0;
                for (int64_t r = 0; r < k; ++r)
                    found += mask[size_t(order[size_t(r)])];
                QCOMPARE(s.topKIntersection, double(found) / double(k));
                QCOMPARE(s.pointingGame, double(mask[size_t(order[0])]));
            }
        }
    }
}

void TestGroundTruth::undefinedScoresAreNaN()
{
    const std::vector<float> zero(4, 0.0f), neg{-1, -2, -3, -4};
    const std::vector<uint8_t> m{1, 0, 0, 0}, none(4, 0), all(4, 1);
    auto z = metrics::localisation(zero.data(), m.data(), 4);
    QVERIFY(std::isnan(z.massAccuracy) && std::isnan(z.irrelevantMass) && std::isnan(z.pointingGame));
    auto n = metrics::localisation(neg.data(), m.data(), 4);
    QVERIFY(std::isnan(n.massAccuracy));                     // no positive mass
    QVERIFY(std::fabs(n.irrelevantMass - 9.0 / 10.0) < 1e-12); // but |a| is there
    QVERIFY(std::isnan(metrics::localisation(neg.data(), none.data(), 4).massAccuracy));
    QVERIFY(std::isnan(metrics::localisation(neg.data(), all.data(), 4).irrelevantMass));
    auto sum = metrics::summarise({1, 0.5, std::nan(""), 0, 0.25});
    QCOMPARE(sum.n, int64_t(4));
    QCOMPARE(sum.median, 0.375);
    QCOMPARE(sum.max, 1.0);
}

void TestGroundTruth::maskFiles()
{
    const std::string npy = m_dir.filePath("mask.npy").toStdString();
    std::vector<uint8_t> v(2 * 3 * 4, 0);
    v[5] = 1;
    v[23] = 7;
    writeNpy(npy, v, "(2, 3, 4)");
    auto m = metrics::loadMaskFile(npy, {2, 3, 4});
    QCOMPARE(m.size(), size_t(24));
    QCOMPARE(int(m[5]), 1);
    QCOMPARE(int(m[23]), 1);
    QCOMPARE(int(m[0]), 0);
    QVERIFY(testing::throwsSennError([&] { metrics::loadMaskFile(npy, {30}); }));
    writeNpy(npy, std::vector<uint8_t>(30, 0), "(30,)");
    QVERIFY(testing::throwsSennError([&] { metrics::loadMaskFile(npy, {30}); })); // marks nothing

    // An image mask: any nonzero pixel, repeated over the channels.
    const std::string pgm = m_dir.filePath("mask.pgm").toStdString();
    {
        std::ofstream f(pgm, std::ios::binary);
        f << "P5\n4 3\n255\n";
        const unsigned char px[12] = {0, 0, 0, 0, 0, 200, 0, 0, 0, 0, 0, 1};
        f.write(reinterpret_cast<const char*>(px), 12);
    }
    auto im = metrics::loadMaskFile(pgm, {2, 3, 4});
    QCOMPARE(int(im[5]), 1);
    QCOMPARE(int(im[11]), 1);
    QCOMPARE(int(im[12 + 5]), 1);
    QCOMPARE(int(std::count(im.begin(), im.end(), uint8_t(1))), 4);
    QVERIFY(testing::throwsSennError([&] { metrics::loadMaskFile(pgm, {1, 4, 4}); }));
    try {
        metrics::loadMaskFile(m_dir.filePath("missing.png").toStdString(), {1, 3, 4});
        QFAIL("no error for a missing mask");
    } catch (const senn::Error& e) {
        QVERIFY(std::string(e.what()).find("missing.png") != std::string::npos);
    }
}

void TestGroundTruth::linearModelIrrelevantColumnsGetNothing()
{
    const auto o = openUnitModel("linear", SENN_RESOURCE_DATA "/breast-cancer.csv",
                                 m_dir.filePath("linear.pt").toStdString());
    const auto truth = io::groundTruthOf(o.model);
    QVERIFY(truth.has_value());
    QCOMPARE(truth->relevant.size(), size_t(5));
    const auto mask = truth->mask();
    const double acc = accuracy(o);
    qInfo("linear unit model: test accuracy %.3f (train %.3f); %s", acc, accuracy(o, o.split.train), truth->description.c_str());
    QVERIFY(accuracy(o, o.split.train) > 0.95); // a real classifier, not only a formula
    QVERIFY(acc > 0.85);

    const auto irrelevant = [&](const explain::Explanation& e) {
        return metrics::localisation(e, mask, {true}).irrelevantMass;
    };
    // Real test rows, every column varying: the gradient family, occlusion, KernelSHAP at its
    // default budget and permutation-sampled Shapley (both exact on an additive model).
    explain::ExplainOptions opt;
    opt.target = 1;
    for (Method m : {Method::Saliency, Method::GradInput, Method::IntegratedGradients, Method::SmoothGrad,
                     Method::Occlusion, Method::KernelShap, Method::Shapley}) {
        for (size_t i = 0; i < 5; ++i) {
            const auto e = explain::explain(m, o.model, o.ctx, o.data->row(o.split.test[i]), opt);
            QVERIFY(absTotal(e.values) > 0);
            QVERIFY2(irrelevant(e) < 1e-6, qPrintable(QString::fromStdString(e.method) +
                                                      QString(": irrelevant mass %1").arg(irrelevant(e))));
        }
    }
    // Exact Shapley and fully enumerated KernelSHAP need few players: a test row on the five
    // relevant and eleven other columns, the rest at the mean that the background is.
    std::vector<float> x(o.data->row(o.split.test[0]), o.data->row(o.split.test[0]) + 30);
    int64_t kept = 0;
    for (int64_t j = 0; j < 30; ++j)
        if (!mask[size_t(j)] && kept++ >= 11)
            x[size_t(j)] = o.ctx.stats.mean[size_t(j)];
    explain::ExplainOptions exact = opt;
    exact.background = "mean";
    const auto sh = explain::explain(Method::Shapley, o.model, o.ctx, x.data(), exact);
    QCOMPARE(sh.diagnostics.at("exact"), 1.0);
    QCOMPARE(sh.diagnostics.at("varying_features"), 16.0);
    QVERIFY2(irrelevant(sh) < 1e-6, qPrintable(QString("exact Shapley: %1").arg(irrelevant(sh))));
    exact.samples = 1 << 16;
    const auto ks = explain::explain(Method::KernelShap, o.model, o.ctx, x.data(), exact);
    QCOMPARE(ks.diagnostics.at("full_enumeration"), 1.0);
    QVERIFY2(irrelevant(ks) < 1e-6, qPrintable(QString("enumerated KernelSHAP: %1").arg(irrelevant(ks))));

    // LIME's surrogate is fitted to samples: it spends some weight on the ignored columns.
    std::vector<double> lime;
    for (size_t i = 0; i < 5; ++i)
        lime.push_back(irrelevant(explain::explain(Method::Lime, o.model, o.ctx, o.data->row(o.split.test[i]), opt)));
    const auto s = metrics::summarise(lime);
    qInfo("LIME irrelevant mass on 5 test rows: median %.4f, max %.4f", s.median, s.max);
    QVERIFY(s.median > 0);
}

void TestGroundTruth::interactionIsSplitEvenly()
{
    const auto o = openUnitModel("interaction", SENN_RESOURCE_DATA "/breast-cancer.csv",
                                 m_dir.filePath("interaction.pt").toStdString());
    const auto truth = io::groundTruthOf(o.model);
    QVERIFY(truth.has_value());
    QCOMPARE(truth->interactions.size(), size_t(2));
    qInfo("interaction unit model: test accuracy %.3f", accuracy(o));
    explain::ExplainOptions opt;
    opt.target = 1;
    opt.background = "mean"; // one reference: v(∅) = v({i}) = v({j}) = 0 for a product
    for (size_t p = 0; p < 3; ++p) {
        // A test row on the four relevant and ten other columns (exact: 14 players).
        const float* row = o.data->row(o.split.test[p]);
        std::vector<float> x(row, row + 30);
        const auto mask = truth->mask();
        int64_t kept = 0;
        for (int64_t j = 0; j < 30; ++j)
            if (!mask[size_t(j)] && kept++ >= 10)
                x[size_t(j)] = o.ctx.stats.mean[size_t(j)];
        const auto e = explain::explain(Method::Shapley, o.model, o.ctx, x.data(), opt);
        QCOMPARE(e.diagnostics.at("exact"), 1.0);
        for (const auto& [i, j] : truth->interactions) {
            // The pair's product alone: the logit with both at x minus the logit with either
            // (here: both) at the reference.
            std::vector<float> off = x;
            off[size_t(i)] = o.ctx.stats.mean[size_t(i)];
            off[size_t(j)] = o.ctx.stats.mean[size_t(j)];
            const auto zx = o.model.logits(x.data(), 1), zo = o.model.logits(off.data(), 1);
            const double product = double(zx[1]) - double(zo[1]);
            const double phiI = e.values[size_t(i)], phiJ = e.values[size_t(j)];
            QVERIFY2(std::fabs(phiI - product / 2) <= 1e-4 * std::fabs(product) + 1e-6,
                     qPrintable(QString("φ_i %1, half the product %2").arg(phiI).arg(product / 2)));
            QVERIFY2(std::fabs(phiJ - product / 2) <= 1e-4 * std::fabs(product) + 1e-6,
                     qPrintable(QString("φ_j %1, half the product %2").arg(phiJ).arg(product / 2)));
        }
        QVERIFY(metrics::localisation(e, truth->mask(), {true}).irrelevantMass < 1e-6);
    }
}

void TestGroundTruth::patchModelGradientTimesInputStaysInThePatch()
{
    const auto o = openUnitModel("patch", SENN_RESOURCE_DATA "/mnist-10k", m_dir.filePath("patch.pt").toStdString());
    const auto truth = io::groundTruthOf(o.model);
    QVERIFY(truth.has_value());
    QCOMPARE(truth->relevant.size(), size_t(14 * 14));
    QCOMPARE(truth->relevant.front(), int64_t(7 * 28 + 7));
    QCOMPARE(truth->relevant.back(), int64_t(20 * 28 + 20));
    const double acc = accuracy(o);
    qInfo("patch unit model: test accuracy %.3f", acc);
    QVERIFY(acc > 0.6);
    explain::ExplainOptions opt;
    for (size_t i = 0; i < 5; ++i) {
        const auto e = explain::explain(Method::GradInput, o.model, o.ctx, o.data->row(o.split.test[i]), opt);
        const auto s = metrics::localisation(e, truth->mask());
        QCOMPARE(s.massAccuracy, 1.0);
        QCOMPARE(s.irrelevantMass, 0.0);
        QCOMPARE(s.pointingGame, 1.0);
    }
}

void TestGroundTruth::truthTravelsInTheFile()
{
    const std::string file = m_dir.filePath("linear2.pt").toStdString();
    auto data = data::loadDataset(SENN_RESOURCE_DATA "/breast-cancer.csv");
    const auto written = io::writeUnitModel("linear", data, file);
    QCOMPARE(int(io::detectModelFile(file)), int(io::ModelFileKind::TorchScript));
    const auto ws = io::openWithModel(file, SENN_RESOURCE_DATA "/breast-cancer.csv");
    const auto read = io::groundTruthOf(ws.model);
    QVERIFY(read.has_value());
    QCOMPARE(read->relevant, written.relevant);
    QCOMPARE(read->description, written.description);
    QCOMPARE(io::groundTruthFromJson(io::groundTruthToJson(written), "x").relevant, written.relevant);
    QVERIFY(testing::throwsSennError([&] { io::groundTruthFromJson("{\"shape\":[3],\"relevant\":[5]}", "x"); }));
    QVERIFY(testing::throwsSennError([&] { io::writeUnitModel("patch", data, file); })); // a table
    QVERIFY(testing::throwsSennError([&] { io::writeUnitModel("quadratic", data, file); }));
}

// The unit models File > Examples opens are the files `senn ground-truth --make` writes today:
// the same truth and the same logits as a model fitted now.
void TestGroundTruth::bundledUnitModelsAreCurrent()
{
    const struct {
        const char *id, *data, *file;
    } bundled[] = {{"linear", "/breast-cancer.csv", "/ground-truth/linear-breast-cancer.pt"},
                   {"interaction", "/breast-cancer.csv", "/ground-truth/interaction-breast-cancer.pt"},
                   {"patch", "/mnist-10k", "/ground-truth/patch-mnist.pt"}};
    for (const auto& b : bundled) {
        const auto fresh = openUnitModel(b.id, std::string(SENN_RESOURCE_DATA) + b.data,
                                         m_dir.filePath(QString(b.id) + "-fresh.pt").toStdString());
        const auto stored = io::loadTorchScript(std::string(SENN_RESOURCE_DATA) + b.file, *fresh.data);
        const auto t = io::groundTruthOf(stored);
        QVERIFY2(t.has_value(), b.file);
        QCOMPARE(t->relevant, io::groundTruthOf(fresh.model)->relevant);
        QCOMPARE(t->interactions, io::groundTruthOf(fresh.model)->interactions);
        const int64_t n = 8;
        const auto a = stored.logits(fresh.data->row(0), n), f = fresh.model.logits(fresh.data->row(0), n);
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY2(std::fabs(a[i] - f[i]) <= 1e-4 * (1 + std::fabs(f[i])),
                     qPrintable(QString("%1: logit %2 is %3, a model fitted now gives %4; run senn ground-truth "
                                        "--make again").arg(b.file).arg(i).arg(a[i]).arg(f[i])));
    }
}

QTEST_GUILESS_MAIN(TestGroundTruth)
#include "test_ground_truth.moc"
