// CSV / TSV loading. Hand-written because the accepted format is small: a header row, numeric
// feature cells, one class column. Every rejected cell is reported with its line and column.
#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/common/remedy.h"
#include "core/data/loader_detail.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

namespace senn::data {
namespace {

constexpr int64_t kMaxNumericClasses = 50;

std::string trim(std::string_view s)
{
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        --e;
    return std::string(s.substr(b, e - b));
}

// Fields of a header: the feature columns and the class column.
constexpr size_t kHeaderFields = static_cast<size_t>(limits::kMaxTableFeatures) + 1;

// Splits the text into records, honouring quotes (which may hold delimiters, doubled quotes
// and line breaks). Keeps the line each record starts on for error messages.
class RecordReader {
public:
    RecordReader(const std::string& path, std::string_view text, char delimiter)
        : m_path(path), m_text(text), m_delim(delimiter)
    {
    }

    // False at the end of the text. Blank lines are skipped.
    bool next(std::vector<std::string>& fields, long& line)
    {
        while (m_pos < m_text.size()) {
            line = m_line;
            readRecord(fields);
            if (!(fields.size() == 1 && fields[0].empty() && !m_lastQuoted))
                return true;
        }
        return false;
    }
    size_t position() const { return m_pos; }
    // A record with more fields is refused as soon as it has one too many, so a line of 10^8
    // commas costs a counter, not 10^8 strings.
    void setMaxFields(size_t n) { m_maxFields = n; }

private:
    void readRecord(std::vector<std::string>& fields)
    {
        fields.clear();
        m_lastQuoted = false;
        const long startLine = m_line;
        std::string field;
        while (true) {
            // One field: optional spaces, then either a quoted part or plain text.
            field.clear();
            bool quoted = false;
            const long fieldLine = m_line;
            size_t p = m_pos;
            while (p < m_text.size() && m_text[p] == ' ')
                ++p;
            if (p < m_text.size() && m_text[p] == '"') {
                quoted = true;
                m_pos = p + 1;
                while (true) {
                    if (m_pos >= m_text.size())
                        throw Error::inFile(m_path, "a quoted field is never closed",
                                            "Check the quotes on this line", startLine);
                    const char c = m_text[m_pos++];
                    if (c == '"') {
                        if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                            field += '"';
                            ++m_pos;
                            continue;
                        }
                        break;
                    }
                    if (c == '\n')
                        ++m_line;
                    field += c;
                    if (field.size() > size_t(limits::kMaxCsvCellBytes))
                        throw cellTooLong(fields.size(), fieldLine);
                }
                while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\r'))
                    ++m_pos;
                if (m_pos < m_text.size() && m_text[m_pos] != m_delim && m_text[m_pos] != '\n')
                    throw Error::inFile(m_path, "text after a closing quote",
                                        "Quote the whole field", m_line);
            } else {
                while (m_pos < m_text.size() && m_text[m_pos] != m_delim &&
                       m_text[m_pos] != '\n') {
                    field += m_text[m_pos++];
                    if (field.size() > size_t(limits::kMaxCsvCellBytes))
                        throw cellTooLong(fields.size(), fieldLine);
                }
                if (!field.empty() && field.back() == '\r')
                    field.pop_back();
                field = trim(field);
            }
            if (fields.size() == m_maxFields)
                throw Error::inFile(m_path,
                                    m_maxFields == kHeaderFields
                                        ? "the header has more than " +
                                              std::to_string(limits::kMaxTableFeatures) +
                                              " columns"
                                        : "expected " + std::to_string(m_maxFields) +
                                              " fields (as in the header) but found more",
                                    m_maxFields == kHeaderFields
                                        ? "SENN Studio reads tables of at most " +
                                              std::to_string(limits::kMaxTableFeatures) +
                                              " feature columns; check the delimiter"
                                        : "Every row needs one value per column",
                                    startLine);
            fields.push_back(field);
            m_lastQuoted = m_lastQuoted || quoted;
            if (m_pos >= m_text.size())
                return;
            const char c = m_text[m_pos++];
            if (c == '\n') {
                ++m_line;
                return;
            }
        }
    }

    // Checked while the cell grows, so a file that is one huge cell is refused at the bound
    // instead of being copied whole (and quoted into a message).
    Error cellTooLong(size_t fieldIndex, long line) const
    {
        return Error::inFile(m_path,
                             "column " + std::to_string(fieldIndex + 1) + ": a cell longer than " +
                                 std::to_string(limits::kMaxCsvCellBytes >> 20) + " MiB",
                             "No number or class name is that long; check the quotes and the "
                             "delimiter",
                             line);
    }

    std::string m_path;
    std::string_view m_text;
    char m_delim;
    size_t m_pos = 0;
    size_t m_maxFields = kHeaderFields;
    long m_line = 1;
    bool m_lastQuoted = false;
};

char guessDelimiter(const std::string& path, std::string_view text)
{
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".tsv" || ext == ".TSV")
        return '\t';
    const std::string_view first = text.substr(0, text.find('\n'));
    for (char c : {',', '\t', ';'})
        if (first.find(c) != std::string_view::npos)
            return c;
    return ',';
}

// Cell text quoted for a message: cut and with control characters escaped.
std::string q(std::string_view text)
{
    return "'" + files::echo(text) + "'";
}

void requireUtf8(const std::string& path, std::string_view text, const std::string& what,
                 size_t column, long line)
{
    const size_t bad = files::invalidUtf8At(text);
    if (bad == std::string_view::npos)
        return;
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
    throw Error::inFile(path,
                        "column " + std::to_string(column + 1) + ": the " + what + " " + q(text) +
                            " is not valid UTF-8 (byte " + hex + " at offset " +
                            std::to_string(bad) + ")",
                        "Save the file as UTF-8 text", line);
}

std::string numberName(double v)
{
    return std::to_string(static_cast<long long>(v));
}

} // namespace

namespace detail {

Dataset loadCsv(const std::string& path, const LoadOptions& options,
                const jobs::ProgressFn& progress, const jobs::CancelToken* cancel)
{
    const std::vector<uint8_t> bytes = readFile(path);
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);

    RecordReader reader(path, text, guessDelimiter(path, text));
    std::vector<std::string> header;
    long line = 0;
    if (!reader.next(header, line))
        throw Error::inFile(path, "the file is empty",
                            "A CSV needs a header row and one row per sample");
    if (header.size() < 2)
        throw Error::inFile(path, "the header has only one column",
                            "A CSV needs at least one feature column and a class column "
                            "separated by commas",
                            line);
    const long headerLine = line;
    const size_t numericCells = static_cast<size_t>(
        std::count_if(header.begin(), header.end(),
                      [](const std::string& h) { return parseNumber(h).has_value(); }));
    if (numericCells == header.size())
        throw Error::inFile(path, "first row looks like data, add a header",
                            "The first row must name the columns", line);
    for (size_t c = 0; c < header.size(); ++c) {
        requireUtf8(path, header[c], "column name", c, line);
        if (header[c].empty())
            continue;
        for (size_t o = 0; o < c; ++o)
            if (header[o] == header[c])
                throw Error::inFile(path,
                                    "columns " + std::to_string(o + 1) + " and " +
                                        std::to_string(c + 1) + " are both named " + q(header[c]),
                                    "Column names must be unique; rename one of them", line);
    }

    size_t target = header.size() - 1;
    if (!options.target.empty()) {
        auto it = std::find(header.begin(), header.end(), options.target);
        if (it == header.end()) {
            if (numericCells + 1 >= header.size())
                throw Error::inFile(path,
                                    "no column named " + q(options.target) +
                                        ", and the first row looks like data, not a header",
                                    "Add a header row naming the columns", line);
            // The first names, to about 100 characters: the message stays one readable line.
            std::string names;
            size_t shown = 0;
            for (; shown < header.size() && names.size() < 100; ++shown)
                names += (names.empty() ? "" : ", ") + files::echo(header[shown], 30);
            if (shown < header.size())
                names += ", ... (" + std::to_string(header.size()) + " columns)";
            throw Error::inFile(path, "no column named " + q(options.target),
                                "The columns are: " + names);
        }
        target = static_cast<size_t>(it - header.begin());
    }
    // A first row with numbers in every column but the class column may be a data row: it is
    // one when its class value turns up as a class of the rows below (checked after reading).
    const bool headerLooksLikeData =
        numericCells + 1 == header.size() && !parseNumber(header[target]).has_value();

    Dataset data;
    data.kind = DataKind::Tabular;
    data.source = path;
    data.targetName = header[target];
    for (size_t c = 0; c < header.size(); ++c)
        if (c != target)
            data.featureNames.push_back(header[c].empty() ? "column " + std::to_string(c + 1)
                                                          : header[c]);
    const size_t d = header.size() - 1;
    data.sampleShape = {static_cast<int64_t>(d)};

    std::vector<std::string> labels;
    std::vector<std::string> fields;
    bool truncated = false;
    reader.setMaxFields(header.size());
    while (reader.next(fields, line)) {
        if (options.maxRows >= 0 && static_cast<int64_t>(labels.size()) >= options.maxRows) {
            truncated = true;
            break;
        }
        if (fields.size() != header.size())
            throw Error::inFile(path,
                                "expected " + std::to_string(header.size()) +
                                    " fields (as in the header) but found " +
                                    std::to_string(fields.size()),
                                "Every row needs one value per column", line);
        if (double(data.x.size()) + double(d) > double(limits::kMaxDatasetValues))
            throw Error::inFile(path,
                                "more than " + std::to_string(limits::kMaxDatasetValues) +
                                    " values",
                                "Load a part of the file (the first rows)", line);
        for (size_t c = 0; c < fields.size(); ++c) {
            if (c == target)
                continue;
            const std::string& cell = fields[c];
            if (cell.empty())
                throw Error::inFile(path, "empty cell in column " + q(header[c]),
                                    "Missing values are not supported; fill or drop the row",
                                    line);
            const auto v = parseNumber(cell);
            if (!v)
                throw withRemedy(Error::inFile(path,
                                               "column " + q(header[c]) +
                                                   " holds the non-numeric value " + q(cell),
                                               "Feature columns must be numbers; choose this "
                                               "column as the class column or drop it",
                                               line),
                                 Remedy::ChooseTarget);
            const float f = static_cast<float>(*v);
            if (!std::isfinite(f))
                throw Error::inFile(path,
                                    "column " + q(header[c]) + " holds " + q(cell) +
                                        " (NaN or infinite)",
                                    "Replace missing or infinite values with numbers", line);
            data.x.push_back(f);
        }
        if (fields[target].empty())
            throw Error::inFile(path, "empty class in column " + q(header[target]),
                                "Every row needs a class", line);
        requireUtf8(path, fields[target], "class", target, line);
        labels.push_back(fields[target]);
        if (labels.size() % 1000 == 0) {
            checkCancel(cancel);
            jobs::report(progress, static_cast<double>(reader.position()) / text.size(),
                         "load", "Reading " + path);
        }
    }
    if (labels.empty())
        throw Error::inFile(path, "the file has a header but no data rows",
                            "Add one row per sample below the header");

    // Classes: numbers in numeric order when the column is a small set of integers, else
    // text in byte order (stable across locales, documented in docs/user-guide.md).
    std::vector<double> numeric;
    numeric.reserve(labels.size());
    for (const auto& l : labels) {
        const auto v = parseNumber(l);
        // Beyond 2^53 doubles are no longer exact integers (and 4e54 is no long long): such a
        // column is read as text classes.
        if (!v || !std::isfinite(*v) || std::abs(*v) > 9007199254740992.0)
            break;
        numeric.push_back(*v);
    }
    if (numeric.size() == labels.size()) {
        std::set<double> distinct(numeric.begin(), numeric.end());
        const bool integers = std::all_of(distinct.begin(), distinct.end(),
                                          [](double v) { return v == std::floor(v); });
        if (!integers || static_cast<int64_t>(distinct.size()) > kMaxNumericClasses)
            throw withRemedy(Error::inFile(path,
                                           "the class column " + q(header[target]) + " holds " +
                                               std::to_string(distinct.size()) + " distinct numbers" +
                                               (integers ? "" : ", not all integers") +
                                               "; regression is not supported",
                                           "Choose another class column (at most " +
                                               std::to_string(kMaxNumericClasses) +
                                               " integer values, or text)"),
                             Remedy::ChooseTarget);
        std::map<double, int64_t> index;
        for (double v : distinct) {
            index[v] = static_cast<int64_t>(data.classNames.size());
            data.classNames.push_back(numberName(v));
        }
        for (double v : numeric)
            data.y.push_back(index[v]);
    } else {
        std::set<std::string> distinct(labels.begin(), labels.end());
        if (headerLooksLikeData && distinct.count(header[target]))
            throw Error::inFile(path,
                                "the first row looks like data, not a header: its class " +
                                    q(header[target]) + " is a class of the rows below",
                                "Add a header row naming the columns", headerLine);
        if (static_cast<int64_t>(distinct.size()) > limits::kMaxClasses)
            throw withRemedy(Error::inFile(path,
                                           "the class column " + q(header[target]) + " holds " +
                                               std::to_string(distinct.size()) +
                                               " distinct values; at most " +
                                               std::to_string(limits::kMaxClasses) +
                                               " classes are supported",
                                           "Choose another class column"),
                             Remedy::ChooseTarget);
        std::map<std::string, int64_t> index;
        for (const auto& s : distinct) {
            index[s] = static_cast<int64_t>(data.classNames.size());
            data.classNames.push_back(s);
        }
        for (const auto& s : labels)
            data.y.push_back(index[s]);
    }
    // A preview may see one class only; a whole file with one class cannot be classified.
    if (data.classNames.size() < 2 && !truncated)
        throw withRemedy(Error::inFile(path,
                                       "the class column " + q(header[target]) +
                                           " holds one class only (" + q(data.classNames.front()) + ")",
                                       "Choose another class column"),
                         Remedy::ChooseTarget);
    jobs::report(progress, 1.0, "load", "Read " + path);
    return data;
}

} // namespace detail

Dataset loadCsv(const std::string& path, const LoadOptions& options)
{
    return detail::loadCsv(path, options, {}, nullptr);
}

} // namespace senn::data
