// The Slurm scripts of a sharded run (slurm_script.h): their text, the resources per task
// scaled from a calibration, and writing them beside each other.
#include "core/jobs/slurm_script.h"

#include "core/common/error.h"
#include "core/common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace senn::jobs {

namespace {

// Margins over the calibration: a cluster node may be slower than this machine, and a few
// points predict the rest only roughly. Too little time kills the task; --resume then keeps its
// finished points, so the margin need not be huge.
constexpr double kTimeMargin = 2.0;
constexpr int64_t kMinMinutes = 2;
constexpr double kMemoryMargin = 1.5;
constexpr int64_t kMemoryStepMb = 256;

std::string fixed(double v, int digits)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

int64_t roundUp(double v, int64_t step)
{
    const auto n = int64_t(std::ceil(v / double(step)));
    return std::max<int64_t>(1, n) * step;
}

// A value that goes on an "#SBATCH" line: one line, no shell syntax needed.
void checkSbatchValue(const std::string& option, const std::string& value)
{
    if (value.find_first_of("\n\r") != std::string::npos)
        throw Error(option + " " + files::echo(value) + ": must be one line");
}

void writeFile(const std::string& path, const std::string& text, mode_t mode)
{
    std::string tmpl = path + ".tmp-XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0)
        throw Error::inFile(path, "cannot write (" + std::string(std::strerror(errno)) + ")",
                            "Check that the folder is writable");
    const std::string tmp(name.data());
    size_t done = 0;
    bool ok = true;
    while (ok && done < text.size()) {
        const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
        if (w < 0 && errno != EINTR)
            ok = false;
        else if (w > 0)
            done += size_t(w);
    }
    ok = ok && ::fsync(fd) == 0 && ::fchmod(fd, mode) == 0;
    const std::string reason = std::strerror(errno);
    ok = (::close(fd) == 0) && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        throw Error::inFile(path, "cannot write (" + reason + ")", "Check free disk space and permissions");
    }
}

void makeDir(const std::string& dir)
{
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        throw Error::inFile(dir, "cannot create the folder (" + std::string(std::strerror(errno)) + ")");
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error::inFile(dir, "is not a folder");
}

std::string joinQuoted(const std::vector<std::string>& args)
{
    std::string out;
    for (const auto& a : args) {
        out += ' ';
        out += shellQuote(a);
    }
    return out;
}

// The "#SBATCH" lines both jobs share: where they run and what they may use.
std::string commonSbatch(const SlurmPlan& plan, int64_t minutes, int64_t memoryMb, int cpus)
{
    std::ostringstream s;
    s << "#SBATCH --ntasks=1\n";
    s << "#SBATCH --cpus-per-task=" << cpus << "\n";
    s << "#SBATCH --time=" << formatSlurmTime(minutes) << "\n";
    s << "#SBATCH --mem=" << memoryMb << "M\n";
    if (!plan.partition.empty())
        s << "#SBATCH --partition=" << plan.partition << "\n";
    if (!plan.account.empty())
        s << "#SBATCH --account=" << plan.account << "\n";
    for (const auto& o : plan.sbatchOptions)
        s << "#SBATCH " << o << "\n";
    return s.str();
}

void checkPlan(const SlurmPlan& plan)
{
    if (plan.tasks < 1)
        throw Error("--tasks must be at least 1");
    if (plan.senn.empty() || plan.senn[0] != '/')
        throw Error("the senn binary's path must be absolute (got " + files::echo(plan.senn) + ")");
    if (plan.outDir.empty() || plan.outDir[0] != '/')
        throw Error("--out-dir must be an absolute path (got " + files::echo(plan.outDir) + ")");
    checkSbatchValue("--partition", plan.partition);
    checkSbatchValue("--account", plan.account);
    checkSbatchValue("--job-name", plan.jobName);
    for (const auto& o : plan.sbatchOptions) {
        checkSbatchValue("--sbatch-option", o);
        if (o.rfind("--", 0) != 0 && o.rfind("-", 0) != 0)
            throw Error("--sbatch-option " + files::echo(o) + ": give an sbatch option, e.g. --qos=short");
    }
    if (plan.resources.minutes < 1 || plan.resources.memoryMb < 1)
        throw Error("the time and memory per task are not set: calibrate, or give --time and --mem");
}

} // namespace

TaskResources taskResources(const Calibration& c, int64_t totalPoints, int tasks)
{
    if (c.points < 1 || tasks < 1 || totalPoints < 1)
        throw Error("a calibration needs at least one point, one task and one point to plan");
    const int64_t share = (totalPoints + tasks - 1) / tasks;
    // The command reports the seconds of its points; the rest of the run (start-up, loading the
    // model and data, writing) is paid once per task.
    const double metric = c.metricSeconds > 0 ? std::min(c.metricSeconds, c.wallSeconds) : c.wallSeconds;
    const double startup = std::max(0.0, c.wallSeconds - metric);
    const double perPoint = metric / c.points;
    const double estimate = startup + perPoint * double(share);
    TaskResources r;
    r.minutes = std::max(kMinMinutes, int64_t(std::ceil(estimate * kTimeMargin / 60.0)));
    const double peakMb = double(c.peakRssBytes) / double(1 << 20);
    r.memoryMb = roundUp(peakMb * kMemoryMargin, kMemoryStepMb);
    r.notes.push_back("Calibration: " + std::to_string(c.points) + " points with " +
                      std::to_string(c.threads) + " thread(s) took " + fixed(c.wallSeconds, 1) +
                      " s (" + fixed(startup, 1) + " s start-up, " + fixed(perPoint, 3) +
                      " s per point), peak memory " + fixed(peakMb, 0) + " MB.");
    r.notes.push_back("A task runs " + std::to_string(share) + " of " + std::to_string(totalPoints) +
                      " points: estimated " + fixed(estimate, 0) + " s.");
    r.notes.push_back("--time: the estimate x " + fixed(kTimeMargin, 1) +
                      ", rounded up to whole minutes (at least " + std::to_string(kMinMinutes) +
                      "); --mem: the peak x " + fixed(kMemoryMargin, 1) + ", rounded up to " +
                      std::to_string(kMemoryStepMb) + " MB.");
    return r;
}

int64_t parseSlurmMinutes(const std::string& text)
{
    // Slurm's forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
    auto bad = [&] {
        return Error("--time " + files::echo(text) +
                     ": give minutes (e.g. 90) or D-HH:MM:SS (e.g. 0-01:30:00)");
    };
    if (text.empty() || text.size() > 20)
        throw bad();
    int64_t days = 0;
    std::string rest = text;
    const auto dash = text.find('-');
    const bool hasDays = dash != std::string::npos;
    std::vector<int64_t> parts;
    auto number = [&](const std::string& s) {
        if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
            throw bad();
        return int64_t(std::stoll(s));
    };
    if (hasDays) {
        days = number(text.substr(0, dash));
        rest = text.substr(dash + 1);
    }
    std::stringstream ss(rest);
    std::string part;
    while (std::getline(ss, part, ':'))
        parts.push_back(number(part));
    if (parts.empty() || parts.size() > 3 || (!rest.empty() && rest.back() == ':'))
        throw bad();
    double minutes = 0;
    if (hasDays) { // D-H, D-H:M, D-H:M:S
        minutes = double(days) * 1440 + double(parts[0]) * 60;
        if (parts.size() > 1)
            minutes += double(parts[1]);
        if (parts.size() > 2)
            minutes += double(parts[2]) / 60.0;
    } else if (parts.size() == 1) {
        minutes = double(parts[0]);
    } else if (parts.size() == 2) { // M:S
        minutes = double(parts[0]) + double(parts[1]) / 60.0;
    } else {
        minutes = double(parts[0]) * 60 + double(parts[1]) + double(parts[2]) / 60.0;
    }
    const auto m = int64_t(std::ceil(minutes));
    if (m < 1)
        throw bad();
    return m;
}

int64_t parseSlurmMemoryMb(const std::string& text)
{
    auto bad = [&] { return Error("--mem " + files::echo(text) + ": give megabytes, or a number with K, M, G or T (e.g. 4G)"); };
    if (text.empty() || text.size() > 16)
        throw bad();
    std::string digits = text;
    double scale = 1; // megabytes
    const char unit = char(std::toupper(static_cast<unsigned char>(text.back())));
    if (unit == 'K' || unit == 'M' || unit == 'G' || unit == 'T') {
        digits.pop_back();
        scale = unit == 'K' ? 1.0 / 1024 : unit == 'M' ? 1 : unit == 'G' ? 1024 : 1024.0 * 1024;
    }
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        throw bad();
    const auto mb = int64_t(std::ceil(double(std::stoll(digits)) * scale));
    if (mb < 1)
        throw bad();
    return mb;
}

std::string formatSlurmTime(int64_t minutes)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%lld-%02lld:%02lld:00", static_cast<long long>(minutes / 1440),
                  static_cast<long long>((minutes % 1440) / 60), static_cast<long long>(minutes % 60));
    return buf;
}

std::string shardJsonPath(const SlurmPlan& plan, const std::string& task)
{
    return plan.outDir + "/shard-" + task + ".json";
}

std::string mergedJsonPath(const SlurmPlan& plan)
{
    return plan.outDir + "/merged.json";
}

std::vector<std::string> shardArgs(const SlurmPlan& plan, const std::string& task)
{
    return {"--shard", task + "/" + std::to_string(plan.tasks), "--resume", "--json",
            shardJsonPath(plan, task)};
}

SlurmScripts slurmScripts(const SlurmPlan& plan)
{
    checkPlan(plan);
    const std::string name = plan.jobName + "-" + plan.command;
    const std::string logs = plan.outDir + "/logs";
    std::vector<std::string> command{plan.senn, plan.command};
    command.insert(command.end(), plan.args.begin(), plan.args.end());
    if (plan.threadsOption) {
        command.push_back("--threads");
        command.push_back(std::to_string(plan.cpusPerTask));
    }

    SlurmScripts out;
    std::ostringstream a;
    a << "#!/bin/bash\n"
      << "# One shard of `senn " << plan.command << "` per array task (written by senn slurm).\n"
      << "# A task that ran out of time or was cancelled keeps its finished points: submit it\n"
      << "# again (sbatch --array=K array.sbatch) and --resume computes only the missing ones.\n";
    for (const auto& n : plan.resources.notes)
        a << "# " << n << "\n";
    a << "#SBATCH --job-name=" << name << "\n"
      << "#SBATCH --array=1-" << plan.tasks << "\n"
      << commonSbatch(plan, plan.resources.minutes, plan.resources.memoryMb, plan.cpusPerTask)
      << "#SBATCH --output=" << logs << "/shard-%a.out\n"
      << "set -euo pipefail\n"
      << "task=\"${SLURM_ARRAY_TASK_ID:?run with sbatch (an array task), or set SLURM_ARRAY_TASK_ID=K}\"\n"
      << "exec" << joinQuoted(command) << " --shard \"$task/" << plan.tasks << "\" --resume --json "
      << shellQuote(plan.outDir + "/shard-") << "\"$task\".json\n";
    out.array = a.str();

    // The merge reads only the shards' results: the task's memory is plenty, time a few minutes.
    const int64_t mergeMinutes = 10 + plan.tasks / 100;
    std::ostringstream m;
    m << "#!/bin/bash\n"
      << "# Merges the shards of array.sbatch into one result (written by senn slurm); submit.sh\n"
      << "# starts it once every array task has succeeded.\n"
      << "#SBATCH --job-name=" << name << "-merge\n"
      << commonSbatch(plan, mergeMinutes, plan.resources.memoryMb, 1)
      << "#SBATCH --output=" << logs << "/merge.out\n"
      << "set -euo pipefail\n"
      << "shards=()\n"
      << "for k in $(seq 1 " << plan.tasks << "); do shards+=(" << shellQuote(plan.outDir + "/shard-")
      << "\"$k\".json); done\n"
      << "exec " << shellQuote(plan.senn) << " merge " << shellQuote(mergedJsonPath(plan))
      << " \"${shards[@]}\"\n";
    out.merge = m.str();

    std::ostringstream s;
    const std::string dir = shellQuote(plan.outDir);
    s << "#!/bin/sh\n"
      << "# Submits the " << plan.tasks << "-task array, then the merge, which waits for every task to\n"
      << "# succeed (written by senn slurm). The job ids go to array.jobid and merge.jobid.\n"
      << "set -eu\n"
      << "mkdir -p " << shellQuote(logs) << "\n"
      << "array=$(sbatch --parsable " << shellQuote(plan.outDir + "/array.sbatch") << ")\n"
      << "array=${array%%;*}\n" // "ID;CLUSTER" on a federation
      << "merge=$(sbatch --parsable --dependency=afterok:\"$array\" " << shellQuote(plan.outDir + "/merge.sbatch") << ")\n"
      << "merge=${merge%%;*}\n"
      << "echo \"$array\" > " << dir << "/array.jobid\n"
      << "echo \"$merge\" > " << dir << "/merge.jobid\n"
      << "echo \"senn: array job $array (" << plan.tasks << " tasks), merge job $merge; the result will be "
      << mergedJsonPath(plan) << "\"\n";
    out.submit = s.str();
    return out;
}

std::vector<std::string> writeSlurmScripts(const SlurmPlan& plan)
{
    const auto scripts = slurmScripts(plan);
    makeDir(plan.outDir);
    makeDir(plan.outDir + "/logs");
    const std::vector<std::string> paths{plan.outDir + "/array.sbatch", plan.outDir + "/merge.sbatch",
                                         plan.outDir + "/submit.sh"};
    writeFile(paths[0], scripts.array, 0644);
    writeFile(paths[1], scripts.merge, 0644);
    writeFile(paths[2], scripts.submit, 0755);
    return paths;
}

std::vector<std::string> taskArgs(const std::vector<std::string>& args, int64_t memoryMb)
{
    auto out = dropOptions(args, {"--threads"});
    if (optionValue(out, "--memory").empty()) {
        out.push_back("--memory");
        out.push_back(std::to_string(memoryMb));
    }
    return out;
}

std::string shellQuote(const std::string& s)
{
    const bool safe = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::strchr("_@%+=:,./-", c) != nullptr;
    });
    if (safe)
        return s;
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::vector<std::string> dropOptions(const std::vector<std::string>& args,
                                     const std::vector<std::string>& withValue,
                                     const std::vector<std::string>& flags)
{
    std::vector<std::string> out;
    for (size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        const bool isFlag = std::find(flags.begin(), flags.end(), a) != flags.end();
        bool dropped = isFlag;
        for (const auto& o : withValue) {
            if (a == o) {
                ++i; // its value
                dropped = true;
                break;
            }
            if (a.rfind(o + "=", 0) == 0) {
                dropped = true;
                break;
            }
        }
        if (!dropped)
            out.push_back(a);
    }
    return out;
}

std::string optionValue(const std::vector<std::string>& args, const std::string& name)
{
    std::string value;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == name && i + 1 < args.size())
            value = args[i + 1];
        else if (args[i].rfind(name + "=", 0) == 0)
            value = args[i].substr(name.size() + 1);
    }
    return value;
}

} // namespace senn::jobs
