// The option helpers every sub-command shares (command.h).
#include "cli/command.h"

#include "cli/cli_numbers.h"
#include "cli/options.h"
#include "core/common/limits.h"

#include <limits>

namespace senn::cli {

std::vector<std::string> splitList(const std::string& s)
{
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ',') {
            if (!cur.empty())
                out.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    if (!cur.empty())
        out.push_back(cur);
    return out;
}

CLI::Validator whole(int64_t lo, int64_t hi)
{
    return CLI::Validator([lo, hi](std::string& text) { return integerProblem(text, lo, hi); },
                          "", "whole");
}

CLI::Validator real(double lo, double hi, bool loExclusive)
{
    return CLI::Validator(
        [lo, hi, loExclusive](std::string& text) { return realProblem(text, lo, hi, loExclusive); },
        "", "real");
}

void addModelData(CLI::App* cmd, std::string& model, std::string& data)
{
    cmd->add_option("--model", model, "Model file (.senn, or TorchScript .pt/.ts)")->required();
    cmd->add_option("--data", data, "Dataset: CSV file, IDX folder, image folder or .npy")->required();
}

void addSeedAndThreads(CLI::App* cmd, MetricArgs& args)
{
    cmd->add_option("--seed", args.seed, "Seed")->check(whole(0, std::numeric_limits<int64_t>::max()));
    cmd->add_option("--threads", args.threads, "Points explained in parallel (0 = all cores)")
        ->check(whole(0, limits::kMaxThreadsOption));
}

void addSharedMemory(CLI::App* cmd, MetricArgs& args)
{
    cmd->add_option("--memory", args.memoryMb,
                    "Memory budget in MB for the explainers' batches, shared by the points run in "
                    "parallel (default: half the available memory); a job that cannot fit is refused up front")
        ->check(CLI::Range(int64_t(1), int64_t(1) << 24));
}

} // namespace senn::cli
