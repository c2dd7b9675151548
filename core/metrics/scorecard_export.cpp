// JSON, CSV and LaTeX of a scorecard (scorecard_export.h).
#include "core/metrics/scorecard_export.h"

#include "core/explain/explanation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace senn::metrics {

using nlohmann::json;

namespace {

json finiteOrNull(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json finiteArray(const std::vector<double>& v)
{
    json a = json::array();
    for (double x : v)
        a.push_back(finiteOrNull(x));
    return a;
}

std::string csvNumber(double v)
{
    if (!std::isfinite(v))
        return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// LaTeX text: the specials escaped and the few non-ASCII signs of method and measure names
// in math mode, so the table compiles without inputenc tricks.
std::string latexText(const std::string& s)
{
    static const std::pair<const char*, const char*> utf8[] = {
        {"×", "$\\times$"}, {"−", "$-$"}, {"L̂", "$\\hat{L}$"}, {"β", "$\\beta$"},
        {"ε", "$\\varepsilon$"}, {"θ", "$\\theta$"}, {"–", "--"}};
    std::string out;
    for (size_t i = 0; i < s.size();) {
        bool done = false;
        for (const auto& [from, to] : utf8) {
            const size_t n = std::char_traits<char>::length(from);
            if (s.compare(i, n, from) == 0) {
                out += to;
                i += n;
                done = true;
                break;
            }
        }
        if (done)
            continue;
        const char c = s[i++];
        switch (c) {
        case '&': case '%': case '$': case '#': case '_': case '{': case '}': out += '\\'; out += c; break;
        case '~': out += "\\textasciitilde{}"; break;
        case '^': out += "\\textasciicircum{}"; break;
        case '\\': out += "\\textbackslash{}"; break;
        default: out += c;
        }
    }
    return out;
}

std::string methodName(const std::string& id)
{
    try {
        return explain::methodDisplayName(explain::methodFromId(id));
    } catch (...) {
        return id;
    }
}

} // namespace

std::string formatScore(double v)
{
    if (!std::isfinite(v))
        return "–";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

std::string formatRank(double v)
{
    if (!std::isfinite(v))
        return "–";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

bool isBestInColumn(const ScorecardResult& r, size_t method, size_t k)
{
    if (method >= r.ranks.size() || k >= r.ranks[method].size() || std::isnan(r.ranks[method][k]))
        return false;
    for (const auto& row : r.ranks)
        if (k < row.size() && row[k] < r.ranks[method][k])
            return false;
    return true;
}

json scorecardToJson(const ScorecardResult& r)
{
    json out;
    out["points"] = r.points;
    out["seed"] = r.seed;
    out["bootstrap"] = r.bootstrap;
    out["level"] = r.level;
    out["seconds"] = r.seconds;
    out["threads"] = r.threads;
    out["cancelled"] = r.cancelled;
    out["methods"] = r.methods;
    out["explain_seconds"] = r.explainSeconds;
    int tasks = 0;
    for (int d : r.pointsDone)
        tasks += d;
    out["measures"] = json::array();
    for (size_t k = 0; k < r.measures.size(); ++k) {
        const double secs = k < r.measureSeconds.size() ? r.measureSeconds[k] : std::nan("");
        out["measures"].push_back({{"id", r.measures[k].id},
                                   {"name", r.measures[k].name},
                                   {"higher_is_better", r.measures[k].higherIsBetter},
                                   {"seconds", finiteOrNull(secs)},
                                   {"seconds_per_point", finiteOrNull(tasks > 0 ? secs / tasks : std::nan(""))}});
    }
    json cells = json::object();
    for (size_t m = 0; m < r.methods.size(); ++m) {
        json row = json::object();
        for (size_t k = 0; k < r.measures.size(); ++k) {
            const auto& c = r.cells[m][k];
            row[r.measures[k].id] = {{"median", finiteOrNull(c.median)},
                                     {"lo", finiteOrNull(c.lo)},
                                     {"hi", finiteOrNull(c.hi)},
                                     {"rank", finiteOrNull(r.ranks[m][k])},
                                     {"best", isBestInColumn(r, m, k)},
                                     {"n", c.n},
                                     {"per_point", finiteArray(r.values[m][k])}};
            if (m < r.reasons.size() && k < r.reasons[m].size() && !r.reasons[m][k].empty())
                row[r.measures[k].id]["reason"] = r.reasons[m][k];
        }
        row["points_done"] = r.pointsDone[m];
        if (m < r.sources.size() && !r.sources[m].empty())
            row["source"] = r.sources[m];
        cells[r.methods[m]] = row;
    }
    out["cells"] = cells;
    json tau = json::object();
    for (size_t a = 0; a < r.measures.size(); ++a) {
        json t = json::object();
        for (size_t b = 0; b < r.measures.size(); ++b)
            t[r.measures[b].id] = finiteOrNull(r.tau[a][b]);
        tau[r.measures[a].id] = t;
    }
    out["agreement"] = {{"kendall_w", finiteOrNull(r.kendallW)},
                        {"measures", r.agreementMeasures},
                        {"sentence", agreementSentence(r.kendallW)},
                        {"tau", tau}};
    return out;
}

std::string scorecardCsv(const ScorecardResult& r)
{
    std::ostringstream out;
    out << "method,measure,higher_is_better,median,lo,hi,rank,n,best\n";
    for (size_t m = 0; m < r.methods.size(); ++m)
        for (size_t k = 0; k < r.measures.size(); ++k) {
            const auto& c = r.cells[m][k];
            out << csvField(r.methods[m]) << ',' << csvField(r.measures[k].id) << ','
                << (r.measures[k].higherIsBetter ? 1 : 0) << ',' << csvNumber(c.median) << ','
                << csvNumber(c.lo) << ',' << csvNumber(c.hi) << ',' << csvNumber(r.ranks[m][k]) << ','
                << c.n << ',' << (isBestInColumn(r, m, k) ? 1 : 0) << '\n';
        }
    return out.str();
}

std::string scorecardLatex(const ScorecardResult& r)
{
    std::ostringstream out;
    const int level = int(std::lround(r.level * 100));
    size_t points = r.points.size();
    out << "% senn scorecard: median over the points [" << level << "% percentile bootstrap interval] (rank)\n"
        << "\\begin{table}[t]\n\\centering\n\\small\n"
        << "\\caption{Median over " << points << " points [" << level
        << "\\% bootstrap interval] (rank; 1 = best, best in bold). "
        << "$\\uparrow$: higher is better, $\\downarrow$: lower is better. Kendall's $W = "
        << formatScore(r.kendallW) << "$ over " << r.agreementMeasures.size() << " measures.}\n"
        << "\\begin{tabular}{l" << std::string(r.measures.size(), 'c') << "}\n\\toprule\nMethod";
    for (const auto& m : r.measures)
        out << " & " << latexText(m.name) << (m.higherIsBetter ? " $\\uparrow$" : " $\\downarrow$");
    out << " \\\\\n\\midrule\n";
    for (size_t m = 0; m < r.methods.size(); ++m) {
        out << latexText(methodName(r.methods[m]));
        for (size_t k = 0; k < r.measures.size(); ++k) {
            const auto& c = r.cells[m][k];
            std::string median = latexText(formatScore(c.median));
            if (isBestInColumn(r, m, k))
                median = "\\textbf{" + median + "}";
            out << " & " << median;
            if (std::isfinite(c.median))
                out << " [" << formatScore(c.lo) << ", " << formatScore(c.hi) << "] (" << formatRank(r.ranks[m][k]) << ")";
        }
        out << " \\\\\n";
    }
    out << "\\bottomrule\n\\end{tabular}\n\\end{table}\n";
    return out.str();
}

} // namespace senn::metrics
