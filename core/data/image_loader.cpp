// Image folders: one sub-folder per class, decoded with OpenCV. All images must share the
// first image's size; they become grayscale [1,H,W] when every file is single-channel, else
// RGB [3,H,W], scaled to [0,1].
#include "core/common/error.h"
#include "core/data/loader_detail.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
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

// 8-bit, 16-bit and float images all end up as float in [0,1] (floats are kept as stored).
cv::Mat toUnitFloat(const cv::Mat& m)
{
    double scale = 1.0;
    switch (m.depth()) {
    case CV_8U: scale = 1.0 / 255.0; break;
    case CV_8S: scale = 1.0 / 127.0; break;
    case CV_16U: scale = 1.0 / 65535.0; break;
    case CV_16S: scale = 1.0 / 32767.0; break;
    default: break;
    }
    cv::Mat f;
    m.convertTo(f, CV_MAKETYPE(CV_32F, m.channels()), scale);
    return f;
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
    Dataset data;
    data.kind = DataKind::Image;
    data.source = folder;
    for (const auto& dir : classDirs) {
        const auto images = sortedEntries(dir, false);
        if (images.empty())
            continue; // a stray sub-folder (e.g. "__MACOSX") is not a class
        for (const auto& f : images)
            files.emplace_back(f, data.numClasses());
        data.classNames.push_back(dir.filename().string());
    }
    if (files.empty())
        throw Error::inFile(folder, "no images found (png, jpg, bmp, pgm, ppm, tif, webp)",
                            "Put the images in one sub-folder per class, e.g. " + folder +
                                "/cat/1.png");
    if (data.numClasses() < 2)
        throw Error::inFile(folder,
                            "only one class folder ('" + data.classNames.front() +
                                "') holds images",
                            "Add a sub-folder per class");
    if (options.maxRows >= 0 && static_cast<int64_t>(files.size()) > options.maxRows)
        files.resize(static_cast<size_t>(options.maxRows));

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
        if (m.channels() == 2) // gray + alpha: the alpha is dropped
            cv::extractChannel(m, m, 0);
        allGray = allGray && m.channels() == 1;
        mats.push_back(std::move(m));
        data.y.push_back(files[i].second);
    }

    const int64_t c = allGray ? 1 : 3, h = mats.front().rows, w = mats.front().cols;
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
        const cv::Mat f = toUnitFloat(m);
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
