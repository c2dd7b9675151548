// Strict parsing of the numbers given to `senn` options: the whole text must be a number
// ("0.1abc" is refused), finite ("inf", "nan", "1e999" are refused) and within the option's
// range, stated the way a person says it ("must be at least 1"). Messages name the option.
#pragma once
#include <cstdint>
#include <string>

namespace senn::cli {

// Empty when `text` is a whole number in [lo, hi]; else the problem, e.g. "'abc' is not a
// number" or "must be at least 1" (without the option's name: CLI11 adds it).
std::string integerProblem(const std::string& text, int64_t lo, int64_t hi);
// Same for a real number in [lo, hi] (lo excluded when loExclusive: "must be greater than 0").
std::string realProblem(const std::string& text, double lo, double hi, bool loExclusive = false);

// Parses or throws senn::Error("OPTION: problem").
double parseReal(const std::string& option, const std::string& text, double lo, double hi,
                 bool loExclusive = false);

} // namespace senn::cli
