// `senn slurm` (cli.md): plans a stability, faithfulness, sanity, scorecard, ground-truth or `explain --all` run as a
// Slurm array of shards and a merge job. It measures a short run here to size the tasks, then
// writes the scripts through core (jobs/slurm_script.h), the same ones the app's "Run on a
// cluster…" writes.
#include "cli/cli_util.h"
#include "cli/command.h"
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/jobs/calibration.h"
#include "core/jobs/slurm_script.h"
#include "core/metrics/metrics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace senn::cli {

namespace {

using nlohmann::json;
using jobs::optionValue;

struct SlurmArgs {
    int tasks = 0;
    std::string partition, account, outDir, time, mem, jobName = "senn";
    std::vector<std::string> sbatchOptions;
    int calibratePoints = 0; // 0: max(4, 2 x the task's threads), at most the run's points
    int cpusPerTask = 0;     // 0: the command's --threads, else 1
    int64_t taskMemoryMb = 0; // the command's --memory when it gives none (0: the default)
    std::vector<std::string> planned; // after "--": the command and its arguments
};

std::string absolutePath(const std::string& path, const std::string& option)
{
    char buf[PATH_MAX];
    if (!::realpath(path.c_str(), buf))
        throw Error::inFile(path, "not found (" + option + ")");
    return buf;
}

std::string selfPath()
{
    char buf[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        throw Error("cannot find the senn binary's own path (/proc/self/exe)");
    return std::string(buf, size_t(n));
}

// The absolute form of an output folder that may not exist yet (its parent must).
std::string absoluteOutDir(const std::string& dir)
{
    std::string d = dir;
    while (d.size() > 1 && d.back() == '/')
        d.pop_back();
    const auto slash = d.rfind('/');
    const std::string parent = slash == std::string::npos ? "." : (slash == 0 ? "/" : d.substr(0, slash));
    const std::string leaf = slash == std::string::npos ? d : d.substr(slash + 1);
    const std::string p = absolutePath(parent, "--out-dir's parent folder");
    return (p == "/" ? "" : p) + "/" + leaf;
}

// Replaces the value of `name` in args (both forms) by `value`.
void setOption(std::vector<std::string>& args, const std::string& name, const std::string& value)
{
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == name && i + 1 < args.size())
            args[i + 1] = value;
        else if (args[i].rfind(name + "=", 0) == 0)
            args[i] = name + "=" + value;
    }
}

// The files of `--attributions NAME=FILE[,NAME=FILE…]` (both option forms) made absolute: the
// tasks run wherever the scheduler starts them, not in the folder the plan was made in.
void absoluteAttributions(std::vector<std::string>& args)
{
    const auto rewrite = [](const std::string& list) {
        std::string out;
        size_t start = 0;
        while (start <= list.size()) {
            const size_t comma = std::min(list.find(',', start), list.size());
            const std::string item = list.substr(start, comma - start);
            const size_t eq = item.find('=');
            out += (out.empty() ? "" : ",") +
                   (eq == std::string::npos ? item
                                            : item.substr(0, eq + 1) + absolutePath(item.substr(eq + 1), "--attributions"));
            start = comma + 1;
        }
        return out;
    };
    const std::string name = "--attributions";
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == name && i + 1 < args.size())
            args[i + 1] = rewrite(args[i + 1]);
        else if (args[i].rfind(name + "=", 0) == 0)
            args[i] = name + "=" + rewrite(args[i].substr(name.size() + 1));
    }
}

// The points the planned run measures, as the command picks them.
int64_t plannedPoints(const std::string& command, const std::vector<std::string>& args,
                      const std::string& model, const std::string& data)
{
    auto ws = openModelAndData(model, data);
    if (command == "explain") { // every row of --split
        const std::string split = optionValue(args, "--split");
        const auto rows = rowsForSplit(ws, split.empty() ? "test" : split);
        if (rows.empty())
            throw Error("the " + (split.empty() ? std::string("test") : split) + " split of " + ws.data.source +
                        " is empty: there are no rows to explain");
        return int64_t(rows.size());
    }
    const auto& rows = metrics::metricRows(ws.split);
    if (rows.empty())
        throw Error("the test and validation splits of " + ws.data.source + " are empty: there are no points to measure");
    const std::string points = optionValue(args, "--points");
    if (points == "all")
        return int64_t(rows.size());
    int n = 0;
    if (!points.empty()) {
        try {
            n = std::stoi(points);
        } catch (const std::exception&) {
            throw Error("--points " + files::echo(points) + ": give a whole number or all");
        }
    } else {
        const auto d = metrics::metricDefaults(ws.data.isImage());
        // The scorecard picks as faithfulness does, sanity as stability.
        n = command == "faithfulness" || command == "scorecard" ? d.faithfulnessPoints
            : command == "ground-truth"                        ? 20 // cmd_ground_truth.cpp's default
                                                               : d.stabilityPoints;
    }
    return int64_t(metrics::pickPoints(rows, n).size());
}

int cmdSlurm(const SlurmArgs& a)
{
    if (a.planned.empty())
        throw Error("give the command to run after --, e.g. senn slurm --tasks 10 --out-dir run -- "
                    "stability --model m.senn --data d.csv --methods saliency");
    const std::string command = a.planned[0];
    if (command != "stability" && command != "faithfulness" && command != "sanity" && command != "scorecard" &&
        command != "ground-truth" && command != "explain")
        throw Error("senn slurm plans stability, faithfulness, sanity, scorecard, ground-truth or explain --all runs, not " +
                    files::echo(command));
    std::vector<std::string> args(a.planned.begin() + 1, a.planned.end());
    const bool explainAll = command == "explain";
    if (explainAll && std::find(args.begin(), args.end(), "--all") == args.end())
        throw Error("senn slurm plans explain --all (every row of --split as arrays), not one explanation: "
                    "add --all to the planned command");
    // Checked before any work: a typo must not cost a calibration run.
    const int64_t minutes = a.time.empty() ? 0 : jobs::parseSlurmMinutes(a.time);
    const int64_t memoryMb = a.mem.empty() ? 0 : jobs::parseSlurmMemoryMb(a.mem);
    for (const char* o : {"--shard", "--resume", "--json", "--figure", "--npy", "--index"})
        for (const auto& x : args)
            if (x == o || x.rfind(std::string(o) + "=", 0) == 0)
                throw Error(std::string("leave ") + o + " out of the planned command: each task gets its "
                            "--shard, --resume and --json, and the merged result goes to --out-dir/merged.json");
    if (command == "ground-truth" && !optionValue(args, "--make").empty()) // the calibration would rewrite it
        throw Error("leave --make out of the planned command: write the unit model once, then plan the run on it");
    const std::string model = optionValue(args, "--model"), data = optionValue(args, "--data");
    if (model.empty() || data.empty())
        throw Error("the planned command needs --model and --data");
    files::requireRegularFile(model, "model file");
    const std::string modelAbs = absolutePath(model, "--model"), dataAbs = absolutePath(data, "--data");
    setOption(args, "--model", modelAbs);
    setOption(args, "--data", dataAbs);
    absoluteAttributions(args);
    if (const auto mask = optionValue(args, "--mask"); command == "ground-truth" && !mask.empty() && mask != "decoy")
        setOption(args, "--mask", absolutePath(mask, "--mask")); // the tasks start elsewhere

    jobs::SlurmPlan plan;
    plan.senn = selfPath();
    plan.command = command;
    plan.outDir = absoluteOutDir(a.outDir);
    plan.tasks = a.tasks;
    plan.partition = a.partition;
    plan.account = a.account;
    plan.sbatchOptions = a.sbatchOptions;
    plan.jobName = a.jobName;
    const std::string threads = optionValue(args, "--threads");
    plan.cpusPerTask = a.cpusPerTask > 0 ? a.cpusPerTask : (threads.empty() || threads == "0" ? 1 : std::stoi(threads));
    plan.threadsOption = !explainAll; // explain runs one row at a time: no --threads
    args = jobs::taskArgs(args, a.taskMemoryMb > 0 ? a.taskMemoryMb : jobs::kDefaultTaskMemoryMb);
    plan.args = args;

    const int64_t total = plannedPoints(command, args, modelAbs, dataAbs);
    plan.points = total;
    if (plan.tasks > total)
        throw Error("--tasks " + std::to_string(plan.tasks) + ": the run has only " + std::to_string(total) +
                    " points; give at most that many tasks");
    const bool calibrated = a.time.empty() || a.mem.empty();
    if (calibrated) {
        const int k = int(std::min<int64_t>(total, a.calibratePoints > 0 ? a.calibratePoints
                                                                          : std::max(4, 2 * plan.cpusPerTask)));
        std::cerr << "senn: calibrating on " << k << " points (" << plan.outDir << "/logs/calibration.out)\n";
        const auto c = jobs::calibrate(plan, k);
        plan.resources = jobs::taskResources(c, total, plan.tasks);
    } else {
        plan.resources.notes.push_back("Time and memory per task as given (--time, --mem).");
    }
    if (minutes > 0) {
        plan.resources.minutes = minutes;
        if (calibrated)
            plan.resources.notes.push_back("--time " + a.time + " replaces the calibrated time.");
    }
    if (memoryMb > 0) {
        plan.resources.memoryMb = memoryMb;
        if (calibrated)
            plan.resources.notes.push_back("--mem " + a.mem + " replaces the calibrated memory.");
    }
    const auto paths = jobs::writeSlurmScripts(plan);
    json out;
    out["tasks"] = plan.tasks;
    out["points"] = total;
    out["cpus_per_task"] = plan.cpusPerTask;
    out["time_minutes"] = plan.resources.minutes;
    out["memory_mb"] = plan.resources.memoryMb;
    out["notes"] = plan.resources.notes;
    out["scripts"] = paths;
    out["merged"] = jobs::mergedJsonPath(plan);
    out["submit"] = "sh " + jobs::shellQuote(plan.outDir + "/submit.sh");
    std::cout << out.dump(2) << "\n";
    std::cerr << "senn: wrote " << paths.size() << " scripts to " << plan.outDir << "; submit with: sh "
              << jobs::shellQuote(plan.outDir + "/submit.sh") << "\n";
    return 0;
}

} // namespace

Command addSlurmCommand(CLI::App& app)
{
    auto args = std::make_shared<SlurmArgs>();
    auto* s = app.add_subcommand("slurm", "Plan a stability, faithfulness, sanity, scorecard, ground-truth or explain --all run as a "
                                 "Slurm array of shards and a merge job: senn slurm --tasks N --out-dir DIR -- stability ...");
    s->add_option("--tasks", args->tasks, "Array tasks (shards)")->required()->check(whole(1, 100000));
    s->add_option("--out-dir", args->outDir, "Folder for the scripts, the shards' results, logs and merged.json")->required();
    s->add_option("--partition", args->partition, "Slurm partition");
    s->add_option("--account", args->account, "Slurm account");
    s->add_option("--sbatch-option", args->sbatchOptions, "An extra #SBATCH option, e.g. --qos=short (repeatable)")
        ->allow_extra_args(false);
    s->add_option("--job-name", args->jobName, "Prefix of the jobs' names (default senn)");
    s->add_option("--calibrate-points", args->calibratePoints,
                  "Points of the calibration run here (default: 2 per thread, at least 4)")->check(whole(1, 100000));
    s->add_option("--cpus-per-task", args->cpusPerTask,
                  "CPUs per task, also its --threads (default: the command's --threads, else 1)")->check(whole(1, 1024));
    s->add_option("--time", args->time, "Time per task (minutes or D-HH:MM:SS) instead of the calibrated one");
    s->add_option("--mem", args->mem, "Memory per task (e.g. 4G) instead of the calibrated one");
    s->add_option("--task-memory", args->taskMemoryMb,
                  "The command's --memory when it gives none (MB; default 2048)")->check(whole(1, int64_t(1) << 24));
    s->add_option("command", args->planned, "After --: the command and its arguments")->required();
    Command c;
    c.sub = s;
    c.run = [args] { return cmdSlurm(*args); };
    return c;
}

} // namespace senn::cli
