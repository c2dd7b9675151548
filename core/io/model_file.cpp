// The .senn container: "SENNMODL", uint32 version, uint64 + JSON metadata, uint64 + weights,
// uint32 CRC32 of everything before it. Integers are little-endian.
#include "core/io/model_file.h"

#include "core/common/error.h"
#include "core/common/remedy.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/io/archive_guard.h"
#include "core/io/isolated_probe.h"
#include "core/models/flint_net.h"
#include "core/models/torch_model.h"

#include <zlib.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace senn::io {

namespace {

constexpr char kMagic[8] = {'S', 'E', 'N', 'N', 'M', 'O', 'D', 'L'};

template <typename T>
void putLe(std::string& out, T v)
{
    for (size_t i = 0; i < sizeof(T); ++i)
        out.push_back(static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff));
}

template <typename T>
T getLe(const std::string& in, size_t pos)
{
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
        v |= static_cast<uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
    return static_cast<T>(v);
}

uint32_t crc32Of(const std::string& bytes, size_t n)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    size_t pos = 0;
    while (pos < n) {
        const size_t chunk = std::min<size_t>(n - pos, 1u << 30);
        crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + pos), static_cast<uInt>(chunk));
        pos += chunk;
    }
    return static_cast<uint32_t>(crc);
}

std::string readWhole(const std::string& path)
{
    // Not a device, FIFO or folder: /dev/zero would be read until memory runs out, and a
    // FIFO blocks until someone writes to it.
    files::requireRegularFile(path, "model file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error::inFile(path, "cannot open the model file (" + std::string(std::strerror(errno)) + ")",
                            "Check the path");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw Error::inFile(path, "cannot read the model file");
    return ss.str();
}

std::string readPrefix(const std::string& path, size_t n)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return {};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    std::string buf(n, '\0');
    in.read(buf.data(), static_cast<std::streamsize>(n));
    buf.resize(static_cast<size_t>(in.gcount()));
    return buf;
}

// The interpreter's message ends with the Python-style error line; the traceback before it
// is noise for a person.
std::string lastLine(const std::string& what)
{
    std::string s = what;
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    const auto nl = s.rfind('\n');
    return (nl == std::string::npos ? s : s.substr(nl + 1)).substr(0, 300);
}

Error truncated(const std::string& path)
{
    return Error::inFile(path, "the model file is truncated",
                         "It was not written completely; train or copy it again");
}

} // namespace

void writeFileAtomically(const std::string& path, const std::string& bytes)
{
    std::string tmpl = path + ".tmp-XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0)
        throw Error::inFile(path, "cannot write (" + std::string(std::strerror(errno)) + ")",
                            "Check that the folder exists and is writable");
    const std::string tmp(name.data());
    auto fail = [&](const std::string& what) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        ::unlink(tmp.c_str());
        throw Error::inFile(path, what + " (" + reason + ")", "Check free disk space and permissions");
    };
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            fail("cannot write");
        }
        done += static_cast<size_t>(w);
    }
    if (::fsync(fd) != 0)
        fail("cannot flush to disk");
    ::fchmod(fd, 0644);
    if (::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw Error::inFile(path, "cannot close after writing");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw Error::inFile(path, "cannot replace the file (" + reason + ")");
    }
    // Temp files left by an earlier write of this file that was killed.
    files::removeStaleTemps(path);
}

void saveModel(const models::Model& model, const std::string& path)
{
    if (!model.isValid())
        throw Error("no model to save");
    if (model.meta().config.kind == models::ModelKind::TorchScript)
        throw Error::inFile(path, "a TorchScript model is not saved as a .senn file",
                            "Use the original TorchScript file");
    if (auto flint = std::dynamic_pointer_cast<models::FlintModel>(model.impl());
        flint && flint->hasForeignPredictor()) {
        // Ψ, g, d are saved with a reference to the predictor's file (loadModel reopens it).
        const auto& predictor = model.meta().flintPredictor;
        if (predictor.empty())
            throw withRemedy(Error::inFile(path,
                                           "this FLINT interpreter reads the hidden layer of a model "
                                           "that has no file, so it cannot be saved",
                                           "Save the predictor first, open that file and attach FLINT "
                                           "to it, or train FLINT jointly"),
                             Remedy::TrainFlint);
        if (files::samePath(predictor, path))
            throw Error::inFile(path, "this is the file of the predictor the FLINT interpreter reads",
                                "Save the interpreter under another name");
    }
    for (const std::string& input : {model.meta().dataSource, model.meta().torchScriptPath})
        if (files::samePath(input, path))
            throw Error::inFile(path, "this is the file the model was trained on or read from (" +
                                          files::echo(input, 200) + ")",
                                "Save the model under another name");
    models::ModelMeta meta = model.meta();
    meta.formatVersion = kModelFormatVersion;
    const std::string json = metaToJson(meta, -1);
    const std::string weights = model.impl()->saveWeights();
    std::string out(kMagic, sizeof kMagic);
    putLe<uint32_t>(out, static_cast<uint32_t>(kModelFormatVersion));
    putLe<uint64_t>(out, json.size());
    out += json;
    putLe<uint64_t>(out, weights.size());
    out += weights;
    putLe<uint32_t>(out, crc32Of(out, out.size()));
    writeFileAtomically(path, out);
}

namespace {

// The files loadModel is opening on this thread, outermost first: a post-hoc FLINT opens its
// predictor's file, which may itself be a post-hoc FLINT. A file seen twice is a cycle.
thread_local std::vector<std::string> t_loading;

// Passed through loadModel's wrapping unchanged: the message already names every file.
class PredictorChainError : public Error {
public:
    using Error::Error;
};

struct LoadingScope {
    explicit LoadingScope(const std::string& path)
    {
        namespace fs = std::filesystem;
        std::error_code ec;
        std::string canon = fs::weakly_canonical(path, ec).string();
        if (ec || canon.empty())
            canon = path;
        auto chain = [&](const std::string& last) { // file names only: the message starts with the path
            std::string c;
            for (const auto& f : t_loading)
                c += files::echo(fs::path(f).filename().string(), 60) + " -> ";
            return c + files::echo(fs::path(last).filename().string(), 60);
        };
        for (const auto& f : t_loading)
            if (f == canon)
                throw PredictorChainError(
                    files::echo(path, 200) + ": post-hoc FLINT predictor files name each other in a "
                    "cycle (" + chain(canon) + "). Attach FLINT to an MLP, CNN or TorchScript model instead");
        if (static_cast<int>(t_loading.size()) >= limits::kMaxPredictorChain)
            throw PredictorChainError(
                files::echo(path, 200) + ": post-hoc FLINT predictor files are nested more than " +
                std::to_string(limits::kMaxPredictorChain) + " deep (" + chain(canon) +
                "). A FLINT interpreter's predictor must be an MLP, CNN or TorchScript model");
        t_loading.push_back(canon);
    }
    ~LoadingScope() { t_loading.pop_back(); }
    LoadingScope(const LoadingScope&) = delete;
    LoadingScope& operator=(const LoadingScope&) = delete;
};

// (Errors without the FLINT file's name: loadModel adds it.)
// A post-hoc FLINT's predictor, reopened from the file its metadata names (or, when that
// was moved, from the same name beside the FLINT file), checked against the recorded CRC.
std::shared_ptr<models::FlintModel> postHocFlint(const models::ModelMeta& meta, const std::string& path)
{
    namespace fs = std::filesystem;
    std::string predictor = meta.flintPredictor;
    std::error_code ec;
    if (!fs::exists(predictor, ec)) {
        const auto beside = fs::path(path).parent_path() / fs::path(predictor).filename();
        if (fs::exists(beside, ec))
            predictor = beside.string();
        else
            throw Error("this post-hoc FLINT interpreter reads the model " + meta.flintPredictor +
                        ", which does not exist. Put the predictor back at that path or beside this file");
    }
    if (fs::equivalent(predictor, path, ec))
        throw Error("the post-hoc FLINT interpreter names itself as its predictor");
    if (meta.flintPredictorCrc != 0 && fileCrc32(predictor) != meta.flintPredictorCrc)
        throw Error("the predictor " + predictor + " changed since this FLINT interpreter was "
                    "trained on it. Attach and train FLINT on the current predictor again");
    models::Model f;
    if (detectModelFile(predictor) == ModelFileKind::TorchScript) {
        // The TorchScript file is checked on rows shaped like the FLINT's inputs.
        data::Dataset like;
        like.kind = meta.dataKind;
        like.sampleShape = meta.inputShape;
        like.classNames = meta.classNames;
        like.featureNames = meta.featureNames;
        like.source = meta.dataSource;
        like.targetName = meta.targetName;
        like.transforms = meta.transforms;
        f = loadTorchScript(predictor, like);
    } else {
        f = loadModel(predictor);
    }
    return models::FlintModel::attachPostHoc(meta, f.impl(),
                                             models::predictorLayer(f.impl(), meta.flintHiddenLayer));
}

// Bounds on what the metadata may ask for, checked before any network is built: the same
// limits the command line applies to its options and the loaders to data.
void checkArchitecture(const models::ModelMeta& meta)
{
    const auto field = [](const std::string& name, const std::string& what) {
        return Error("field \"" + name + "\" " + what);
    };
    const auto& shape = meta.inputShape;
    if (shape.size() != 1 && shape.size() != 3)
        throw field("input_shape", "has " + std::to_string(shape.size()) +
                                       " dimensions; expected [features] or [channels, height, width]");
    double values = 1;
    for (auto s : shape) {
        if (s < 1)
            throw field("input_shape", "holds " + std::to_string(s) + "; every size must be at least 1");
        values *= double(s);
    }
    if (values > double(limits::kMaxModelInputValues))
        throw field("input_shape", "describes " + models::shapeString(shape) + " = " +
                                       std::to_string(int64_t(std::min(values, 9e18))) +
                                       " values per sample; at most " +
                                       std::to_string(limits::kMaxModelInputValues));
    const auto classes = int64_t(meta.classNames.size());
    if (classes < 2 || classes > limits::kMaxClasses)
        throw field("class_names", "has " + std::to_string(classes) + " names; a classifier has 2 to " +
                                       std::to_string(limits::kMaxClasses) + " classes");
    if (double(meta.featureNames.size()) > values)
        throw field("feature_names", "has " + std::to_string(meta.featureNames.size()) +
                                         " names for " + std::to_string(int64_t(values)) + " input values");
    const auto& c = meta.config;
    if (c.kind == models::ModelKind::Senn && c.concepts == models::ConceptKind::Autoencoder &&
        (c.k < 1 || c.k > limits::kMaxConcepts))
        throw field("k", "is " + std::to_string(c.k) + "; a SENN has 1 to " +
                             std::to_string(limits::kMaxConcepts) + " concepts");
    if (c.kind == models::ModelKind::Flint && (c.attributes < 1 || c.attributes > limits::kMaxConcepts))
        throw field("attributes", "is " + std::to_string(c.attributes) + "; FLINT has 1 to " +
                                      std::to_string(limits::kMaxConcepts) + " attributes");
    if (c.hidden.size() > size_t(limits::kMaxHiddenLayers))
        throw field("hidden", "lists " + std::to_string(c.hidden.size()) + " layers; at most " +
                                  std::to_string(limits::kMaxHiddenLayers));
    for (int h : c.hidden)
        if (h < 1 || h > limits::kMaxHidden)
            throw field("hidden", "holds " + std::to_string(h) + "; a hidden layer has 1 to " +
                                      std::to_string(limits::kMaxHidden) + " units");
}

// The weights archive inside a .senn file, read and checked before any of it reaches a network:
// its declared sizes (before anything is inflated), then every tensor: float32, inside its
// storage, finite. `tensors` lists them in the order nn::Module::save wrote them, which is the
// order of the network's parameters().
struct StoredWeights {
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    double count = 0;
};

void collectTensors(torch::serialize::InputArchive& archive, const std::string& prefix, int depth,
                    StoredWeights& out)
{
    if (depth > 32)
        throw Error("the stored weights are nested too deeply");
    for (const auto& key : archive.keys()) {
        const std::string name = prefix + key;
        torch::Tensor t;
        if (archive.try_read(key, t)) {
            checkTensorInStorage(t, "the stored weight '" + name + "'");
            if (t.scalar_type() != torch::kFloat32)
                throw Error("the stored weight '" + name + "' holds " +
                            std::string(c10::toString(t.scalar_type())) + " values, not float32");
            if (!torch::isfinite(t).all().item<bool>())
                throw Error("the stored weight '" + name + "' holds NaN or infinite values");
            out.count += double(t.numel());
            out.tensors.emplace_back(name, t);
            continue;
        }
        torch::serialize::InputArchive child;
        if (archive.try_read(key, child))
            collectTensors(child, name + ".", depth + 1, out);
    }
}

StoredWeights readStoredWeights(const std::string& bytes)
{
    try {
        std::map<std::string, uint64_t> entries;
        checkZipSizes(bytes, &entries);
        std::istringstream in(bytes, std::ios::binary);
        caffe2::serialize::PyTorchStreamReader reader(&in);
        checkPickledStorages(reader, entries);
    } catch (const Error& e) {
        throw Error(std::string("cannot restore the network from the stored weights (") + e.what() +
                    "). The file is damaged; train or copy it again");
    }
    StoredWeights w;
    torch::serialize::InputArchive archive;
    archive.load_from(bytes.data(), bytes.size(), torch::kCPU);
    collectTensors(archive, "", 0, w);
    return w;
}

std::string countText(double n)
{
    return n < 9e18 ? std::to_string(int64_t(n)) : std::string("more than 9e18");
}

} // namespace

uint32_t fileCrc32(const std::string& path)
{
    const std::string bytes = readWhole(path);
    return crc32Of(bytes, bytes.size());
}

models::Model loadModel(const std::string& path)
{
    LoadingScope loading(path);
    const std::string bytes = readWhole(path);
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
        if (bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] == 'K')
            throw Error::inFile(path, "not a SENN Studio model file (it looks like a TorchScript archive)",
                                "Open it as a TorchScript model together with a dataset");
        throw Error::inFile(path, "not a SENN Studio model file", "Choose a .senn file written by `senn train`");
    }
    size_t pos = sizeof kMagic;
    if (bytes.size() < pos + 4)
        throw truncated(path);
    const uint32_t version = getLe<uint32_t>(bytes, pos);
    pos += 4;
    if (version > static_cast<uint32_t>(kModelFormatVersion))
        throw Error::inFile(path,
                            "written by a newer SENN Studio (format " + std::to_string(version) +
                                "); this build reads up to " + std::to_string(kModelFormatVersion),
                            "Update SENN Studio");
    if (version == 0)
        throw Error::inFile(path, "the model file is corrupt (format version 0)");
    if (bytes.size() < pos + 8)
        throw truncated(path);
    const uint64_t jsonLen = getLe<uint64_t>(bytes, pos);
    pos += 8;
    if (jsonLen > bytes.size() - pos)
        throw truncated(path);
    const std::string json = bytes.substr(pos, static_cast<size_t>(jsonLen));
    pos += static_cast<size_t>(jsonLen);
    if (bytes.size() < pos + 8)
        throw truncated(path);
    const uint64_t weightsLen = getLe<uint64_t>(bytes, pos);
    pos += 8;
    if (weightsLen > bytes.size() - pos || bytes.size() - pos - weightsLen < 4)
        throw truncated(path);
    const size_t weightsPos = pos;
    pos += static_cast<size_t>(weightsLen);
    const uint32_t stored = getLe<uint32_t>(bytes, pos);
    if (crc32Of(bytes, pos) != stored)
        throw Error::inFile(path, "the model file is corrupt (checksum mismatch)",
                            "It was damaged after it was written; train or copy it again");
    if (bytes.size() != pos + 4)
        throw Error::inFile(path, "the model file is corrupt (unexpected bytes after the checksum)");

    models::ModelMeta meta = metaFromJson(json, path);
    try {
        try {
            checkArchitecture(meta);
        } catch (const Error& e) {
            throw Error(std::string("bad model metadata: ") + e.what());
        }
        std::shared_ptr<models::ModelImpl> impl;
        const bool postHoc = meta.config.kind == models::ModelKind::Flint && !meta.flintPredictor.empty();
        if (postHoc) // the predictor's file first: its chain and checksum say more than our weights
            impl = postHocFlint(meta, path);
        const std::string weights = bytes.substr(weightsPos, static_cast<size_t>(weightsLen));
        const StoredWeights stored = readStoredWeights(weights);
        // The network the metadata describes, counted before it is built: a small file must
        // not make us allocate a large network only to find its weights do not fit.
        bool exact = true;
        const double described = models::parameterCountOf(meta, &exact);
        if (described > double(limits::kMaxModelParameters))
            throw Error("the metadata describes a " + models::toString(meta.config.kind) + " network of " +
                        countText(described) + " parameters; at most " +
                        std::to_string(limits::kMaxModelParameters) + " are supported");
        if (exact ? described != stored.count : described > stored.count)
            throw Error("the metadata describes a " + models::toString(meta.config.kind) + " network of " +
                        (exact ? "" : "at least ") + countText(described) + " parameters but the file stores " +
                        countText(stored.count) + "; the file is damaged or was edited");
        if (meta.config.kind == models::ModelKind::Flint && !postHoc)
            impl = models::createFlint(meta);
        else if (!postHoc)
            impl = models::createNetwork(meta);
        if (meta.config.kind != models::ModelKind::Flint) {
            // LibTorch's load puts each stored tensor in place whatever its shape.
            const auto params = impl->parameters();
            if (params.size() != stored.tensors.size())
                throw Error("the file stores " + std::to_string(stored.tensors.size()) +
                            " weight tensors; the " + models::toString(meta.config.kind) +
                            " network its metadata describes has " + std::to_string(params.size()));
            for (size_t i = 0; i < params.size(); ++i)
                if (params[i].sizes() != stored.tensors[i].second.sizes())
                    throw Error("the stored weight '" + stored.tensors[i].first + "' has shape " +
                                models::shapeString(stored.tensors[i].second.sizes().vec()) +
                                "; the network its metadata describes needs " +
                                models::shapeString(params[i].sizes().vec()));
        }
        impl->loadWeights(weights);
        impl->setTraining(false);
        return models::Model(impl);
    } catch (const PredictorChainError&) {
        throw;
    } catch (const Error& e) {
        throw Error::inFile(path, e.what());
    } catch (const c10::Error& e) {
        throw Error::inFile(path, "cannot restore the network: " +
                                      files::cleanMessage(e.what_without_backtrace(), 200),
                            "The file is damaged; train or copy it again");
    } catch (const std::exception& e) { // the TorchScript reader throws std::runtime_error
        throw Error::inFile(path, "cannot restore the network: " + files::cleanMessage(e.what(), 200),
                            "The file is damaged; train or copy it again");
    }
}

namespace {

// Rows for the trial calls: `n` rows of the data spread over it, or (too few rows, or none as
// for a post-hoc FLINT's predictor) values drawn from a private generator, so the global seed
// stays untouched. Distinct rows let a model that centres its batch show it.
torch::Tensor trialRows(const data::Dataset& data, int64_t n)
{
    std::vector<int64_t> shape{n};
    shape.insert(shape.end(), data.sampleShape.begin(), data.sampleShape.end());
    const int64_t d = data.featureCount();
    if (data.rows() >= n && int64_t(data.x.size()) >= data.rows() * d) {
        std::vector<float> rows(size_t(n * d));
        for (int64_t i = 0; i < n; ++i)
            std::copy_n(data.row(i * data.rows() / n), d, rows.begin() + i * d);
        return models::toTensor(rows.data(), n, data.sampleShape);
    }
    auto gen = at::make_generator<at::CPUGeneratorImpl>(20240611);
    return torch::rand(shape, gen, torch::kFloat32);
}

// Do a and b agree up to the rounding a batched matrix product may add? Relative to the
// largest logit, so a small logit beside large ones is not held to its own scale.
bool sameLogits(const torch::Tensor& aOut, const torch::Tensor& bOut)
{
    // Outputs of the wrong type or shape are the per-call checks' business (torch_model.h).
    if (!aOut.defined() || !bOut.defined() || aOut.layout() != torch::kStrided ||
        bOut.layout() != torch::kStrided || !aOut.is_floating_point() || !bOut.is_floating_point())
        return true;
    if (aOut.sizes() != bOut.sizes())
        return true;
    const torch::Tensor a = aOut.detach().to(torch::kDouble), b = bOut.detach().to(torch::kDouble);
    const double scale = std::max(a.abs().nan_to_num(0, 0, 0).max().item<double>(),
                                  b.abs().nan_to_num(0, 0, 0).max().item<double>());
    return torch::allclose(a, b, 1e-4, 1e-4 * scale + 1e-6, /*equal_nan=*/true);
}

} // namespace

models::Model loadTorchScript(const std::string& path, const data::Dataset& data)
{
    const char* hint = "A TorchScript model must be exported with torch.jit.trace/script from "
                       "PyTorch <= 1.13, take float32 inputs shaped like the data and return logits [N, classes]";
    // What to do when the archive itself cannot be read (the longer hint is for its behaviour).
    const char* exportHint = "Export it with torch.jit.trace/script from PyTorch 1.13 or older";
    files::requireRegularFile(path, "TorchScript file");
    torch::jit::Module module;
    // Trial forward pass on two rows shaped (and scaled) as the loader gives them.
    std::vector<int64_t> shape{2};
    shape.insert(shape.end(), data.sampleShape.begin(), data.sampleShape.end());
    const std::string expected = "[" + [&] {
        std::string s;
        for (size_t i = 0; i < shape.size(); ++i)
            s += (i ? ", " : "") + (i ? std::to_string(shape[i]) : std::string("N"));
        return s;
    }() + "] float32";
    torch::Tensor x = torch::zeros(shape, torch::kFloat32);
    if (data.rows() >= 2)
        x = models::toTensor(data.x.data(), 2, data.sampleShape);
    try {
        module = loadCheckedTorchScript(path, x); // the archive checks and the separate-process probe
    } catch (const Error& e) {
        throw Error::inFile(path, std::string("cannot load as TorchScript: ") + e.what(), exportHint);
    }
    models::ModelMeta meta;
    meta.config.kind = models::ModelKind::TorchScript;
    meta.dataKind = data.kind;
    meta.inputShape = data.sampleShape;
    meta.classNames = data.classNames;
    meta.featureNames = data.featureNames;
    meta.dataSource = data.source;
    meta.targetName = data.targetName;
    meta.transforms = data.transforms;
    meta.torchScriptPath = path;
    auto impl = models::createTorchScript(module, meta);

    torch::NoGradGuard noGrad;
    const auto run = [&](const torch::Tensor& in, const std::string& shaped) {
        try {
            auto out = module.forward({in.clone()}); // a model may write into its input
            if (!out.isTensor())
                throw Error::inFile(path, "the model's forward() does not return a tensor", hint);
            return out.toTensor();
        } catch (const Error&) {
            throw;
        } catch (const c10::Error& e) {
            throw Error::inFile(path, "the model fails on input shaped " + shaped + " (" +
                                          std::string(e.what_without_backtrace()).substr(0, 300) + ")",
                                hint);
        } catch (const std::exception& e) { // the TorchScript interpreter throws std::runtime_error
            throw Error::inFile(path, "the model fails on input shaped " + shaped + " (" +
                                          lastLine(e.what()) + ")",
                                hint);
        }
    };
    const torch::Tensor z = run(x, expected);
    if (z.scalar_type() != torch::kFloat32 || z.layout() != torch::kStrided)
        throw Error::inFile(path, "the model returns " + std::string(c10::toString(z.scalar_type())) +
                                      (z.layout() != torch::kStrided ? " sparse" : "") +
                                      " values; expected float32 logits (e.g. return logits.float())", hint);
    const int64_t classes = data.numClasses();
    if (z.dim() != 2 || z.size(0) != 2 || z.size(1) != classes)
        throw Error::inFile(path, "the model returns shape " + models::shapeString(z.sizes().vec()) +
                                      " for 2 inputs shaped " + expected + "; expected [2, " +
                                      std::to_string(classes) + "] logits (the data has " +
                                      std::to_string(classes) + " classes)",
                            hint);

    // Every explainer assumes f(x) is a function of x alone. A model that draws random numbers
    // (dropout left on, torch.rand) or uses its batch's statistics (batch norm in training mode,
    // x - x.mean(0)) would be explained as if it were one, giving confident nonsense.
    const torch::Tensor rows = trialRows(data, 4);
    const torch::Tensor once = run(rows, expected);
    const torch::Tensor again = run(rows, expected);
    if (!sameLogits(once, again))
        throw Error::inFile(path, "the model gives different outputs for the same input: it is random "
                                  "(dropout left on, or torch.rand in forward?)",
                            "Export it in eval mode without random operations");
    const torch::Tensor alone = run(rows.slice(0, 0, 1), "[1" + expected.substr(2));
    if (!sameLogits(alone, once.slice(0, 0, 1)))
        throw Error::inFile(path, "a row's output depends on the other rows of its batch (batch "
                                  "statistics, e.g. batch norm in training mode or x - x.mean(0)?)",
                            "Export it in eval mode, with statistics fixed at training time");
    return models::Model(impl);
}

ModelFileKind detectModelFile(const std::string& path)
{
    const std::string head = readPrefix(path, sizeof kMagic);
    if (head.size() == sizeof kMagic && std::memcmp(head.data(), kMagic, sizeof kMagic) == 0)
        return ModelFileKind::Senn;
    if (head.size() >= 4 && head.compare(0, 4, std::string("PK\x03\x04", 4)) == 0)
        return ModelFileKind::TorchScript;
    return ModelFileKind::NotAModel;
}

} // namespace senn::io
