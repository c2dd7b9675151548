// Helpers shared by the `senn` sub-commands (cli.md): progress on stderr (a bar on a terminal,
// plain lines otherwise), atomic JSON/text output files, and opening a model with its data and
// split the way training saw them. Torch-free: only core's public headers.
#pragma once
#include "core/io/workspace.h"
#include "core/jobs/job.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace senn::cli {

// True when stderr is a terminal (then progress is drawn as a bar redrawn in place).
bool stderrIsTerminal();

// Progress reporter on stderr. On a terminal: one bar line redrawn at most ~10 times a second.
// Otherwise: plain lines, at most one per `plainEverySeconds` (and always at 100%), so logs stay
// short. Not thread-safe; use from the thread that runs the job.
class ProgressPrinter {
public:
    explicit ProgressPrinter(std::string title = {}, double plainEverySeconds = 2.0);
    ~ProgressPrinter(); // ends an open bar line

    // fraction in [0, 1]; message is shown after the bar / percentage.
    void update(double fraction, const std::string& message = {});
    // A full line of its own (e.g. an epoch summary); clears the bar first.
    void line(const std::string& text);
    // Ends the bar (prints 100% and a newline on a terminal); idempotent.
    void finish(const std::string& message = {});
    // Adapter for core's jobs::ProgressFn (uses Progress::fraction and ::message).
    jobs::ProgressFn callback();
    bool isTerminal() const { return m_tty; }

private:
    void clearBar();
    std::string m_title;
    double m_plainEvery;
    bool m_tty;
    bool m_barOpen = false;
    double m_lastDraw = -1e9;
    std::chrono::steady_clock::time_point m_start;
};

// "1m 05s", "12.3s": for ETAs and durations in progress messages.
std::string formatSeconds(double seconds);

// Writes text / JSON (pretty, with a trailing newline) atomically (temp file + rename).
// Throws senn::Error naming the file when it cannot be written.
void writeTextFile(const std::string& path, const std::string& text);
void writeJsonFile(const std::string& path, const nlohmann::json& json, int indent = 2);

// Loads a model (.senn or TorchScript) and the data with the model's target, transforms and
// split (io::openWithModel), reporting progress on stderr.
io::Workspace openModelAndData(const std::string& modelPath, const std::string& dataPath);

// Row indices of a split by name: "train", "val", "test" or "all" (every row of the data).
// Throws senn::Error for an unknown name or an empty split.
std::vector<int64_t> rowsForSplit(const io::Workspace& ws, const std::string& split);

// Index I within rows (for --index): throws senn::Error naming the split and its size.
int64_t rowAt(const std::vector<int64_t>& rows, int64_t index, const std::string& split);

} // namespace senn::cli
