// A stability or faithfulness run's result so far, rebuilt from the results files of running
// (or stopped) shards: the app's File > Open results… on FILE.records. Several shards of one run
// are combined as `senn merge` would combine their results, without writing anything.
#pragma once
#include "core/io/run_records_file.h"
#include "core/metrics/metrics.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace senn::metrics {

struct PartialRun {
    std::string command;          // "stability" or "faithfulness"
    nlohmann::json identity;      // the run's (the first file's)
    StabilityResult stability;    // command == "stability"
    FaithfulnessResult faithfulness;
    // The result holds the points with at least one record, in their order in the run.
    size_t pointsDone = 0;        // points whose every method is recorded
    size_t pointsPlanned = 0;     // the points of the shards read
    size_t runPoints = 0;         // the whole run's points (every shard)
    int shardN = 1;
    std::vector<int> shardKs;     // the shards read, ascending
    bool tornTail = false;        // a file ended in a record cut short (dropped)
};

// Throws senn::Error naming the file when it is not a stability or faithfulness run, a record
// does not fit the run, or the files are not shards of one run (another model, data or setting:
// the difference named; another N; a shard given twice).
PartialRun partialRun(const std::vector<io::RunRecordsFile>& files);
// The same from the files at `paths`, each record converted as it is read: what the app calls,
// so that a file of a million records is never held as JSON.
PartialRun partialRun(const std::vector<std::string>& paths);

} // namespace senn::metrics
