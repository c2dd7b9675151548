// Image folders: one sub-folder per class, decoded with OpenCV. All images must share the
// first image's size; they become grayscale [1,H,W] when every file is single-channel, else
// RGB [3,H,W], scaled to [0,1].
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/data/loader_detail.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

namespace fs = std::filesystem;

namespace senn::data {
namespace {

const std::set<std::string> kImageExtensions = {".png", ".jpg", ".jpeg", ".bmp", ".pgm",
                                                ".ppm", ".pbm", ".tif", ".tiff", ".webp"};

bool isImageFile(const fs::path& p)
{
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return kImageExtensions.count(ext) > 0;
}

bool hidden(const fs::path& p)
{
    const std::string n = p.filename().string();
    return n.empty() || n[0] == '.';
}

std::vector<fs::path> sortedEntries(const fs::path& dir, bool directories)
{
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (hidden(e.path()))
            continue;
        if (directories ? e.is_directory(ec) : (e.is_regular_file(ec) && isImageFile(e.path())))
            out.push_back(e.path());
    }
    if (ec)
        throw Error::inFile(dir.string(), "cannot list the folder (" + ec.message() + ")");
    std::sort(out.begin(), out.end()); // byte order of names: stable class indices
    return out;
}

// The first visible regular file of a folder, whatever its kind.
std::optional<fs::path> firstOtherFile(const fs::path& dir)
{
    std::error_code ec;
    std::optional<fs::path> first;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (!hidden(e.path()) && e.is_regular_file(ec) && (!first || e.path() < *first))
            first = e.path();
    return first;
}

// 8-bit, 16-bit and float images all end up as float in [0,1]. Integer pixels are divided by
// the largest value their type (or a PNM file's declared maximum) can hold; float pixels are
// kept as stored and must already lie in [0,1]. `maxValue` 0: the type's own maximum.
cv::Mat toUnitFloat(const cv::Mat& m, int maxValue)
{
    double scale = 1.0;
    switch (m.depth()) {
    case CV_8U: scale = 1.0 / 255.0; break;
    case CV_8S: scale = 1.0 / 127.0; break;
    case CV_16U: scale = 1.0 / 65535.0; break;
    case CV_16S: scale = 1.0 / 32767.0; break;
    default: break;
    }
    if (maxValue > 0 && (m.depth() == CV_8U || m.depth() == CV_16U))
        scale = 1.0 / maxValue;
    cv::Mat f;
    m.convertTo(f, CV_MAKETYPE(CV_32F, m.channels()), scale);
    return f;
}

// A decoded float image must hold numbers in [0,1], as the dataset documents: NaN or 1e30 in a
// float TIFF would otherwise reach every model, explanation and plot.
void requireUnitRange(const std::string& path, const cv::Mat& m)
{
    if (m.depth() != CV_32F && m.depth() != CV_64F)
        return;
    cv::Mat f;
    m.convertTo(f, CV_64F);
    f = f.reshape(1);
    if (!cv::checkRange(f, true, nullptr, -1e300, 1e300))
        throw Error::inFile(path, "holds pixels that are NaN or infinite",
                            "Replace them, or save the image as 8- or 16-bit");
    double lo = 0, hi = 0;
    cv::minMaxLoc(f, &lo, &hi);
    if (lo < 0.0 || hi > 1.0)
        throw Error::inFile(path,
                            "holds floating-point pixels from " + std::to_string(lo) + " to " +
                                std::to_string(hi) + "; they must lie in [0, 1]",
                            "Scale the image to [0, 1], or save it as 8- or 16-bit");
}

// An image's size from its file header, read without decoding it: width, height and the
// channels the loader will keep (1 gray, 3 colour). Nullopt for a header it does not know.
struct ImageHeader {
    int64_t width = 0, height = 0;
    int channels = 3;
    // PGM/PPM: the value OpenCV's decoded pixels are fractions of, when that is not their
    // type's maximum (a binary PGM with maximum 1 holds 0 and 1: read as 8-bit, it was black).
    // 0: the type's maximum.
    int maxValue = 0;
};

uint32_t be(const unsigned char* p, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; ++i)
        v = v << 8 | p[i];
    return v;
}

uint32_t le(const unsigned char* p, int n)
{
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = v << 8 | p[i];
    return v;
}

std::optional<ImageHeader> jpegHeader(std::ifstream& in)
{
    // Segments after SOI: FF marker, 2-byte length; the SOFn segment holds the size.
    unsigned char m[10];
    in.seekg(2);
    for (int guard = 0; guard < 1000 && in.read(reinterpret_cast<char*>(m), 4); ++guard) {
        if (m[0] != 0xFF)
            return std::nullopt;
        const int marker = m[1];
        if (marker == 0xFF) { // fill byte
            in.seekg(-3, std::ios::cur);
            continue;
        }
        const uint32_t len = be(m + 2, 2);
        if (len < 2)
            return std::nullopt;
        const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                         marker != 0xCC;
        if (sof) {
            if (!in.read(reinterpret_cast<char*>(m), 6))
                return std::nullopt;
            ImageHeader h;
            h.height = be(m + 1, 2);
            h.width = be(m + 3, 2);
            h.channels = m[5] == 1 ? 1 : 3;
            return h;
        }
        if (marker == 0xD9 || marker == 0xDA)
            return std::nullopt; // end of image / start of scan without a frame header
        in.seekg(static_cast<std::streamoff>(len) - 2, std::ios::cur);
    }
    return std::nullopt;
}

std::optional<ImageHeader> tiffHeader(std::ifstream& in, bool little)
{
    auto num = [&](const unsigned char* p, int n) { return little ? le(p, n) : be(p, n); };
    unsigned char b[12];
    in.seekg(4);
    if (!in.read(reinterpret_cast<char*>(b), 4))
        return std::nullopt;
    in.seekg(num(b, 4));
    if (!in.read(reinterpret_cast<char*>(b), 2))
        return std::nullopt;
    const uint32_t entries = num(b, 2);
    ImageHeader h;
    h.channels = 1;
    for (uint32_t e = 0; e < entries && e < 4096; ++e) {
        if (!in.read(reinterpret_cast<char*>(b), 12))
            return std::nullopt;
        const uint32_t tag = num(b, 2), type = num(b + 2, 2);
        const uint32_t value = type == 3 ? num(b + 8, 2) : num(b + 8, 4);
        if (tag == 256)
            h.width = value;
        else if (tag == 257)
            h.height = value;
        else if (tag == 277)
            h.channels = value == 1 || value == 2 ? 1 : 3;
    }
    if (h.width <= 0 || h.height <= 0)
        return std::nullopt;
    return h;
}

std::optional<ImageHeader> readImageHeader(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    unsigned char b[32] = {};
    if (!in.read(reinterpret_cast<char*>(b), sizeof b) && in.gcount() < 12)
        return std::nullopt;
    in.clear();
    ImageHeader h;
    if (std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0 && std::memcmp(b + 12, "IHDR", 4) == 0) {
        h.width = be(b + 16, 4);
        h.height = be(b + 20, 4);
        const int colour = b[25];
        h.channels = colour == 0 || colour == 4 ? 1 : 3;
        return h;
    }
    if (b[0] == 0xFF && b[1] == 0xD8)
        return jpegHeader(in);
    if (b[0] == 'B' && b[1] == 'M') {
        const uint32_t dib = le(b + 14, 4);
        if (dib == 12) {
            h.width = le(b + 18, 2);
            h.height = le(b + 20, 2);
        } else {
            h.width = static_cast<int32_t>(le(b + 18, 4));
            const int32_t height = static_cast<int32_t>(le(b + 22, 4));
            h.height = height < 0 ? -int64_t(height) : height;
        }
        return h;
    }
    if (b[0] == 'P' && b[1] >= '1' && b[1] <= '6') {
        h.channels = b[1] == '3' || b[1] == '6' ? 3 : 1;
        // ASCII: magic, then width and height separated by whitespace and # comments.
        in.seekg(2);
        const bool hasMax = b[1] != '1' && b[1] != '4'; // bitmaps (P1, P4) have no maximum
        int64_t v[3] = {0, 0, 0};
        for (int k = 0; k < (hasMax ? 3 : 2); ++k) {
            int c = in.get();
            while (c != EOF && (std::isspace(c) || c == '#')) {
                if (c == '#')
                    while (c != EOF && c != '\n')
                        c = in.get();
                c = in.get();
            }
            if (c == EOF || !std::isdigit(c))
                return std::nullopt;
            for (int digits = 0; c != EOF && std::isdigit(c) && digits < 12; ++digits) {
                v[k] = v[k] * 10 + (c - '0');
                c = in.get();
            }
        }
        h.width = v[0];
        h.height = v[1];
        if (hasMax && (v[2] < 1 || v[2] > 65535))
            return std::nullopt;
        // OpenCV 4.6 returns binary PGM/PPM pixels (P5, P6) as stored, and text ones (P2, P3)
        // stretched to 0-255 when the maximum is below 256 (as stored above it); the unit test
        // of this loader pins both, so another OpenCV's rule would show there.
        const bool text = b[1] == '2' || b[1] == '3';
        h.maxValue = hasMax && !(text && v[2] < 256) ? static_cast<int>(v[2]) : 0;
        return h;
    }
    if (std::memcmp(b, "RIFF", 4) == 0 && std::memcmp(b + 8, "WEBP", 4) == 0) {
        if (std::memcmp(b + 12, "VP8X", 4) == 0) {
            h.width = le(b + 24, 3) + 1;
            h.height = le(b + 27, 3) + 1;
        } else if (std::memcmp(b + 12, "VP8L", 4) == 0) {
            const uint32_t bits = le(b + 21, 4);
            h.width = (bits & 0x3FFF) + 1;
            h.height = ((bits >> 14) & 0x3FFF) + 1;
        } else if (std::memcmp(b + 12, "VP8 ", 4) == 0) {
            h.width = le(b + 26, 2) & 0x3FFF;
            h.height = le(b + 28, 2) & 0x3FFF;
        } else {
            return std::nullopt;
        }
        return h;
    }
    if (std::memcmp(b, "II*\0", 4) == 0)
        return tiffHeader(in, true);
    if (std::memcmp(b, "MM\0*", 4) == 0)
        return tiffHeader(in, false);
    return std::nullopt;
}

} // namespace

Dataset loadImageFolder(const std::string& folder, const LoadOptions& options,
                        const jobs::ProgressFn& progress, const jobs::CancelToken& cancel)
{
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw Error::inFile(folder, "is not a folder",
                            "An image dataset is a folder with one sub-folder per class");
    const std::vector<fs::path> classDirs = sortedEntries(folder, true);
    std::vector<std::pair<fs::path, int64_t>> files;
    std::optional<std::pair<fs::path, fs::path>> unreadableClass; // folder, a file in it
    Dataset data;
    data.kind = DataKind::Image;
    data.source = folder;
    for (const auto& dir : classDirs) {
        const auto images = sortedEntries(dir, false);
        if (images.empty()) {
            // A sub-folder with no visible files (e.g. "__MACOSX", whose files start with a dot)
            // is not a class. One that holds files, none of them images this app reads, is a
            // class the user would lose without a word.
            if (!unreadableClass)
                if (const auto other = firstOtherFile(dir))
                    unreadableClass = std::make_pair(dir, *other);
            continue;
        }
        const std::string name = dir.filename().string();
        if (files::invalidUtf8At(name) != std::string::npos)
            throw Error::inFile(dir.string(),
                                "the class folder name '" + files::echo(name) +
                                    "' is not valid UTF-8",
                                "Rename the folder (class names are saved in the model file)");
        if (data.numClasses() >= limits::kMaxClasses)
            throw Error::inFile(folder,
                                "more than " + std::to_string(limits::kMaxClasses) +
                                    " class folders hold images; at most " +
                                    std::to_string(limits::kMaxClasses) + " classes are supported",
                                "An image dataset has one sub-folder per class");
        for (const auto& f : images)
            files.emplace_back(f, data.numClasses());
        data.classNames.push_back(dir.filename().string());
    }
    if (files.empty())
        throw Error::inFile(folder, "no images found (png, jpg, bmp, pgm, ppm, tif, webp)",
                            "Put the images in one sub-folder per class, e.g. " + folder +
                                "/cat/1.png");
    if (unreadableClass) {
        const auto& [dir, file] = *unreadableClass;
        throw Error::inFile(dir.string(),
                            "the class folder '" + files::echo(dir.filename().string()) +
                                "' holds no image that can be read (e.g. '" +
                                files::echo(file.filename().string()) + "')",
                            "Convert its images to PNG, JPEG, BMP, PNM, TIFF or WebP, or move the "
                            "folder out if it is not a class");
    }
    if (data.numClasses() < 2)
        throw Error::inFile(folder,
                            "only one class folder ('" + data.classNames.front() +
                                "') holds images",
                            "Add a sub-folder per class");
    if (options.maxRows >= 0 && static_cast<int64_t>(files.size()) > options.maxRows)
        files.resize(static_cast<size_t>(options.maxRows));

    // Sizes from the file headers, before decoding anything: every image the size of the
    // first, none huge, and all of them together within the memory limit.
    std::vector<int> maxValues(files.size(), 0);
    {
        int64_t width = -1, height = -1, channels = 1;
        for (size_t i = 0; i < files.size(); ++i) {
            const std::string path = files[i].first.string();
            const auto h = readImageHeader(path);
            if (h)
                maxValues[i] = h->maxValue;
            // Only files whose header we read reach OpenCV: cv::imread picks its decoder by the
            // content, not the name, and would hand anything else to decoders this app never
            // meant to run (fuzz_image found a ".tif" with "DICM" at byte 128 that went to
            // GDCM's DICOM reader, whose assertion aborted the process).
            if (!h)
                throw Error::inFile(path,
                                    "cannot be read as an image: its header is not that of a PNG, "
                                    "JPEG, BMP, PNM (P1-P6), WebP or TIFF file, or is damaged",
                                    "Remove or replace the file");
            if (h->width <= 0 || h->height <= 0 || // in double: a PNM header's digits can overflow
                double(h->width) * double(h->height) > double(limits::kMaxImagePixels))
                throw Error::inFile(path,
                                    "is " + std::to_string(h->width) + "x" +
                                        std::to_string(h->height) +
                                        " pixels; images of more than " +
                                        std::to_string(limits::kMaxImagePixels) +
                                        " pixels (8192x8192) are not read",
                                    "Resize the images first");
            if (width < 0) {
                width = h->width;
                height = h->height;
            } else if (h->width != width || h->height != height) {
                throw Error::inFile(path,
                                    "is " + std::to_string(h->width) + "x" +
                                        std::to_string(h->height) + " pixels but the first image is " +
                                        std::to_string(width) + "x" + std::to_string(height),
                                    "All images must have the same size; resize them first");
            }
            channels = std::max<int64_t>(channels, h->channels);
        }
        const double values = double(files.size()) * double(std::max<int64_t>(width, 0)) *
                              double(std::max<int64_t>(height, 0)) * double(channels);
        if (values > double(limits::kMaxDatasetValues))
            throw Error::inFile(folder,
                                std::to_string(files.size()) + " images of " +
                                    std::to_string(width) + "x" + std::to_string(height) +
                                    " pixels (" + (channels == 1 ? "gray" : "colour") +
                                    ") exceed the limit of " +
                                    std::to_string(limits::kMaxDatasetValues) +
                                    " values (4 GiB) a dataset may hold in memory",
                                "Use fewer or smaller images");
    }

    // Decode everything first: the channel count is only known after the last file.
    std::vector<cv::Mat> mats;
    mats.reserve(files.size());
    bool allGray = true;
    for (size_t i = 0; i < files.size(); ++i) {
        cancel.throwIfCancelled();
        const std::string path = files[i].first.string();
        if (i % 64 == 0)
            jobs::report(progress, 0.9 * static_cast<double>(i) / files.size(), "load",
                         "Reading " + path);
        cv::Mat m;
        try {
            m = cv::imread(path, cv::IMREAD_UNCHANGED);
        } catch (const cv::Exception& e) {
            throw Error::inFile(path, "cannot be decoded as an image (" + e.msg + ")",
                                "Remove or replace the file");
        }
        if (m.empty())
            throw Error::inFile(path, "cannot be read as an image",
                                "The file is damaged or not an image; remove or replace it");
        if (!mats.empty() && (m.rows != mats.front().rows || m.cols != mats.front().cols))
            throw Error::inFile(path,
                                "is " + std::to_string(m.cols) + "x" + std::to_string(m.rows) +
                                    " pixels but " + files.front().first.string() + " is " +
                                    std::to_string(mats.front().cols) + "x" +
                                    std::to_string(mats.front().rows),
                                "All images must have the same size; resize them first");
        requireUnitRange(path, m);
        if (m.channels() == 2) // gray + alpha: the alpha is dropped
            cv::extractChannel(m, m, 0);
        allGray = allGray && m.channels() == 1;
        mats.push_back(std::move(m));
        data.y.push_back(files[i].second);
    }

    const int64_t c = allGray ? 1 : 3, h = mats.front().rows, w = mats.front().cols;
    if (double(mats.size()) * double(c * h * w) > double(limits::kMaxDatasetValues))
        throw Error::inFile(folder,
                            "the images exceed the limit of " +
                                std::to_string(limits::kMaxDatasetValues) +
                                " values (4 GiB) a dataset may hold in memory",
                            "Use fewer or smaller images");
    data.sampleShape = {c, h, w};
    data.x.resize(mats.size() * static_cast<size_t>(c * h * w));
    for (size_t i = 0; i < mats.size(); ++i) {
        cv::Mat m = mats[i];
        if (!allGray) {
            if (m.channels() == 1)
                cv::cvtColor(m, m, cv::COLOR_GRAY2RGB);
            else if (m.channels() == 4)
                cv::cvtColor(m, m, cv::COLOR_BGRA2RGB); // alpha is dropped
            else
                cv::cvtColor(m, m, cv::COLOR_BGR2RGB);
        }
        const cv::Mat f = toUnitFloat(m, maxValues[i]);
        float* out = data.x.data() + i * static_cast<size_t>(c * h * w);
        for (int64_t r = 0; r < h; ++r) {
            const float* src = f.ptr<float>(static_cast<int>(r));
            for (int64_t col = 0; col < w; ++col)
                for (int64_t ch = 0; ch < c; ++ch) // HWC -> CHW
                    out[(ch * h + r) * w + col] = src[col * c + ch];
        }
        mats[i].release();
    }
    jobs::report(progress, 1.0, "load", "Read " + folder);
    return data;
}

} // namespace senn::data
