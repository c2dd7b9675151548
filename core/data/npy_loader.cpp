// NumPy .npy pairs: x (features or images) and y (integer labels), optionally a test pair.
// Only the small part of the format that np.save writes for plain arrays is accepted:
// versions 1-3, little-endian numeric dtypes, C order.
#include "core/common/error.h"
#include "core/common/limits.h"
#include "core/data/loader_detail.h"
#include "core/data/npy_array.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>

namespace fs = std::filesystem;

namespace senn::data {
namespace {

struct NpyArray {
    std::string path;
    char kind = 0; // 'f', 'i', 'u', 'b'
    int itemSize = 0;
    std::vector<int64_t> shape;
    std::vector<uint8_t> bytes;
    size_t dataOffset = 0;

    int64_t count() const
    {
        int64_t n = 1;
        for (auto s : shape)
            n *= s;
        return n;
    }
    double at(int64_t i) const
    {
        const uint8_t* p = bytes.data() + dataOffset + static_cast<size_t>(i) * itemSize;
        auto load = [p](auto v) {
            std::memcpy(&v, p, sizeof v); // .npy data is unaligned; little-endian host assumed
            return static_cast<double>(v);
        };
        switch (kind) {
        case 'f': return itemSize == 4 ? load(float()) : load(double());
        case 'b': return *p ? 1.0 : 0.0;
        case 'u':
            switch (itemSize) {
            case 1: return *p;
            case 2: return load(uint16_t());
            case 4: return load(uint32_t());
            default: return load(uint64_t());
            }
        default:
            switch (itemSize) {
            case 1: return load(int8_t());
            case 2: return load(int16_t());
            case 4: return load(int32_t());
            default: return load(int64_t());
            }
        }
    }
};

std::string shapeText(const std::vector<int64_t>& s)
{
    std::string t = "(";
    for (size_t i = 0; i < s.size(); ++i)
        t += (i ? ", " : "") + std::to_string(s[i]);
    return t + (s.size() == 1 ? ",)" : ")");
}

// The value text after 'key': in the header dict, or empty when the key is missing.
std::string dictValue(const std::string& header, const std::string& key)
{
    size_t k = header.find("'" + key + "'");
    if (k == std::string::npos)
        k = header.find("\"" + key + "\"");
    if (k == std::string::npos)
        return {};
    size_t p = header.find(':', k);
    if (p == std::string::npos)
        return {};
    ++p;
    while (p < header.size() && header[p] == ' ')
        ++p;
    if (p < header.size() && (header[p] == '\'' || header[p] == '"')) {
        const size_t e = header.find(header[p], p + 1);
        return e == std::string::npos ? std::string() : header.substr(p, e - p + 1);
    }
    if (p < header.size() && header[p] == '(') {
        const size_t e = header.find(')', p);
        return e == std::string::npos ? std::string() : header.substr(p, e - p + 1);
    }
    size_t e = p;
    while (e < header.size() && header[e] != ',' && header[e] != '}')
        ++e;
    return header.substr(p, e - p);
}

// The header's first bytes (magic, version, header length): where the header text starts and
// how long it is. `b` holds the first n bytes of the file.
void headerSpan(const std::string& path, const uint8_t* b, size_t n, size_t& start, size_t& headerLen)
{
    if (n < 10 || std::memcmp(b, "\x93NUMPY", 6) != 0)
        throw Error::inFile(path, "not a NumPy .npy file (bad magic, expected \\x93NUMPY)",
                            "Save the array with numpy.save");
    const int major = b[6];
    if (major == 1) {
        headerLen = b[8] | size_t(b[9]) << 8;
        start = 10;
    } else if (major == 2 || major == 3) {
        if (n < 12)
            throw Error::inFile(path, "truncated .npy header");
        headerLen = b[8] | size_t(b[9]) << 8 | size_t(b[10]) << 16 | size_t(b[11]) << 24;
        start = 12;
    } else {
        throw Error::inFile(path, "unsupported .npy format version " + std::to_string(major),
                            "Save the array with numpy.save (versions 1-3 are read)");
    }
}

// Dtype, order and shape from the header text, then the element count and byte size (with
// overflow detection: a damaged header's product can wrap around 64 bits, and (2, 2^32, 2^32)
// would otherwise read as 0 elements) against the `dataBytes` the file holds after the header.
NpyHeader parseHeader(const std::string& path, const std::string& header, size_t dataOffset, uint64_t dataBytes)
{
    NpyHeader h;
    h.dataOffset = dataOffset;
    const std::string descr = dictValue(header, "descr");
    const std::string supported = "Supported dtypes: float32, float64, uint8/16/32/64, "
                                  "int8/16/32/64, bool (little-endian, plain arrays)";
    if (descr.size() < 5 || (descr[0] != '\'' && descr[0] != '"'))
        throw Error::inFile(path, "unsupported dtype " + (descr.empty() ? "(none)" : descr),
                            supported);
    const std::string d = descr.substr(1, descr.size() - 2);
    const char endian = d[0];
    h.dtype = d;
    h.kind = d[1];
    h.itemSize = std::atoi(d.c_str() + 2);
    const bool sizeOk = (h.kind == 'f' && (h.itemSize == 4 || h.itemSize == 8)) ||
                        ((h.kind == 'i' || h.kind == 'u') &&
                         (h.itemSize == 1 || h.itemSize == 2 || h.itemSize == 4 ||
                          h.itemSize == 8)) ||
                        (h.kind == 'b' && h.itemSize == 1);
    if (!sizeOk || d.size() > 4 || (endian == '>' && h.itemSize > 1) ||
        (endian != '<' && endian != '|' && endian != '=' && endian != '>'))
        throw Error::inFile(path, "unsupported dtype '" + d + "'", supported);
    if (dictValue(header, "fortran_order").find("True") != std::string::npos)
        throw Error::inFile(path, "the array is stored in Fortran order",
                            "Save it with numpy.save(path, numpy.ascontiguousarray(a))");
    const std::string shape = dictValue(header, "shape");
    if (shape.empty())
        throw Error::inFile(path, "the .npy header has no shape");
    for (size_t p = 1; p < shape.size();) {
        while (p < shape.size() && !std::isdigit(static_cast<unsigned char>(shape[p])))
            ++p;
        if (p >= shape.size())
            break;
        int64_t dim = 0;
        for (; p < shape.size() && std::isdigit(static_cast<unsigned char>(shape[p])); ++p)
            if (__builtin_mul_overflow(dim, int64_t(10), &dim) ||
                __builtin_add_overflow(dim, int64_t(shape[p] - '0'), &dim))
                throw Error::inFile(path, "the .npy shape " + shape.substr(0, 80) +
                                              " holds a dimension too large to be real",
                                    "The file is damaged; save it again");
        h.shape.push_back(dim);
        if (h.shape.size() > 32)
            throw Error::inFile(path, "the .npy shape has more than 32 dimensions",
                                "The file is damaged; save it again");
    }
    int64_t elements = 1, needBytes = 0;
    bool overflow = false;
    for (auto dim : h.shape)
        overflow = overflow || __builtin_mul_overflow(elements, dim, &elements);
    overflow = overflow || __builtin_mul_overflow(elements, int64_t(h.itemSize), &needBytes);
    if (overflow)
        throw Error::inFile(path,
                            "the shape " + shapeText(h.shape) +
                                " has more elements than any file can hold (it overflows 64 bits)",
                            "The file is damaged; save it again");
    if (dataBytes < uint64_t(needBytes))
        throw Error::inFile(path,
                            "truncated: shape " + shapeText(h.shape) + " of '" + d + "' needs " +
                                std::to_string(needBytes) + " bytes of data but the file has " +
                                std::to_string(dataBytes),
                            "The file is damaged; save it again");
    return h;
}

NpyArray readNpy(const std::string& path)
{
    NpyArray a;
    a.path = path;
    a.bytes = detail::readFile(path);
    const auto& b = a.bytes;
    size_t start = 0, headerLen = 0;
    headerSpan(path, b.data(), b.size(), start, headerLen);
    if (start + headerLen > b.size())
        throw Error::inFile(path, "truncated .npy header", "The file is damaged");
    const std::string header(reinterpret_cast<const char*>(b.data() + start), headerLen);
    const NpyHeader h = parseHeader(path, header, start + headerLen, b.size() - (start + headerLen));
    a.kind = h.kind;
    a.itemSize = h.itemSize;
    a.shape = h.shape;
    a.dataOffset = h.dataOffset;
    return a;
}

// Appends x's rows to data (setting kind and shape from the first array).
using limits::kMaxTableFeatures;

void appendX(Dataset& data, const NpyArray& x, int64_t n, const std::function<void()>& tick)
{
    std::vector<int64_t> sample;
    bool channelsLast = false;
    switch (x.shape.size()) {
    case 2: sample = {x.shape[1]}; break;
    case 3: sample = {1, x.shape[1], x.shape[2]}; break;
    case 4:
        // NumPy users often keep images as (N, H, W, C); (N, C, H, W) is what the models take.
        channelsLast = x.shape[3] <= 4 && x.shape[1] > 4;
        sample = channelsLast ? std::vector<int64_t>{x.shape[3], x.shape[1], x.shape[2]}
                              : std::vector<int64_t>{x.shape[1], x.shape[2], x.shape[3]};
        break;
    default:
        throw Error::inFile(x.path, "x has shape " + shapeText(x.shape),
                            "x must be (N, d) for tables, (N, H, W) or (N, C, H, W) for images");
    }
    // One sample's size is bounded before anything is built from it: an empty array, (0, 2e15),
    // needs no data bytes, so the size checks below and in readNpy let it through, and a table's
    // feature names ("x0", "x1", ...) took memory until the process died (fuzz_npy).
    double sampleValues = 1;
    for (int64_t s : sample)
        sampleValues *= double(std::max<int64_t>(s, 0));
    const bool table = sample.size() == 1;
    // A sample of no values, (4e12, 0), needs no data bytes either, and the copy below then
    // counted through its 4e12 empty rows (fuzz_npy: a timeout).
    if (sampleValues < 1)
        throw Error::inFile(x.path, "x has shape " + shapeText(x.shape) + ": samples with no values",
                            "Check the array's shape");
    if (sampleValues > double(table ? kMaxTableFeatures : limits::kMaxImagePixels * 4))
        throw Error::inFile(x.path,
                            "x has shape " + shapeText(x.shape) + ": " + (table ? "a row" : "an image") +
                                " of more than " +
                                std::to_string(table ? kMaxTableFeatures : limits::kMaxImagePixels * 4) +
                                " values",
                            "Check the array's shape");
    if (data.sampleShape.empty()) {
        data.sampleShape = sample;
        data.kind = sample.size() == 1 ? DataKind::Tabular : DataKind::Image;
        if (!data.isImage())
            for (int64_t j = 0; j < sample[0]; ++j)
                data.featureNames.push_back("x" + std::to_string(j));
    } else if (data.sampleShape != sample) {
        throw Error::inFile(x.path,
                            "samples are " + shapeText(sample) + " but the training samples are " +
                                shapeText(data.sampleShape),
                            "Train and test arrays must have the same sample shape");
    }
    const bool scaleBytes = data.isImage() && x.kind == 'u' && x.itemSize == 1;
    const int64_t d = data.featureCount();
    if (double(data.x.size()) + double(n) * double(d) > double(limits::kMaxDatasetValues))
        throw Error::inFile(x.path,
                            "shape " + shapeText(x.shape) + " exceeds the limit of " +
                                std::to_string(limits::kMaxDatasetValues) +
                                " values (4 GiB) a dataset may hold in memory",
                            "Use a smaller part of the data");
    const size_t base = data.x.size();
    data.x.resize(base + static_cast<size_t>(n * d));
    for (int64_t i = 0; i < n; ++i) {
        if (i % 4096 == 0)
            tick();
        float* out = data.x.data() + base + static_cast<size_t>(i * d);
        for (int64_t j = 0; j < d; ++j) {
            int64_t src = i * d + j;
            if (channelsLast) { // out j = (c, h, w); source (h, w, c)
                const int64_t c = j / (sample[1] * sample[2]), hw = j % (sample[1] * sample[2]);
                src = i * d + hw * sample[0] + c;
            }
            const double v = x.at(src);
            if (!std::isfinite(v))
                throw Error::inFile(x.path, "row " + std::to_string(i) + " holds NaN or infinity",
                                    "Replace missing values before saving");
            out[j] = scaleBytes ? static_cast<float>(v / 255.0) : static_cast<float>(v);
        }
    }
}

std::vector<int64_t> readLabels(const NpyArray& y, int64_t n)
{
    if (!(y.shape.size() == 1 || (y.shape.size() == 2 && y.shape[1] == 1)))
        throw Error::inFile(y.path, "y has shape " + shapeText(y.shape),
                            "y must be (N,) integer class labels");
    std::vector<int64_t> labels(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const double v = y.at(i);
        if (v >= 0 && v == std::floor(v) && v >= double(limits::kMaxClasses))
            throw Error::inFile(y.path,
                                "label " + std::to_string(i) + " is " +
                                    std::to_string(static_cast<long long>(std::min(v, 1e18))) +
                                    "; at most " + std::to_string(limits::kMaxClasses) +
                                    " classes are supported (labels 0.." +
                                    std::to_string(limits::kMaxClasses - 1) + ")",
                                "Number the classes 0, 1, 2, ... without gaps");
        if (!(v >= 0) || v != std::floor(v))
            throw Error::inFile(y.path,
                                "label " + std::to_string(i) + " is " + std::to_string(v) +
                                    ", not a class number",
                                "y must hold class labels 0, 1, 2, ... (regression is not "
                                "supported)");
        labels[static_cast<size_t>(i)] = static_cast<int64_t>(v);
    }
    return labels;
}

std::optional<std::string> firstExisting(const fs::path& dir, std::vector<std::string> names)
{
    std::error_code ec;
    for (const auto& n : names)
        if (fs::is_regular_file(dir / n, ec))
            return (dir / n).string();
    return std::nullopt;
}

struct PairPaths {
    std::string x, y;
    std::optional<std::string> xTest, yTest;
};

// x.npy -> y.npy, X_train.npy -> y_train.npy, foo_x.npy -> foo_y.npy (and test beside them).
std::optional<std::string> labelsBeside(const fs::path& xPath)
{
    const fs::path dir = xPath.parent_path();
    const std::string stem = xPath.stem().string();
    std::vector<std::string> names;
    if (stem == "x" || stem == "X")
        names = {"y.npy", "Y.npy"};
    else if (stem.size() > 2 && (stem[0] == 'x' || stem[0] == 'X') && stem[1] == '_')
        names = {"y" + stem.substr(1) + ".npy", "Y" + stem.substr(1) + ".npy"};
    else if (stem.size() > 2 && stem[stem.size() - 2] == '_' &&
             (stem.back() == 'x' || stem.back() == 'X'))
        names = {stem.substr(0, stem.size() - 1) + "y.npy",
                 stem.substr(0, stem.size() - 1) + "Y.npy"};
    return names.empty() ? std::nullopt : firstExisting(dir, names);
}

PairPaths resolvePair(const std::string& path)
{
    std::error_code ec;
    PairPaths p;
    if (fs::is_directory(path, ec)) {
        const auto x = firstExisting(path, {"x.npy", "X.npy", "x_train.npy", "X_train.npy"});
        if (!x)
            throw Error::inFile(path, "no x.npy (or X_train.npy) in this folder",
                                "A NumPy dataset folder holds x.npy and y.npy");
        p.x = *x;
    } else {
        p.x = path;
    }
    const auto y = labelsBeside(p.x);
    if (!y)
        throw Error::inFile(p.x, "no labels file found beside it",
                            "Name the pair x.npy + y.npy, X_train.npy + y_train.npy or "
                            "foo_x.npy + foo_y.npy");
    p.y = *y;
    const fs::path xp(p.x);
    std::string testStem = xp.stem().string();
    const size_t t = testStem.find("train");
    if (t != std::string::npos)
        testStem.replace(t, 5, "test");
    else if (testStem == "x" || testStem == "X")
        testStem += "_test";
    else
        return p;
    const fs::path xTest = xp.parent_path() / (testStem + ".npy");
    if (fs::is_regular_file(xTest, ec)) {
        const auto yTest = labelsBeside(xTest);
        if (!yTest)
            throw Error::inFile(xTest.string(), "test features without a test labels file",
                                "Add the matching y file or remove this one");
        p.xTest = xTest.string();
        p.yTest = *yTest;
    }
    return p;
}

} // namespace

namespace detail {

Dataset loadNpy(const std::string& path, const LoadOptions& options,
                const jobs::ProgressFn& progress, const jobs::CancelToken* cancel)
{
    const PairPaths paths = resolvePair(path);
    Dataset data;
    data.source = path;
    int64_t maxLabel = -1;
    std::set<int64_t> distinct;
    auto append = [&](const std::string& xPath, const std::string& yPath, double at) {
        checkCancel(cancel);
        jobs::report(progress, at, "load", "Reading " + xPath);
        const NpyArray x = readNpy(xPath);
        const NpyArray y = readNpy(yPath);
        if (x.shape.empty() || y.shape.empty() || x.shape[0] != y.shape[0])
            throw Error::inFile(yPath,
                                "has " + std::to_string(y.shape.empty() ? 0 : y.shape[0]) +
                                    " labels but " + xPath + " has " +
                                    std::to_string(x.shape.empty() ? 0 : x.shape[0]) + " rows",
                                "x and y must have the same number of rows");
        int64_t n = x.shape[0];
        if (options.maxRows >= 0)
            n = std::min(n, options.maxRows - data.rows());
        appendX(data, x, n, [cancel] { checkCancel(cancel); });
        for (int64_t label : readLabels(y, n)) {
            data.y.push_back(label);
            maxLabel = std::max(maxLabel, label);
            distinct.insert(label);
        }
    };
    append(paths.x, paths.y, 0.0);
    if (paths.xTest && (options.maxRows < 0 || data.rows() < options.maxRows)) {
        const int64_t trainRows = data.rows();
        append(*paths.xTest, *paths.yTest, 0.5);
        data.testBegin = trainRows;
    }
    if (data.rows() == 0)
        throw Error::inFile(paths.x, "holds no rows (shape (0, ...))", "Save at least one row per class");
    if (distinct.size() < 2 && options.maxRows < 0)
        throw Error::inFile(paths.y, "all labels are " + std::to_string(maxLabel) +
                                         ": one class only",
                            "A classifier needs at least two classes");
    data.classNames = numberNames(std::max<int64_t>(maxLabel + 1, 2));
    jobs::report(progress, 1.0, "load", "Read " + path);
    return data;
}

} // namespace detail

Dataset loadNpy(const std::string& path, const LoadOptions& options)
{
    return detail::loadNpy(path, options, {}, nullptr);
}

NpyHeader readNpyHeader(const std::string& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error::inFile(path, "not found or not a regular file", "Check that the file exists and is readable");
    const uint64_t size = fs::file_size(path, ec);
    std::ifstream in(path, std::ios::binary);
    if (ec || !in)
        throw Error::inFile(path, "cannot be read", "Check that the file exists and is readable");
    uint8_t pre[12] = {};
    in.read(reinterpret_cast<char*>(pre), sizeof pre);
    size_t start = 0, headerLen = 0;
    headerSpan(path, pre, size_t(in.gcount()), start, headerLen);
    if (headerLen > (size_t(1) << 20)) // numpy writes a few hundred bytes
        throw Error::inFile(path, "a .npy header of " + std::to_string(headerLen) + " bytes", "The file is damaged");
    if (start + headerLen > size)
        throw Error::inFile(path, "truncated .npy header", "The file is damaged");
    std::string header(headerLen, '\0');
    in.clear();
    in.seekg(std::streamoff(start));
    in.read(header.data(), std::streamsize(headerLen));
    if (size_t(in.gcount()) != headerLen)
        throw Error::inFile(path, "truncated .npy header", "The file is damaged");
    return parseHeader(path, header, start + headerLen, size - (start + headerLen));
}

std::vector<double> readNpyArray(const std::string& path, std::vector<int64_t>& shape)
{
    const NpyArray a = readNpy(path);
    shape = a.shape;
    std::vector<double> out(static_cast<size_t>(a.count()));
    for (int64_t i = 0; i < a.count(); ++i)
        out[size_t(i)] = a.at(i);
    return out;
}

} // namespace senn::data
