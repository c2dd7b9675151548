// Post-hoc FLINT on a TorchScript predictor whose hidden layer is chosen by name (flint.md
// "Post-hoc mode"): the layer list with shapes, the errors for bad choices and modules, training
// with the predictor frozen (its outputs bit-identical), saving with a reference to the .pt file;
// and SENN's conciseness CNS(τ) measured as FLINT's, on hand-computed cases.
#include "core/common/remedy.h"
#include "core/torch_include.h"

#include "core/common/error.h"
#include "core/data/loader.h"
#include "core/data/split.h"
#include "core/io/model_file.h"
#include "core/models/flint_net.h"
#include "core/models/torch_model.h"
#include "core/train/flint_interpret.h"
#include "core/train/flint_metrics.h"
#include "core/train/flint_trainer.h"
#include "core/train/trainer.h"
#include "support/torchscript_test_models.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace senn;
using senn::testing::layer;
using senn::testing::makeCnn;

namespace {

std::vector<int64_t> firstN(const std::vector<int64_t>& v, size_t n)
{
    return std::vector<int64_t>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(n, v.size())));
}

template <class F>
std::string errorOf(F f)
{
    try {
        f();
    } catch (const senn::Error& e) {
        return e.what();
    }
    return "(no senn::Error)";
}

std::vector<torch::Tensor> paramsOf(const torch::jit::Module& m)
{
    std::vector<torch::Tensor> p;
    for (const auto& t : m.parameters())
        p.push_back(t);
    return p;
}

} // namespace

class TestFlintPostHoc : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    data::Dataset m_mnist;
    data::Split m_split;
    std::string m_cnnPath;
    models::Model m_cnn;    // the TorchScript CNN, loaded as the app loads one
    models::Model m_flint;  // post-hoc FLINT trained on its "pool" layer

    std::string path(const char* name) const { return m_dir.filePath(name).toStdString(); }

private slots:
    void initTestCase()
    {
        at::set_num_threads(2);
        QVERIFY(m_dir.isValid());
        m_mnist = data::loadDataset(SENN_RESOURCE_DATA "/mnist-10k");
        m_split = data::makeSplit(m_mnist, 0, 2000);
        m_split.val = firstN(m_split.val, 200);
        m_split.test = firstN(m_split.test, 500);

        // Train the TorchScript CNN itself (raw [0, 1] pixels, as the loader gives them).
        auto net = makeCnn();
        net.train();
        torch::optim::Adam opt(paramsOf(net), torch::optim::AdamOptions(2e-3));
        for (int epoch = 0; epoch < 2; ++epoch)
            for (size_t b = 0; b < m_split.train.size(); b += 32) {
                const size_t e = std::min(m_split.train.size(), b + 32);
                auto x = train::gatherRows(m_mnist, m_split.train, b, e, torch::kCPU);
                std::vector<int64_t> y;
                for (size_t i = b; i < e; ++i)
                    y.push_back(m_mnist.y[size_t(m_split.train[i])]);
                auto loss = torch::nn::functional::cross_entropy(net.forward({x}).toTensor(),
                                                                 torch::tensor(y, torch::kLong));
                opt.zero_grad();
                loss.backward();
                opt.step();
            }
        for (auto p : paramsOf(net))
            p.set_requires_grad(false);
        net.eval();
        m_cnnPath = path("cnn.pt");
        net.save(m_cnnPath);
        m_cnn = io::loadTorchScript(m_cnnPath, m_mnist);
        const double acc = train::evaluate(m_cnn, m_mnist, m_split.test, "test").accuracy;
        std::printf("TorchScript CNN test accuracy %.4f\n", acc);
        QVERIFY2(acc >= 0.85, "the predictor must be a real classifier for fidelity to mean anything");
    }

    void listsLayersWithShapes()
    {
        const auto layers = train::flintHiddenLayers(m_cnn, m_mnist, m_split.train.front());
        QCOMPARE(layers.size(), size_t(5));
        const std::vector<std::string> names{"conv", "relu", "pool", "flatten", "fc"};
        const std::vector<std::vector<int64_t>> shapes{{8, 28, 28}, {8, 28, 28}, {8, 14, 14}, {1568}, {10}};
        for (size_t i = 0; i < layers.size(); ++i) {
            QCOMPARE(layers[i].name, names[i]);
            QCOMPARE(layers[i].shape, shapes[i]);
            QVERIFY2(layers[i].problem.empty(), layers[i].problem.c_str());
        }
        // Only TorchScript models are listed by name.
        models::ModelConfig mlp;
        mlp.kind = models::ModelKind::Mlp;
        auto net = train::buildModel(m_mnist, m_split, mlp, {});
        QVERIFY(errorOf([&] { train::flintHiddenLayers(net, m_mnist); }).find("TorchScript") != std::string::npos);
    }

    void badChoicesGiveClearErrors()
    {
        // Unknown layer: names it and lists the children.
        auto e = errorOf([&] { train::attachFlint(m_cnn, "conv9", m_mnist, m_split, 5); });
        QVERIFY2(e.find("'conv9'") != std::string::npos, e.c_str());
        QVERIFY2(e.find("conv, relu, pool, flatten, fc") != std::string::npos, e.c_str());
        e = errorOf([&] { train::attachFlint(m_cnn, "", m_mnist, m_split, 5); });
        QVERIFY2(e.find("hidden layer") != std::string::npos && e.find("pool") != std::string::npos, e.c_str());
        QVERIFY2(e.find("--") == std::string::npos, e.c_str()); // no CLI flag in the GUI's text
        try {
            train::attachFlint(m_cnn, "", m_mnist, m_split, 5);
            QFAIL("an empty layer name was accepted");
        } catch (const senn::Error& err) {
            QCOMPARE(senn::remedyOf(err), senn::Remedy::HiddenLayer);
        }

        // A child that returns a tuple: listed as unusable, refused by name.
        torch::jit::Module tup("TupleNet");
        tup.register_module("flatten", layer("Flatten", "torch.flatten(x, 1)"));
        tup.register_module("pair", layer("Pair", "(x[:, 0:10], x[:, 10:20])"));
        torch::jit::Module first("First");
        first.define("def forward(self, x: Tuple[Tensor, Tensor]):\n    return x[0] + x[1]\n");
        tup.register_module("first", first);
        tup.define("def forward(self, x):\n    return self.first.forward(self.pair.forward(self.flatten.forward(x)))\n");
        tup.save(path("tuple.pt"));
        auto tupModel = io::loadTorchScript(path("tuple.pt"), m_mnist);
        const auto layers = train::flintHiddenLayers(tupModel, m_mnist, 0);
        QCOMPARE(layers.size(), size_t(3));
        QVERIFY(layers[1].shape.empty());
        QVERIFY2(layers[1].problem.find("not a tensor") != std::string::npos, layers[1].problem.c_str());
        QCOMPARE(layers[2].shape, (std::vector<int64_t>{10}));
        e = errorOf([&] { train::attachFlint(tupModel, "pair", m_mnist, m_split, 5); });
        QVERIFY2(e.find("'pair'") != std::string::npos && e.find("not a tensor") != std::string::npos, e.c_str());

        // forward() is not its children in order: not sequential.
        torch::jit::Module twice("Twice");
        twice.register_module("flatten", layer("Flatten", "torch.flatten(x, 1)"));
        twice.register_module("head", layer("Head", "x[:, 0:10]"));
        twice.define("def forward(self, x):\n    return self.head.forward(self.flatten.forward(x)) + 1.0\n");
        twice.save(path("twice.pt"));
        auto twiceModel = io::loadTorchScript(path("twice.pt"), m_mnist);
        e = errorOf([&] { train::flintHiddenLayers(twiceModel, m_mnist, 0); });
        QVERIFY2(e.find("not sequential") != std::string::npos && e.find("flatten, head") != std::string::npos,
                 e.c_str());
        e = errorOf([&] { train::attachFlint(twiceModel, "flatten", m_mnist, m_split, 5); });
        QVERIFY2(e.find("not sequential") != std::string::npos, e.c_str());

        // No children at all.
        torch::jit::Module bare("Bare");
        bare.define("def forward(self, x):\n    return torch.flatten(x, 1)[:, 0:10]\n");
        bare.save(path("bare.pt"));
        auto bareModel = io::loadTorchScript(path("bare.pt"), m_mnist);
        e = errorOf([&] { train::flintHiddenLayers(bareModel, m_mnist, 0); });
        QVERIFY2(e.find("no child modules") != std::string::npos, e.c_str());
    }

    void vectorLayerGetsMlpPsi()
    {
        auto m = train::attachFlint(m_cnn, "flatten", m_mnist, m_split, 7);
        auto fl = std::dynamic_pointer_cast<models::FlintModel>(m.impl());
        QVERIFY(fl && fl->isPostHoc() && fl->hasForeignPredictor());
        QCOMPARE(fl->hiddenShape(), (std::vector<int64_t>{1568}));
        torch::NoGradGuard g;
        auto t = fl->forward(train::gatherRows(m_mnist, m_split.test, 0, 3, torch::kCPU));
        QCOMPARE(t.phi.sizes().vec(), (std::vector<int64_t>{3, 7}));
        QCOMPARE(m.meta().flintHiddenLayer, std::string("flatten"));
    }

    void postHocTrainingKeepsThePredictor()
    {
        const auto before = paramsOf(*models::torchScriptModule(*m_cnn.impl()));
        std::vector<torch::Tensor> saved;
        for (const auto& p : before)
            saved.push_back(p.clone());
        auto x = train::gatherRows(m_mnist, m_split.test, 0, m_split.test.size(), torch::kCPU);
        torch::Tensor fBefore;
        {
            torch::NoGradGuard g;
            fBefore = m_cnn.impl()->logits(x);
        }
        auto attached = train::attachFlint(m_cnn, "pool", m_mnist, m_split, 25);
        auto fl = std::dynamic_pointer_cast<models::FlintModel>(attached.impl());
        QCOMPARE(fl->hiddenShape(), (std::vector<int64_t>{8, 14, 14})); // conv Ψ

        models::ModelConfig cfg;
        cfg.kind = models::ModelKind::Flint;
        cfg.attributes = 25;
        models::TrainConfig tc;
        tc.epochs = 5;
        tc.batch = 16;
        tc.lr = 2e-3;
        auto res = train::trainFlint(m_mnist, m_split, cfg, tc, {}, {}, attached.impl());
        m_flint = res.model;
        const auto& m = res.model.meta().metrics;
        std::printf("post-hoc FLINT on TorchScript 'pool': f %.4f g %.4f fidelity %.4f CNS(2) %.3f\n",
                    m.at("test_accuracy"), m.at("interpreter_accuracy"), m.at("fidelity"),
                    m.at("conciseness_2"));

        // f is untouched: its parameters and its outputs are bit-identical, and FLINT's
        // predictions are f's.
        const auto after = paramsOf(*models::torchScriptModule(*m_cnn.impl()));
        QCOMPARE(after.size(), saved.size());
        for (size_t i = 0; i < saved.size(); ++i)
            QVERIFY(torch::equal(after[i], saved[i]));
        torch::NoGradGuard g;
        QVERIFY(torch::equal(m_cnn.impl()->logits(x), fBefore));
        QVERIFY(torch::equal(res.model.impl()->logits(x), fBefore));
        QCOMPARE(m.at("test_accuracy"), train::evaluate(m_cnn, m_mnist, m_split.test, "test").accuracy);
        // g learned to imitate f: chance agreement with a 10-class f is about 0.1. attachFlint
        // seeds Ψ's initialisation (seed 0), so this no longer depends on which tests ran first
        // (unseeded, 3 epochs gave 0.68-0.77 by test order). Measured (5 epochs on 2,000
        // digits, seed 0, 2 threads): fidelity 0.750, g 0.710, CNS(2) 1.37.
        QVERIFY(m.at("fidelity") >= 0.70);
        QVERIFY(m.at("interpreter_accuracy") >= 0.65);
        QCOMPARE(res.model.meta().flintHiddenLayer, std::string("pool"));
    }

    void savesWithAReferenceToThePredictor()
    {
        QVERIFY(m_flint.isValid());
        const std::string file = path("posthoc.senn");
        io::saveModel(m_flint, file);
        auto loaded = io::loadModel(file);
        QVERIFY(train::isFlint(loaded));
        auto a = std::dynamic_pointer_cast<models::FlintModel>(m_flint.impl());
        auto b = std::dynamic_pointer_cast<models::FlintModel>(loaded.impl());
        QVERIFY(b->hasForeignPredictor());
        torch::NoGradGuard g;
        auto x = train::gatherRows(m_mnist, m_split.test, 0, 50, torch::kCPU);
        a->setTraining(false);
        b->setTraining(false);
        auto ta = a->forward(x), tb = b->forward(x);
        QVERIFY(torch::equal(ta.logits, tb.logits));
        QVERIFY(torch::equal(ta.phi, tb.phi));
        QVERIFY(torch::equal(ta.gLogits, tb.gLogits));

        // The interpreter on its own cannot overwrite its predictor.
        auto e = errorOf([&] { io::saveModel(m_flint, m_cnnPath); });
        QVERIFY2(e.find("predictor") != std::string::npos, e.c_str());
        // A changed predictor file is refused with the reason.
        auto other = makeCnn();
        other.save(path("cnn.pt"));
        e = errorOf([&] { io::loadModel(file); });
        QVERIFY2(e.find(file) != std::string::npos && e.find("changed since") != std::string::npos, e.c_str());
    }

    void concisenessOfAHandBuiltRelevance()
    {
        // Contributions (0.5, -2, 1.2, 0.1) -> r = (0.25, -1, 0.6, 0.05); CNS(τ) counts
        // |r| > 1/τ: τ=1.5 -> {1}; 2, 2.5, 3 -> {1, 0.6}; 4 -> 0.25 is not > 0.25 -> 2; 5 -> 3.
        auto r = train::normaliseRelevance(torch::tensor({{0.5f, -2.0f, 1.2f, 0.1f}}));
        QVERIFY(torch::allclose(r, torch::tensor({{0.25f, -1.0f, 0.6f, 0.05f}})));
        const std::vector<float> expected{1, 2, 2, 2, 2, 3};
        const auto taus = train::flintTaus();
        for (size_t k = 0; k < taus.size(); ++k)
            QCOMPARE(train::flintConcisenessCounts(r, taus[k]).item<float>(), expected[k]);
        // An all-zero row has no relevant concept.
        QCOMPARE(train::flintConcisenessCounts(train::normaliseRelevance(torch::zeros({1, 3})), 2.0).item<float>(),
                 0.0f);
    }

    void sennConcisenessMatchesItsRelevances()
    {
        // A small SENN on breast cancer (identity concepts: h = the 30 standardised features).
        auto bc = data::loadDataset(SENN_RESOURCE_DATA "/breast-cancer.csv");
        auto split = data::makeSplit(bc, 0);
        models::ModelConfig cfg = models::ModelConfig::defaultsFor(bc.kind, models::ModelKind::Senn, bc.featureCount());
        cfg.concepts = models::ConceptKind::Identity;
        models::TrainConfig tc = models::TrainConfig::defaultsFor(bc.kind);
        tc.epochs = 2;
        auto res = train::train(bc, split, cfg, tc);
        const auto& model = res.model;
        const auto s = train::sennConciseness(model, bc, split.test);
        QCOMPARE(s.n, int64_t(split.test.size()));

        // The same count by hand from the public SENN outputs: r_j = θ[j, ŷ]·h_j / max |θ·h|.
        std::vector<double> byHand(s.taus.size(), 0.0);
        const auto outs = model.senn(bc.x.data(), bc.rows());
        for (auto row : split.test) {
            const auto& o = outs[size_t(row)];
            const auto yhat = std::max_element(o.logits.begin(), o.logits.end()) - o.logits.begin();
            std::vector<double> r(size_t(o.k));
            double mx = 0;
            for (int64_t j = 0; j < o.k; ++j) {
                r[size_t(j)] = double(o.theta[size_t(j * o.classes + yhat)]) * double(o.h[size_t(j)]);
                mx = std::max(mx, std::abs(r[size_t(j)]));
            }
            for (size_t k = 0; k < s.taus.size(); ++k)
                for (double v : r)
                    byHand[k] += mx > 0 && std::abs(v) / mx > 1.0 / s.taus[k] ? 1.0 : 0.0;
        }
        for (size_t k = 0; k < s.taus.size(); ++k) {
            byHand[k] /= double(split.test.size());
            QVERIFY2(std::abs(byHand[k] - s.conciseness[k]) < 0.02,
                     qPrintable(QString("tau %1: %2 vs %3").arg(s.taus[k]).arg(byHand[k]).arg(s.conciseness[k])));
            if (k)
                QVERIFY(s.conciseness[k] >= s.conciseness[k - 1]);
        }
        // The trainer records the same figures in the model card.
        for (size_t k = 0; k < s.taus.size(); ++k)
            QCOMPARE(model.meta().metrics.at(train::flintConcisenessKey(s.taus[k])), s.conciseness[k]);
        // Not for other models.
        QVERIFY(errorOf([&] { train::sennConciseness(m_cnn, m_mnist, {0}); }).find("SENN") != std::string::npos);
    }

    void sennMnistMeasurement()
    {
        // The SENN row of the README's FLINT table without the CLI: `senn train --model senn`
        // on all 7,200 training digits with flint_table.sh's settings, scored on the test split.
        if (!std::getenv("SENN_FLINT_SENN_FULL"))
            QSKIP("set SENN_FLINT_SENN_FULL=EPOCHS to train SENN on all training digits and print CNS(tau)");
        auto split = data::makeSplit(m_mnist, 0);
        auto cfg = models::ModelConfig::defaultsFor(m_mnist.kind, models::ModelKind::Senn, m_mnist.featureCount());
        auto tc = models::TrainConfig::defaultsFor(m_mnist.kind);
        tc.epochs = std::max(1, std::atoi(std::getenv("SENN_FLINT_SENN_FULL")));
        tc.batch = 32;
        tc.lr = 1e-3;
        tc.threads = 2;
        auto res = train::train(m_mnist, split, cfg, tc, [](const train::BatchReport& r) {
            if (r.epochEnd)
                std::printf("epoch %d loss %.4f val %.4f %.0fs\n", r.epoch, r.loss, r.epochRecord.valAccuracy,
                            r.elapsedSeconds);
        });
        for (const auto& [k, v] : res.model.meta().metrics)
            std::printf("%s = %.4f\n", k.c_str(), v);
    }
};

QTEST_GUILESS_MAIN(TestFlintPostHoc)
#include "test_flint_posthoc.moc"
