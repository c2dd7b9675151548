// Run identities and result checksums (run_identity.h).
#include "core/io/run_identity.h"

#include "core/common/sha256.h"

#include <zlib.h>

#include <cstdio>

namespace senn::io {

using nlohmann::json;

std::string codeVersion() { return "senn 0.1.0"; }

std::string datasetSha256(const data::Dataset& data)
{
    common::Sha256 h;
    const int64_t rows = data.rows();
    h.update(&rows, sizeof rows);
    for (int64_t s : data.sampleShape)
        h.update(&s, sizeof s);
    h.update(data.x.data(), data.x.size() * sizeof(float));
    h.update(data.y.data(), data.y.size() * sizeof(int64_t));
    return h.hexDigest();
}

json runIdentity(const std::string& command, const std::string& modelPath, const data::Dataset& data,
                 const std::string& dataPath, const json& settings, size_t points)
{
    json id;
    id["command"] = command;
    id["code"] = codeVersion();
    id["model"] = {{"path", modelPath}, {"sha256", common::sha256File(modelPath)}};
    id["data"] = {{"path", dataPath}, {"sha256", datasetSha256(data)}, {"rows", data.rows()}};
    id["settings"] = settings;
    id["points"] = points;
    return id;
}

namespace {

std::string shortHash(const json& j)
{
    const std::string s = j.is_string() ? j.get<std::string>() : j.dump();
    return s.size() > 12 ? s.substr(0, 12) + "…" : s;
}

json withoutPaths(json id)
{
    for (const char* k : {"model", "data"})
        if (id.contains(k) && id[k].is_object())
            id[k].erase("path");
    return id;
}

} // namespace

std::string identityDifference(const json& a0, const json& b0)
{
    const json a = withoutPaths(a0), b = withoutPaths(b0);
    if (a == b)
        return {};
    auto field = [](const json& j, const char* k, const char* sub) {
        return j.contains(k) && j[k].is_object() && j[k].contains(sub) ? j[k][sub] : json();
    };
    if (a.value("command", "") != b.value("command", ""))
        return "one is a " + a.value("command", std::string("?")) + " run, the other a " +
               b.value("command", std::string("?")) + " run";
    if (field(a, "model", "sha256") != field(b, "model", "sha256"))
        return "the model file differs (sha256 " + shortHash(field(a, "model", "sha256")) + " against " +
               shortHash(field(b, "model", "sha256")) + ")";
    if (field(a, "data", "sha256") != field(b, "data", "sha256"))
        return "the data differs (sha256 " + shortHash(field(a, "data", "sha256")) + " against " +
               shortHash(field(b, "data", "sha256")) + ")";
    if (a.value("code", "") != b.value("code", ""))
        return "the senn versions differ (" + a.value("code", std::string("?")) + " against " +
               b.value("code", std::string("?")) + ")";
    const json sa = a.value("settings", json::object()), sb = b.value("settings", json::object());
    for (const auto& [k, v] : sa.items())
        if (!sb.contains(k) || sb[k] != v)
            return "the setting " + k + " differs (" + v.dump() + " against " +
                   (sb.contains(k) ? sb[k].dump() : std::string("none")) + ")";
    for (const auto& [k, v] : sb.items())
        if (!sa.contains(k))
            return "the setting " + k + " differs (none against " + v.dump() + ")";
    if (a.value("points", json()) != b.value("points", json()))
        return "the number of points differs (" + a.value("points", json()).dump() + " against " +
               b.value("points", json()).dump() + ")";
    return "the runs differ";
}

std::string resultChecksum(const json& result)
{
    json j = result;
    if (j.is_object()) {
        j.erase("checksum");
        j.erase("timing");
    }
    const std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size()));
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08lx", static_cast<unsigned long>(crc & 0xffffffffUL));
    return buf;
}

void addChecksum(json& result) { result["checksum"] = resultChecksum(result); }

bool checksumMatches(const json& result)
{
    return result.is_object() && result.contains("checksum") && result["checksum"].is_string() &&
           result["checksum"].get<std::string>() == resultChecksum(result);
}

} // namespace senn::io
