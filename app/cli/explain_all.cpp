// `senn explain --all` and the merge of its shards (explain_all.h): every explanation is a
// record of the results file as it finishes (values as base64 float32), the arrays are
// written once the shard ends.
#include "cli/explain_all.h"

#include "cli/cli_util.h"
#include "cli/metric_output.h"
#include "cli/sharded_run.h"
#include "core/common/error.h"
#include "core/common/sha256.h"
#include "core/explain/explanation.h"
#include "core/io/model_file.h"
#include "core/io/run_identity.h"

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

namespace senn::cli {

using nlohmann::json;

namespace {

const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(const std::string& bytes)
{
    std::string out;
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const uint32_t v = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8 | uint8_t(bytes[i + 2]);
        for (int s = 18; s >= 0; s -= 6)
            out += kB64[(v >> s) & 63];
    }
    if (i < bytes.size()) {
        uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
        if (i + 1 < bytes.size())
            v |= uint32_t(uint8_t(bytes[i + 1])) << 8;
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? kB64[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string unbase64(const std::string& text, const std::string& what)
{
    int table[256];
    std::fill(table, table + 256, -1);
    for (int i = 0; i < 64; ++i)
        table[uint8_t(kB64[i])] = i;
    std::string out;
    uint32_t v = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=')
            break;
        const int d = table[uint8_t(c)];
        if (d < 0)
            throw Error(what + ": a record's values are not base64");
        v = v << 6 | uint32_t(d);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((v >> bits) & 0xff);
        }
    }
    return out;
}

// A float32 C-order .npy file of `shape` holding `values` (little-endian hosts).
std::string npyBytes(const std::vector<int64_t>& shape, const std::vector<float>& values)
{
    std::string dims;
    for (size_t i = 0; i < shape.size(); ++i)
        dims += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? "," : "") +
                (i + 1 < shape.size() ? " " : "");
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    const size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::string out = "\x93NUMPY";
    out += char(1);
    out += char(0);
    out += char(header.size() & 0xff);
    out += char((header.size() >> 8) & 0xff);
    out += header;
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
    return out;
}

// The values of a file npyBytes wrote, checked against its expected element count.
std::vector<float> readNpy(const std::string& path, size_t count)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot be read");
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
        throw Error(path + ": not a .npy file");
    const size_t headerLen = size_t(uint8_t(bytes[8])) | size_t(uint8_t(bytes[9])) << 8;
    const size_t at = 10 + headerLen;
    if (bytes.size() != at + count * sizeof(float) || bytes.find("'<f4'") > at)
        throw Error(path + ": not the float32 array of " + std::to_string(count) + " values its listing describes");
    std::vector<float> values(count);
    std::memcpy(values.data(), bytes.data() + at, count * sizeof(float));
    return values;
}

// OUT.json -> OUT; anything else stays as it is.
std::string stemOf(const std::string& path)
{
    const std::string ext = ".json";
    if (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0)
        return path.substr(0, path.size() - ext.size());
    return path;
}

struct MethodArray {
    std::vector<int64_t> shape; // of one explanation
    std::vector<float> values;  // rows × prod(shape), row i at i·prod(shape)
};

size_t productOf(const std::vector<int64_t>& shape)
{
    size_t n = 1;
    for (auto s : shape)
        n *= size_t(s);
    return n;
}

// Writes the arrays (stem_METHOD.npy) and the listing, which names each array's hash.
void writeListing(const std::string& listing, const std::string& stem, const std::vector<std::string>& ids,
                  const std::map<std::string, MethodArray>& arrays, const std::vector<int64_t>& rows,
                  const json& identity, const Shard& shard, const json& timing)
{
    json values;
    values["rows"] = rows;
    values["methods"] = ids;
    values["shapes"] = json::object();
    values["sha256"] = json::object();
    for (const auto& id : ids) {
        const auto& a = arrays.at(id);
        std::vector<int64_t> shape{int64_t(rows.size())};
        shape.insert(shape.end(), a.shape.begin(), a.shape.end());
        const std::string bytes = npyBytes(shape, a.values);
        io::writeFileAtomically(stem + "_" + id + ".npy", bytes);
        values["shapes"][id] = shape;
        values["sha256"][id] = common::sha256Hex(bytes.data(), bytes.size());
    }
    writeRunResult(listing, values, identity, shard, timing);
}

} // namespace

int cmdExplainAll(const ExplainArgs& args)
{
    if (args.npy.empty() && args.json.empty())
        throw Error("--all needs --npy OUT (or --json OUT.json): the arrays go to OUT_METHOD.npy");
    if (!args.figure.empty())
        throw Error("--all writes arrays, not a figure: leave out --figure");
    const std::string listing = args.json.empty() ? args.npy + ".json" : args.json;
    const std::string stem = args.json.empty() ? args.npy : stemOf(args.json);
    const auto methods = parseMethods(args.methods.empty() ? std::vector<std::string>{"senn"} : args.methods);
    const Shard shard = args.shard.shard.empty() ? Shard{} : parseShard(args.shard.shard);
    auto ws = openModelAndData(args.model, args.data);
    const auto split = rowsForSplit(ws, args.split);
    auto ctx = explain::ExplainContext::make(ws.data, ws.split);

    std::vector<std::string> ids;
    for (auto m : methods)
        ids.push_back(explain::methodId(m));
    json settings = {{"all", true}, {"split", args.split}, {"methods", ids}, {"seed", args.seed},
                     {"output", args.output}};
    if (args.target >= 0)
        settings["target"] = args.target;
    if (!args.background.empty())
        settings["background"] = args.background;
    if (args.samples > 0)
        settings["samples"] = args.samples;
    if (args.shapKeep > 0)
        settings["shap-keep"] = args.shapKeep;
    const json identity = io::runIdentity("explain", args.model, ws.data, args.data, settings, split.size());
    const auto positions = shardPositions(split.size(), shard);
    if (positions.empty())
        throw Error("--shard " + args.shard.shard + ": the split has only " + std::to_string(split.size()) +
                    " rows, so this shard has none");
    std::vector<int64_t> rows;
    std::map<size_t, size_t> indexOf;
    for (size_t i = 0; i < positions.size(); ++i) {
        rows.push_back(split[positions[i]]);
        indexOf[positions[i]] = i;
    }

    ResultsLog log(recordsPath(listing), io::runRecordsHeader(identity, shard.k, shard.n), args.shard.resume);
    std::map<std::string, MethodArray> arrays;
    std::map<std::string, std::vector<bool>> have;
    for (const auto& id : ids)
        have[id].assign(rows.size(), false);
    auto store = [&](const std::string& id, size_t i, const std::vector<int64_t>& shape, const float* v) {
        auto& a = arrays[id];
        if (a.values.empty()) {
            a.shape = shape;
            a.values.assign(rows.size() * productOf(shape), 0.0f);
        } else if (a.shape != shape) {
            throw Error(id + " gave explanations of different shapes for rows " + std::to_string(rows.front()) +
                        " and " + std::to_string(rows[i]) + ": they cannot share one array");
        }
        std::memcpy(a.values.data() + i * productOf(shape), v, productOf(shape) * sizeof(float));
        have[id][i] = true;
    };
    for (const auto& j : log.previous()) {
        const std::string what = recordsPath(listing);
        const auto id = j.value("method", std::string());
        const size_t point = j.value("point", size_t(0));
        auto it = indexOf.find(point);
        if (!have.count(id) || it == indexOf.end() || j.value("row", int64_t(-1)) != split[point])
            throw Error("--resume: " + what + " holds a record that is not one of this shard's explanations");
        const auto shape = j.value("shape", std::vector<int64_t>{});
        const std::string bytes = unbase64(j.value("values", std::string()), what);
        if (bytes.size() != productOf(shape) * sizeof(float))
            throw Error(what + ": a record's values do not fill its shape");
        store(id, it->second, shape, reinterpret_cast<const float*>(bytes.data()));
    }

    explain::ExplainOptions opts;
    opts.target = args.target;
    opts.background = args.background;
    opts.samples = args.samples;
    opts.shapKeepFeatures = args.shapKeep;
    opts.seed = args.seed; // every row with the run's seed, as `senn explain --index` explains it
    opts.output = explain::outputFromId(args.output);
    opts.memoryBudget = args.memoryMb << 20;
    const auto t0 = std::chrono::steady_clock::now();
    size_t todo = 0, finished = 0;
    for (const auto& id : ids)
        for (bool h : have[id])
            todo += h ? 0 : 1;
    if (todo < ids.size() * rows.size())
        std::cerr << "senn: resuming: " << ids.size() * rows.size() - todo << " of " << ids.size() * rows.size()
                  << " explanations already in " << recordsPath(listing) << "\n";
    ProgressPrinter printer("explain");
    for (size_t mi = 0; mi < methods.size(); ++mi)
        for (size_t i = 0; i < rows.size(); ++i) {
            if (have[ids[mi]][i])
                continue;
            auto e = explain::explain(methods[mi], ws.model, ctx, ws.data.row(rows[i]), opts);
            const std::string bytes(reinterpret_cast<const char*>(e.values.data()), e.values.size() * sizeof(float));
            log.append(json{{"method", ids[mi]}, {"point", positions[i]}, {"row", rows[i]}, {"shape", e.shape},
                            {"values", base64(bytes)}});
            store(ids[mi], i, e.shape, e.values.data());
            ++finished;
            printer.update(double(finished) / double(std::max<size_t>(1, todo)),
                           explain::methodDisplayName(methods[mi]) + ": row " + std::to_string(rows[i]));
        }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    printer.finish(formatSeconds(seconds));
    writeListing(listing, stem, ids, arrays, rows, identity, shard, json{{"seconds", seconds}});
    std::cerr << "senn: wrote " << listing << " and " << ids.size() << " array" << (ids.size() == 1 ? "" : "s")
              << " (" << stem << "_METHOD.npy)\n";
    return 0;
}

std::vector<int64_t> explainRowsOf(const json& result, const std::string& path)
{
    if (!result.contains("rows") || !result["rows"].is_array())
        throw Error(path + ": \"rows\" is missing");
    return result["rows"].get<std::vector<int64_t>>();
}

void mergeExplainShards(const std::string& out, const json& identity, const std::vector<int64_t>& rows,
                        const std::vector<ExplainShard>& shards, double seconds)
{
    const auto ids = identity.value("settings", json::object()).value("methods", std::vector<std::string>{});
    std::map<std::string, MethodArray> arrays;
    for (const auto& s : shards) {
        const std::string stem = stemOf(s.path);
        for (const auto& id : ids) {
            const auto shape = s.result.at("shapes").at(id).get<std::vector<int64_t>>();
            if (shape.empty() || size_t(shape[0]) != s.positions.size())
                throw Error(s.path + ": the shape of " + id + " does not match its rows");
            const std::vector<int64_t> one(shape.begin() + 1, shape.end());
            const std::string file = stem + "_" + id + ".npy";
            const auto values = readNpy(file, s.positions.size() * productOf(one));
            const std::string bytes = npyBytes(shape, values);
            if (common::sha256Hex(bytes.data(), bytes.size()) != s.result.at("sha256").value(id, std::string()))
                throw Error(file + ": its SHA-256 is not the one " + s.path + " lists: the array was changed or "
                            "damaged. Compute the shard again: " + rerunCommand(identity, s.shard, s.path));
            auto& a = arrays[id];
            if (a.values.empty()) {
                a.shape = one;
                a.values.assign(rows.size() * productOf(one), 0.0f);
            } else if (a.shape != one) {
                throw Error(s.path + ": " + id + " has explanations of another shape than in the other shards");
            }
            const size_t n = productOf(one);
            for (size_t i = 0; i < s.positions.size(); ++i)
                std::memcpy(a.values.data() + s.positions[i] * n, values.data() + i * n, n * sizeof(float));
        }
    }
    writeListing(out, stemOf(out), ids, arrays, rows, identity, Shard{}, json{{"seconds", seconds}, {"shards", shards.size()}});
}

} // namespace senn::cli
