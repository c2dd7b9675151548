// A scorecard as files: the JSON of `senn scorecard --json` (cli.md), a long CSV (one row per
// method and measure) and a LaTeX booktabs table for papers. The app and the CLI write the same
// text. Plain C++ and nlohmann-json.
#pragma once
#include "core/metrics/scorecard.h"

#include <nlohmann/json.hpp>

#include <string>

namespace senn::metrics {

nlohmann::json scorecardToJson(const ScorecardResult& r);
// "method,measure,higher_is_better,median,lo,hi,rank,n,best" and one row per cell; empty
// fields for NaN; best is 1 in the rows of each measure's best rank.
std::string scorecardCsv(const ScorecardResult& r);
// A table environment: methods as rows, measures as columns with ↑/↓, each cell
// "median [lo, hi] (rank)" with the best per column in bold, and W in the caption.
std::string scorecardLatex(const ScorecardResult& r);

// A number as the table shows it: 3 significant digits, "–" for NaN.
std::string formatScore(double v);
// The rank as the table shows it: "1", "2.5", "–" for NaN.
std::string formatRank(double v);
// True when `rank` is the best (lowest) rank of column k.
bool isBestInColumn(const ScorecardResult& r, size_t method, size_t k);

} // namespace senn::metrics
