// Parsed options of each `senn` sub-command (cli.md), filled by commands.cpp and consumed by
// the cmd_*.cpp files. Defaults of 0 / empty mean "the model's or method's default".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace senn::cli {

struct TrainArgs {
    std::string data, target, out;
    std::string model = "senn", concepts; // concepts: "" = default per data kind
    int k = 0;
    std::optional<double> lambda;
    std::string penalty = "exact";
    std::optional<int> epochs, batch;   // epochs: the maximum (early stopping may end sooner)
    std::optional<int> patience;        // 0 = run every epoch
    std::string lrSchedule;             // plateau|cosine|none; "" = the default
    std::string keep;                   // best|last; "" = best
    bool biasConcept = false;           // SENN, identity concepts: h = [x, 1]
    std::optional<double> lr;
    std::optional<double> l2; // L2 on the weights (the baseline's 1/C); default per model and data
    uint64_t seed = 0;
    int threads = 0;
    int64_t limit = -1;
    bool decoy = false;
    std::string rrrMask;
    std::optional<double> rrrLambda;
    std::vector<int> hidden; // MLP / parametrizer hidden sizes; empty = default
    std::string report;
    // --model flint only: post-hoc FLINT on this frozen predictor (.senn MLP/CNN or
    // TorchScript), reading the named hidden layer ("" = an MLP's/CNN's last hidden layer).
    std::string posthoc, hiddenLayer;
};

struct EvalArgs {
    std::string model, data, split = "test", json;
    bool rows = false; // --rows: list each row of the split with its prediction in the JSON
};

// The options of a run that can be split into shards (sharded_run.h).
struct ShardArgs {
    std::string shard;  // "K/N"; "" = the whole run
    std::string points; // --points N|all; "" = the command's default
    bool resume = false;
};

struct ExplainArgs {
    std::string model, data, split = "test";
    int64_t index = 0;
    std::vector<std::string> methods;
    int target = -1;
    std::string background;
    int samples = 0;
    int shapKeep = 0;
    uint64_t seed = 0;
    std::string output = "logit"; // --output logit|probability: what every method explains
    int64_t memoryMb = 0;         // --memory: the job's memory budget; 0 = half the available memory
    std::string json, figure;
    std::string mask;             // --mask FILE|decoy: score each explanation against it
    bool all = false;             // --all: every row of --split, values to --npy
    std::string npy;              // --npy OUT: OUT_METHOD.npy and OUT.json
    ShardArgs shard;
};

struct MetricArgs { // stability and faithfulness
    std::string model, data;
    std::vector<std::string> methods;
    int points = 0;
    std::vector<double> eps;
    uint64_t seed = 0;
    int threads = 0;                     // points in parallel (0 = all cores)
    std::string draws = "independent";   // stability: independent|shared draws of sampling methods
    std::string json, figure;
    std::string sennAttribution = "theta_h"; // faithfulness: SENN's θ·h or "theta"
    std::vector<std::string> measures;       // faithfulness: --measure groups (measures.h); empty = the default set
    int64_t memoryMb = 0;                    // --memory, shared by the points run in parallel
    ShardArgs shard;                         // --shard, --resume, --points N|all
};

struct PrototypesArgs {
    std::string model, data;
    int top = 8;
    std::string json, figure;
};

struct InfoArgs {
    std::string model, json;
    bool system = false; // --system: the BLAS, LibTorch threads and CPU capability in use
};

struct DemoArgs {
    std::string out = "senn-demo";
};

// Each returns the process exit code; senn::Error escaping them is turned into exit code 2.
int cmdTrain(const TrainArgs&);
int cmdEval(const EvalArgs&);
int cmdInfo(const InfoArgs&);
int cmdDemo(const DemoArgs&);
int cmdExplain(const ExplainArgs&);
int cmdStability(const MetricArgs&);
int cmdFaithfulness(const MetricArgs&);
int cmdPrototypes(const PrototypesArgs&);

} // namespace senn::cli
