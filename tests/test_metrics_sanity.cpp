// Sanity checks with known answers (metrics.md "Sanity checks"): Spearman, cosine and SSIM on
// known vectors and maps; the gradient of a linear model whose classes have weights w and −w
// gives the random-logit similarity −1 (signed) and 1 (magnitudes); on a small MNIST CNN the
// cascading randomisation changes every gradient explanation while the edge detector stays 1;
// the records of a run rebuild it, and points run alone or resumed give the same values.
#include "support/explain_test_models.h"
#include "support/errors.h"
#include "support/torchscript_test_models.h"
#include "core/common/error.h"
#include "core/data/loader.h"
#include "core/metrics/sanity.h"
#include "core/metrics/sanity_records.h"
#include "core/metrics/similarity.h"
#include "core/models/randomise.h"
#include "core/models/torch_model.h"
#include "core/train/trainer.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

using namespace senn;
using namespace senn::testing;

namespace {

struct MnistFixture {
    data::Dataset data;
    data::Split split;
    models::Model model;
    explain::ExplainContext ctx;
};

// A CNN trained for two epochs on 2,000 of the bundled digits: enough to have learned
// structure (test accuracy above 0.85) that re-drawing its layers destroys.
MnistFixture& mnist()
{
    static MnistFixture* f = [] {
        auto* m = new MnistFixture;
        m->data = data::loadIdxFolder(SENN_RESOURCE_DATA "/mnist-10k");
        m->split = data::makeSplit(m->data, 0, 2000);
        auto cfg = models::ModelConfig::defaultsFor(m->data.kind, models::ModelKind::Cnn, m->data.featureCount());
        auto tc = models::TrainConfig::defaultsFor(m->data.kind, models::ModelKind::Cnn);
        tc.epochs = 2;
        tc.patience = 0;
        tc.threads = 2;
        auto r = train::train(m->data, m->split, cfg, tc);
        qInfo("MNIST CNN, 2000 rows, 2 epochs: test accuracy %.3f", r.testAccuracy);
        m->model = r.model;
        m->ctx = explain::ExplainContext::make(m->data, m->split);
        return m;
    }();
    return *f;
}

std::vector<int64_t> firstTestRows(const MnistFixture& f, size_t n)
{
    return std::vector<int64_t>(f.split.test.begin(), f.split.test.begin() + long(n));
}

} // namespace

class TestMetricsSanity : public QObject {
    Q_OBJECT
private slots:
    void spearmanKnownValues()
    {
        QCOMPARE(metrics::averageRanks({10, 20, 20, 30}), (std::vector<double>{1, 2.5, 2.5, 4}));
        // Σd² = 4 over n = 5: ρ = 1 − 6·4 / (5·24) = 0.8.
        QVERIFY(std::abs(metrics::spearman({1, 2, 3, 4, 5}, {2, 1, 4, 3, 5}) - 0.8) < 1e-12);
        QCOMPARE(metrics::spearman({1, 2, 3}, {30, 20, 10}), -1.0);
        QCOMPARE(metrics::spearman({0.1, 5, 2}, {0.1, 5, 2}), 1.0);
        QVERIFY(std::isnan(metrics::spearman({1, 1, 1}, {1, 2, 3}))); // a constant side
        QVERIFY(std::abs(metrics::cosineSimilarity({1, 0}, {1, 1}) - 1 / std::sqrt(2.0)) < 1e-12);
        QCOMPARE(metrics::cosineSimilarity({3, -4}, {-3, 4}), -1.0);
        // Magnitude and sign: |a| ranks alike, signed ranks reversed.
        const std::vector<float> a{1, -2, 3, -4}, b{-1, 2, -3, 4};
        QCOMPARE(metrics::similarity("spearman_abs", a, b, {4}), 1.0);
        QCOMPARE(metrics::similarity("spearman", a, b, {4}), -1.0);
        QVERIFY(std::isnan(metrics::similarity("ssim", a, b, {4}))); // tables have no heat map
    }

    void ssimKnownValues()
    {
        const int64_t h = 16, w = 12;
        std::vector<double> img(size_t(h * w));
        for (int64_t i = 0; i < h * w; ++i)
            img[size_t(i)] = 0.5 + 0.5 * std::sin(0.37 * double(i)) * std::cos(0.11 * double(i));
        QCOMPARE(metrics::ssim(img, img, h, w), 1.0);
        // Two constant maps: no variance, so SSIM is the luminance term (2ab + c1) / (a² + b² + c1).
        const std::vector<double> a(size_t(h * w), 0.2), b(size_t(h * w), 0.6);
        const double c1 = 1e-4;
        QVERIFY(std::abs(metrics::ssim(a, b, h, w) - (2 * 0.2 * 0.6 + c1) / (0.04 + 0.36 + c1)) < 1e-12);
        // The inverted image has the opposite structure.
        std::vector<double> inv(img.size());
        for (size_t i = 0; i < img.size(); ++i)
            inv[i] = 1 - img[i];
        QVERIFY(metrics::ssim(img, inv, h, w) < 0);
        QCOMPARE(metrics::ssim(img, inv, h, w), metrics::ssim(inv, img, h, w));
        // A {C,H,W} explanation compared with itself through its heat map.
        std::vector<float> e(size_t(2 * h * w));
        for (size_t i = 0; i < e.size(); ++i)
            e[i] = float(std::sin(0.2 * double(i)));
        QCOMPARE(metrics::similarity("ssim", e, e, {2, h, w}), 1.0);
    }

    void randomLogitOfOpposedLinearClasses()
    {
        // Class 0 has weights w, class 1 −w: the gradient of either class is the other's negated.
        auto fx = makeTabular(60, 5, 3);
        auto w = torch::tensor({0.5, -1.0, 2.0, 0.25, -3.0}, torch::kFloat32);
        auto model = linearModel(torch::stack({w, -w}), torch::zeros({2}));
        metrics::SanityOptions so;
        so.modelRandomisation = false;
        so.randomLogit = true;
        so.threads = 1;
        const std::vector<int64_t> points{48, 49, 50, 51};
        auto res = metrics::sanityChecks({"saliency", metrics::kEdgeDetectorId}, model, fx->ctx, points, {}, so);
        QCOMPARE(res.steps, std::vector<std::string>{"original"});
        QCOMPARE(res.randomTargets.size(), points.size());
        for (size_t i = 0; i < points.size(); ++i)
            QCOMPARE(res.randomTargets[i], 1 - res.targets[i]); // the only other class
        const auto& g = res.results.at("saliency").randomLogit;
        for (size_t i = 0; i < points.size(); ++i) {
            QCOMPARE(g.at("spearman")[i], -1.0);
            QCOMPARE(g.at("spearman_abs")[i], 1.0);
            QCOMPARE(g.at("cosine")[i], -1.0);
            QVERIFY(std::isnan(g.at("ssim")[i]));
        }
        // The edge detector ignores the class: it passes a test it should fail.
        for (double v : res.results.at(metrics::kEdgeDetectorId).randomLogit.at("spearman"))
            QCOMPARE(v, 1.0);
    }

    void randomiseLayerIsSeededAndPrivate()
    {
        auto& f = mnist();
        const auto layers = models::randomisableLayers(f.model);
        QCOMPARE(layers, (std::vector<std::string>{"fc2", "fc1", "conv2", "conv1"}));
        const float* x = f.data.row(f.split.test[0]);
        const auto before = f.model.logits(x, 1);
        auto a = f.model.clone(), b = f.model.clone();
        models::randomiseLayer(a, "fc2", 7);
        models::randomiseLayer(b, "fc2", 7);
        QCOMPARE(a.logits(x, 1), b.logits(x, 1)); // same seed, same weights
        QVERIFY(a.logits(x, 1) != before);
        QCOMPARE(f.model.logits(x, 1), before);   // the original is untouched
        auto c = f.model.clone();
        models::randomiseLayer(c, "fc2", 8);
        QVERIFY(c.logits(x, 1) != a.logits(x, 1));
        QVERIFY(throwsSennError([&] { models::randomiseLayer(c, "fc9", 1); }));
    }

    void torchScriptLayers()
    {
        auto meta = tabularMeta(5, 2, models::ModelKind::TorchScript);
        meta.torchScriptPath = "mlp.pt";
        models::Model model(models::createTorchScript(makeMlp(5, 8, 2), meta));
        QCOMPARE(models::randomisableLayers(model), (std::vector<std::string>{"fc2", "fc1"}));
        const std::vector<float> x{0.5f, -1.0f, 2.0f, 0.1f, 0.3f};
        const auto before = model.logits(x.data(), 1);
        auto copy = model.clone();
        models::randomiseLayer(copy, "fc2", 3);
        QVERIFY(copy.logits(x.data(), 1) != before);
        QCOMPARE(model.logits(x.data(), 1), before); // the module's clone holds its own weights
    }

    void cascadeChangesGradientsNotEdges()
    {
        auto& f = mnist();
        const std::vector<std::string> methods{"saliency", "grad-input", "integrated-gradients", "smoothgrad",
                                               metrics::kEdgeDetectorId};
        metrics::SanityOptions so;
        so.threads = 2;
        explain::ExplainOptions eo;
        eo.seed = 5;
        int partials = 0;
        so.partial = [&](const metrics::SanityResult&) { ++partials; };
        auto res = metrics::sanityChecks(methods, f.model, f.ctx, firstTestRows(f, 6), eo, so);
        QCOMPARE(res.steps, (std::vector<std::string>{"original", "fc2", "fc1", "conv2", "conv1"}));
        QCOMPARE(res.stepsDone, 5);
        QCOMPARE(partials, 5);
        const size_t last = res.steps.size() - 1;
        for (const auto& id : methods) {
            const auto& s = res.results.at(id).steps;
            qInfo("%s: median Spearman |a| per step %.3f %.3f %.3f %.3f %.3f; signed %.3f .. %.3f; SSIM %.3f .. %.3f",
                  id.c_str(), s.at("spearman_abs").median[0], s.at("spearman_abs").median[1],
                  s.at("spearman_abs").median[2], s.at("spearman_abs").median[3], s.at("spearman_abs").median[4],
                  s.at("spearman").median[1], s.at("spearman").median[last], s.at("ssim").median[1],
                  s.at("ssim").median[last]);
            QCOMPARE(res.results.at(id).example.size(), res.steps.size());
            for (const auto& measure : metrics::similarityMeasures())
                QCOMPARE(s.at(measure).median[0], 1.0); // the original against itself
            if (id == metrics::kEdgeDetectorId) {
                for (const auto& measure : metrics::similarityMeasures())
                    for (const auto& step : s.at(measure).perPoint)
                        for (double v : step)
                            QCOMPARE(v, 1.0);
                continue;
            }
            // The first step already changes every point's explanation, and after the whole
            // cascade its signed ranks have nothing left of the original.
            for (double v : s.at("spearman").perPoint[1])
                QVERIFY2(v < 0.99, qPrintable(QString::fromStdString(id) + " unchanged by the first step"));
            QVERIFY2(s.at("spearman").median[last] < 0.3,
                     qPrintable(QString::fromStdString(id) + ": " + QString::number(s.at("spearman").median[last])));
            // Magnitudes: the gradient's own ranks go too. Gradient × input is 0 wherever the
            // pixel is 0 (most of a digit's image) and integrated gradients nearly so (its
            // baseline, the training mean, is 0 there too), whatever the weights: their |a|
            // ranks keep that tie (median above 0.9). That is the input's share of those
            // explanations, which the check rightly shows.
            if (id == "saliency" || id == "smoothgrad")
                QVERIFY2(s.at("spearman_abs").median[last] < 0.3,
                         qPrintable(QString::fromStdString(id) + " |a|: " + QString::number(s.at("spearman_abs").median[last])));
        }
    }

    void independentStepEqualsFirstCascadeStep()
    {
        auto& f = mnist();
        metrics::SanityOptions so;
        so.threads = 2;
        auto cascading = metrics::sanityChecks({"saliency"}, f.model, f.ctx, firstTestRows(f, 3), {}, so);
        so.mode = metrics::SanityMode::Independent;
        auto independent = metrics::sanityChecks({"saliency"}, f.model, f.ctx, firstTestRows(f, 3), {}, so);
        QCOMPARE(independent.mode, std::string("independent"));
        const auto& c = cascading.results.at("saliency").steps.at("spearman").perPoint;
        const auto& i = independent.results.at("saliency").steps.at("spearman").perPoint;
        QCOMPARE(i[1], c[1]); // the same draws for the output layer
        QVERIFY(i[4] != c[4]); // conv1 alone is not the whole cascade
    }

    void recordsRebuildAndResumeTheRun()
    {
        auto& f = mnist();
        const std::vector<std::string> methods{"saliency", "smoothgrad"};
        const auto points = firstTestRows(f, 4);
        metrics::SanityOptions so;
        so.threads = 2;
        so.randomLogit = true;
        explain::ExplainOptions eo;
        eo.seed = 7;
        std::vector<metrics::SanityRecord> records;
        metrics::SanityRecording rec;
        rec.record = [&](const metrics::SanityRecord& r) { records.push_back(r); };
        const auto run = metrics::sanityChecks(methods, f.model, f.ctx, points, eo, so, rec);
        const size_t S = run.steps.size();
        QCOMPARE(records.size(), methods.size() * points.size() * (S + 1));
        auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
        // Every value of `r` at its rows equals the whole run's at the same rows.
        auto matches = [&](const metrics::SanityResult& r) {
            for (size_t i = 0; i < r.points.size(); ++i) {
                const size_t w = size_t(std::find(points.begin(), points.end(), r.points[i]) - points.begin());
                if (w == points.size() || r.targets[i] != run.targets[w] || r.randomTargets[i] != run.randomTargets[w])
                    return false;
                for (const auto& id : methods)
                    for (const auto& measure : metrics::similarityMeasures()) {
                        const auto& a = r.results.at(id);
                        const auto& b = run.results.at(id);
                        for (size_t s = 0; s < S; ++s)
                            if (!same(a.steps.at(measure).perPoint[s][i], b.steps.at(measure).perPoint[s][w]))
                                return false;
                        if (!same(a.randomLogit.at(measure)[i], b.randomLogit.at(measure)[w]))
                            return false;
                    }
            }
            return true;
        };
        const auto rebuilt = metrics::sanityFromRecords(run, records);
        QVERIFY(matches(rebuilt));
        QCOMPARE(rebuilt.stepsDone, int(S));
        for (size_t s = 0; s < S; ++s)
            QVERIFY(same(rebuilt.results.at("smoothgrad").steps.at("spearman").median[s],
                         run.results.at("smoothgrad").steps.at("spearman").median[s]));

        // Points 3 and 1 alone, in that order, on one thread: the whole run's values (draws
        // follow the row).
        std::vector<metrics::SanityRecord> part;
        rec.record = [&](const metrics::SanityRecord& r) { part.push_back(r); };
        so.threads = 1;
        const auto alone = metrics::sanityChecks(methods, f.model, f.ctx, {points[3], points[1]}, eo, so, rec);
        QVERIFY(matches(metrics::sanityFromRecords(alone, part)));

        // Resumed: steps 0 and 2 and the random logit of every point recorded already; only the
        // rest is computed, and the records together are the whole run.
        std::vector<metrics::SanityRecord> resumed;
        std::set<std::tuple<std::string, size_t, std::string, int>> done;
        for (const auto& r : records)
            if (r.check == "random_logit" || r.step == 0 || r.step == 2) {
                resumed.push_back(r);
                done.insert({r.method, r.point, r.check, r.step});
            }
        const size_t before = resumed.size();
        rec.done = [&](size_t mi, size_t i, const std::string& check, int step) {
            return done.count({methods[mi], i, check, step}) > 0;
        };
        rec.record = [&](const metrics::SanityRecord& r) { resumed.push_back(r); };
        const auto rest = metrics::sanityChecks(methods, f.model, f.ctx, points, eo, so, rec);
        QCOMPARE(resumed.size() - before, methods.size() * points.size() * (S - 2));
        QVERIFY(matches(metrics::sanityFromRecords(rest, resumed)));

        // The JSON of the result reads back into records that rebuild it.
        const auto j = nlohmann::json::parse(metrics::sanityToJson(rebuilt).dump());
        QVERIFY(matches(metrics::sanityFromRecords(metrics::sanityFromJson(j, "test"),
                                                   metrics::sanityRecordsFromJson(j, "test"))));
        QCOMPARE(metrics::sanityToJson(metrics::sanityFromRecords(metrics::sanityFromJson(j, "test"),
                                                                  metrics::sanityRecordsFromJson(j, "test")))
                     .dump(),
                 j.dump());
    }

    void cancelKeepsFinishedSteps()
    {
        auto& f = mnist();
        jobs::CancelToken cancel;
        metrics::SanityOptions so;
        so.threads = 1;
        so.keepPartialOnCancel = true;
        so.partial = [&](const metrics::SanityResult& r) {
            if (r.stepsDone == 2)
                cancel.cancel();
        };
        auto res = metrics::sanityChecks({"saliency"}, f.model, f.ctx, firstTestRows(f, 3), {}, so, {}, cancel);
        QVERIFY(res.cancelled);
        QCOMPARE(res.stepsDone, 2);
        const auto& s = res.results.at("saliency").steps.at("spearman");
        QVERIFY(std::isfinite(s.median[1]));
        QVERIFY(std::isnan(s.median[2]));
    }

    void dataRandomisationForgetsTheLabels()
    {
        auto& f = mnist();
        metrics::SanityOptions so;
        so.modelRandomisation = false;
        so.dataRandomisation = true;
        so.epochs = 1;
        so.split = &f.split;
        so.threads = 2;
        auto res = metrics::sanityChecks({"saliency"}, f.model, f.ctx, firstTestRows(f, 4), {}, so);
        QCOMPARE(res.randomisedEpochs, 1);
        qInfo("permuted labels: test accuracy %.3f; saliency Spearman %.3f", res.randomisedAccuracy,
              res.results.at("saliency").dataRandomisation.at("spearman")[0]);
        QVERIFY(res.randomisedAccuracy < 0.3); // ten classes: chance is 0.1
        for (double v : res.results.at("saliency").dataRandomisation.at("spearman"))
            QVERIFY(v < 0.9);
    }

    void refusals()
    {
        auto fx = makeTabular(20, 3, 1);
        auto model = linearModel(torch::ones({2, 3}), torch::zeros({2}));
        QVERIFY(throwsSennError([&] { models::randomisableLayers(model); }));
        QVERIFY(throwsSennError([&] {
            metrics::sanityChecks({"no-such-method"}, model, fx->ctx, {16}, {}, metrics::SanityOptions{});
        }));
        QVERIFY(throwsSennError([&] { metrics::sanityModeFromString("sideways"); }));
        QVERIFY(metrics::sanityModeFromString("independent") == metrics::SanityMode::Independent);
    }
};

QTEST_GUILESS_MAIN(TestMetricsSanity)
#include "test_metrics_sanity.moc"
