// Checks on the files a command reads and writes, done before any work starts: inputs must be
// regular files (not devices, FIFOs or folders), outputs must be writable, must not be a
// folder and must never be one of the inputs (compared through links). Also the text helpers
// that make user data safe to echo in a message. Plain C++: no Qt, no LibTorch.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace senn::files {

// Throws senn::Error naming the file when `path` is missing, a folder, or not a regular file
// (a device such as /dev/zero, a FIFO, a socket). `what` names the role, e.g. "model file".
void requireRegularFile(const std::string& path, const std::string& what = "file");

// One output of a command: its option name (for messages, e.g. "--out") and path.
struct Output {
    std::string option;
    std::string path;
};

// Throws senn::Error when an output is unusable: its folder does not exist or is not
// writable, it is an existing folder or a non-regular file, it is the same file as one of the
// inputs (canonical paths, through symbolic and hard links), it would overwrite a data file
// inside an input folder, or two outputs are the same file. Empty paths are skipped.
void checkOutputs(const std::vector<Output>& outputs, const std::vector<std::string>& inputs);
void checkOutput(const std::string& option, const std::string& path,
                 const std::vector<std::string>& inputs);

// True when a and b name the same file (both may be missing: then compared canonically).
bool samePath(const std::string& a, const std::string& b);

// Removes leftover temp files of an interrupted atomic write of `path` ("PATH.tmp-XXXXXX",
// the names io::writeFileAtomically uses) that are older than `minAgeSeconds`. Returns how
// many were removed. Never throws.
int removeStaleTemps(const std::string& path, double minAgeSeconds = 60.0);

// User data made safe for a one-line message: control characters and invalid UTF-8 bytes
// escaped (\n, \t, \x1b, ...), cut to about `maxChars` characters with "..." appended.
std::string echo(std::string_view text, size_t maxChars = 60);

// The first invalid UTF-8 byte's offset in text, or npos when it is valid UTF-8.
size_t invalidUtf8At(std::string_view text);

// A message for a person from any exception text: LibTorch's backtraces ("Exception raised
// from ...", "frame #0: ...") dropped, control characters escaped, cut to `maxChars`.
std::string cleanMessage(std::string_view what, size_t maxChars = 400);

} // namespace senn::files
