#include "cli/cli_util.h"

#include "core/common/error.h"
#include "core/io/model_file.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace senn::cli {

bool stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO) != 0;
}

std::string formatSeconds(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return "?";
    char buf[64];
    if (seconds < 60) {
        std::snprintf(buf, sizeof buf, "%.1fs", seconds);
    } else if (seconds < 3600) {
        const int s = static_cast<int>(seconds + 0.5);
        std::snprintf(buf, sizeof buf, "%dm %02ds", s / 60, s % 60);
    } else {
        const int s = static_cast<int>(seconds + 0.5);
        std::snprintf(buf, sizeof buf, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }
    return buf;
}

// ---- ProgressPrinter -------------------------------------------------------------------

ProgressPrinter::ProgressPrinter(std::string title, double plainEverySeconds)
    : m_title(std::move(title)), m_plainEvery(plainEverySeconds), m_tty(stderrIsTerminal()),
      m_start(std::chrono::steady_clock::now())
{
}

ProgressPrinter::~ProgressPrinter()
{
    if (m_barOpen) {
        std::cerr << "\n";
        std::cerr.flush();
    }
}

void ProgressPrinter::clearBar()
{
    if (m_barOpen) {
        std::cerr << "\r\033[K";
        m_barOpen = false;
    }
}

void ProgressPrinter::update(double fraction, const std::string& message)
{
    fraction = std::clamp(fraction, 0.0, 1.0);
    const double now =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    const bool done = fraction >= 1.0;
    if (m_tty) {
        if (!done && now - m_lastDraw < 0.1)
            return;
        m_lastDraw = now;
        constexpr int width = 30;
        const int filled = static_cast<int>(fraction * width + 0.5);
        std::string bar(static_cast<size_t>(filled), '#');
        bar.append(static_cast<size_t>(width - filled), '.');
        char pct[16];
        std::snprintf(pct, sizeof pct, "%5.1f%%", fraction * 100.0);
        std::cerr << "\r\033[K";
        if (!m_title.empty())
            std::cerr << m_title << " ";
        std::cerr << "[" << bar << "] " << pct;
        if (!message.empty())
            std::cerr << "  " << message;
        std::cerr.flush();
        m_barOpen = true;
    } else {
        if (!done && now - m_lastDraw < m_plainEvery)
            return;
        m_lastDraw = now;
        char pct[16];
        std::snprintf(pct, sizeof pct, "%.0f%%", fraction * 100.0);
        if (!m_title.empty())
            std::cerr << m_title << ": ";
        std::cerr << pct;
        if (!message.empty())
            std::cerr << " " << message;
        std::cerr << "\n";
    }
}

void ProgressPrinter::line(const std::string& text)
{
    clearBar();
    std::cerr << text << "\n";
    std::cerr.flush();
}

void ProgressPrinter::finish(const std::string& message)
{
    if (m_tty) {
        if (m_barOpen || !message.empty()) {
            clearBar();
            if (!message.empty())
                std::cerr << (m_title.empty() ? "" : m_title + ": ") << message << "\n";
        }
    } else if (!message.empty()) {
        std::cerr << (m_title.empty() ? "" : m_title + ": ") << message << "\n";
    }
    m_barOpen = false;
    std::cerr.flush();
}

jobs::ProgressFn ProgressPrinter::callback()
{
    return [this](const jobs::Progress& p) { update(p.fraction, p.message); };
}

// ---- files -----------------------------------------------------------------------------

void writeTextFile(const std::string& path, const std::string& text)
{
    io::writeFileAtomically(path, text);
}

void writeJsonFile(const std::string& path, const nlohmann::json& json, int indent)
{
    std::string text;
    try {
        text = json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
    } catch (const nlohmann::json::exception& e) {
        throw Error::inFile(path, std::string("cannot encode the result as JSON: ") + e.what());
    }
    text += "\n";
    io::writeFileAtomically(path, text);
}

// ---- model + data ----------------------------------------------------------------------

io::Workspace openModelAndData(const std::string& modelPath, const std::string& dataPath)
{
    ProgressPrinter progress("loading");
    auto ws = io::openWithModel(modelPath, dataPath, progress.callback());
    progress.finish();
    return ws;
}

std::vector<int64_t> rowsForSplit(const io::Workspace& ws, const std::string& split)
{
    std::vector<int64_t> rows;
    if (split == "all") {
        rows.resize(static_cast<size_t>(ws.data.rows()));
        for (int64_t i = 0; i < ws.data.rows(); ++i)
            rows[static_cast<size_t>(i)] = i;
    } else if (split == "train") {
        rows = ws.split.train;
    } else if (split == "val") {
        rows = ws.split.val;
    } else if (split == "test") {
        rows = ws.split.test;
    } else {
        throw Error("unknown split '" + split + "'; valid: train, val, test, all");
    }
    if (rows.empty())
        throw Error("the " + split + " split of " + ws.data.source +
                    " is empty; choose another --split");
    return rows;
}

int64_t rowAt(const std::vector<int64_t>& rows, int64_t index, const std::string& split)
{
    if (index < 0 || index >= static_cast<int64_t>(rows.size()))
        throw Error("--index " + std::to_string(index) + " is outside the " + split +
                    " split, which has " + std::to_string(rows.size()) +
                    " rows (valid: 0.." + std::to_string(rows.size() - 1) + ")");
    return rows[static_cast<size_t>(index)];
}

} // namespace senn::cli
