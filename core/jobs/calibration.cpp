// Measuring a short run of a senn command in a child process (calibration.h).
#include "core/jobs/calibration.h"

#include "core/common/error.h"
#include "core/common/files.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace senn::jobs {

namespace {

std::string tail(const std::string& path, size_t maxChars)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    if (s.size() > maxChars)
        s = "..." + s.substr(s.size() - maxChars);
    // The progress printer redraws its line with carriage returns; keep the last state.
    std::string out;
    for (char c : s) {
        if (c == '\r') {
            const auto nl = out.rfind('\n');
            out.erase(nl == std::string::npos ? 0 : nl + 1);
        } else {
            out += c;
        }
    }
    return out;
}

// Seconds the command reports for its points: "timing": {"seconds"} where measured times
// are kept apart from the result, else the top-level "seconds". 0 when neither is there.
double reportedSeconds(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return 0;
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return 0;
    if (j.contains("timing") && j["timing"].is_object() && j["timing"].contains("seconds") &&
        j["timing"]["seconds"].is_number())
        return j["timing"]["seconds"].get<double>();
    if (j.contains("seconds") && j["seconds"].is_number())
        return j["seconds"].get<double>();
    return 0;
}

} // namespace

MeasuredRun runMeasured(const std::vector<std::string>& argv, const std::string& logPath,
                        const CancelToken& cancel)
{
    if (argv.empty() || argv[0].empty() || argv[0][0] != '/')
        throw Error("a measured run needs the program's absolute path");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        throw Error::inFile(argv[0], "cannot start (" + std::string(std::strerror(rc)) + ")");

    int status = 0;
    struct rusage usage {};
    bool killed = false;
    for (;;) {
        const pid_t r = ::wait4(pid, &status, WNOHANG, &usage);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
            throw Error::inFile(argv[0], "lost track of the child process (" + std::string(std::strerror(errno)) + ")");
        if (!killed && cancel.isCancelled()) {
            ::kill(pid, SIGTERM);
            killed = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (killed)
        throw Cancelled();
    MeasuredRun out;
    out.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.peakRssBytes = int64_t(usage.ru_maxrss) * 1024; // Linux reports kilobytes
    out.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return out;
}

Calibration calibrate(const SlurmPlan& plan, int points, const CancelToken& cancel)
{
    if (points < 1)
        throw Error("--calibrate-points must be at least 1");
    if (::mkdir(plan.outDir.c_str(), 0755) != 0 && errno != EEXIST)
        throw Error::inFile(plan.outDir, "cannot create the folder (" + std::string(std::strerror(errno)) + ")");
    ::mkdir((plan.outDir + "/logs").c_str(), 0755);
    const std::string json = plan.outDir + "/calibration.json";
    const std::string log = plan.outDir + "/logs/calibration.out";
    std::vector<std::string> argv{plan.senn, plan.command};
    for (const auto& a : dropOptions(plan.args, {"--points"}))
        argv.push_back(a);
    if (plan.command == "explain") {
        // explain --all has no --points: the first of M shards holds about `points` rows.
        if (plan.points < 1)
            throw Error("calibrating explain --all needs the run's row count");
        const int64_t m = std::max<int64_t>(1, plan.points / points);
        points = int((plan.points + m - 1) / m);
        argv.insert(argv.end(), {"--shard", "1/" + std::to_string(m), "--json", json});
    } else {
        argv.insert(argv.end(), {"--points", std::to_string(points), "--threads",
                                 std::to_string(plan.cpusPerTask), "--json", json});
    }
    ::unlink(json.c_str());
    const auto run = runMeasured(argv, log, cancel);
    if (run.exitCode != 0)
        throw Error("the calibration run (senn " + plan.command + " on " + std::to_string(points) +
                    " points) failed with exit code " + std::to_string(run.exitCode) + ": " +
                    files::cleanMessage(tail(log, 600)) + " (full output: " + log + ")");
    Calibration c;
    c.points = points;
    c.threads = plan.cpusPerTask;
    c.wallSeconds = run.wallSeconds;
    c.peakRssBytes = run.peakRssBytes;
    c.metricSeconds = reportedSeconds(json);
    return c;
}

} // namespace senn::jobs
