// A short run of a senn command measured as a child process: its wall time, its peak resident
// memory and the seconds it reports for its points. `senn slurm` and the app's "Run on a
// cluster…" size the array tasks from it (slurm_script.h).
#pragma once
#include "core/jobs/job.h"
#include "core/jobs/slurm_script.h"

#include <cstdint>
#include <string>
#include <vector>

namespace senn::jobs {

struct MeasuredRun {
    int exitCode = 0;          // the exit status, or 128 + the signal that ended it
    double wallSeconds = 0;
    int64_t peakRssBytes = 0;  // the child's own peak (getrusage of the reaped child)
};

// Runs argv (argv[0] an absolute path; no shell) with stdout and stderr going to logPath, and
// waits for it; cancelling ends the child and throws jobs::Cancelled. Throws senn::Error when it
// cannot start.
MeasuredRun runMeasured(const std::vector<std::string>& argv, const std::string& logPath,
                        const CancelToken& cancel = {});

// The plan's command on `points` points with the plan's threads, here (explain --all, which
// has no --points: the first of plan.points / points shards of its rows): its result goes to
// outDir/calibration.json and its output to outDir/logs/calibration.out. Throws senn::Error with
// the end of that output when the command fails.
Calibration calibrate(const SlurmPlan& plan, int points, const CancelToken& cancel = {});

} // namespace senn::jobs
