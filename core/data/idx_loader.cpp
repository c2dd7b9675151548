// MNIST-style IDX folders (train-* plus optional t10k-* as the test part), plain or gzip.
// gzip is inflated with zlib's stream API so that a truncated or corrupt file is reported
// instead of yielding short data.
#include "core/common/error.h"
#include "core/common/limits.h"
#include "core/data/loader_detail.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <cmath>
#include <optional>

namespace fs = std::filesystem;

namespace senn::data {
namespace {

constexpr uint32_t kImagesMagic = 0x00000803;
constexpr uint32_t kLabelsMagic = 0x00000801;

// Inflates a gzip file step by step, never past a given size: a file's IDX header says how
// many bytes follow, so a "gzip bomb" cannot make us allocate more than its header promises.
class Inflater {
public:
    Inflater(const std::string& path, const std::vector<uint8_t>& in) : m_path(path)
    {
        if (inflateInit2(&m_zs, 15 + 16) != Z_OK) // +16: gzip wrapper only, CRC checked
            throw Error::inFile(path, "zlib could not start decompressing");
        m_zs.next_in = const_cast<Bytef*>(in.data());
        m_zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), 0xFFFFFFFFu));
        m_restIn = in.size() - m_zs.avail_in;
    }
    ~Inflater() { inflateEnd(&m_zs); }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    // Inflates until out holds `target` bytes or the data ends. Returns false at the end.
    bool fillTo(std::vector<uint8_t>& out, size_t target)
    {
        if (out.capacity() < target)
            out.reserve(target);
        while (out.size() < target && !m_ended) {
            const size_t produced = out.size();
            const size_t room = std::min<size_t>(target - produced, 1u << 24);
            out.resize(produced + room);
            m_zs.next_out = out.data() + produced;
            m_zs.avail_out = static_cast<uInt>(room);
            const int ret = inflate(&m_zs, Z_NO_FLUSH);
            out.resize(produced + room - m_zs.avail_out);
            if (m_zs.avail_in == 0 && m_restIn > 0) {
                const size_t more = std::min<size_t>(m_restIn, 0xFFFFFFFFu);
                m_zs.avail_in = static_cast<uInt>(more);
                m_restIn -= more;
            }
            if (ret == Z_STREAM_END) {
                // Concatenated gzip members (what `cat a.gz b.gz` makes) are one stream.
                if (m_zs.avail_in >= 2 && m_zs.next_in[0] == 0x1f && m_zs.next_in[1] == 0x8b) {
                    inflateReset(&m_zs);
                    continue;
                }
                m_ended = true;
                break;
            }
            if (ret == Z_OK)
                continue;
            if (ret == Z_BUF_ERROR && m_zs.avail_in == 0)
                throw Error::inFile(m_path,
                                    "the gzip data ends early (truncated file, " +
                                        std::to_string(out.size()) + " bytes decompressed)",
                                    "Download or copy the file again");
            if (ret == Z_BUF_ERROR)
                continue;
            throw Error::inFile(m_path,
                                std::string("corrupt gzip data (") +
                                    (m_zs.msg ? m_zs.msg : "zlib error") + ")",
                                "Download or copy the file again");
        }
        return !m_ended;
    }

private:
    std::string m_path;
    z_stream m_zs{};
    size_t m_restIn = 0;
    bool m_ended = false;
};

// Deflate cannot compress better than 1032:1, so a gzip file of n bytes holds at most this.
size_t gzipCapacity(size_t compressed)
{
    return compressed * 1032 + 1024;
}

std::string formatCount(double v);

// The size an IDX file's header promises (header included), or nullopt when the first bytes
// are not an IDX header (the caller reports the magic number).
std::optional<double> idxPromisedSize(const std::vector<uint8_t>& b)
{
    if (b.size() < 4 || b[0] != 0 || b[1] != 0)
        return std::nullopt;
    int item = 0;
    switch (b[2]) {
    case 0x08: case 0x09: item = 1; break;
    case 0x0B: item = 2; break;
    case 0x0C: case 0x0D: item = 4; break;
    case 0x0E: item = 8; break;
    default: return std::nullopt;
    }
    const size_t dims = b[3];
    if (dims == 0 || b.size() < 4 + 4 * dims)
        return std::nullopt;
    double n = item;
    for (size_t d = 0; d < dims; ++d) {
        const size_t at = 4 + 4 * d;
        n *= double(uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 |
                    uint32_t(b[at + 3]));
    }
    return 4.0 + 4.0 * double(dims) + n;
}

std::vector<uint8_t> inflateGzip(const std::string& path, const std::vector<uint8_t>& in)
{
    Inflater z(path, in);
    std::vector<uint8_t> out;
    // The header first (magic: 4 bytes, then 4 per dimension), then what it promises + 1 byte
    // (to notice extra data), and never more than the compressed size can hold.
    const size_t capacity = gzipCapacity(in.size());
    if (z.fillTo(out, 4) && out.size() == 4 && out[0] == 0 && out[1] == 0)
        z.fillTo(out, 4 + 4 * size_t(out[3]));
    const auto promised = idxPromisedSize(out);
    if (!promised) // not IDX: the caller names the magic; inflate a little for the message
        return out;
    // Not finite: dimensions of 2^32 overflow to infinity, and 0 x infinity is NaN (found by
    // fuzz_idx; corpus/idx/crash-nan-promised-size).
    if (!std::isfinite(*promised) || *promised > double(capacity))
        throw Error::inFile(path,
                            "the header promises " + formatCount(*promised) +
                                " bytes, more than this " + std::to_string(in.size()) +
                                "-byte gzip file can hold (truncated or damaged)",
                            "Download or copy the file again");
    z.fillTo(out, static_cast<size_t>(*promised) + 1);
    return out;
}

uint32_t bigEndian32(const std::vector<uint8_t>& b, size_t at)
{
    return uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 |
           uint32_t(b[at + 3]);
}

std::string hex32(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

std::string formatCount(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

void checkMagic(const std::string& path, const std::vector<uint8_t>& b, uint32_t expected,
                const char* what)
{
    // The magic first: a file of the wrong kind is more likely than a truncated one.
    if (b.size() >= 4) {
        const uint32_t magic = bigEndian32(b, 0);
        if (magic != expected) {
            std::string hint = "Expected an MNIST-style IDX " + std::string(what) + " file";
            if (magic == kLabelsMagic || magic == kImagesMagic)
                hint += "; this looks like the other kind (images vs labels): check the file "
                        "names";
            throw Error::inFile(path,
                                "wrong magic number " + hex32(magic) + " (expected " +
                                    hex32(expected) + ")",
                                hint);
        }
    }
    const size_t header = expected == kImagesMagic ? 16 : 8;
    if (b.size() < header)
        throw Error::inFile(path,
                            "too short for an IDX " + std::string(what) + " header (" +
                                std::to_string(b.size()) + " of " + std::to_string(header) +
                                " bytes)",
                            "The file is truncated or not an IDX file");
}

struct Images {
    int64_t n = 0, rows = 0, cols = 0;
    std::vector<uint8_t> bytes; // header included
};

Images readImages(const std::string& path)
{
    Images im;
    im.bytes = readMaybeGzip(path);
    checkMagic(path, im.bytes, kImagesMagic, "images");
    im.n = bigEndian32(im.bytes, 4);
    im.rows = bigEndian32(im.bytes, 8);
    im.cols = bigEndian32(im.bytes, 12);
    // In double: a damaged header's n*rows*cols can overflow 64 bits, and real sizes are exact.
    const double expected = 16.0 + double(im.n) * double(im.rows) * double(im.cols);
    const int64_t found = static_cast<int64_t>(im.bytes.size());
    if (double(found) != expected)
        throw Error::inFile(path,
                            "the header promises " + std::to_string(im.n) + " images of " +
                                std::to_string(im.rows) + "x" + std::to_string(im.cols) +
                                " (" + formatCount(expected) + " bytes) but the data " +
                                (found < expected ? "has " + std::to_string(found) +
                                                        " bytes (truncated)"
                                                  : std::string("is longer (extra bytes)")),
                            "The file is damaged; download or copy it again");
    if (im.rows <= 0 || im.cols <= 0)
        throw Error::inFile(path, "images of size " + std::to_string(im.rows) + "x" +
                                      std::to_string(im.cols));
    return im;
}

std::vector<uint8_t> readLabels(const std::string& path, int64_t imageCount,
                                const std::string& imagePath)
{
    std::vector<uint8_t> b = readMaybeGzip(path);
    checkMagic(path, b, kLabelsMagic, "labels");
    const int64_t n = bigEndian32(b, 4);
    const int64_t found = static_cast<int64_t>(b.size()) - 8;
    if (found != n)
        throw Error::inFile(path,
                            "the header promises " + std::to_string(n) +
                                " labels but the data has " +
                                (found < n ? std::to_string(found) + " (truncated)"
                                           : std::string("more (extra bytes)")),
                            "The file is damaged; download or copy it again");
    if (n != imageCount)
        throw Error::inFile(path,
                            "has " + std::to_string(n) + " labels but " + imagePath + " has " +
                                std::to_string(imageCount) + " images",
                            "Images and labels files must belong together");
    b.erase(b.begin(), b.begin() + 8);
    return b;
}

std::optional<std::string> findIdx(const fs::path& dir, const std::string& prefix,
                                   const std::string& kind)
{
    std::error_code ec;
    for (const std::string& base : {prefix + "-" + kind, prefix + "." + kind}) // both spellings
        for (const char* ext : {"", ".gz"})
            if (fs::is_regular_file(dir / (base + ext), ec))
                return (dir / (base + ext)).string();
    return std::nullopt;
}

} // namespace

std::vector<uint8_t> readMaybeGzip(const std::string& path)
{
    std::vector<uint8_t> bytes = detail::readFile(path);
    if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        return inflateGzip(path, bytes);
    return bytes;
}

namespace detail {

Dataset loadIdxFolder(const std::string& folder, const LoadOptions& options,
                      const jobs::ProgressFn& progress, const jobs::CancelToken* cancel)
{
    const fs::path dir(folder);
    const auto trainImages = findIdx(dir, "train-images", "idx3-ubyte");
    const auto trainLabels = findIdx(dir, "train-labels", "idx1-ubyte");
    if (!trainImages)
        throw Error::inFile(folder, "no train-images-idx3-ubyte[.gz] in this folder",
                            "An IDX folder holds train-images-idx3-ubyte[.gz] and "
                            "train-labels-idx1-ubyte[.gz]");
    if (!trainLabels)
        throw Error::inFile(folder, "no train-labels-idx1-ubyte[.gz] in this folder",
                            "Put the labels file beside the images file");
    const auto testImages = findIdx(dir, "t10k-images", "idx3-ubyte");
    const auto testLabels = findIdx(dir, "t10k-labels", "idx1-ubyte");
    if (testImages.has_value() != testLabels.has_value())
        throw Error::inFile(folder,
                            testImages ? "t10k-images found but no t10k-labels-idx1-ubyte[.gz]"
                                       : "t10k-labels found but no t10k-images-idx3-ubyte[.gz]",
                            "Add the missing file or remove the other one");

    Dataset data;
    data.kind = DataKind::Image;
    data.source = folder;
    int64_t maxLabel = -1;
    auto append = [&](const std::string& imgPath, const std::string& lblPath, double at) {
        checkCancel(cancel);
        jobs::report(progress, at, "load", "Reading " + imgPath);
        Images im = readImages(imgPath);
        checkCancel(cancel);
        const std::vector<uint8_t> labels = readLabels(lblPath, im.n, imgPath);
        if (data.sampleShape.empty())
            data.sampleShape = {1, im.rows, im.cols};
        else if (data.sampleShape[1] != im.rows || data.sampleShape[2] != im.cols)
            throw Error::inFile(imgPath,
                                "images are " + std::to_string(im.rows) + "x" +
                                    std::to_string(im.cols) + " but the training images are " +
                                    std::to_string(data.sampleShape[1]) + "x" +
                                    std::to_string(data.sampleShape[2]),
                                "Train and test images must have the same size");
        int64_t n = im.n;
        if (options.maxRows >= 0)
            n = std::min(n, options.maxRows - data.rows());
        const int64_t d = im.rows * im.cols;
        if (double(data.x.size()) + double(n) * double(d) > double(limits::kMaxDatasetValues))
            throw Error::inFile(imgPath,
                                std::to_string(n) + " images of " + std::to_string(im.rows) + "x" +
                                    std::to_string(im.cols) + " exceed the limit of " +
                                    std::to_string(limits::kMaxDatasetValues) +
                                    " values (4 GiB) a dataset may hold in memory",
                                "Use a smaller part of the data");
        const size_t base = data.x.size();
        data.x.resize(base + static_cast<size_t>(n * d));
        const uint8_t* px = im.bytes.data() + 16;
        for (int64_t i = 0; i < n * d; ++i)
            data.x[base + static_cast<size_t>(i)] = px[i] / 255.0f;
        for (int64_t i = 0; i < n; ++i) {
            data.y.push_back(labels[static_cast<size_t>(i)]);
            maxLabel = std::max<int64_t>(maxLabel, labels[static_cast<size_t>(i)]);
        }
    };
    append(*trainImages, *trainLabels, 0.0);
    if (testImages && (options.maxRows < 0 || data.rows() < options.maxRows)) {
        const int64_t trainRows = data.rows();
        append(*testImages, *testLabels, 0.5);
        data.testBegin = trainRows;
    }
    // MNIST-like sets have labels 0..9; others (EMNIST) go up to their largest label.
    data.classNames = numberNames(std::max<int64_t>(maxLabel + 1, 2));
    jobs::report(progress, 1.0, "load", "Read " + folder);
    return data;
}

} // namespace detail

Dataset loadIdxFolder(const std::string& folder, const LoadOptions& options)
{
    return detail::loadIdxFolder(folder, options, {}, nullptr);
}

} // namespace senn::data
