// Hostile input: a catalogue of malformed files and options run through the built
// `senn` CLI, each expected to fail with exit code 2 and one short, clean message naming the
// file (or option), leaving every output file as it was; plus the core checks behind it
// (bounded gzip inflation, output-path checks, stale temp files, cycles of post-hoc FLINT
// files, text escaping) called directly. Every fixture is generated here in a QTemporaryDir.
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/data/loader.h"
#include "core/io/model_file.h"
#include "core/torch_include.h"
#include "ui/session.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

#ifndef SENN_CLI
#error "SENN_CLI (the path of the senn executable) must be defined"
#endif

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

namespace {

struct Run {
    int exitCode = -1;
    bool crashed = false;
    QString err; // stderr
    QString message; // the error line
};

QString errorLine(const QString& err)
{
    const QStringList lines = err.split('\n', Qt::SkipEmptyParts);
    for (auto it = lines.rbegin(); it != lines.rend(); ++it)
        if (it->startsWith("senn: "))
            return *it;
    return lines.isEmpty() ? QString() : lines.first(); // CLI11's parse errors
}

Run runSenn(const QStringList& args, int timeoutMs = 120000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("OMP_NUM_THREADS", "2");
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SENN_CLI), args);
    Run r;
    if (!p.waitForStarted(30000)) {
        r.err = "could not start " SENN_CLI;
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = "TIMEOUT: senn " + args.join(' ');
        r.crashed = true;
        return r;
    }
    r.crashed = p.exitStatus() != QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.err = QString::fromUtf8(p.readAllStandardError());
    r.message = errorLine(r.err);
    return r;
}

void writeBytes(const QString& path, const Bytes& b)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

void writeText(const QString& path, const std::string& text)
{
    writeBytes(path, Bytes(text.begin(), text.end()));
}

Bytes gzip(const Bytes& raw)
{
    z_stream zs{};
    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    Bytes out(deflateBound(&zs, raw.size()) + 64);
    zs.next_in = const_cast<Bytef*>(raw.data());
    zs.avail_in = static_cast<uInt>(raw.size());
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

void put32(Bytes& b, uint32_t v)
{
    for (int s = 24; s >= 0; s -= 8)
        b.push_back(static_cast<uint8_t>(v >> s));
}

Bytes idxImages(uint32_t n, uint32_t rows, uint32_t cols, size_t pixels)
{
    Bytes b;
    put32(b, 0x803);
    put32(b, n);
    put32(b, rows);
    put32(b, cols);
    b.resize(b.size() + pixels, 7);
    return b;
}

Bytes idxLabels(uint32_t n)
{
    Bytes b;
    put32(b, 0x801);
    put32(b, n);
    for (uint32_t i = 0; i < n; ++i)
        b.push_back(static_cast<uint8_t>(i % 2));
    return b;
}

// A .npy file with a hand-written header.
Bytes npy(const std::string& descr, const std::string& shape, const Bytes& data)
{
    std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    Bytes b = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    b.push_back(static_cast<uint8_t>(header.size() & 0xff));
    b.push_back(static_cast<uint8_t>(header.size() >> 8));
    b.insert(b.end(), header.begin(), header.end());
    b.insert(b.end(), data.begin(), data.end());
    return b;
}

template <typename T>
Bytes raw(const std::vector<T>& v)
{
    Bytes b(v.size() * sizeof(T));
    std::memcpy(b.data(), v.data(), b.size());
    return b;
}

// A .senn container around hand-made metadata (no weights): enough to reach the post-hoc
// FLINT predictor lookup, which happens before the weights are read.
void writeSennWithJson(const QString& path, const std::string& json);

void writeFlintReference(const QString& path, const std::string& predictor)
{
    senn::models::ModelMeta meta;
    meta.config.kind = senn::models::ModelKind::Flint;
    meta.inputShape = {2};
    meta.classNames = {"a", "b"};
    meta.featureNames = {"x0", "x1"};
    meta.flintPredictor = predictor;
    meta.flintHiddenLayer = "hidden";
    meta.flintPredictorCrc = 0; // 0: the CRC check is skipped, so only the chain check stops a cycle
    writeSennWithJson(path, senn::io::metaToJson(meta, -1));
}

// A .senn container with a valid checksum around any metadata text and no weights.
void writeSennWithJson(const QString& path, const std::string& json)
{
    std::string out = "SENNMODL";
    auto le = [&](uint64_t v, int n) {
        for (int i = 0; i < n; ++i)
            out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    le(1, 4);
    le(json.size(), 8);
    out += json;
    le(0, 8);
    le(crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size())), 4);
    writeText(path, out);
}

QByteArray hashOf(const QString& path)
{
    QFile f(path);
    if (!f.exists())
        return "MISSING";
    if (!f.open(QIODevice::ReadOnly))
        return "UNREADABLE";
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

bool hasControl(const QString& s)
{
    for (QChar c : s)
        if (c != '\n' && (c.unicode() < 0x20 || c.unicode() == 0x7f ||
                          (c.unicode() >= 0x80 && c.unicode() < 0xa0)))
            return true;
    return false;
}

// The tiny CSV every "good data" case uses: 2 features, 2 classes, 40 rows.
std::string tinyCsv()
{
    std::string s = "x0,x1,label\n";
    for (int i = 0; i < 40; ++i)
        s += std::to_string(i % 7) + "," + std::to_string((i * 3) % 5) + "," +
             (i % 2 ? "yes" : "no") + "\n";
    return s;
}

} // namespace

class TestBadInput : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString p(const QString& name) const { return m_dir.filePath(name); }

    // Exit code 2, the expected text in one clean line under 300 characters, and every
    // watched output unchanged (or still missing).
    void expectRefused(const QStringList& args, const QString& mustMention,
                       const QStringList& outputs, const QString& alsoMention = {})
    {
        std::vector<QByteArray> before;
        for (const auto& o : outputs)
            before.push_back(hashOf(o));
        const Run r = runSenn(args);
        const QString ctx = "senn " + args.join(' ') + "\n--- stderr:\n" + r.err.left(2000);
        QVERIFY2(!r.crashed, qPrintable("crashed or hung: " + ctx));
        QVERIFY2(r.exitCode == 2, qPrintable(QString("exit code %1: ").arg(r.exitCode) + ctx));
        QVERIFY2(r.message.contains(mustMention),
                 qPrintable("message does not name '" + mustMention + "': " + ctx));
        if (!alsoMention.isEmpty())
            QVERIFY2(r.message.contains(alsoMention, Qt::CaseInsensitive),
                     qPrintable("message does not say '" + alsoMention + "': " + ctx));
        QVERIFY2(r.message.size() < 300, qPrintable(QString("message of %1 characters: ")
                                                        .arg(r.message.size()) + ctx));
        QVERIFY2(!hasControl(r.err), qPrintable("control characters on stderr: " + ctx));
        QVERIFY2(!r.err.contains("Exception raised from") && !r.err.contains("frame #"),
                 qPrintable("a LibTorch backtrace reached the user: " + ctx));
        for (size_t i = 0; i < outputs.size(); ++i)
            QVERIFY2(hashOf(outputs[int(i)]) == before[i],
                     qPrintable(outputs[int(i)] + " was created or changed by: " + ctx));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(SENN_CLI), SENN_CLI);
        writeText(p("tiny.csv"), tinyCsv());
        writeText(p("existing.senn"), "an earlier model that must survive");
    }

    // ---- crashes and hangs ------------------------------------------------------------

    void flintCycleIsRefused()
    {
        // a names b as its predictor, b names a; c names itself.
        writeFlintReference(p("cycle-a.senn"), p("cycle-b.senn").toStdString());
        writeFlintReference(p("cycle-b.senn"), p("cycle-a.senn").toStdString());
        writeFlintReference(p("self.senn"), p("self.senn").toStdString());
        try {
            senn::io::loadModel(p("cycle-a.senn").toStdString());
            QFAIL("a cycle of post-hoc FLINT files loaded");
        } catch (const senn::Error& e) {
            const QString m = QString::fromStdString(e.what());
            QVERIFY2(m.contains("cycle") && m.contains("cycle-a.senn") && m.contains("cycle-b.senn"),
                     qPrintable(m));
        }
        expectRefused({"info", "--model", p("cycle-a.senn")}, "cycle-a.senn", {}, "cycle");
        expectRefused({"eval", "--model", p("cycle-b.senn"), "--data", p("tiny.csv"), "--json",
                       p("cycle.json")},
                      "cycle-b.senn", {p("cycle.json")}, "cycle");
        expectRefused({"info", "--model", p("self.senn")}, "self.senn", {}, "itself");
    }

    // Core says what to do in words (the GUI shows the same text); the CLI adds its option.
    void cliAddsItsOptionToCoreRemedies()
    {
        expectRefused({"train", "--data", p("tiny.csv"), "--model", "cnn", "--out", p("cnn.senn")},
                      "choose an MLP or a SENN", {p("cnn.senn")}, "(--model mlp or --model senn)");
        writeText(p("oneclass.csv"), "a,b,label\n1,2,x\n3,4,x\n5,6,x\n");
        expectRefused({"train", "--data", p("oneclass.csv"), "--out", p("one.senn")},
                      "Choose another class column (--target NAME)", {p("one.senn")}, "one class only");
    }

    void threadsAreClampedToTheCores()
    {
        std::string note;
        const int cores = senn::limits::hardwareThreads();
        QCOMPARE(senn::limits::clampThreads(1000, &note), cores);
        QVERIFY(!note.empty());
        QCOMPARE(senn::limits::clampThreads(0), cores);
        QCOMPARE(senn::limits::clampThreads(1), 1);
        expectRefused({"train", "--data", p("tiny.csv"), "--out", p("t.senn"), "--threads", "1000"},
                      "--threads", {p("t.senn")}, "at most 256");
        // Within the option's range but above the cores: clamped with a note, and it finishes.
        const Run r = runSenn({"train", "--data", p("tiny.csv"), "--out", p("threads.senn"),
                               "--threads", "200", "--epochs", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        if (cores < 200)
            QVERIFY2(r.err.contains(QString("using %1").arg(cores)), qPrintable(r.err));
        QVERIFY(QFile::exists(p("threads.senn")));
    }

    // ---- data loss ----------------------------------------------------------------------

    void outputThatIsAnInputIsRefused()
    {
        const QString model = p("existing.senn");
        QFile::link(model, p("link-to-model.json"));
        expectRefused({"train", "--data", p("tiny.csv"), "--out", p("tiny.csv")}, "--out",
                      {p("tiny.csv")}, "input");
        expectRefused({"info", "--model", model, "--json", model}, "--json", {model}, "input");
        expectRefused({"info", "--model", model, "--json", p("link-to-model.json")}, "--json",
                      {model}, "input");
        expectRefused({"eval", "--model", model, "--data", p("tiny.csv"), "--json", p("tiny.csv")},
                      "--json", {p("tiny.csv"), model}, "input");
        expectRefused({"explain", "--model", model, "--data", p("tiny.csv"), "--index", "0",
                       "--json", model},
                      "--json", {model}, "input");
        expectRefused({"stability", "--model", model, "--data", p("tiny.csv"), "--methods", "senn",
                       "--json", p("tiny.csv")},
                      "--json", {p("tiny.csv")}, "input");
        expectRefused({"train", "--data", p("tiny.csv"), "--out", p("new.senn"), "--report",
                       p("new.senn")},
                      "same file", {p("new.senn")});
        // Hard links are the same file too.
        QVERIFY(::link(p("tiny.csv").toLocal8Bit().constData(),
                       p("hard-link.senn").toLocal8Bit().constData()) == 0);
        expectRefused({"train", "--data", p("tiny.csv"), "--out", p("hard-link.senn")}, "--out",
                      {p("tiny.csv")}, "input");
    }

    void badOutputIsRefusedBeforeWork()
    {
        expectRefused({"train", "--data", p("tiny.csv"), "--out", p("no-such-folder/m.senn")},
                      "no-such-folder", {}, "does not exist");
        QDir(m_dir.path()).mkdir("a-folder");
        expectRefused({"train", "--data", p("tiny.csv"), "--out", p("a-folder")}, "a-folder", {},
                      "is a folder");
        expectRefused({"eval", "--model", p("existing.senn"), "--data", p("tiny.csv"), "--json",
                       "/dev/null"},
                      "/dev/null", {});
    }

    void cancelBeforeTheFirstEpochWritesNothing()
    {
        const QString out = p("cancel.senn");
        writeText(out, "the previous model");
        const QByteArray before = hashOf(out);
        QProcess proc;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("OMP_NUM_THREADS", "2");
        proc.setProcessEnvironment(env);
        // Batches of 8 on 9000 digits: the first epoch is ~1000 steps, far from its end when
        // the first progress line (printed after the first batch) arrives.
        proc.start(QStringLiteral(SENN_CLI),
                   {"train", "--data", QStringLiteral(SENN_RESOURCE_DATA) + "/mnist-10k", "--out", out,
                    "--epochs", "1", "--batch", "8", "--threads", "1"});
        QVERIFY(proc.waitForStarted(30000));
        QByteArray err;
        while (!err.contains("train: ") && proc.state() == QProcess::Running) {
            proc.waitForReadyRead(1000);
            err += proc.readAllStandardError();
        }
        QVERIFY2(err.contains("train: "), err.constData());
        ::kill(static_cast<pid_t>(proc.processId()), SIGINT);
        QVERIFY(proc.waitForFinished(300000));
        err += proc.readAllStandardError();
        QCOMPARE(proc.exitStatus(), QProcess::NormalExit);
        QCOMPARE(proc.exitCode(), 1);
        QVERIFY2(err.contains("nothing written"), err.constData());
        QCOMPARE(hashOf(out), before);
    }

    void staleTempFilesAreCleaned()
    {
        const QString target = p("atomic.txt");
        const QString stale = target + ".tmp-Ab12Cd", fresh = target + ".tmp-Zz99Yy";
        const QString other = target + ".tmp-notours.bak";
        for (const auto& f : {stale, fresh, other})
            writeText(f, "leftover");
        fs::last_write_time(stale.toStdString(),
                            fs::file_time_type::clock::now() - std::chrono::hours(2));
        fs::last_write_time(other.toStdString(),
                            fs::file_time_type::clock::now() - std::chrono::hours(2));
        senn::io::writeFileAtomically(target.toStdString(), "new content");
        QVERIFY(!QFile::exists(stale));  // an interrupted write of ours, long ago
        QVERIFY(QFile::exists(fresh));   // perhaps a save still running
        QVERIFY(QFile::exists(other));   // not our naming
        QCOMPARE(hashOf(target), QCryptographicHash::hash("new content", QCryptographicHash::Sha256).toHex());
    }

    void invalidUtf8IsRefusedAtLoad()
    {
        writeText(p("utf8-header.csv"), "x0,x\xff" "1,label\n1,2,a\n3,4,b\n5,6,a\n");
        expectRefused({"train", "--data", p("utf8-header.csv"), "--out", p("u.senn")},
                      "utf8-header.csv", {p("u.senn")}, "UTF-8");
        writeText(p("utf8-class.csv"), "x0,x1,label\n1,2,caf\xe9\n3,4,b\n5,6,b\n");
        expectRefused({"train", "--data", p("utf8-class.csv"), "--out", p("existing.senn")},
                      "utf8-class.csv", {p("existing.senn")}, "line 2");
    }

    // ---- memory ---------------------------------------------------------------------------

    void gzipInflationIsBoundedByTheHeader()
    {
        QDir(m_dir.path()).mkdir("bomb");
        // 3 images of 2x3 promised (34 bytes), 20 MB of zeros inflated: a small gzip bomb.
        Bytes content = idxImages(3, 2, 3, 18);
        content.resize(content.size() + 20 * 1024 * 1024, 0);
        const QString images = p("bomb/train-images-idx3-ubyte.gz");
        writeBytes(images, gzip(content));
        writeBytes(p("bomb/train-labels-idx1-ubyte.gz"), gzip(idxLabels(3)));
        QCOMPARE(senn::data::readMaybeGzip(images.toStdString()).size(), size_t(34 + 1));
        expectRefused({"train", "--data", p("bomb"), "--out", p("bomb.senn")},
                      "train-images-idx3-ubyte.gz", {p("bomb.senn")}, "extra bytes");

        // A header promising more than the compressed file can hold is refused unread.
        QDir(m_dir.path()).mkdir("liar");
        writeBytes(p("liar/train-images-idx3-ubyte.gz"), gzip(idxImages(60000, 280, 280, 10)));
        writeBytes(p("liar/train-labels-idx1-ubyte.gz"), gzip(idxLabels(3)));
        expectRefused({"train", "--data", p("liar"), "--out", p("liar.senn")},
                      "train-images-idx3-ubyte.gz", {p("liar.senn")}, "can hold");

        // Truncated gzip and a wrong magic number.
        QDir(m_dir.path()).mkdir("trunc");
        Bytes good = gzip(idxImages(40, 4, 4, 40 * 16));
        good.resize(good.size() / 2);
        writeBytes(p("trunc/train-images-idx3-ubyte.gz"), good);
        writeBytes(p("trunc/train-labels-idx1-ubyte.gz"), gzip(idxLabels(40)));
        expectRefused({"train", "--data", p("trunc"), "--out", p("existing.senn")},
                      "train-images-idx3-ubyte.gz", {p("existing.senn")}, "truncated");
        writeBytes(p("trunc/train-images-idx3-ubyte.gz"), gzip(idxLabels(40)));
        expectRefused({"train", "--data", p("trunc"), "--out", p("existing.senn")},
                      "train-images-idx3-ubyte.gz", {p("existing.senn")}, "wrong magic");
    }

    void npyShapeOverflowAndHugeLabels()
    {
        QDir(m_dir.path()).mkdir("npy-overflow");
        writeBytes(p("npy-overflow/x.npy"), npy("<f4", "(2, 4294967296, 4294967296)", Bytes(64, 0)));
        writeBytes(p("npy-overflow/y.npy"), npy("<i8", "(2,)", raw<int64_t>({0, 1})));
        expectRefused({"train", "--data", p("npy-overflow"), "--out", p("n.senn")}, "x.npy",
                      {p("n.senn")}, "overflow");
        QDir(m_dir.path()).mkdir("npy-labels");
        writeBytes(p("npy-labels/x.npy"), npy("<f4", "(2, 3)", raw<float>({1, 2, 3, 4, 5, 6})));
        writeBytes(p("npy-labels/y.npy"), npy("<i8", "(2,)", raw<int64_t>({0, 999999})));
        expectRefused({"train", "--data", p("npy-labels"), "--out", p("n.senn")}, "y.npy",
                      {p("n.senn")}, "10000 classes");
    }

    void tooManyClassesInACsv()
    {
        std::string csv = "x,label\n";
        for (int i = 0; i <= senn::limits::kMaxClasses; ++i)
            csv += std::to_string(i) + ",c" + std::to_string(i) + "\n";
        writeText(p("classes.csv"), csv);
        expectRefused({"train", "--data", p("classes.csv"), "--out", p("c.senn")}, "classes.csv",
                      {p("c.senn")}, "at most 10000 classes");
    }

    // Found by the ad-hoc mutation run (weights mutated, CRC recomputed): the TorchScript reader
    // inside the weights threw std::runtime_error, which reached the user as an "unexpected
    // error" (exit 1) without the file's name.
    void damagedWeightsNameTheFile()
    {
        const QString damaged = QStringLiteral(SENN_TEST_DATA) + "/bad-input/damaged-weights.senn";
        expectRefused({"info", "--model", damaged}, "damaged-weights.senn", {}, "cannot restore");
        expectRefused({"eval", "--model", damaged, "--data", p("tiny.csv"), "--json", p("dw.json")},
                      "damaged-weights.senn", {p("dw.json")}, "cannot restore");
    }

    void nonRegularFilesAreRefused()
    {
        expectRefused({"info", "--model", "/dev/zero"}, "/dev/zero", {}, "device");
        expectRefused({"eval", "--model", "/dev/zero", "--data", p("tiny.csv")}, "/dev/zero", {});
        const QByteArray fifo = p("model.fifo").toLocal8Bit();
        QCOMPARE(::mkfifo(fifo.constData(), 0600), 0);
        expectRefused({"info", "--model", p("model.fifo")}, "model.fifo", {}, "FIFO");
        expectRefused({"train", "--data", p("model.fifo"), "--out", p("f.senn")}, "model.fifo",
                      {p("f.senn")}, "FIFO");
        expectRefused({"info", "--model", m_dir.path()}, m_dir.path(), {}, "folder");
    }

    void hugeImagesAreRefusedBeforeDecoding()
    {
        // PNG headers claiming 20000x20000 pixels (no pixel data at all).
        Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        put32(png, 20000);
        put32(png, 20000);
        png.insert(png.end(), {8, 2, 0, 0, 0, 0, 0, 0, 0});
        for (const char* c : {"huge/a", "huge/b"}) {
            QDir(m_dir.path()).mkpath(c);
            writeBytes(p(QString(c) + "/1.png"), png);
        }
        expectRefused({"train", "--data", p("huge"), "--out", p("h.senn")}, "1.png", {p("h.senn")},
                      "20000x20000");
        // Found by tests/fuzz/fuzz_image (corpus/image/crash-pnm-overflow.pgm): a PNM header whose
        // width x height overflowed 64 bits.
        for (const char* c : {"pnm/a", "pnm/b"}) {
            QDir(m_dir.path()).mkpath(c);
            writeText(p(QString(c) + "/1.pgm"), "P5 111111111111 111111111 255\n\x01");
        }
        expectRefused({"train", "--data", p("pnm"), "--out", p("h.senn")}, "1.pgm", {p("h.senn")},
                      "pixels; images of more than");
        // Each image allowed, all together too much: 3 colour images of 8192x8192 per class.
        Bytes big = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        put32(big, 8192);
        put32(big, 8192);
        big.insert(big.end(), {8, 2, 0, 0, 0, 0, 0, 0, 0});
        for (const char* c : {"many/a", "many/b"}) {
            QDir(m_dir.path()).mkpath(c);
            for (const char* f : {"/1.png", "/2.png", "/3.png"})
                writeBytes(p(QString(c) + f), big);
        }
        expectRefused({"train", "--data", p("many"), "--out", p("h.senn")}, "many", {p("h.senn")},
                      "limit");
    }

    // ---- messages -----------------------------------------------------------------------

    void cellsAreEchoedShortAndEscaped()
    {
        // 200,000 characters: under the cell bound (a longer cell is refused for its length,
        // test_data_csv), so the message must quote the bad number itself, cut and escaped.
        const std::string evil = "\x1b]0;pwned\x07\x1b[31m" + std::string(200000, 'A');
        writeText(p("evil.csv"), "x0,x1,label\n1," + evil + ",a\n3,4,b\n");
        expectRefused({"train", "--data", p("evil.csv"), "--out", p("e.senn")}, "evil.csv",
                      {p("e.senn")}, "\\x1b");
        QCOMPARE(QString::fromStdString(senn::files::echo("a\x1b[31mb\n\t", 60)),
                 QString("a\\x1b[31mb\\n\\t"));
        QCOMPARE(QString::fromStdString(senn::files::echo(std::string(100, 'x'), 60)),
                 QString(60, 'x') + "...");
        QCOMPARE(QString::fromStdString(senn::files::echo("caf\xe9", 60)), QString("caf\\xe9"));
        QCOMPARE(QString::fromStdString(senn::files::echo("\xc2\x9b" "2J", 60)), QString("\\u009b2J"));
        const std::string torchText = "Expected all tensors to be on the same device\n"
                                      "Exception raised from foo at bar.cpp:12 (most recent call first):\n"
                                      "frame #0: c10::Error::Error() + 0x1 (0x7f in libc10.so)\n";
        QCOMPARE(QString::fromStdString(senn::files::cleanMessage(torchText)),
                 QString("Expected all tensors to be on the same device"));
    }

    // Found by tests/fuzz/cli_sweep.py: names read from a model file's metadata or given as
    // --target were echoed whole (500 characters) in "unknown model '...'" and "no column named
    // '...'", and the column list of a wide CSV made that message a screenful.
    void namesFromFilesAndOptionsAreCut()
    {
        senn::models::ModelMeta meta;
        meta.config.kind = senn::models::ModelKind::Senn;
        meta.inputShape = {2};
        meta.classNames = {"a", "b"};
        std::string json = senn::io::metaToJson(meta, -1);
        const std::string kind = "\"kind\":\"senn\"";
        const size_t at = json.find(kind);
        QVERIFY(at != std::string::npos);
        json.replace(at, kind.size(), "\"kind\":\"\\u001b[31m" + std::string(500, 'z') + "\"");
        writeSennWithJson(p("kind.senn"), json);
        expectRefused({"info", "--model", p("kind.senn")}, "kind.senn", {}, "unknown model");

        expectRefused({"train", "--data", p("tiny.csv"), "--target", "\x1b[31m" + QString(500, 'z'),
                       "--out", p("t.senn")}, "tiny.csv", {p("t.senn")}, "no column named");
        std::string wide;
        for (int c = 0; c < 200; ++c)
            wide += "a_rather_long_column_name_" + std::to_string(c) + ",";
        wide += "label\n";
        for (int r = 0; r < 4; ++r) {
            for (int c = 0; c < 200; ++c)
                wide += std::to_string(c % 3) + ",";
            wide += (r % 2 ? "yes\n" : "no\n");
        }
        writeText(p("wide.csv"), wide);
        expectRefused({"train", "--data", p("wide.csv"), "--target", "nope", "--out", p("t.senn")},
                      "wide.csv", {p("t.senn")}, "(201 columns)");
    }

    // Found by tests/fuzz/fuzz_csv (corpus/csv/crash-huge-integer-class.csv): a class column of
    // integers beyond 2^53 was cast to long long (undefined behaviour); it is read as text now.
    void hugeIntegerClassesAreText()
    {
        const std::string big = "4" + std::string(54, '3');
        writeText(p("bigclass.csv"), "x,label\n1," + big + "\n2,7\n3," + big + "\n4,7\n");
        const auto d = senn::data::loadCsv(p("bigclass.csv").toStdString());
        QCOMPARE(d.numClasses(), int64_t(2));
        QVERIFY(std::find(d.classNames.begin(), d.classNames.end(), big) != d.classNames.end());
    }

    void csvHeaderProblems()
    {
        // No header row: the first row is a data row (its class turns up below).
        writeText(p("noheader.csv"), "5.1,3.5,setosa\n4.9,3.0,setosa\n6.0,2.2,versicolor\n"
                                     "6.1,2.9,versicolor\n");
        expectRefused({"train", "--data", p("noheader.csv"), "--out", p("h.senn")}, "noheader.csv",
                      {p("h.senn")}, "header");
        expectRefused({"train", "--data", p("noheader.csv"), "--target", "species", "--out",
                       p("h.senn")},
                      "noheader.csv", {p("h.senn")}, "header");
        writeText(p("dup.csv"), "x,label,label\n1,a,b\n2,b,a\n3,a,a\n");
        expectRefused({"train", "--data", p("dup.csv"), "--target", "label", "--out", p("h.senn")},
                      "dup.csv", {p("h.senn")}, "both named");
    }

    void torchScriptOutputsAreChecked()
    {
        auto save = [&](const QString& name, const std::string& body) {
            torch::jit::Module m("Bad");
            m.define("def forward(self, x):\n    return " + body + "\n");
            m.save(p(name).toStdString());
        };
        save("nan.pt", "torch.log(x[:, 0:2] - 1000.0)");
        save("int.pt", "(x[:, 0:2] * 10.0).long()");
        expectRefused({"eval", "--model", p("nan.pt"), "--data", p("tiny.csv"), "--json", p("ts.json")},
                      "nan.pt", {p("ts.json")}, "NaN");
        expectRefused({"eval", "--model", p("int.pt"), "--data", p("tiny.csv"), "--json", p("ts.json")},
                      "int.pt", {p("ts.json")}, "Long");
    }

    void numbersAreParsedStrictly()
    {
        const QString model = p("existing.senn"), data = p("tiny.csv");
        const QStringList stab = {"stability", "--model", model, "--data", data, "--methods", "senn"};
        expectRefused(stab + QStringList{"--eps", "abc"}, "--eps", {}, "'abc' is not a number");
        expectRefused(stab + QStringList{"--eps", "0.1abc"}, "--eps", {}, "not a number");
        expectRefused(stab + QStringList{"--eps", "1e999"}, "--eps", {}, "out of range");
        expectRefused(stab + QStringList{"--eps", "inf"}, "--eps", {}, "not a finite number");
        expectRefused(stab + QStringList{"--points", "0"}, "--points", {}, "at least 1");
        expectRefused(stab + QStringList{"--points", "many"}, "--points", {}, "not a number");
        const QStringList train = {"train", "--data", data, "--out", p("num.senn")};
        expectRefused(train + QStringList{"--lambda", "nan"}, "--lambda", {p("num.senn")}, "finite");
        expectRefused(train + QStringList{"--epochs", "0"}, "--epochs", {p("num.senn")},
                      "must be at least 1");
        expectRefused(train + QStringList{"--epochs", "2.5"}, "--epochs", {p("num.senn")},
                      "not a whole number");
        expectRefused(train + QStringList{"--batch", "99999999999999999999"}, "--batch",
                      {p("num.senn")}, "too large");
        const QStringList explain = {"explain", "--model", model, "--data", data, "--index", "0"};
        expectRefused(explain + QStringList{"--samples=-5"}, "--samples", {}, "at least 1");
        expectRefused(explain + QStringList{"--samples", "2e9"}, "--samples", {}, "at most 1000000");
        expectRefused(explain + QStringList{"--target=-5"}, "--target", {}, "at least 0");
    }

    void sessionMessages()
    {
        using senn::ui::Session;
        writeText(p("array.sennsession"), "[1, 2, 3]");
        Session s;
        QString error;
        QVERIFY(!Session::load(p("array.sennsession"), &s, &error));
        QVERIFY2(error.contains("not a session") && !error.contains("no error occurred"),
                 qPrintable(error));
        Session save;
        save.datasetPath = p("tiny.csv");
        const QByteArray before = hashOf(p("tiny.csv"));
        QVERIFY(!save.save(p("tiny.csv"), &error));
        QVERIFY2(error.contains("destroy"), qPrintable(error));
        QCOMPARE(hashOf(p("tiny.csv")), before);
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "test_bad_input.moc"
