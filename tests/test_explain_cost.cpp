// Known answers for the model rows each explainer plans (core/explain/cost.h): the plan equals
// the rows the explainer reports having evaluated, on a small table and a 28x28 image, for
// every method, with exact and sampled Shapley, superpixel players and occlusion's geometry.
#include "support/explain_test_models.h"
#include "core/explain/cost.h"

#include <QtTest>

using namespace senn;
using namespace senn::explain;
using namespace senn::testing;

class TestExplainCost : public QObject {
    Q_OBJECT
private slots:
    void tabularPlansMatchRuns();
    void imagePlansMatchRuns();
    void shapleyExactOrSampled();
    void kernelShapCoalitions();
    void superpixelPlayers();
    void occlusionGeometry();
    void backgroundRows();
};

namespace {
int64_t diag(const Explanation& e, const char* key)
{
    const auto it = e.diagnostics.find(key);
    return it == e.diagnostics.end() ? -1 : int64_t(it->second);
}

// A dataset (TabularFixture's parts serve images too), a linear model with logits [0, wᵀx]
// on it and the example explained: a test row.
struct Case {
    std::unique_ptr<TabularFixture> fx;
    models::Model model;
    std::vector<int64_t> shape;
    const float* x = nullptr;
    int64_t trainRows = 0;

    // Runs `m` and checks its rows against the plan from the run's own players and
    // background (KernelSHAP and Shapley) and against the estimate made before the example.
    Explanation run(Method m, const ExplainOptions& o) const
    {
        const auto e = explain::explain(m, model, fx->ctx, x, o);
        const bool game = m == Method::KernelShap || m == Method::Shapley;
        const int64_t M = game ? diag(e, "varying_features") : 0, B = game ? diag(e, "background_rows") : 0;
        const QByteArray what = QByteArray::fromStdString(methodId(m) + " reported " + std::to_string(e.modelRows) +
                                                          " rows");
        [&] {
            QVERIFY2(e.modelRows == plannedModelRows(m, o, shape, M, B), what.constData());
            QVERIFY2(e.modelRows == estimatedModelRows(m, o, shape, trainRows), what.constData());
        }();
        return e;
    }
};

Case makeCase(std::unique_ptr<TabularFixture> fx, uint64_t seed)
{
    Case c;
    c.shape = fx->data.sampleShape;
    models::ModelMeta meta = tabularMeta(fx->data.featureCount(), 2);
    if (fx->data.isImage()) {
        meta.dataKind = data::DataKind::Image;
        meta.inputShape = c.shape;
        meta.featureNames.clear();
    }
    auto w = torch::randn({fx->data.featureCount()}, at::detail::createCPUGenerator(seed), torch::kFloat32) * 0.1;
    c.model = models::Model(std::make_shared<FunctionModel>(meta, [w](const torch::Tensor& x) {
        auto z = torch::matmul(x, w);
        return torch::stack({torch::zeros_like(z), z}, 1);
    }));
    c.x = fx->data.row(fx->split.test[0]);
    c.trainRows = int64_t(fx->split.train.size());
    c.fx = std::move(fx);
    return c;
}

Case tableCase(int64_t n, int64_t d, uint64_t seed) { return makeCase(makeTabular(n, d, seed), seed + 1); }

// n images with uniform values in [0, 1]: every value differs from the k-means background,
// so every pixel (or superpixel) is a player; the first 80% are training rows.
Case imageCase(int64_t n, const std::vector<int64_t>& shape, uint64_t seed)
{
    auto f = std::make_unique<TabularFixture>();
    f->data.kind = data::DataKind::Image;
    f->data.sampleShape = shape;
    f->data.classNames = {"class 0", "class 1"};
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    f->data.x.resize(size_t(n * f->data.featureCount()));
    for (float& v : f->data.x)
        v = float(u(rng));
    for (int64_t i = 0; i < n; ++i) {
        f->data.y.push_back(i % 2);
        (i < n * 8 / 10 ? f->split.train : f->split.test).push_back(i);
    }
    f->ctx = ExplainContext::make(f->data, f->split);
    return makeCase(std::move(f), seed + 1);
}

const std::vector<Method> kRunMethods{Method::Lime, Method::KernelShap, Method::Shapley, Method::Saliency,
                                      Method::GradInput, Method::IntegratedGradients, Method::SmoothGrad,
                                      Method::Occlusion};
} // namespace

void TestExplainCost::tabularPlansMatchRuns()
{
    const auto c = tableCase(200, 6, 11);
    // The defaults, given settings, a one-row background and a chosen target.
    std::vector<ExplainOptions> settings(4);
    settings[1].samples = 300;
    settings[1].igSteps = 7;
    settings[1].smoothGradSamples = 3;
    settings[1].background = "sample:5";
    settings[2].background = "mean";
    settings[2].target = 1;
    settings[3].permutations = 6;
    settings[3].background = "kmeans:3";
    for (const auto& o : settings)
        for (Method m : kRunMethods)
            c.run(m, o);
    // Known figures for the defaults: 2^6 - 2 coalitions and 2^6 exact coalitions, each with
    // 10 background rows after f(x) and the 10 background rows themselves.
    const ExplainOptions o;
    QCOMPARE(estimatedModelRows(Method::KernelShap, o, c.shape, c.trainRows), int64_t(11 + 62 * 10));
    QCOMPARE(estimatedModelRows(Method::Shapley, o, c.shape, c.trainRows), int64_t(11 + 64 * 10));
    QCOMPARE(estimatedModelRows(Method::Lime, o, c.shape, c.trainRows), kLimeTabularSamples);
    QCOMPARE(estimatedModelRows(Method::IntegratedGradients, o, c.shape, c.trainRows), int64_t(o.igSteps + 2));
    QCOMPARE(estimatedModelRows(Method::SmoothGrad, o, c.shape, c.trainRows), int64_t(o.smoothGradSamples + 1));
    QCOMPARE(estimatedModelRows(Method::Occlusion, o, c.shape, c.trainRows), int64_t(7));

    // SENN: one forward pass gives θ and h.
    auto senn = constantThetaSenn(torch::randn({6, 2}, at::detail::createCPUGenerator(6), torch::kFloat32));
    QCOMPARE(explain::explain(Method::Senn, senn, c.fx->ctx, c.x, o).modelRows,
             estimatedModelRows(Method::Senn, o, c.shape, c.trainRows));
    QCOMPARE(estimatedModelRows(Method::Flint, o, c.shape, c.trainRows), int64_t(1));
}

void TestExplainCost::imagePlansMatchRuns()
{
    const auto c = imageCase(60, {1, 28, 28}, 3);
    const ExplainOptions o;
    for (Method m : kRunMethods) {
        const auto e = c.run(m, o);
        if (m == Method::KernelShap || m == Method::Shapley)
            QCOMPARE(diag(e, "varying_features"), int64_t(784)); // pixels, not superpixels
    }
    // 784 pixel players: 2·784 + 2048 coalitions; sampled Shapley at its 50 pairs (the 2^20
    // budget would allow 66) of 785 coalitions each; occlusion 13 x 13 windows of 4, stride 2.
    QCOMPARE(estimatedModelRows(Method::KernelShap, o, c.shape, c.trainRows), int64_t(11 + (2 * 784 + 2048) * 10));
    QCOMPARE(estimatedModelRows(Method::Shapley, o, c.shape, c.trainRows), int64_t(11 + 100 * 785 * 10));
    QCOMPARE(estimatedModelRows(Method::Lime, o, c.shape, c.trainRows), kLimeImageSamples);
    QCOMPARE(estimatedModelRows(Method::Occlusion, o, c.shape, c.trainRows), int64_t(13 * 13 + 1));
}

void TestExplainCost::shapleyExactOrSampled()
{
    // 12 features: exact by default (2^12 coalitions); below the setting, sampled.
    const auto c12 = tableCase(150, 12, 21);
    ExplainOptions o;
    auto e = c12.run(Method::Shapley, o);
    QCOMPARE(diag(e, "exact"), int64_t(1));
    QCOMPARE(e.modelRows, int64_t(11 + 4096 * 10));
    o.exactShapleyMaxFeatures = 11;
    e = c12.run(Method::Shapley, o);
    QCOMPARE(diag(e, "exact"), int64_t(0));
    QCOMPARE(diag(e, "permutations"), int64_t(2 * kMaxPermutationPairs));
    QCOMPARE(e.modelRows, int64_t(11 + 2 * kMaxPermutationPairs * 13 * 10));
    // 30 features: sampled even when the setting allows 40 (exact stops at 24 players).
    const auto c30 = tableCase(150, 30, 22);
    o.exactShapleyMaxFeatures = 40;
    e = c30.run(Method::Shapley, o);
    QCOMPARE(diag(e, "exact"), int64_t(0));
    QCOMPARE(e.modelRows, int64_t(11 + 2 * kMaxPermutationPairs * 31 * 10));
    o.permutations = 7; // rounded up to 4 antithetic pairs
    e = c30.run(Method::Shapley, o);
    QCOMPARE(diag(e, "permutations"), int64_t(8));
    QCOMPARE(e.modelRows, int64_t(11 + 8 * 31 * 10));
    // Computed only: the cap at 24 players, and the budget's pairs with a large background.
    o.permutations = 0;
    QVERIFY(shapleyIsExact(o, kExactShapleyMaxPlayers));
    QVERIFY(!shapleyIsExact(o, kExactShapleyMaxPlayers + 1));
    QCOMPARE(plannedModelRows(Method::Shapley, o, {24}, 24, 10), int64_t(11 + (int64_t(1) << 24) * 10));
    QCOMPARE(shapleyPermutationPairs(o, 100, 150), int64_t(34)); // 2^20 / (2 · 101 · 150)
    QCOMPARE(shapleyPermutationPairs(o, 1000, 100), kMinPermutationPairs);
    QCOMPARE(plannedModelRows(Method::Shapley, o, {5}, 0, 10), int64_t(11)); // no player varies
}

void TestExplainCost::kernelShapCoalitions()
{
    // Sampled coalitions (12 features: 2·12 + 2048 of 4094), a requested count and all.
    const auto c = tableCase(150, 12, 23);
    ExplainOptions o;
    for (int samples : {0, 500, 5000}) {
        o.samples = samples;
        const auto e = c.run(Method::KernelShap, o);
        QCOMPARE(diag(e, "coalitions"), samples == 0 ? int64_t(2072) : samples == 500 ? int64_t(500) : int64_t(4094));
    }
    o.samples = 0;
    QCOMPARE(explain::kernelShapCoalitions(o, 1), int64_t(0));
    QCOMPARE(explain::kernelShapCoalitions(o, 40), int64_t(2 * 40 + kKernelShapExtraCoalitions));
    o.samples = 2000000000;
    QCOMPARE(explain::kernelShapCoalitions(o, 40), int64_t(1) << 30);
}

void TestExplainCost::superpixelPlayers()
{
    // 3x40x40 = 4,800 values (over kMaxPixelPlayers): grid cells of round(sqrt(1600 / 30)) = 7
    // pixels, 6 x 6 superpixels.
    ExplainOptions o;
    o.segmentation = "grid";
    QCOMPARE(superpixelCell(40, 40, 0), 7);
    QCOMPARE(nominalPlayers({3, 40, 40}, o), int64_t(36));
    const auto c = imageCase(30, {3, 40, 40}, 5);
    o.samples = 200;
    o.background = "kmeans:4";
    const auto e = c.run(Method::KernelShap, o);
    QCOMPARE(diag(e, "segments"), int64_t(36));
    QCOMPARE(e.modelRows, int64_t(5 + 200 * 4));
    // A 224x224 photo: cells of 41 pixels, 6 x 6 superpixels; a 28x28 digit keeps its pixels.
    QCOMPARE(nominalPlayers({3, 224, 224}, ExplainOptions{}), int64_t(36));
    QCOMPARE(nominalPlayers({1, 28, 28}, ExplainOptions{}), int64_t(784));
    o.segmentSize = 10;
    QCOMPARE(nominalPlayers({3, 224, 224}, o), int64_t(23 * 23));
}

void TestExplainCost::occlusionGeometry()
{
    // Automatic windows: a seventh of the shorter side, half that stride, x itself first.
    const ExplainOptions o;
    int64_t window = 0, stride = 0;
    explain::occlusionGeometry(28, 28, o, window, stride);
    QCOMPARE(window, int64_t(4));
    QCOMPARE(stride, int64_t(2));
    QCOMPARE(plannedModelRows(Method::Occlusion, o, {1, 28, 28}, 0, 0), int64_t(13 * 13 + 1));
    explain::occlusionGeometry(224, 224, o, window, stride);
    QCOMPARE(window, int64_t(32));
    QCOMPARE(stride, int64_t(16));
    QCOMPARE(plannedModelRows(Method::Occlusion, o, {3, 224, 224}, 0, 0), int64_t(13 * 13 + 1));
    QCOMPARE(plannedModelRows(Method::Occlusion, o, {3, 64, 64}, 0, 0), int64_t(14 * 14 + 1)); // 9 and 4
    QCOMPARE(plannedModelRows(Method::Occlusion, o, {30}, 0, 0), int64_t(31)); // one feature each
    // Set window and stride: the run agrees at 28x28.
    ExplainOptions set;
    set.occlusionWindow = 5;
    set.occlusionStride = 3;
    QCOMPARE(plannedModelRows(Method::Occlusion, set, {1, 28, 28}, 0, 0), int64_t(8 * 8 + 1));
    const auto e = imageCase(20, {1, 28, 28}, 7).run(Method::Occlusion, set);
    QCOMPARE(diag(e, "windows"), int64_t(64));
}

void TestExplainCost::backgroundRows()
{
    QCOMPARE(backgroundRowCount("", 100), int64_t(10));
    QCOMPARE(backgroundRowCount("mean", 100), int64_t(1));
    QCOMPARE(backgroundRowCount("zeros", 100), int64_t(1));
    QCOMPARE(backgroundRowCount("kmeans:3", 100), int64_t(3));
    QCOMPARE(backgroundRowCount("kmeans:500", 100), int64_t(100)); // every training row
    QCOMPARE(backgroundRowCount("sample:7", 100), int64_t(7));
    QCOMPARE(backgroundRowCount("kmeans:x", 100), int64_t(-1));
    QCOMPARE(backgroundRowCount("median", 100), int64_t(-1));
    ExplainOptions o;
    o.background = "median";
    QCOMPARE(estimatedModelRows(Method::KernelShap, o, {5}, 100), int64_t(-1));
    QCOMPARE(estimatedModelRows(Method::Saliency, o, {5}, 100), int64_t(1));
    // A tiny training split: k-means keeps every row (the run agrees).
    const auto e = tableCase(10, 4, 31).run(Method::KernelShap, {});
    QCOMPARE(diag(e, "background_rows"), int64_t(8));
}

QTEST_GUILESS_MAIN(TestExplainCost)
#include "test_explain_cost.moc"
