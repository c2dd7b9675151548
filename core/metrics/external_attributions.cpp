// External attributions (external_attributions.h): the .npy header is read and checked once;
// a row's values are read with a seek when a point asks for them, so a file of any N costs one
// row of memory. The header form is the one numpy.save writes (versions 1-3, C order).
#include "core/metrics/external_attributions.h"

#include "core/common/error.h"
#include "core/data/npy_array.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

namespace senn::metrics {

namespace {

std::string shapeText(const std::vector<int64_t>& s)
{
    std::string t = "(";
    for (size_t i = 0; i < s.size(); ++i)
        t += (i ? ", " : "") + std::to_string(s[i]);
    return t + (s.size() == 1 ? ",)" : ")");
}

const char* const kHowToSave = "Save the array with numpy.save(path, a.astype('float32'))";

} // namespace

void checkAttributionName(const std::string& name, const std::string& file)
{
    if (name.empty() || name.size() > 64)
        throw Error::inFile(file, "the attributions need a name of 1 to 64 characters (NAME=FILE.npy)");
    for (unsigned char c : name)
        if (!std::isalnum(c) && c != '-' && c != '_' && c != '.')
            throw Error::inFile(file, "the name '" + name + "' may hold only letters, digits, '-', '_' and '.'");
    for (auto m : explain::allMethods())
        if (explain::methodId(m) == name)
            throw Error::inFile(file, "the name '" + name + "' is the id of a built-in method, so its row could "
                                      "not be told from the method's",
                                "Give the file another name, e.g. " + name + "-file=" + file);
}

AttributionSource parseAttributionSource(const std::string& spec, const std::string& split)
{
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq + 1 >= spec.size())
        throw Error("--attributions '" + spec + "': expected NAME=FILE.npy");
    AttributionSource s;
    s.name = spec.substr(0, eq);
    s.path = spec.substr(eq + 1);
    s.split = split;
    checkAttributionName(s.name, s.path);
    return s;
}

std::vector<int64_t> splitRowsByName(const data::Dataset& data, const data::Split& split, const std::string& name)
{
    if (name == "all") {
        std::vector<int64_t> rows(size_t(data.rows()));
        for (int64_t i = 0; i < data.rows(); ++i)
            rows[size_t(i)] = i;
        return rows;
    }
    if (name == "train")
        return split.train;
    if (name == "val")
        return split.val;
    if (name == "test")
        return split.test;
    throw Error("unknown split '" + name + "'; valid: train, val, test, all");
}

ExternalAttributions::ExternalAttributions(const AttributionSource& source, const data::Dataset& data,
                                           const data::Split& split)
    : m_source(source)
{
    const std::string& path = source.path;
    checkAttributionName(source.name, path);
    m_rows = splitRowsByName(data, split, source.split);
    if (m_rows.empty())
        throw Error::inFile(path, "the " + source.split + " split of the data has no rows to match it with");
    for (size_t i = 0; i < m_rows.size(); ++i)
        m_position[m_rows[i]] = int64_t(i);
    m_sampleShape = data.sampleShape;
    if (!data.isImage())
        m_labels = data.featureNames;

    const data::NpyHeader header = data::readNpyHeader(path); // the loader's checks, data size included
    if (header.kind != 'f' || (header.itemSize != 4 && header.itemSize != 8))
        throw Error::inFile(path, "dtype '" + header.dtype + "': attributions must be float32 or float64 (little-endian)",
                            kHowToSave);
    m_itemSize = header.itemSize;
    m_dataOffset = header.dataOffset;
    const std::vector<int64_t>& shape = header.shape;
    const int64_t n = int64_t(m_rows.size());
    if (shape.empty() || shape[0] != n) {
        std::string hint = "Write the file with one row per row of the " + source.split +
                           " split, in the order `senn explain --split " + source.split + " --all --npy OUT` writes";
        std::vector<std::string> sameSize; // the splits the file may have been written for
        if (!shape.empty())
            for (const char* other : {"train", "val", "test", "all"})
                if (other != source.split && int64_t(splitRowsByName(data, split, other).size()) == shape[0])
                    sameSize.push_back(other);
        if (!sameSize.empty()) {
            std::string names = sameSize[0];
            for (size_t i = 1; i < sameSize.size(); ++i)
                names += (i + 1 == sameSize.size() ? " and " : ", ") + sameSize[i];
            hint = "The " + names + (sameSize.size() == 1 ? " split has " : " splits have ") +
                   std::to_string(shape[0]) + " rows: was the file written for " +
                   (sameSize.size() == 1 ? "it" : "one of them") + "? Give that split (--attributions-split)";
        }
        throw Error::inFile(path,
                            "shape " + shapeText(shape) + " holds " + (shape.empty() ? std::string("no") : std::to_string(shape[0])) +
                                " rows but the " + source.split + " split has " + std::to_string(n),
                            hint);
    }
    const std::vector<int64_t> perRow(shape.begin() + 1, shape.end());
    if (perRow != m_sampleShape) {
        std::string what = "each row has shape " + shapeText(perRow) + " but the model's input has shape " +
                           shapeText(m_sampleShape);
        std::string hint = data.isImage() ? "Give one value per input value, [N, C, H, W] (channels first)"
                                          : "Give one value per feature, [N, d]";
        if (perRow.size() == 1 && !data.isImage())
            hint += "; concept attributions are not read from a file, because the measures remove a concept "
                    "through SENN's own θ";
        throw Error::inFile(path, what, hint);
    }
    m_rowValues = 1;
    for (auto s : perRow)
        m_rowValues *= s;
}

bool ExternalAttributions::holds(int64_t row) const { return m_position.count(row) > 0; }

explain::Explanation ExternalAttributions::at(int64_t row) const
{
    const std::string& path = m_source.path;
    auto it = m_position.find(row);
    if (it == m_position.end())
        throw Error::inFile(path, "row " + std::to_string(row) + " of the data is not in the " + m_source.split +
                                      " split this file holds",
                            "Write the attributions of the split the points come from");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error::inFile(path, "cannot be read");
    const uint64_t bytes = uint64_t(m_rowValues) * uint64_t(m_itemSize);
    in.seekg(std::streamoff(m_dataOffset + uint64_t(it->second) * bytes));
    std::vector<char> buffer(static_cast<size_t>(bytes));
    in.read(buffer.data(), std::streamsize(bytes));
    if (uint64_t(in.gcount()) != bytes)
        throw Error::inFile(path, "ends before row " + std::to_string(it->second) + " (the file was cut short)");
    explain::Explanation e;
    e.method = m_source.name;
    e.shape = m_sampleShape;
    e.labels = m_labels;
    e.values.resize(size_t(m_rowValues));
    for (int64_t j = 0; j < m_rowValues; ++j) {
        double v;
        if (m_itemSize == 4) {
            float f;
            std::memcpy(&f, buffer.data() + j * 4, 4); // little-endian host, as the .npy loader
            v = f;
        } else {
            std::memcpy(&v, buffer.data() + j * 8, 8);
        }
        if (!std::isfinite(v) || (m_itemSize == 8 && std::abs(v) > double(std::numeric_limits<float>::max())))
            throw Error::inFile(path,
                                std::string(std::isnan(v) ? "NaN" : std::isinf(v) ? "an infinite value" : "a value beyond float32's range") + " at row " +
                                    std::to_string(it->second) + " (data row " + std::to_string(row) +
                                    "), index " + std::to_string(j),
                                "Every attribution must be a finite number");
        e.values[size_t(j)] = float(v);
    }
    return e;
}

void ExternalAttributions::check(const std::vector<int64_t>& rows) const
{
    for (auto r : rows)
        at(r);
}

ExternalList openAttributions(const std::vector<AttributionSource>& sources, const data::Dataset& data,
                              const data::Split& split)
{
    ExternalList out;
    for (size_t i = 0; i < sources.size(); ++i) {
        for (size_t j = 0; j < i; ++j)
            if (sources[j].name == sources[i].name)
                throw Error::inFile(sources[i].path, "the name '" + sources[i].name + "' is already given to " +
                                                         sources[j].path,
                                    "Give each file its own name");
        out.push_back(std::make_shared<const ExternalAttributions>(sources[i], data, split));
    }
    return out;
}

std::string externalUnavailableReason(const std::string& id)
{
    if (id == "ris" || id == "ros" || id == "avg_sensitivity" || id == "max_sensitivity" || id == "local_lipschitz")
        return "needs the method itself: it explains perturbed inputs again, which a file of attributions cannot";
    return {};
}

} // namespace senn::metrics
