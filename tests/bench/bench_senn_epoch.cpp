// Times SENN training epochs on the MNIST digits (tests/bench/README.md), with the exact and
// the fast robustness penalty, through the real trainer. Prints one JSON object per mode.
//   bench_senn_epoch MNIST_DIR [--rows N] [--epochs E] [--threads T] [--batch B] [--mode exact|fast|none|both|all]
#include "core/torch_include.h"

#include "core/data/loader.h"
#include "core/train/trainer.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

using namespace senn;

namespace {
double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0.0 : (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

long peakRssKb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}
} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::cerr << "usage: bench_senn_epoch MNIST_DIR [--rows N] [--epochs E] [--threads T] "
                     "[--batch B] [--mode exact|fast|none|both|all]\n";
        return 2;
    }
    std::string dir = argv[1], mode = "both";
    int64_t rows = 8000;
    int epochs = 1, threads = 2, batch = 128;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--rows")
            rows = std::stoll(v);
        else if (a == "--epochs")
            epochs = std::stoi(v);
        else if (a == "--threads")
            threads = std::stoi(v);
        else if (a == "--batch")
            batch = std::stoi(v);
        else if (a == "--mode")
            mode = v;
    }
    try {
        auto ds = data::loadIdxFolder(dir);
        const int64_t pool = ds.testBegin >= 0 ? ds.testBegin : ds.rows();
        data::Split split;
        split.predefinedTest = true;
        for (int64_t i = 0; i < std::min(rows, pool); ++i)
            split.train.push_back(i); // no val / test: the epoch is all we time

        // "none": the same SENN with λ = 0 (no robustness penalty), the reference the penalty
        // is measured against (fast ≤ 1.5× none).
        std::vector<std::pair<models::PenaltyMode, bool>> modes; // (mode, penalised)
        if (mode == "none" || mode == "all")
            modes.push_back({models::PenaltyMode::Exact, false});
        if (mode == "exact" || mode == "both" || mode == "all")
            modes.push_back({models::PenaltyMode::Exact, true});
        if (mode == "fast" || mode == "both" || mode == "all")
            modes.push_back({models::PenaltyMode::Fast, true});
        for (auto [pm, penalised] : modes) {
            auto cfg = models::ModelConfig::defaultsFor(ds.kind, models::ModelKind::Senn, ds.featureCount());
            cfg.penalty = pm;
            if (!penalised)
                cfg.lambda = 0;
            auto tc = models::TrainConfig::defaultsFor(ds.kind);
            tc.epochs = epochs;
            tc.batch = batch;
            tc.threads = threads;
            std::vector<double> seconds;
            double epochStart = 0, lastBatchEnd = 0, lastAcc = 0;
            auto result = train::train(ds, split, cfg, tc, [&](const train::BatchReport& r) {
                if (r.epochEnd) {
                    seconds.push_back(lastBatchEnd - epochStart);
                    epochStart = r.elapsedSeconds; // the next epoch starts after this report
                    lastAcc = r.epochRecord.trainAccuracy;
                } else {
                    lastBatchEnd = r.elapsedSeconds;
                }
            });
            std::printf("{\"impl\": \"senn-studio\", \"penalty\": \"%s\", \"rows\": %zu, \"batch\": %d, "
                        "\"threads\": %d, \"epochs\": %d, \"median_epoch_seconds\": %.3f, "
                        "\"train_accuracy_last_epoch\": %.4f, \"peak_rss_mb\": %.1f}\n",
                        penalised ? models::toString(pm).c_str() : "none", split.train.size(), batch, threads, epochs,
                        median(seconds), lastAcc, peakRssKb() / 1024.0);
            std::fflush(stdout);
            (void)result;
        }
    } catch (const std::exception& e) {
        std::cerr << "bench_senn_epoch: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
