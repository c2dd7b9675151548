// What opening a running shard's results file costs the app's worker thread, for faithfulness
// files of 10^4 to 10^6 records (2 methods, the default measures per record): "held" reads the
// file's records as JSON (io::readRunRecordsFile) and then rebuilds the result
// (metrics::partialRun of the files), "streamed" converts each record as it is read
// (metrics::partialRun of the paths, what the app calls). A normal executable, not a CTest
// test; run each mode in its own process to see its peak memory:
//   /usr/bin/time -v bench_records_file 1000000 streamed   (one line per size: medians of 3 runs)
#include "core/io/metric_json.h"
#include "core/io/result_stream.h"
#include "core/io/run_records_file.h"
#include "core/metrics/partial_results.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace senn;
using nlohmann::json;

namespace {

double seconds(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A results file of `records` faithfulness records (2 methods × records/2 points), written as
// the CLI frames them but without the CLI's fsync per record.
void writeFile(const std::string& path, size_t records)
{
    const size_t points = records / 2;
    const json identity = {{"command", "faithfulness"}, {"code", "bench"}, {"points", points},
                           {"model", {{"path", "m.senn"}, {"sha256", "aa"}}},
                           {"data", {{"path", "d.csv"}, {"sha256", "dd"}, {"rows", points}}},
                           {"settings", {{"methods", {"lime", "saliency"}}, {"points", points}, {"seed", 0},
                                         {"senn-attribution", "theta_h"}}}};
    std::ofstream out(path, std::ios::binary);
    out << io::frameRecord(io::runRecordsHeader(identity, 1, 1));
    for (size_t p = 0; p < points; ++p)
        for (const char* m : {"lime", "saliency"}) {
            metrics::FaithfulnessRecord r;
            r.method = m;
            r.point = p;
            r.row = int64_t(p);
            r.measures = {{"removal_correlation", 0.5 + 1e-7 * double(p)},
                          {"faithfulness_correlation", 0.25},
                          {"infidelity", 1.5e-3},
                          {"infidelity_normalized", 0.125}};
            r.seconds = 0.01;
            out << io::frameRecord(io::recordToJson(r));
        }
}

} // namespace

int main(int argc, char** argv)
{
    const size_t maxRecords = argc > 1 ? size_t(std::atoll(argv[1])) : 1000000;
    const bool streamed = argc > 2 && std::string(argv[2]) == "streamed";
    const std::string path = "/tmp/bench_records_" + std::to_string(::getpid()) + ".records";
    std::printf("mode      records  MB     seconds (median of 3)\n");
    for (size_t n = 10000; n <= maxRecords; n *= 10) {
        writeFile(path, n);
        std::ifstream f(path, std::ios::binary | std::ios::ate);
        const double mb = double(f.tellg()) / 1e6;
        std::vector<double> t;
        for (int rep = 0; rep < 3; ++rep) {
            const auto t0 = std::chrono::steady_clock::now();
            const auto run = streamed ? metrics::partialRun(std::vector<std::string>{path})
                                      : metrics::partialRun({io::readRunRecordsFile(path)});
            t.push_back(seconds(t0));
            if (run.pointsDone != n / 2)
                return 1;
        }
        std::sort(t.begin(), t.end());
        std::printf("%-9s %-8zu %-6.1f %.3f\n", streamed ? "streamed" : "held", n, mb, t[1]);
    }
    std::remove(path.c_str());
    return 0;
}
