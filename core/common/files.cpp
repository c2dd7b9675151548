#include "core/common/files.h"

#include "core/common/error.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <vector>

namespace fs = std::filesystem;

namespace senn::files {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string kindOf(fs::file_type t)
{
    switch (t) {
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    case fs::file_type::fifo: return "a FIFO (named pipe)";
    case fs::file_type::socket: return "a socket";
    default: return "not a regular file";
    }
}

fs::path canonicalOf(const std::string& p)
{
    std::error_code ec;
    fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
    if (ec)
        c = fs::absolute(p, ec).lexically_normal();
    return c;
}

// A file name a dataset loader would read from a folder it is given.
bool looksLikeDataFile(const fs::path& p)
{
    static const std::set<std::string> exts = {".csv", ".tsv", ".txt", ".npy", ".png",
                                               ".jpg", ".jpeg", ".bmp", ".pgm", ".ppm",
                                               ".pbm", ".tif", ".tiff", ".webp", ".gz"};
    const std::string name = lower(p.filename().string());
    return exts.count(lower(p.extension().string())) > 0 ||
           name.find("idx3-ubyte") != std::string::npos ||
           name.find("idx1-ubyte") != std::string::npos;
}

bool isInside(const fs::path& child, const fs::path& folder)
{
    auto c = child.begin();
    for (auto f = folder.begin(); f != folder.end(); ++f, ++c) {
        if (f->empty())
            continue;
        if (c == child.end() || *c != *f)
            return false;
    }
    return c != child.end();
}

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 when invalid.
size_t utf8Length(std::string_view t, size_t i, uint32_t* cp)
{
    const auto b = [&](size_t k) { return static_cast<unsigned char>(t[k]); };
    const unsigned char c = b(i);
    size_t n = 0;
    uint32_t v = 0;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > t.size())
        return 0;
    for (size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (b(i + k) & 0x3F);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
        (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

} // namespace

void requireRegularFile(const std::string& path, const std::string& what)
{
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st))
        throw Error::inFile(path, "cannot open the " + what + ": no such file", "Check the path");
    if (fs::is_directory(st))
        throw Error::inFile(path, "is a folder, not a " + what);
    if (!fs::is_regular_file(st))
        throw Error::inFile(path, "is " + kindOf(st.type()) + ", not a " + what,
                            "Give the path of a regular file");
}

bool samePath(const std::string& a, const std::string& b)
{
    if (a.empty() || b.empty())
        return false;
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec)) {
        const bool eq = fs::equivalent(a, b, ec);
        if (!ec)
            return eq;
    }
    return canonicalOf(a) == canonicalOf(b);
}

void checkOutput(const std::string& option, const std::string& path,
                 const std::vector<std::string>& inputs)
{
    if (path.empty())
        return;
    const std::string who = option.empty() ? path : option + " " + echo(path, 200);
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (fs::exists(st)) {
        if (fs::is_directory(st))
            throw Error(who + ": is a folder. Give a file name, e.g. " +
                        echo((fs::path(path) / "result.json").string(), 200));
        if (!fs::is_regular_file(st))
            throw Error(who + ": is " + kindOf(st.type()) +
                        ", not a file SENN Studio can replace. Give a file name");
    }
    fs::path parent = fs::path(path).parent_path();
    if (parent.empty())
        parent = ".";
    const fs::file_status ps = fs::status(parent, ec);
    if (!fs::exists(ps))
        throw Error(who + ": the folder " + echo(parent.string(), 200) +
                    " does not exist. Create it first or choose another path");
    if (!fs::is_directory(ps))
        throw Error(who + ": " + echo(parent.string(), 200) + " is not a folder");
    if (::access(parent.c_str(), W_OK) != 0)
        throw Error(who + ": the folder " + echo(parent.string(), 200) +
                    " is not writable. Choose another folder");
    const fs::path out = canonicalOf(path);
    for (const auto& in : inputs) {
        if (in.empty())
            continue;
        if (samePath(path, in))
            throw Error(who + ": this is an input in use (" + echo(in, 200) +
                        "); writing it would destroy the input. Choose another file name");
        if (fs::is_directory(in, ec) && isInside(out, canonicalOf(in)) && looksLikeDataFile(out))
            throw Error(who + ": lies inside the input folder " + echo(in, 200) +
                        " and could replace or add a data file there. Write it elsewhere");
    }
}

void checkOutputs(const std::vector<Output>& outputs, const std::vector<std::string>& inputs)
{
    for (size_t i = 0; i < outputs.size(); ++i) {
        checkOutput(outputs[i].option, outputs[i].path, inputs);
        for (size_t j = 0; j < i; ++j)
            if (!outputs[i].path.empty() && samePath(outputs[i].path, outputs[j].path))
                throw Error(outputs[i].option + " and " + outputs[j].option +
                            " name the same file (" + echo(outputs[i].path, 200) +
                            "). Give each output its own file");
    }
}

int removeStaleTemps(const std::string& path, double minAgeSeconds)
{
    std::error_code ec;
    const fs::path target(path);
    fs::path dir = target.parent_path();
    if (dir.empty())
        dir = ".";
    const std::string prefix = target.filename().string() + ".tmp-";
    int removed = 0;
    const auto now = fs::file_time_type::clock::now();
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0)
            continue;
        if (!std::all_of(name.begin() + static_cast<long>(prefix.size()), name.end(),
                         [](unsigned char c) { return std::isalnum(c) != 0; }))
            continue;
        std::error_code fec;
        if (!it->is_regular_file(fec) || it->is_symlink(fec))
            continue;
        const auto mtime = fs::last_write_time(it->path(), fec);
        if (fec)
            continue;
        const double age = std::chrono::duration<double>(now - mtime).count();
        if (age < minAgeSeconds)
            continue; // perhaps another save to the same file, still being written
        if (fs::remove(it->path(), fec))
            ++removed;
    }
    return removed;
}

size_t invalidUtf8At(std::string_view text)
{
    uint32_t cp = 0;
    for (size_t i = 0; i < text.size();) {
        const size_t n = utf8Length(text, i, &cp);
        if (n == 0)
            return i;
        i += n;
    }
    return std::string_view::npos;
}

std::string echo(std::string_view text, size_t maxChars)
{
    std::string out;
    char buf[8];
    for (size_t i = 0; i < text.size();) {
        if (out.size() >= maxChars) { // escapes count with their full length
            out += "...";
            break;
        }
        uint32_t cp = 0;
        const size_t n = utf8Length(text, i, &cp);
        if (n == 0) {
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(text[i]));
            out += buf;
            ++i;
        } else if (cp == '\n') {
            out += "\\n";
            i += n;
        } else if (cp == '\t') {
            out += "\\t";
            i += n;
        } else if (cp == '\r') {
            out += "\\r";
            i += n;
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp & 0xFF));
            out += cp >= 0x80 ? "\\u00" + std::string(buf + 2) : std::string(buf);
            i += n;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string cleanMessage(std::string_view what, size_t maxChars)
{
    std::string_view s = what;
    // LibTorch: "msg\nException raised from f at file:line (most recent call first):\nframe #0..."
    for (const char* cut : {"\nException raised from", "Exception raised from "}) {
        const size_t at = s.find(cut);
        if (at != std::string_view::npos)
            s = s.substr(0, at);
    }
    // Non-empty lines, trimmed; LibTorch's "frame #N" lines dropped.
    std::vector<std::string_view> lines;
    for (size_t b = 0; b < s.size();) {
        size_t e = s.find('\n', b);
        if (e == std::string_view::npos)
            e = s.size();
        std::string_view line = s.substr(b, e - b);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t'))
            line.remove_suffix(1);
        if (!line.empty() && line.rfind("frame #", 0) != 0)
            lines.push_back(line);
        b = e + 1;
    }
    // TorchScript interpreter: a traceback, then the Python-style error on the last line;
    // anything else: the lines joined with "; ".
    std::string text;
    if (s.find("Traceback of TorchScript") != std::string_view::npos ||
        s.find("The following operation failed") != std::string_view::npos) {
        if (!lines.empty())
            text = std::string(lines.back());
    } else {
        for (const auto& line : lines)
            text += (text.empty() ? "" : "; ") + std::string(line);
    }
    return echo(text, maxChars);
}

} // namespace senn::files
