// A sub-command declared in its own file: the options it adds to `sub`, the check of its
// outputs before any work, and what runs it. commands.cpp collects them, so a new command is
// one file and one line there.
#pragma once
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace senn::cli {

struct MetricArgs;

struct Command {
    CLI::App* sub = nullptr;
    std::function<void()> check; // throws senn::Error (e.g. files::checkOutputs); may be empty
    std::function<int()> run;    // after parsing, when `sub` was given
};

// Option helpers every command shares (defined in command.cpp).
std::vector<std::string> splitList(const std::string& s);
// Strict number checks (cli_numbers.h); CLI11 prefixes the message with the option's name.
CLI::Validator whole(int64_t lo, int64_t hi);
CLI::Validator real(double lo, double hi, bool loExclusive = false);
void addModelData(CLI::App* cmd, std::string& model, std::string& data);
// The options stability and faithfulness share: the seed and the points run in parallel, and
// the memory budget those points share.
void addSeedAndThreads(CLI::App* cmd, MetricArgs& args);
void addSharedMemory(CLI::App* cmd, MetricArgs& args);

// The commands declared in their own files (cmd_NAME.cpp), one line each.
Command addExplainCommand(CLI::App& app);
Command addStabilityCommand(CLI::App& app);
Command addFaithfulnessCommand(CLI::App& app);
Command addPrototypesCommand(CLI::App& app);
Command addMergeCommand(CLI::App& app);
Command addSlurmCommand(CLI::App& app);
Command addSanityCommand(CLI::App& app);
Command addScorecardCommand(CLI::App& app);
Command addGroundTruthCommand(CLI::App& app);

} // namespace senn::cli
