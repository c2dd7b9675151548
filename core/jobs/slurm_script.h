// The three files of a Slurm array run, written alike by `senn slurm` and the app's "Run on a
// cluster…": array.sbatch (one shard of the command per array task), merge.sbatch (`senn merge`
// once every task succeeded) and submit.sh, which submits the first and chains the second.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace senn::jobs {

// A short run of the command here, measured (jobs/calibration.h).
struct Calibration {
    int points = 0;             // points the run measured
    double wallSeconds = 0;     // the whole process, start-up and model loading included
    double metricSeconds = 0;   // the points alone, as the command reported them (0: unknown)
    int64_t peakRssBytes = 0;   // the process's peak resident memory
    int threads = 1;            // points it ran in parallel
};

// What each array task asks Slurm for, and in words how it was found (comments in the script).
struct TaskResources {
    int64_t minutes = 0;
    int64_t memoryMb = 0;
    std::vector<std::string> notes;
};

// Scaled from a calibration to the points of one task (ceil(total / tasks)), with a margin for
// a slower node, rounded up: time to whole minutes, memory to 256 MB.
TaskResources taskResources(const Calibration& c, int64_t totalPoints, int tasks);
// "--time" as Slurm reads it: minutes, or D-HH:MM:SS; throws senn::Error naming the option.
int64_t parseSlurmMinutes(const std::string& text);
// "--mem" as Slurm reads it: a number with an optional K, M, G or T suffix (M by default).
int64_t parseSlurmMemoryMb(const std::string& text);
std::string formatSlurmTime(int64_t minutes); // D-HH:MM:SS

struct SlurmPlan {
    std::string senn;              // absolute path of the senn binary the tasks run
    std::string command;           // stability, faithfulness, sanity or explain (--all)
    std::vector<std::string> args; // its arguments with absolute paths, without --shard/--resume/--json
    std::string outDir;            // absolute; the scripts, shard results, logs and merged.json
    int tasks = 1;
    int cpusPerTask = 1;           // also the command's --threads
    bool threadsOption = true;     // the command takes --threads (explain does not)
    int64_t points = 0;            // the run's points (explain --all: the split's rows); 0 = unknown
    std::string partition, account;
    std::vector<std::string> sbatchOptions; // extra "#SBATCH" options, e.g. "--qos=short"
    std::string jobName = "senn";
    TaskResources resources;
};

// The shard options of one task, as the command takes them (task is 1-based, or a shell
// expression such as "$SLURM_ARRAY_TASK_ID").
std::vector<std::string> shardArgs(const SlurmPlan& plan, const std::string& task);
std::string shardJsonPath(const SlurmPlan& plan, const std::string& task);
std::string mergedJsonPath(const SlurmPlan& plan);

struct SlurmScripts {
    std::string array, merge, submit;
};
SlurmScripts slurmScripts(const SlurmPlan& plan);

// Creates outDir if needed and writes the three files there (each written to a temporary file
// and renamed; submit.sh executable). Returns their paths. Throws senn::Error naming the file.
std::vector<std::string> writeSlurmScripts(const SlurmPlan& plan);

// Each task's explainers get a fixed memory budget (the command's --memory) when the command
// gives none: otherwise they would take half of a node's memory, which neither the calibration
// here nor --mem can foresee.
constexpr int64_t kDefaultTaskMemoryMb = 2048;
// The planned command's arguments as the tasks run them: without --threads (the plan's
// cpusPerTask replaces it), with --memory memoryMb when they give none.
std::vector<std::string> taskArgs(const std::vector<std::string>& args, int64_t memoryMb = kDefaultTaskMemoryMb);

// s quoted for a POSIX shell: unchanged when it is made only of safe characters, else in
// single quotes.
std::string shellQuote(const std::string& s);

// The arguments without the named options and their values (both "--opt V" and "--opt=V");
// flags are options that take no value.
std::vector<std::string> dropOptions(const std::vector<std::string>& args,
                                     const std::vector<std::string>& withValue,
                                     const std::vector<std::string>& flags = {});
// The value of option `name` in args ("--opt V" or "--opt=V"); empty when absent.
std::string optionValue(const std::vector<std::string>& args, const std::string& name);

} // namespace senn::jobs
