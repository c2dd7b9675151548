// Hostile models: a TorchScript model that writes into its input, returns half precision or a
// detached output, an archive whose entries inflate to gigabytes or whose tensors point outside
// their storage; .senn weights that are a decompression bomb. Each gives one clear senn::Error
// naming the file, or (in-place writes) the same answers as the well-behaved model, never a
// crash, a silent wrong answer or a runaway allocation. Also: the parameter counts a model
// file is checked against before its network is built match the networks.
#include "core/torch_include.h"

#include "core/common/error.h"
#include "core/explain/explanation.h"
#include "core/io/archive_guard.h"
#include "core/io/model_file.h"
#include "core/models/flint_net.h"
#include "core/models/torch_model.h"

#include "support/hostile_test_fixtures.h"

#include <QtTest>

#include <caffe2/serialize/inline_container.h>
#include <zlib.h>

#include <sys/resource.h>

#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

using namespace senn;
using namespace senn::testing;

namespace {

// The records of a LibTorch archive, in order (names without the archive folder).
std::vector<std::pair<std::string, std::string>> records(const std::string& zip)
{
    std::istringstream in(zip, std::ios::binary);
    caffe2::serialize::PyTorchStreamReader reader(&in);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& name : reader.getAllRecords()) {
        auto [data, size] = reader.getRecord(name);
        out.emplace_back(name, std::string(static_cast<const char*>(data.get()), size));
    }
    return out;
}

struct Entry {
    std::string name, data; // data as stored (deflated when method is 8)
    uint16_t method = 0;
    uint32_t crc = 0;
    uint64_t size = 0;      // uncompressed, as declared
};

Entry stored(const std::string& name, const std::string& data)
{
    return {name, data, 0,
            uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size()))), data.size()};
}

// A plain zip (no zip64): local headers, central directory, end record.
std::string zipOf(const std::vector<Entry>& entries, const std::string& folder = "archive/")
{
    std::string out, cd;
    for (const auto& e : entries) {
        const std::string name = folder + e.name;
        const uint64_t at = out.size();
        le(out, 0x04034b50, 4);
        le(out, 20, 2), le(out, 0, 2), le(out, e.method, 2), le(out, 0, 4);
        le(out, e.crc, 4), le(out, e.data.size(), 4), le(out, e.size, 4);
        le(out, name.size(), 2), le(out, 0, 2);
        out += name + e.data;
        le(cd, 0x02014b50, 4);
        le(cd, 20, 2), le(cd, 20, 2), le(cd, 0, 2), le(cd, e.method, 2), le(cd, 0, 4);
        le(cd, e.crc, 4), le(cd, e.data.size(), 4), le(cd, e.size, 4);
        le(cd, name.size(), 2), le(cd, 0, 2), le(cd, 0, 2), le(cd, 0, 2), le(cd, 0, 2), le(cd, 0, 4);
        le(cd, at, 4);
        cd += name;
    }
    const uint64_t cdAt = out.size();
    out += cd;
    le(out, 0x06054b50, 4);
    le(out, 0, 2), le(out, 0, 2), le(out, entries.size(), 2), le(out, entries.size(), 2);
    le(out, cd.size(), 4), le(out, cdAt, 4), le(out, 0, 2);
    return out;
}

// A deflate stream of `mib` MiB of zeros (about 1 KB per MiB): one full-flush block repeated,
// then an empty final block, with the CRC of what it inflates to.
Entry zeroBomb(const std::string& name, uint64_t mib)
{
    const std::string zeros(1 << 20, '\0');
    z_stream zs{};
    deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    std::string block(deflateBound(&zs, zeros.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    zs.avail_in = uInt(zeros.size());
    zs.next_out = reinterpret_cast<Bytef*>(block.data());
    zs.avail_out = uInt(block.size());
    deflate(&zs, Z_FULL_FLUSH);
    block.resize(zs.total_out);
    deflateEnd(&zs);
    Entry e;
    e.name = name;
    e.method = 8;
    e.size = mib << 20;
    e.data.reserve(block.size() * mib + 2);
    const uLong one = crc32(0L, reinterpret_cast<const Bytef*>(zeros.data()), uInt(zeros.size()));
    uLong crc = crc32(0L, Z_NULL, 0);
    for (uint64_t i = 0; i < mib; ++i) {
        e.data += block;
        crc = crc32_combine(crc, one, zeros.size());
    }
    e.data += std::string("\x03\x00", 2); // final empty fixed-Huffman block
    e.crc = uint32_t(crc);
    return e;
}

long peakRssKb()
{
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

bool near(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::fabs(a[i] - b[i]) > 1e-5f * (1.0f + std::fabs(b[i])))
            return false;
    return true;
}

} // namespace

class TestHostileModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const std::string& name) const { return m_dir.filePath(QString::fromStdString(name)).toStdString(); }

private slots:
    // A model that writes into its input gets a private copy: the explainers' perturbed rows
    // and baselines stay as they were, so every answer equals the well-behaved model's.
    void inputWritesDoNotReachTheCaller()
    {
        const int64_t d = 4;
        const auto ds = table(60, d);
        const auto split = data::makeSplit(ds, 1);
        const auto ctx = explain::ExplainContext::make(ds, split);
        const std::vector<std::pair<std::string, std::string>> pairs = {
            {"return torch.matmul(x, self.w)", "y = torch.matmul(x, self.w)\n    x.mul_(0.0)\n    return y"},
            {"return torch.matmul(x + 1.0, self.w)", "x.add_(1.0)\n    return torch.matmul(x, self.w)"},
        };
        int i = 0;
        for (const auto& [cleanBody, hostileBody] : pairs) {
            const std::string cleanPath = path("clean" + std::to_string(i) + ".pt");
            const std::string hostilePath = path("inplace" + std::to_string(i++) + ".pt");
            scripted(cleanBody, d).save(cleanPath);
            scripted(hostileBody, d).save(hostilePath);
            const auto clean = io::loadTorchScript(cleanPath, ds);
            const auto hostile = io::loadTorchScript(hostilePath, ds);

            // The caller's tensor is untouched, and the answer is the clean model's.
            const torch::Tensor buffer = torch::randn({8, d});
            const torch::Tensor before = buffer.clone();
            const torch::Tensor z = hostile.impl()->logits(buffer);
            QVERIFY(torch::equal(buffer, before));
            QVERIFY(torch::allclose(z, clean.impl()->logits(buffer)));
            QVERIFY(near(hostile.logits(ds.x.data(), ds.rows()), clean.logits(ds.x.data(), ds.rows())));

            const float* row = ds.x.data() + 5 * d;
            explain::ExplainOptions o;
            o.seed = 3;
            o.target = 1;
            for (auto method : {explain::Method::Lime, explain::Method::KernelShap, explain::Method::Shapley,
                                explain::Method::Occlusion}) {
                const auto a = explain::explain(method, hostile, ctx, row, o);
                const auto b = explain::explain(method, clean, ctx, row, o);
                QVERIFY2(near(a.values, b.values), explain::methodId(method).c_str());
            }
            // Gradients through a model that overwrote its input are not trusted: a clean refusal.
            EXPECT_ERROR(explain::explain(explain::Method::Saliency, hostile, ctx, row, o), hostilePath,
                         "writes into its input");
        }
    }

    // Outputs every reader would choke on (half precision, integers, doubles) are refused at
    // load, naming the file; a detached output is refused when a gradient is asked of it.
    void torchScriptOutputsNameTheFile()
    {
        const int64_t d = 4;
        const auto ds = table(20, d);
        for (const auto& [name, body, needle] :
             std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"half.pt", "return torch.matmul(x, self.w).half()", "Half"},
                 {"double.pt", "return torch.matmul(x, self.w).double()", "Double"},
                 {"long.pt", "return torch.matmul(x, self.w).long()", "Long"}}) {
            const std::string p = path(name);
            scripted(body, d).save(p);
            EXPECT_ERROR(io::loadTorchScript(p, ds), p, needle);
        }
        // Half precision only for larger batches: refused at the call, not at load.
        const std::string late = path("late-half.pt");
        scripted("y = torch.matmul(x, self.w)\n    if x.size(0) > 2:\n        y = y.half()\n    return y", d)
            .save(late);
        const auto lateModel = io::loadTorchScript(late, ds);
        EXPECT_ERROR(lateModel.logits(ds.x.data(), 5), late, "Half");

        const std::string detached = path("detached.pt");
        scripted("return torch.matmul(x, self.w).detach()", d).save(detached);
        const auto model = io::loadTorchScript(detached, ds);
        const auto split = data::makeSplit(ds, 1);
        const auto ctx = explain::ExplainContext::make(ds, split);
        explain::ExplainOptions o;
        o.target = 0;
        QCOMPARE(int64_t(explain::explain(explain::Method::Occlusion, model, ctx, ds.x.data(), o).values.size()), d);
        EXPECT_ERROR(explain::explain(explain::Method::Saliency, model, ctx, ds.x.data(), o), detached, "detached");
        EXPECT_ERROR(explain::explain(explain::Method::IntegratedGradients, model, ctx, ds.x.data(), o), detached,
                     "detached");
    }

    // A 3 MB archive whose data.pkl declares (and would inflate to) 3.3 GB is refused from its
    // central directory, before LibTorch allocates or inflates anything.
    void archiveBombsAreRefusedBeforeInflating()
    {
        const auto ds = table(10, 4);
        auto recs = records(bytesOf(scripted("return torch.matmul(x, self.w)", 4)));
        std::vector<Entry> entries;
        for (const auto& [name, data] : recs)
            entries.push_back(name == "data.pkl" ? zeroBomb(name, 3300) : stored(name, data));
        const std::string bomb = path("bomb.pt");
        const std::string zip = zipOf(entries);
        QVERIFY(zip.size() < 8u << 20);
        writeAll(bomb, zip);
        const long before = peakRssKb();
        EXPECT_ERROR(io::loadTorchScript(bomb, ds), bomb, "decompression bomb");
        // Refused from the central directory: nothing near the 3.3 GB was allocated.
        QVERIFY2(peakRssKb() - before < 200 * 1024, std::to_string(peakRssKb() - before).c_str());

        // The same archive with honest, small entries loads: the check is on sizes only.
        std::vector<Entry> fine;
        for (const auto& [name, data] : recs)
            fine.push_back(stored(name, data));
        writeAll(path("rezipped.pt"), zipOf(fine));
        QCOMPARE(io::loadTorchScript(path("rezipped.pt"), ds).numClasses(), int64_t(2));

        // Not a zip at all: refused with the export hint.
        writeAll(path("junk.pt"), "PK\x03\x04 not a zip");
        EXPECT_ERROR(io::loadTorchScript(path("junk.pt"), ds), path("junk.pt"), "torch.jit");
    }

    // A tensor whose size reaches past its storage (a crafted pickle) is refused after load,
    // before any forward pass reads memory that is not its own.
    void tensorsOutsideTheirStorageAreRefused()
    {
        const auto ds = table(10, 4);
        torch::jit::Module m("Oob");
        m.register_parameter("w", torch::ones({777}), false);
        m.define("def forward(self, x):\n    return x[:, 0:2] + self.w[0:2]\n");
        auto recs = records(bytesOf(m));
        std::vector<Entry> entries;
        int patched = 0;
        for (auto& [name, data] : recs) {
            if (name == "data.pkl") {
                // 777 appears twice as BININT2: the storage's element count, then the size.
                const std::string size("M\x09\x03", 3);
                const auto first = data.find(size);
                QVERIFY(first != std::string::npos);
                const auto second = data.find(size, first + 1);
                QVERIFY(second != std::string::npos);
                QCOMPARE(data.find(size, second + 1), std::string::npos);
                data.replace(second, 3, std::string("M\xff\xff", 3)); // 65535 elements over 777
                ++patched;
            }
            entries.push_back(stored(name, data));
        }
        QCOMPARE(patched, 1);
        const std::string oob = path("oob.pt");
        writeAll(oob, zipOf(entries));
        EXPECT_ERROR(io::loadTorchScript(oob, ds), oob, "outside its storage");

        // The storage's record shorter than the element count the pickle gives it.
        std::vector<Entry> shortRecord;
        for (const auto& [name, data] : records(bytesOf(m)))
            shortRecord.push_back(stored(name, name == "data/0" ? data.substr(0, 4) : data));
        const std::string shortPath = path("short-record.pt");
        writeAll(shortPath, zipOf(shortRecord));
        EXPECT_ERROR(io::loadTorchScript(shortPath, ds), shortPath, "holds 4 bytes");
        // The storage type as a plain integer (6: float), which LibTorch takes too, over a
        // record of 2 bytes per element: still short of float's 4.
        for (auto& e : shortRecord)
            if (e.name == "data/0")
                e = stored(e.name, std::string(777 * 2, '\0'));
        for (auto& e : shortRecord)
            if (e.name == "data.pkl") {
                const std::string global = "ctorch\nFloatStorage\n";
                const auto at = e.data.find(global);
                QVERIFY(at != std::string::npos);
                e = stored(e.name, e.data.replace(at, global.size(), std::string("K\x06", 2)));
            }
        writeAll(shortPath, zipOf(shortRecord));
        EXPECT_ERROR(io::loadTorchScript(shortPath, ds), shortPath, "holds 1554 bytes");

        // Unpatched, the same archive loads.
        std::vector<Entry> fine;
        for (const auto& [name, data] : records(bytesOf(m)))
            fine.push_back(stored(name, data));
        writeAll(path("fine.pt"), zipOf(fine));
        QCOMPARE(io::loadTorchScript(path("fine.pt"), ds).numClasses(), int64_t(2));

        // The checker itself, on tensors made the way the unpickler makes them: sizes, strides
        // and offset set on the storage without LibTorch's bounds check.
        const auto view = [](std::vector<int64_t> sizes, std::vector<int64_t> strides, int64_t offset) {
            auto t = torch::zeros({10});
            t.unsafeGetTensorImpl()->set_storage_offset(offset);
            t.unsafeGetTensorImpl()->set_sizes_and_strides(sizes, strides);
            return t;
        };
        QCOMPARE(errorOf([&] { io::checkTensorInStorage(view({3}, {4}, 1), "t"); }), std::string("(no error)"));
        QCOMPARE(errorOf([&] { io::checkTensorInStorage(view({0}, {1}, 99), "t"); }), std::string("(no error)"));
        for (const auto& t : {view({3}, {5}, 0), view({2, 2}, {1, 1}, 9), view({2}, {-1}, 9),
                              view({2}, {int64_t(1) << 62}, 0), view({1}, {1}, 10)})
        {
            const std::string m = errorOf([&] { io::checkTensorInStorage(t, "t"); });
            QVERIFY2(m.find("outside its storage") != std::string::npos, m.c_str());
        }
    }

    // The pickle scanner is free of LibTorch (the archive fuzzer runs it), so it names scalar
    // types from its own table: the same names c10 gives them.
    void storageTypesMatchLibTorch()
    {
        const int64_t known = int64_t(c10::ScalarType::Undefined); // the last before NumOptions
        for (int64_t i = 0; i < known; ++i)
            QCOMPARE(QString::fromStdString(io::storageTypeOfScalarType(i)),
                     QString(c10::toString(static_cast<c10::ScalarType>(i))) + "Storage");
        QCOMPARE(io::storageTypeOfScalarType(known), std::string());
        QCOMPARE(io::storageTypeOfScalarType(-1), std::string());
        QCOMPARE(io::storageItemSize("DoubleStorage"), size_t(8));
        QCOMPARE(io::storageItemSize("ComplexDoubleStorage"), size_t(16));
        for (int64_t i = 0; i < known; ++i) {
            const auto type = static_cast<c10::ScalarType>(i);
            if (type != c10::ScalarType::QUInt4x2 && type != c10::ScalarType::QUInt2x4)
                QCOMPARE(io::storageItemSize(io::storageTypeOfScalarType(i)), size_t(c10::elementSize(type)));
        }
    }

    // The seeds of the archive fuzzer that are crafted to be refused still are, and the real
    // archives among them pass (tests/fuzz/corpus/archive).
    void archiveFuzzSeedsGiveTheirAnswers()
    {
        const QString dir = QStringLiteral(SENN_TEST_DATA "/../fuzz/corpus/archive/");
        const auto bytes = [&](const char* name) {
            QFile f(dir + name);
            if (!f.open(QIODevice::ReadOnly))
                qFatal("cannot read %s", qPrintable(dir + name));
            const QByteArray b = f.readAll();
            return std::string(b.constData(), size_t(b.size()));
        };
        std::map<std::string, uint64_t> entries;
        for (const char* real : {"linear.pt", "constants.pt", "handmade.pt", "mlp.pt"}) {
            entries.clear();
            QVERIFY2(io::checkZipSizes(bytes(real), &entries) > 0, real);
            QVERIFY(entries.count("archive/data.pkl") == 1);
        }
        // mlp.pt's own data.pkl against mlp.pt's records (the last read above).
        QCOMPARE(errorOf([&] { io::checkPickleStorages(bytes("mlp-data.pkl"), "archive/", "data/", entries); }),
                 std::string("(no error)"));
        const std::map<std::string, uint64_t> small = {{"archive/data/0", 64}};
        for (const auto& [name, needle] : std::vector<std::pair<const char*, const char*>>{
                 {"huge-declared-zip64.pt", "decompression bomb"}, {"huge-declared-32bit.pt", "decompression bomb"},
                 {"zip64-locator-past-end.pt", "no zip64 end record"}}) {
            const std::string m = errorOf([&] { io::checkZipSizes(bytes(name)); });
            QVERIFY2(m.find(needle) != std::string::npos, (std::string(name) + ": " + m).c_str());
        }
        for (const auto& [name, needle] : std::vector<std::pair<const char*, const char*>>{
                 {"deep-tuples.pkl", "nests values more than 1000 deep"}, {"deep-lists.pkl", "nests values more than"},
                 {"storage-too-large.pkl", "holds 64 bytes but its pickle reads 1000000 elements"},
                 {"storage-negative-numel.pkl", "reads -5 elements"}}) {
            const std::string m = errorOf([&] { io::checkPickleStorages(bytes(name), "archive/", "data/", small); });
            QVERIFY2(m.find(needle) != std::string::npos, (std::string(name) + ": " + m).c_str());
        }
    }

    // The weights inside a .senn file are a LibTorch archive too: a bomb there is refused alike.
    void sennWeightsBombIsRefused()
    {
        models::ModelMeta meta;
        meta.config.kind = models::ModelKind::Mlp;
        meta.config.hidden = {3};
        meta.inputShape = {4};
        meta.classNames = {"a", "b"};
        const std::string good = path("mlp.senn");
        io::saveModel(models::Model(models::createNetwork(meta)), good);
        QCOMPARE(io::loadModel(good).numClasses(), int64_t(2));
        std::string json = io::metaToJson(meta, -1);
        std::vector<Entry> entries = {stored("data.pkl", "x"), zeroBomb("data/0", 3300)};
        const std::string weights = zipOf(entries);
        std::string out = "SENNMODL";
        le(out, 1, 4);
        le(out, json.size(), 8);
        out += json;
        le(out, weights.size(), 8);
        out += weights;
        le(out, crc32(0L, reinterpret_cast<const Bytef*>(out.data()), uInt(out.size())), 4);
        const std::string bomb = path("bomb.senn");
        writeAll(bomb, out);
        EXPECT_ERROR(io::loadModel(bomb), bomb, "decompression bomb");
    }

    // parameterCountOf, which model files are checked against before a network is built,
    // counts what the constructors build (a lower bound for FLINT).
    void parameterCountsMatchTheNetworks()
    {
        struct Case {
            models::ModelKind kind;
            models::ConceptKind concepts;
            std::vector<int64_t> shape;
            std::vector<int> hidden;
            bool flag; // bias concept (SENN) / linear skip (MLP)
        };
        using K = models::ModelKind;
        using C = models::ConceptKind;
        const std::vector<Case> cases = {
            {K::Senn, C::Identity, {7}, {}, false},      {K::Senn, C::Identity, {7}, {5, 3}, true},
            {K::Senn, C::Autoencoder, {9}, {4}, false},  {K::Senn, C::Autoencoder, {1, 28, 28}, {}, false},
            {K::Senn, C::Autoencoder, {3, 17, 21}, {}, false}, {K::Senn, C::Autoencoder, {2, 8, 8}, {6}, false},
            {K::Senn, C::Identity, {1, 12, 12}, {}, true},
            {K::Mlp, C::Identity, {7}, {}, false},       {K::Mlp, C::Identity, {7}, {9, 2, 5}, true},
            {K::Mlp, C::Identity, {1, 10, 9}, {}, false},
            {K::Cnn, C::Identity, {1, 28, 28}, {}, false}, {K::Cnn, C::Identity, {3, 13, 10}, {}, false},
        };
        for (const auto& c : cases) {
            models::ModelMeta meta;
            meta.config.kind = c.kind;
            meta.config.concepts = c.concepts;
            meta.config.k = 4;
            meta.config.hidden = c.hidden;
            meta.config.biasConcept = c.flag;
            meta.config.linearSkip = c.flag;
            meta.inputShape = c.shape;
            meta.classNames = {"a", "b", "c"};
            auto net = models::createNetwork(meta);
            bool exact = false;
            const double counted = models::parameterCountOf(meta, &exact);
            QVERIFY(exact);
            QCOMPARE(counted, double(net->parameterCount()));
        }
        for (const auto& shape : {std::vector<int64_t>{7}, std::vector<int64_t>{1, 12, 14}}) {
            models::ModelMeta meta;
            meta.config.kind = K::Flint;
            meta.config.attributes = 6;
            meta.inputShape = shape;
            meta.classNames = {"a", "b", "c"};
            auto flint = models::createFlint(meta);
            double actual = 0;
            for (const auto& p : flint->parameters())
                actual += double(p.numel());
            bool exact = true;
            const double bound = models::parameterCountOf(meta, &exact);
            QVERIFY(!exact);
            QVERIFY(bound > 0 && bound <= actual);
        }
    }
};

QTEST_GUILESS_MAIN(TestHostileModels)
#include "test_hostile_models.moc"
