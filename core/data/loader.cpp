// Format detection and dispatch, plus the helpers the individual loaders share.
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/data/loader_detail.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace senn::data {
namespace detail {

std::optional<double> parseNumber(std::string_view text)
{
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty())
        return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (end != text.data() + text.size())
        return std::nullopt;
    if (ec == std::errc::result_out_of_range) // 1e999: report it as the infinity it is
        return text.front() == '-' ? -HUGE_VAL : HUGE_VAL;
    if (ec != std::errc())
        return std::nullopt;
    return v;
}

std::vector<uint8_t> readFile(const std::string& path)
{
    // Not a device (/dev/zero), FIFO or folder: those would be read forever or block.
    files::requireRegularFile(path, "file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error::inFile(path, "cannot be opened", "Check that the file is readable");
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    in.seekg(0, std::ios::beg);
    std::vector<uint8_t> bytes(static_cast<size_t>(std::max<std::streamoff>(size, 0)));
    if (!bytes.empty() && !in.read(reinterpret_cast<char*>(bytes.data()),
                                   static_cast<std::streamsize>(bytes.size())))
        throw Error::inFile(path, "could not be read completely");
    return bytes;
}

std::vector<std::string> numberNames(int64_t n)
{
    std::vector<std::string> names;
    for (int64_t i = 0; i < n; ++i)
        names.push_back(std::to_string(i));
    return names;
}

} // namespace detail

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool isIdxFileName(const std::string& name)
{
    const std::string n = lower(name);
    return (n.rfind("train-", 0) == 0 || n.rfind("t10k-", 0) == 0) &&
           (n.find("idx3-ubyte") != std::string::npos || n.find("idx1-ubyte") != std::string::npos);
}

bool hasFile(const fs::path& dir, std::initializer_list<const char*> names)
{
    std::error_code ec;
    for (const char* n : names)
        if (fs::is_regular_file(dir / n, ec))
            return true;
    return false;
}

const char* kSupported =
    "Supported: a CSV file (.csv, .tsv, .txt) with a header row; a folder with MNIST IDX "
    "files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], optional t10k-*); a "
    "folder of images with one sub-folder per class; NumPy x.npy + y.npy (a folder or the x "
    "file)";

} // namespace

SourceFormat detectFormat(const std::string& path)
{
    std::error_code ec;
    const fs::path p(path);
    if (fs::is_directory(p, ec)) {
        if (hasFile(p, {"train-images-idx3-ubyte", "train-images-idx3-ubyte.gz",
                        "train-images.idx3-ubyte", "train-images.idx3-ubyte.gz"}))
            return SourceFormat::IdxFolder;
        if (hasFile(p, {"x.npy", "X.npy", "x_train.npy", "X_train.npy"}))
            return SourceFormat::NpyPair;
        for (const auto& entry : fs::directory_iterator(p, ec)) {
            const std::string name = entry.path().filename().string();
            if (!name.empty() && name[0] != '.' && entry.is_directory(ec))
                return SourceFormat::ImageFolder;
        }
        return SourceFormat::Unknown;
    }
    if (!fs::is_regular_file(p, ec))
        return SourceFormat::Unknown;
    const std::string ext = lower(p.extension().string());
    if (ext == ".csv" || ext == ".tsv" || ext == ".txt")
        return SourceFormat::Csv;
    if (ext == ".npy")
        return SourceFormat::NpyPair;
    if (isIdxFileName(p.filename().string()))
        return SourceFormat::IdxFolder;
    return SourceFormat::Unknown;
}

Dataset loadDataset(const std::string& path, const LoadOptions& options,
                    const jobs::ProgressFn& progress, const jobs::CancelToken& cancel)
{
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st))
        throw Error::inFile(path, "no such file or folder", "Check the path");
    if (!fs::is_directory(st))
        files::requireRegularFile(path, "dataset file");
    cancel.throwIfCancelled();
    switch (detectFormat(path)) {
    case SourceFormat::Csv:
        return detail::loadCsv(path, options, progress, &cancel);
    case SourceFormat::IdxFolder: {
        // An IDX file given directly stands for the folder it is in.
        const std::string folder =
            fs::is_directory(path, ec) ? path : fs::path(path).parent_path().string();
        return detail::loadIdxFolder(folder.empty() ? "." : folder, options, progress, &cancel);
    }
    case SourceFormat::ImageFolder:
        return loadImageFolder(path, options, progress, cancel);
    case SourceFormat::NpyPair:
        return detail::loadNpy(path, options, progress, &cancel);
    case SourceFormat::Unknown:
        break;
    }
    throw Error::inFile(path, "not a dataset format SENN Studio reads", kSupported);
}

} // namespace senn::data
