// The .senn container: "SENNMODL", uint32 version, uint64 + JSON metadata, uint64 + weights,
// uint32 CRC32 of everything before it. Integers are little-endian. Writing it, reading it back
// (the checks on its contents are in stored_weights.cpp) and telling model files apart.
#include "core/io/model_file.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/remedy.h"
#include "core/io/model_file_internal.h"
#include "core/models/flint_net.h"
#include "core/models/torch_model.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
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

Error truncated(const std::string& path)
{
    return Error::inFile(path, "the model file is truncated",
                         "It was not written completely; train or copy it again");
}

} // namespace

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

uint32_t fileCrc32(const std::string& path)
{
    const std::string bytes = readWhole(path);
    return crc32Of(bytes, bytes.size());
}

models::Model loadModel(const std::string& path)
{
    detail::LoadingScope loading(path);
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
            detail::checkArchitecture(meta);
        } catch (const Error& e) {
            throw Error(std::string("bad model metadata: ") + e.what());
        }
        std::shared_ptr<models::ModelImpl> impl;
        const bool postHoc = meta.config.kind == models::ModelKind::Flint && !meta.flintPredictor.empty();
        if (postHoc) // the predictor's file first: its chain and checksum say more than our weights
            impl = detail::postHocFlint(meta, path);
        const std::string weights = bytes.substr(weightsPos, static_cast<size_t>(weightsLen));
        const detail::StoredWeights stored = detail::readStoredWeights(weights);
        detail::checkParameterCount(meta, stored);
        if (meta.config.kind == models::ModelKind::Flint && !postHoc)
            impl = models::createFlint(meta);
        else if (!postHoc)
            impl = models::createNetwork(meta);
        if (meta.config.kind != models::ModelKind::Flint)
            detail::checkShapes(meta, *impl, stored);
        impl->loadWeights(weights);
        impl->setTraining(false);
        return models::Model(impl);
    } catch (const detail::PredictorChainError&) {
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
