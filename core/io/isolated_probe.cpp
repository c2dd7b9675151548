// fork() without exec from a process that has other threads (Qt, OpenMP, the explainers) is only
// safe when the child does little: it loads the file on one fresh thread, writes one message to
// a pipe and leaves with _exit (no atexit handlers, no static destructors, no Qt). A child that
// deadlocks on a lock some parent thread held at the fork is killed by the parent's time limit.
#include "core/io/isolated_probe.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/io/archive_guard.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include <cerrno>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define SENN_PROBE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SENN_PROBE_ASAN 1
#endif
#endif

namespace senn::io {

namespace {

// Messages from the child: one letter, then text.
constexpr char kOk = 'K', kFailed = 'E', kNoMemory = 'M', kStackOverflow = 'S';

struct ProbeJob {
    std::string path;            // the file, or
    const std::string* bytes;    // the archive in memory (when not null)
    torch::Tensor input;
    std::string result;
};

// The child's probe thread: its stack's lowest address and the pipe, for the SIGSEGV handler.
uintptr_t g_stackLow = 0;
int g_pipe = -1;

void writeAll(int fd, const char* data, size_t n)
{
    while (n > 0) {
        const ssize_t w = ::write(fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        data += w;
        n -= size_t(w);
    }
}

// A fault just below the probe thread's stack is the stack overflowing: say so, then leave.
// Anything else dies of the signal as it would have.
void onSegv(int sig, siginfo_t* info, void*)
{
    const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
    if (g_stackLow != 0 && addr < g_stackLow + 65536 && addr + (uintptr_t(64) << 20) > g_stackLow) {
        writeAll(g_pipe, &kStackOverflow, 1);
        ::_exit(3);
    }
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

void* probeThread(void* arg)
{
    auto* job = static_cast<ProbeJob*>(arg);
    pthread_attr_t attr;
    if (::pthread_getattr_np(::pthread_self(), &attr) == 0) {
        void* low = nullptr;
        size_t size = 0;
        ::pthread_attr_getstack(&attr, &low, &size);
        ::pthread_attr_destroy(&attr);
        g_stackLow = reinterpret_cast<uintptr_t>(low);
    }
    static char altStack[64 * 1024];
    stack_t ss{}, previous{};
    ss.ss_sp = altStack;
    ss.ss_size = sizeof altStack;
    // The previous alternate stack is put back before the thread ends: AddressSanitizer gives
    // each thread one of its own and unmaps it at the thread's end, and unmapping this static
    // buffer instead failed its check (the child then exited with code 1 for a clean model).
    ::sigaltstack(&ss, &previous);
    struct sigaction sa{};
    sa.sa_sigaction = onSegv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    ::sigemptyset(&sa.sa_mask);
    ::sigaction(SIGSEGV, &sa, nullptr);
    ::sigaction(SIGBUS, &sa, nullptr);
    try {
        at::set_num_threads(1); // no OpenMP pool in the child: the parent's cannot be trusted
        torch::NoGradGuard noGrad;
        torch::jit::Module module;
        if (job->bytes) {
            std::istringstream in(*job->bytes, std::ios::binary);
            module = torch::jit::load(in);
        } else {
            module = torch::jit::load(job->path);
        }
        checkModuleTensors(module);
        module.eval();
        // The profiling executor records on the first call and optimises the graph on the next.
        for (int i = 0; i < 3; ++i)
            module.forward({job->input.clone()});
        job->result = std::string(1, kOk);
    } catch (const std::bad_alloc&) {
        job->result = std::string(1, kNoMemory);
    } catch (const c10::Error& e) {
        const std::string what = e.what_without_backtrace();
        job->result = std::string(1, what.find("alloc") != std::string::npos &&
                                             what.find("memory") != std::string::npos
                                         ? kNoMemory
                                         : kFailed) + what.substr(0, 2000);
    } catch (const std::exception& e) {
        job->result = kFailed + std::string(e.what()).substr(0, 2000);
    } catch (...) {
        job->result = std::string(1, kFailed);
    }
    ::sigaltstack(&previous, nullptr);
    return nullptr;
}

[[noreturn]] void runChild(int fd, const std::string& path, const std::string* bytes, const torch::Tensor& input,
                          uint64_t inflated)
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The parent's handlers (a crash reporter, the CLI's Ctrl-C) are not the child's business:
    // a crash must end it, and Ctrl-C is the parent's to handle.
    for (int sig : {SIGABRT, SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGTERM})
        ::signal(sig, SIG_DFL);
    ::signal(SIGINT, SIG_IGN);
    const rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
#ifndef SENN_PROBE_ASAN
    // What the process maps already (the parent's whole address space) plus the allowance.
    long pages = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld", &pages) != 1)
            pages = 0;
        std::fclose(f);
    }
    if (pages > 0) {
        const uint64_t mapped = uint64_t(pages) * uint64_t(::sysconf(_SC_PAGESIZE));
        const uint64_t allowance = 2 * inflated + uint64_t(limits::kProbeMemoryFloor) + kProbeStackBytes;
        const rlimit as{mapped + allowance, mapped + allowance};
        ::setrlimit(RLIMIT_AS, &as);
    }
#else
    (void)inflated;
#endif
    g_pipe = fd;
    ProbeJob job{path, bytes, input, std::string(1, kFailed)};
    pthread_attr_t attr;
    pthread_t thread;
    ::pthread_attr_init(&attr);
    ::pthread_attr_setstacksize(&attr, kProbeStackBytes);
    if (::pthread_create(&thread, &attr, probeThread, &job) != 0) {
        writeAll(fd, &kNoMemory, 1);
        ::_exit(2);
    }
    ::pthread_join(thread, nullptr);
    writeAll(fd, job.result.data(), job.result.size());
    ::_exit(0);
}

std::string signalName(int sig)
{
    const char* name = ::strsignal(sig);
    return name ? std::string(name) : "signal " + std::to_string(sig);
}

void probe(const std::string& path, const std::string* bytes, const torch::Tensor& trialInput, uint64_t inflatedBytes)
{
    // The input is made before the fork: the child allocates as little as it can.
    const torch::Tensor input = trialInput.contiguous();
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw Error("cannot start the separate process that checks it (" + std::string(std::strerror(errno)) + ")");
    const pid_t pid = ::fork();
    if (pid < 0) {
        const std::string why = std::strerror(errno);
        ::close(fds[0]);
        ::close(fds[1]);
        throw Error("cannot start the separate process that checks it (" + why + ")");
    }
    if (pid == 0) {
        ::close(fds[0]);
        runChild(fds[1], path, bytes, input, inflatedBytes);
    }
    ::close(fds[1]);
    std::string message;
    bool timedOut = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits::kProbeSeconds);
    char buf[4096];
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) {
            timedOut = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        const int r = ::poll(&p, 1, int(std::min<long long>(left, 1000)));
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            continue;
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (message.size() < 8192)
            message.append(buf, size_t(n));
    }
    ::close(fds[0]);
    if (timedOut)
        ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut)
        throw Error("loading it took more than " + std::to_string(limits::kProbeSeconds) +
                    " s in a separate process, so it is not loaded here");
    const char kind = message.empty() ? '\0' : message[0];
    if (kind == kStackOverflow)
        throw Error("its code or data is too deeply nested or too long for LibTorch (its loader ran "
                    "out of stack on it in a separate process, so it is not loaded here)");
    if (kind == kNoMemory)
        throw Error("loading it needs more memory than the file's size can justify (tried in a "
                    "separate process); the file is damaged or crafted");
    if (WIFSIGNALED(status))
        throw Error("it crashed LibTorch's loader (" + signalName(WTERMSIG(status)) +
                    " in a separate process, so it is not loaded here); the file is damaged or crafted");
    if (kind == kOk || kind == kFailed)
        return; // an ordinary error: the caller's own load reports it with its usual words
    throw Error("it crashed LibTorch's loader (the separate process that tried it exited with code " +
                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                ", so it is not loaded here); the file is damaged or crafted");
}

// The same steps for a file or bytes: zip sizes, pickled storages, the probe, the load here,
// the tensors. `reader` opens LibTorch's reader on the source; `load` loads it.
template <typename Reader, typename Load>
torch::jit::Module loadChecked(const std::map<std::string, uint64_t>& entries, Reader reader,
                               const std::function<void()>& runProbe, Load load)
{
    try {
        {
            auto r = reader();
            checkPickledStorages(*r, entries);
        }
        runProbe(); // LibTorch's loader may crash on a crafted file: tried in a separate process first
        torch::jit::Module module = load();
        checkModuleTensors(module);
        return module;
    } catch (const Error&) {
        throw;
    } catch (const c10::Error& e) {
        throw Error(torchScriptLoadProblem(e.what_without_backtrace()));
    } catch (const std::exception& e) {
        throw Error(torchScriptLoadProblem(e.what()));
    }
}

// Text between `from` and the first of the characters `to` after it ("" without `from`).
std::string between(const std::string& s, const std::string& from, const std::string& to)
{
    const auto a = s.find(from);
    if (a == std::string::npos)
        return "";
    const auto b = s.find_first_of(to, a + from.size());
    return s.substr(a + from.size(), b == std::string::npos ? std::string::npos : b - a - from.size());
}

} // namespace

void probeTorchScript(const std::string& path, const torch::Tensor& trialInput, uint64_t inflatedBytes)
{
    probe(path, nullptr, trialInput, inflatedBytes);
}

void probeTorchScriptBytes(const std::string& bytes, const torch::Tensor& trialInput, uint64_t inflatedBytes)
{
    probe("", &bytes, trialInput, inflatedBytes);
}

torch::jit::Module loadCheckedTorchScript(const std::string& path, const torch::Tensor& trialInput)
{
    std::map<std::string, uint64_t> entries;
    const uint64_t inflated = checkZipFileSizes(path, &entries);
    return loadChecked(
        entries, [&] { return std::make_unique<caffe2::serialize::PyTorchStreamReader>(path); },
        [&] { probeTorchScript(path, trialInput, inflated); }, [&] { return torch::jit::load(path); });
}

torch::jit::Module loadCheckedTorchScriptBytes(const std::string& bytes, const torch::Tensor& trialInput)
{
    std::map<std::string, uint64_t> entries;
    const uint64_t inflated = checkZipSizes(bytes, &entries);
    std::istringstream in(bytes, std::ios::binary);
    return loadChecked(
        entries, [&] { return std::make_unique<caffe2::serialize::PyTorchStreamReader>(&in); },
        [&] { probeTorchScriptBytes(bytes, trialInput, inflated); },
        [&] {
            std::istringstream again(bytes, std::ios::binary);
            return torch::jit::load(again);
        });
}

std::string torchScriptLoadProblem(const std::string& whatIn)
{
    // LibTorch's own prefix and backtrace say where in LibTorch, not what is wrong.
    std::string what = whatIn.substr(0, whatIn.find("Exception raised from"));
    while (!what.empty() && (what.front() == '\n' || what.front() == ' '))
        what.erase(0, 1);
    if (what.rfind("[enforce fail at", 0) == 0) {
        const auto end = what.find("] ");
        what = end == std::string::npos ? what : what.substr(end + 2);
        while (!what.empty() && (what.front() == '.' || what.front() == ' '))
            what.erase(0, 1);
    }
    const auto cut = [](const std::string& s) { return files::echo(s, 160); };
    if (what.find("maximum supported version for reading") != std::string::npos) {
        const std::string saved = between(what, "with version ", ",");
        const std::string most = between(what, "for reading is ", ". ");
        return "it is written in TorchScript file format " + cut(saved) +
               ", newer than the LibTorch 1.13 in this build reads (up to format " + cut(most) + ")";
    }
    if (what.find("Couldn't parse the version") != std::string::npos ||
        what == "stoull" || what == "stoll" || what == "stoul" || what == "stol" || what == "stoi")
        return "its version record is damaged (not a format number)";
    if (what.find("PytorchStreamReader failed locating file") != std::string::npos)
        return "the archive has no record '" + cut(between(what, "locating file ", ":")) +
               "' (it is incomplete or not a TorchScript model)";
    if (what.find("PytorchStreamReader failed reading") != std::string::npos)
        return "not a readable TorchScript archive (" + cut(between(what, ": ", "\n")) + ")";
    if (what.find("Unknown builtin op: ") != std::string::npos)
        return "its code calls " + cut(between(what, "Unknown builtin op: ", " .\n")) +
               ", an operation LibTorch 1.13 does not have";
    if (what.find("Unknown type name '") != std::string::npos)
        return "its code names the type " + cut(between(what, "Unknown type name '", "'")) +
               ", which the archive does not define";
    if (what.find("unpickling") != std::string::npos)
        return "its pickled data is damaged (" + cut(what) + ")";
    // The TorchScript compiler: the reason, then a source excerpt ("File "code/...", line N").
    const std::string file = between(what, "File \"", "\"");
    const std::string line = between(what, "\", line ", "\n");
    std::string first;
    for (size_t b = 0; b < what.size() && first.empty();) {
        size_t e = what.find('\n', b);
        if (e == std::string::npos)
            e = what.size();
        first = what.substr(b, e - b);
        while (!first.empty() && (first.back() == ':' || first.back() == ' '))
            first.pop_back();
        b = e + 1;
    }
    if (first.size() > 5 && first.compare(first.size() - 5, 5, " here") == 0)
        first.erase(first.size() - 5);
    if (!file.empty())
        return "its code does not compile: " + cut(first) + " (" + cut(file) +
               (line.empty() ? "" : ", line " + cut(line)) + ")";
    return cut(first.empty() ? std::string("LibTorch gave no reason") : first);
}

} // namespace senn::io
