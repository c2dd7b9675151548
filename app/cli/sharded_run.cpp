// Shards, results files and run identities of the CLI's evaluation commands (sharded_run.h).
#include "cli/sharded_run.h"

#include "cli/cli_numbers.h"
#include "cli/cli_util.h"
#include "core/common/error.h"
#include "core/io/run_identity.h"
#include "core/io/run_records_file.h"

#include <cctype>
#include <filesystem>
#include <iostream>
#include <limits>

namespace senn::cli {

using nlohmann::json;

namespace {

int64_t parseInteger(const std::string& option, const std::string& text, int64_t lo, int64_t hi)
{
    const std::string problem = integerProblem(text, lo, hi);
    if (!problem.empty())
        throw Error(option + ": " + problem);
    return std::stoll(text);
}

} // namespace

Shard parseShard(const std::string& text)
{
    const auto slash = text.find('/');
    if (slash == std::string::npos)
        throw Error("--shard " + text + ": give K/N, shard K (from 1) of N, e.g. --shard 2/8");
    Shard s;
    const int64_t n = parseInteger("--shard", text.substr(slash + 1), 1, std::numeric_limits<int32_t>::max());
    const int64_t k = parseInteger("--shard", text.substr(0, slash), 1, n);
    s.k = int(k);
    s.n = int(n);
    return s;
}

std::vector<size_t> shardPositions(size_t count, const Shard& shard)
{
    std::vector<size_t> out;
    for (size_t p = size_t(shard.k - 1); p < count; p += size_t(shard.n))
        out.push_back(p);
    return out;
}

void addShardOptions(CLI::App* cmd, ShardArgs& args, const std::string& pointsHelp)
{
    // Checked while parsing, so a bad count is refused before the model is read.
    if (!pointsHelp.empty())
        cmd->add_option("--points", args.points, pointsHelp)
            ->check(CLI::Validator(
                [](std::string& text) {
                    return text == "all" ? std::string()
                                         : integerProblem(text, 1, std::numeric_limits<int32_t>::max());
                },
                "N|all", "points"));
    cmd->add_option("--shard", args.shard,
                    "Compute shard K of N (K from 1): the points at positions p with p % N = K-1; "
                    "`senn merge` joins the shards' --json files");
    cmd->add_flag("--resume", args.resume,
                  "Continue the run from its results file (--json's path + .records): only the "
                  "points not recorded there are computed");
}

int pointsCount(const std::string& text)
{
    if (text.empty())
        return 0;
    if (text == "all")
        return -1;
    return int(parseInteger("--points", text, 1, std::numeric_limits<int32_t>::max()));
}

std::string recordsPath(const std::string& jsonPath) { return jsonPath + ".records"; }

ResultsLog::ResultsLog(const std::string& path, const json& header, bool resume) : m_path(path)
{
    std::error_code ec;
    if (resume && std::filesystem::exists(path, ec)) {
        auto contents = io::readRunRecordsFile(path);
        const std::string diff = io::identityDifference(contents.identity, header.value("identity", json::object()));
        if (!diff.empty())
            throw Error("--resume: the results file " + path + " is from another run: " + diff +
                        ". Delete it or choose another --json to start afresh");
        if (contents.header["shard"] != header.value("shard", json()))
            throw Error("--resume: the results file " + path + " is of shard " + contents.header["shard"].dump() +
                        ", not " + header.value("shard", json()).dump());
        if (contents.tornTail)
            std::cerr << "senn: " << path << ": dropped a record cut short (the run was stopped while writing it)\n";
        m_previous = std::move(contents.records);
        m_writer = io::ResultStreamWriter::resume(path, contents.validBytes);
        m_resumed = true;
        return;
    }
    m_writer = io::ResultStreamWriter::create(path, header);
}

void ResultsLog::append(const json& record)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_writer.write(record);
}

void writeRunResult(const std::string& path, json values, const json& identity, const Shard& shard,
                    const json& timing)
{
    values["run"] = identity;
    if (shard.n > 1)
        values["shard"] = {{"k", shard.k}, {"n", shard.n}};
    io::addChecksum(values);
    // The timing goes last and outside the checksum: two runs of the same points are equal
    // byte for byte once it is removed.
    std::string text = values.dump(2, ' ', false, json::error_handler_t::replace);
    text.pop_back(); // the closing brace
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    std::string t = timing.dump(2);
    std::string indented;
    for (char c : t) {
        indented += c;
        if (c == '\n')
            indented += "  ";
    }
    text += ",\n  \"timing\": " + indented + "\n}\n";
    if (path.empty())
        std::cout << text;
    else
        writeTextFile(path, text);
}

namespace {

std::string shellQuote(const std::string& s)
{
    bool plain = !s.empty();
    for (char c : s)
        plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || std::string("-_./,:=+@%").find(c) != std::string::npos);
    if (plain)
        return s;
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string optionValue(const json& v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_array()) {
        std::string s;
        for (const auto& x : v)
            s += (s.empty() ? "" : ",") + optionValue(x);
        return s;
    }
    return v.dump();
}

} // namespace

std::string rerunCommand(const json& identity, const Shard& shard, const std::string& jsonPath)
{
    std::string cmd = "senn " + identity.value("command", std::string("?"));
    auto path = [&](const char* k) {
        return identity.contains(k) && identity[k].is_object() ? identity[k].value("path", std::string()) : std::string();
    };
    cmd += " --model " + shellQuote(path("model")) + " --data " + shellQuote(path("data"));
    const json settings = identity.value("settings", json::object());
    for (const auto& [k, v] : settings.items()) {
        if (v.is_boolean()) {
            if (v.get<bool>())
                cmd += " --" + k;
            continue;
        }
        if (v.is_null())
            continue;
        cmd += " --" + k + " " + shellQuote(optionValue(v));
    }
    cmd += " --shard " + std::to_string(shard.k) + "/" + std::to_string(shard.n) + " --resume --json " +
           shellQuote(jsonPath);
    return cmd;
}

} // namespace senn::cli
