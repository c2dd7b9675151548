// The .senn model file: save -> load gives bit-identical predictions and the same metadata;
// corrupt, truncated, newer and foreign files give a senn::Error naming the file. TorchScript
// black boxes: loaded, checked by a trial forward pass, wrong shapes reported.
#include "core/torch_include.h"

#include "core/common/error.h"
#include "support/errors.h"
#include "core/io/model_file.h"
#include "core/io/workspace.h"
#include "core/models/torch_model.h"
#include "core/train/trainer.h"

#include <QtTest>

#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <zlib.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <sstream>

using namespace senn;

using senn::testing::throwsSennError;

namespace {

data::Dataset tinyImages(int64_t n, uint64_t seed)
{
    data::Dataset ds;
    ds.kind = data::DataKind::Image;
    ds.sampleShape = {1, 28, 28};
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    ds.x.resize(static_cast<size_t>(n * 784));
    for (auto& v : ds.x)
        v = u(rng);
    for (int64_t i = 0; i < n; ++i)
        ds.y.push_back(i % 3);
    ds.classNames = {"a", "b", "c"};
    ds.source = "memory";
    return ds;
}

data::Dataset tinyTable(int64_t n)
{
    data::Dataset ds;
    ds.sampleShape = {5};
    std::mt19937_64 rng(5);
    std::normal_distribution<float> g(10.0f, 4.0f);
    for (int64_t i = 0; i < n * 5; ++i)
        ds.x.push_back(g(rng));
    for (int64_t i = 0; i < n; ++i)
        ds.y.push_back(ds.x[size_t(i * 5)] > 10.0f ? 1 : 0);
    ds.classNames = {"no", "yes"};
    ds.featureNames = {"a", "b", "c", "d", "e"};
    ds.targetName = "t";
    ds.source = "table";
    return ds;
}

std::string readAll(const std::string& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeAll(const std::string& p, const std::string& bytes)
{
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

// Runs f, expects senn::Error whose message names `file` and contains `needle`.
template <typename F>
void expectError(F f, const std::string& file, const std::string& needle)
{
    try {
        f();
        QFAIL(qPrintable(QString("no error for %1").arg(QString::fromStdString(file))));
    } catch (const senn::Error& e) {
        const std::string m = e.what();
        QVERIFY2(m.find(file) != std::string::npos, e.what());
        QVERIFY2(m.find(needle) != std::string::npos, e.what());
    }
}

bool bitwiseEqual(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}


// A .senn file's parts, and a container with a valid checksum around any parts.
struct SennParts {
    std::string json, weights;
};

SennParts partsOf(const std::string& bytes)
{
    auto len = [&](size_t at) {
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= uint64_t(static_cast<unsigned char>(bytes[at + size_t(i)])) << (8 * i);
        return size_t(v);
    };
    const size_t jsonLen = len(12);
    const size_t weightsLen = len(20 + jsonLen);
    return {bytes.substr(20, jsonLen), bytes.substr(28 + jsonLen, weightsLen)};
}

std::string sennOf(const std::string& json, const std::string& weights)
{
    std::string out = "SENNMODL";
    auto le = [&](uint64_t v, int n) {
        for (int i = 0; i < n; ++i)
            out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    le(1, 4);
    le(json.size(), 8);
    out += json;
    le(weights.size(), 8);
    out += weights;
    le(crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size())), 4);
    return out;
}

long peakRssMiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

} // namespace

class TestModelsFile : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char* name) const { return m_dir.filePath(name).toStdString(); }

private slots:
    void roundTripKeepsPredictionsAndMeta()
    {
        std::vector<std::pair<data::Dataset, models::ModelConfig>> cases;
        auto img = tinyImages(60, 1);
        auto cfgImg = models::ModelConfig::defaultsFor(img.kind, models::ModelKind::Senn, 784);
        cases.push_back({img, cfgImg});
        auto cnn = cfgImg;
        cnn.kind = models::ModelKind::Cnn;
        cases.push_back({img, cnn});
        auto tab = tinyTable(80);
        auto cfgTab = models::ModelConfig::defaultsFor(tab.kind, models::ModelKind::Senn, 5);
        cfgTab.biasConcept = true;
        cases.push_back({tab, cfgTab});
        auto ae = cfgTab;
        ae.concepts = models::ConceptKind::Autoencoder;
        ae.k = 3;
        ae.penalty = models::PenaltyMode::Fast;
        cases.push_back({tab, ae});
        auto mlp = cfgTab;
        mlp.kind = models::ModelKind::Mlp;
        cases.push_back({tab, mlp});

        int i = 0;
        for (auto& [ds, cfg] : cases) {
            auto split = data::makeSplit(ds, 2);
            auto tc = models::TrainConfig::defaultsFor(ds.kind);
            tc.epochs = 1;
            tc.batch = 16;
            auto r = train::train(ds, split, cfg, tc);
            const std::string file = path(("m" + std::to_string(i++) + ".senn").c_str());
            io::saveModel(r.model, file);
            QCOMPARE(int(io::detectModelFile(file)), int(io::ModelFileKind::Senn));
            auto back = io::loadModel(file);
            QVERIFY(bitwiseEqual(r.model.logits(ds.x.data(), ds.rows()), back.logits(ds.x.data(), ds.rows())));
            const auto& a = r.model.meta();
            const auto& b = back.meta();
            QCOMPARE(io::metaToJson(a), io::metaToJson(b));
            QCOMPARE(b.classNames, ds.classNames);
            QCOMPARE(b.inputShape, ds.sampleShape);
            QCOMPARE(b.standardizer.mean, a.standardizer.mean);
            QCOMPARE(b.standardizer.perChannel, a.standardizer.perChannel);
            QCOMPARE(int(b.history.size()), 1);
            QCOMPARE(b.config.k, a.config.k);
            QCOMPARE(int(b.config.penalty), int(cfg.penalty));
            QCOMPARE(b.splitSeed, uint64_t(2));
            QCOMPARE(b.metrics.at("test_accuracy"), a.metrics.at("test_accuracy"));
            QCOMPARE(back.describe(), r.model.describe());
            if (back.isSenn()) {
                auto sa = r.model.senn(ds.x.data(), 2), sb = back.senn(ds.x.data(), 2);
                QVERIFY(bitwiseEqual(sa[1].theta, sb[1].theta));
                QVERIFY(bitwiseEqual(sa[1].h, sb[1].h));
            }
            // A cloned model predicts the same and is independent.
            auto c = back.clone();
            QVERIFY(bitwiseEqual(c.logits(ds.x.data(), 4), back.logits(ds.x.data(), 4)));
        }
        QVERIFY(io::loadModel(path("m2.senn")).describe().find("bias concept") != std::string::npos);
        // Atomic writes leave no temporary files behind.
        QCOMPARE(QDir(m_dir.path()).entryList(QStringList{"*.tmp-*"}).size(), 0);
    }

    void brokenFilesGiveClearErrors()
    {
        auto tab = tinyTable(40);
        auto split = data::makeSplit(tab, 0);
        auto cfg = models::ModelConfig::defaultsFor(tab.kind, models::ModelKind::Senn, 5);
        auto tc = models::TrainConfig::defaultsFor(tab.kind);
        tc.epochs = 1;
        auto model = train::train(tab, split, cfg, tc).model;
        const std::string good = path("good.senn");
        io::saveModel(model, good);
        const std::string bytes = readAll(good);

        const std::string missing = path("missing.senn");
        expectError([&] { io::loadModel(missing); }, missing, "cannot open");

        const std::string corrupt = path("corrupt.senn");
        std::string c = bytes;
        c[c.size() - 40] = static_cast<char>(c[c.size() - 40] ^ 0x10);
        writeAll(corrupt, c);
        expectError([&] { io::loadModel(corrupt); }, corrupt, "corrupt");

        const std::string jsonHit = path("corrupt-json.senn");
        c = bytes;
        c[30] = static_cast<char>(c[30] ^ 0x01);
        writeAll(jsonHit, c);
        expectError([&] { io::loadModel(jsonHit); }, jsonHit, "corrupt");

        const std::string trunc = path("truncated.senn");
        writeAll(trunc, bytes.substr(0, bytes.size() / 2));
        expectError([&] { io::loadModel(trunc); }, trunc, "truncated");
        writeAll(trunc, bytes.substr(0, 10));
        expectError([&] { io::loadModel(trunc); }, trunc, "truncated");

        const std::string newer = path("newer.senn");
        c = bytes;
        c[8] = 2; // format version, little-endian uint32 after the magic
        writeAll(newer, c);
        expectError([&] { io::loadModel(newer); }, newer,
                    "written by a newer SENN Studio (format 2); this build reads up to 1");

        const std::string text = path("notes.senn");
        writeAll(text, "hello, this is not a model\n");
        expectError([&] { io::loadModel(text); }, text, "not a SENN Studio model file");
        QCOMPARE(int(io::detectModelFile(text)), int(io::ModelFileKind::NotAModel));

        expectError([&] { io::metaFromJson("{\"model\": 3}", "x.json"); }, "x.json", "bad model metadata");

        // Integer fields are range-checked, never cast (fuzz_meta found 2.7e21 cast to int).
        const auto withField = [](const std::string& section, const std::string& field) {
            std::string m = R"({"model": {"kind": "senn")" + (section == "model" ? ", " + field : "") +
                            R"(}, "input_shape": [30], "class_names": ["a", "b"])";
            if (section == "train" || section == "split")
                m += ", \"" + section + "\": {" + field + "}";
            else if (section == "top")
                m += ", " + field;
            return m + "}";
        };
        const auto k = [&](const std::string& value) {
            return io::metaFromJson(withField("model", "\"k\": " + value), "k.json").config.k;
        };
        QCOMPARE(k("7"), 7);
        QCOMPARE(k("7.0"), 7); // an integral float is an integer
        QCOMPARE(k("-2147483648"), std::numeric_limits<int>::min());
        for (const char* bad : {"2.7e21", "2147483648", "4294967297", "7.5", "-1e300", "\"7\"", "[7]"})
            expectError([&] { k(bad); }, "k.json", "field \"k\"");
        const auto seed = [&](const std::string& value) {
            return io::metaFromJson(withField("train", "\"seed\": " + value), "s.json").train.seed;
        };
        QCOMPARE(seed("18446744073709551615"), std::numeric_limits<std::uint64_t>::max());
        for (const char* bad : {"-1", "1.8446744073709552e19", "-0.5"})
            expectError([&] { seed(bad); }, "s.json", "field \"seed\"");
        expectError([&] { io::metaFromJson(withField("model", R"("hidden": [3, 1e300])"), "h.json"); }, "h.json",
                    "field \"hidden\"");
        expectError([&] { io::metaFromJson(withField("split", R"("limit": 9.3e18)"), "l.json"); }, "l.json",
                    "field \"limit\"");
        expectError([&] { io::metaFromJson(withField("top", R"("best_epoch": 1e10)"), "b.json"); }, "b.json",
                    "field \"best_epoch\"");
        expectError([&] { io::metaFromJson(withField("top", R"("standardizer": {"mean": [1e39], "std": [1]})"),
                                           "m.json"); },
                    "m.json", "field \"mean\"");
        expectError([&] { io::metaFromJson(withField("top", R"("history": [3])"), "e.json"); }, "e.json",
                    "history entry");
        const std::string shape = R"({"model": {"kind": "senn"}, "input_shape": [30, 2.5], "class_names": []})";
        expectError([&] { io::metaFromJson(shape, "x.json"); }, "x.json", "field \"input_shape\"");
    }

    // Metadata a hostile or damaged file may carry, each refused at load in one line naming the
    // file and the field, before any network is built (no training needed: untrained networks).
    void hostileMetadataIsRefusedBeforeBuilding()
    {
        using nlohmann::json;
        models::ModelMeta meta;
        meta.config = models::ModelConfig::defaultsFor(data::DataKind::Tabular, models::ModelKind::Mlp, 5);
        meta.config.kind = models::ModelKind::Mlp;
        meta.config.hidden = {2, 2};
        meta.config.linearSkip = false;
        meta.inputShape = {5};
        meta.classNames = {"no", "yes"};
        meta.featureNames = {"a", "b", "c", "d", "e"};
        meta.standardizer.mean = {0, 1, 2, 3, 4};
        meta.standardizer.std = {1, 2, 3, 4, 5};
        const std::string good = path("hostile-good.senn");
        io::saveModel(models::Model(models::createNetwork(meta)), good);
        QCOMPARE(io::loadModel(good).numClasses(), int64_t(2));
        const SennParts parts = partsOf(readAll(good));
        const json base = json::parse(parts.json);

        int n = 0;
        const auto refused = [&](const std::function<void(json&)>& edit, const std::string& needle) {
            json j = base;
            edit(j);
            const std::string file = path(("hostile" + std::to_string(n++) + ".senn").c_str());
            writeAll(file, sennOf(j.dump(), parts.weights));
            try {
                io::loadModel(file);
                QFAIL(qPrintable(QString::fromStdString("no error for " + j.dump())));
            } catch (const senn::Error& e) {
                const std::string m = e.what();
                QVERIFY2(m.rfind(file, 0) == 0 && m.find(needle) != std::string::npos, e.what());
                QVERIFY2(m.find('\n') == std::string::npos && m.size() < 400, e.what());
            }
        };
        // The standardizer divides every input.
        for (const json& bad : {json(0.0), json(1e-38), json(-2.0), json(nullptr)})
            refused([&](json& j) { j["standardizer"]["std"][2] = bad; }, "field \"std\"");
        refused([&](json& j) { j["standardizer"]["std"].erase(4); j["standardizer"]["mean"].erase(4); },
                "field \"std\" (standardizer) has 4 values");
        // Architecture fields within the command line's limits.
        refused([&](json& j) { j["model"]["hidden"] = {100000}; }, "field \"hidden\"");
        refused([&](json& j) { j["model"]["hidden"] = json(std::vector<int>(17, 4)); }, "field \"hidden\"");
        refused([&](json& j) { j["model"]["hidden"] = {0}; }, "field \"hidden\"");
        refused([&](json& j) { j["model"]["kind"] = "senn"; j["model"]["concepts"] = "autoencoder";
                               j["model"]["k"] = 100000; }, "field \"k\"");
        refused([&](json& j) { j["class_names"] = json(std::vector<std::string>(20000, "c")); },
                "field \"class_names\"");
        refused([&](json& j) { j["class_names"] = {"only"}; }, "field \"class_names\"");
        refused([&](json& j) { j["input_shape"] = {1, 100000, 100000}; j["standardizer"] = json::object(); },
                "field \"input_shape\"");
        refused([&](json& j) { j["input_shape"] = {5, 0}; j["standardizer"] = json::object(); },
                "field \"input_shape\"");
        refused([&](json& j) { j["class_names"][0] = std::string(70000, 'n'); }, "field \"class_names\"");
        // Fields of the wrong JSON type are named.
        refused([&](json& j) { j["model"]["linear_skip"] = "yes"; }, "field \"linear_skip\"");
        refused([&](json& j) { j["class_names"] = "no,yes"; }, "field \"class_names\"");
        refused([&](json& j) { j["feature_names"] = {1, 2, 3, 4, 5}; }, "field \"feature_names\"");
        refused([&](json& j) { j["model"] = 3; }, "field \"model\"");
        refused([&](json& j) { j["train"]["lr"] = "fast"; }, "field \"lr\"");
        refused([&](json& j) { j["data_source"] = json::array(); }, "field \"data_source\"");
        // A small file describing a large network (two 30000-wide layers): refused from the
        // counts, before anything is allocated.
        const long rss = peakRssMiB();
        refused([&](json& j) { j["model"]["hidden"] = {30000, 30000}; }, "parameters but the file stores");
        QVERIFY2(peakRssMiB() - rss < 200, qPrintable(QString("peak RSS grew by %1 MiB").arg(peakRssMiB() - rss)));
        // As many parameters, other shapes: hidden [1, 4] has 24 like [2, 2].
        refused([&](json& j) { j["model"]["hidden"] = {1, 4}; }, "has shape 2x5");

        // Stored weights that are not finite.
        auto nanNet = models::createNetwork(meta);
        {
            torch::NoGradGuard noGrad;
            nanNet->parameters()[1][0] = std::numeric_limits<float>::quiet_NaN();
        }
        const std::string nanFile = path("hostile-nan.senn");
        io::saveModel(models::Model(nanNet), nanFile);
        expectError([&] { io::loadModel(nanFile); }, nanFile, "NaN or infinite");
    }

    void workspaceChecksTheData()
    {
        auto tab = tinyTable(50);
        auto split = data::makeSplit(tab, 4);
        auto cfg = models::ModelConfig::defaultsFor(tab.kind, models::ModelKind::Mlp, 5);
        auto tc = models::TrainConfig::defaultsFor(tab.kind);
        tc.epochs = 1;
        auto model = train::train(tab, split, cfg, tc).model;
        auto again = io::splitForModel(model, tab);
        QCOMPARE(again.test, split.test);
        QCOMPARE(again.train, split.train);
        auto other = tinyImages(10, 3);
        QVERIFY(throwsSennError([&] { io::splitForModel(model, other); }));
        auto threeClasses = tab;
        threeClasses.classNames.push_back("maybe");
        QVERIFY(throwsSennError([&] { io::splitForModel(model, threeClasses); }));
    }

    void torchScriptBlackBox()
    {
        auto tab = tinyTable(10);
        // A TorchScript "classifier": logits = [x0 - 10, 10 - x0].
        torch::jit::Module good("Good");
        good.define(R"(
def forward(self, x):
    a = x[:, 0:1] - 10.0
    return torch.cat([-a, a], 1)
)");
        const std::string goodPath = path("good.pt");
        good.save(goodPath);
        QCOMPARE(int(io::detectModelFile(goodPath)), int(io::ModelFileKind::TorchScript));
        auto m = io::loadTorchScript(goodPath, tab);
        QVERIFY(!m.isSenn());
        auto pred = m.predict(tab.x.data(), tab.rows());
        for (int64_t i = 0; i < tab.rows(); ++i)
            QCOMPARE(pred[size_t(i)], tab.y[size_t(i)]);
        expectError([&] { io::loadModel(goodPath); }, goodPath, "TorchScript");

        torch::jit::Module wrongOut("WrongOut");
        wrongOut.define("def forward(self, x):\n    return x\n");
        const std::string wrongPath = path("wrong.pt");
        wrongOut.save(wrongPath);
        expectError([&] { io::loadTorchScript(wrongPath, tab); }, wrongPath, "expected [2, 2] logits");

        torch::jit::Module wrongIn("WrongIn");
        wrongIn.define("def forward(self, x):\n    return x.view(-1, 28, 28).sum(2)[:, 0:2]\n");
        const std::string inPath = path("wrongin.pt");
        wrongIn.save(inPath);
        expectError([&] { io::loadTorchScript(inPath, tab); }, inPath, "[N, 5] float32");

        const std::string junk = path("junk.pt");
        writeAll(junk, "PK\x03\x04 not really a zip");
        expectError([&] { io::loadTorchScript(junk, tab); }, junk, "torch.jit.trace/script");
    }
};

QTEST_GUILESS_MAIN(TestModelsFile)
#include "test_models_file.moc"
