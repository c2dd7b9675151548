#include "cli/cli_numbers.h"

#include "core/common/error.h"
#include "core/common/files.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace senn::cli {

namespace {

std::string quoted(const std::string& text)
{
    return "'" + files::echo(text, 40) + "'";
}

std::string realText(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

} // namespace

std::string integerProblem(const std::string& text, int64_t lo, int64_t hi)
{
    std::string_view t = text;
    if (!t.empty() && t.front() == '+')
        t.remove_prefix(1);
    if (t.empty())
        return "a number is needed";
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec == std::errc::result_out_of_range)
        return quoted(text) + " is too large";
    if (ec != std::errc() || end != t.data() + t.size()) {
        double d = 0;
        const auto [dend, dec] = std::from_chars(t.data(), t.data() + t.size(), d);
        if (dec == std::errc() && dend == t.data() + t.size() && std::isfinite(d)) {
            if (d != std::floor(d))
                return quoted(text) + " is not a whole number";
            if (d < double(lo))
                return "must be at least " + std::to_string(lo) + " (got " + quoted(text) + ")";
            if (d > double(hi))
                return "must be at most " + std::to_string(hi) + " (got " + quoted(text) + ")";
            return quoted(text) + ": write whole numbers with digits only, e.g. " +
                   std::to_string(static_cast<long long>(d));
        }
        return quoted(text) + " is not a number";
    }
    if (v < lo)
        return "must be at least " + std::to_string(lo) + " (got " + std::to_string(v) + ")";
    if (v > hi)
        return "must be at most " + std::to_string(hi) + " (got " + std::to_string(v) + ")";
    return {};
}

std::string realProblem(const std::string& text, double lo, double hi, bool loExclusive)
{
    std::string_view t = text;
    if (!t.empty() && t.front() == '+')
        t.remove_prefix(1);
    if (t.empty())
        return "a number is needed";
    double v = 0;
    // from_chars does not take "inf"/"nan" as anything but their values: refused below.
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec == std::errc::result_out_of_range)
        return quoted(text) + " is out of range";
    if (ec != std::errc() || end != t.data() + t.size())
        return quoted(text) + " is not a number";
    if (!std::isfinite(v))
        return quoted(text) + " is not a finite number";
    if (loExclusive ? !(v > lo) : v < lo)
        return (loExclusive ? "must be greater than " : "must be at least ") + realText(lo) +
               " (got " + files::echo(text, 40) + ")";
    if (v > hi)
        return "must be at most " + realText(hi) + " (got " + files::echo(text, 40) + ")";
    return {};
}

double parseReal(const std::string& option, const std::string& text, double lo, double hi,
                 bool loExclusive)
{
    const std::string problem = realProblem(text, lo, hi, loExclusive);
    if (!problem.empty())
        throw Error(option + ": " + problem);
    std::string_view t = text;
    if (!t.empty() && t.front() == '+')
        t.remove_prefix(1);
    double v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
}

} // namespace senn::cli
