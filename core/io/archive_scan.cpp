// Free of LibTorch: compiled into senn_models and, on its own, into the archive fuzzer.
#include "core/io/archive_scan.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>

namespace senn::io {

namespace {

// Reads n bytes at offset into out; false when the source is shorter.
using ReadAt = std::function<bool(uint64_t offset, size_t n, std::string& out)>;

uint64_t le(const std::string& b, size_t pos, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; ++i)
        v |= uint64_t(static_cast<unsigned char>(b[pos + size_t(i)])) << (8 * i);
    return v;
}

std::string mib(uint64_t bytes)
{
    if (bytes < (1u << 20))
        return std::to_string(bytes) + " bytes";
    return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB";
}

// The zip's central directory as miniz (LibTorch's reader) sees it: the last end-of-central-
// directory record, its zip64 twin when a field is saturated, then every entry's declared
// uncompressed size (zip64 extra field when the 32-bit one is saturated).
uint64_t declaredSizes(uint64_t size, const ReadAt& read, std::map<std::string, uint64_t>* entrySizes = nullptr)
{
    const auto notZip = [](const std::string& why) {
        return Error("not a readable zip archive (" + why + ")");
    };
    if (size < 22)
        throw notZip("too short");
    const uint64_t tailLen = std::min<uint64_t>(size, 22 + 65535);
    std::string tail;
    if (!read(size - tailLen, size_t(tailLen), tail))
        throw notZip("cannot read its end");
    size_t eocd = std::string::npos;
    for (size_t i = tail.size() - 22 + 1; i-- > 0;)
        if (le(tail, i, 4) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd == std::string::npos)
        throw notZip("no end-of-central-directory record");
    const uint64_t eocdAt = size - tailLen + eocd;
    uint64_t entries = le(tail, eocd + 10, 2), cdSize = le(tail, eocd + 12, 4), cdOffset = le(tail, eocd + 16, 4);
    if (entries == 0xffff || cdSize == 0xffffffffu || cdOffset == 0xffffffffu) {
        std::string loc, rec;
        if (eocdAt < 20 || !read(eocdAt - 20, 20, loc) || le(loc, 0, 4) != 0x07064b50)
            throw notZip("no zip64 locator");
        const uint64_t at = le(loc, 8, 8);
        if (at > size || size - at < 56 || !read(at, 56, rec) || le(rec, 0, 4) != 0x06064b50)
            throw notZip("no zip64 end record");
        entries = le(rec, 32, 8);
        cdSize = le(rec, 40, 8);
        cdOffset = le(rec, 48, 8);
    }
    if (cdOffset > size || cdSize > size - cdOffset)
        throw notZip("its central directory lies outside the file");
    if (entries > cdSize / 46)
        throw notZip("more entries than its central directory holds");
    std::string cd;
    if (!read(cdOffset, size_t(cdSize), cd))
        throw notZip("cannot read its central directory");
    uint64_t total = 0;
    size_t pos = 0;
    for (uint64_t e = 0; e < entries; ++e) {
        if (cd.size() - pos < 46 || le(cd, pos, 4) != 0x02014b50)
            throw notZip("a damaged central directory entry");
        uint64_t uncompressed = le(cd, pos + 24, 4);
        const uint64_t compressed = le(cd, pos + 20, 4);
        const size_t name = le(cd, pos + 28, 2), extra = le(cd, pos + 30, 2), comment = le(cd, pos + 32, 2);
        if (cd.size() - pos - 46 < name + extra + comment)
            throw notZip("a damaged central directory entry");
        if (uncompressed == 0xffffffffu) { // the zip64 extra field holds the size first
            bool found = false;
            for (size_t x = pos + 46 + name; x + 4 <= pos + 46 + name + extra;) {
                const uint64_t id = le(cd, x, 2), len = le(cd, x + 2, 2);
                if (x + 4 + len > pos + 46 + name + extra)
                    break;
                if (id == 0x0001 && len >= 8) {
                    uncompressed = le(cd, x + 4, 8);
                    found = true;
                    break;
                }
                x += 4 + len;
            }
            if (!found)
                throw notZip("an entry without its zip64 size");
        }
        (void)compressed;
        if (entrySizes)
            (*entrySizes)[cd.substr(pos + 46, name)] = uncompressed;
        if (uncompressed > (uint64_t(1) << 62) || total + uncompressed > (uint64_t(1) << 62))
            throw notZip("an entry declares an impossible size");
        total += uncompressed;
        pos += 46 + name + extra + comment;
    }
    const uint64_t budget = uint64_t(limits::archiveInflationBudget(int64_t(size)));
    if (total > budget)
        throw Error("an archive whose entries would inflate to " + mib(total) + " from " + mib(size) +
                    " on disk (at most " + mib(budget) + " are read): damaged or a decompression bomb");
    return total;
}

} // namespace

uint64_t checkZipSizes(const std::string& bytes, std::map<std::string, uint64_t>* entries)
{
    return declaredSizes(bytes.size(), [&](uint64_t off, size_t n, std::string& out) {
        if (off > bytes.size() || n > bytes.size() - off)
            return false;
        out.assign(bytes, size_t(off), n);
        return true;
    }, entries);
}

uint64_t checkZipFileSizes(const std::string& path, std::map<std::string, uint64_t>* entries)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open the file");
    in.seekg(0, std::ios::end);
    const auto end = in.tellg();
    if (end < 0)
        throw Error("cannot read the file");
    return declaredSizes(uint64_t(end), [&](uint64_t off, size_t n, std::string& out) {
        if (off > uint64_t(end) || n > uint64_t(end) - off)
            return false;
        out.assign(n, '\0');
        in.clear();
        in.seekg(std::streamoff(off));
        in.read(out.data(), std::streamsize(n));
        return in.gcount() == std::streamsize(n);
    }, entries);
}

// The storages a LibTorch pickle names (persistent ids ('storage', torch.XStorage, key, device,
// numel)), found by a small pickle machine that runs the opcodes LibTorch's unpickler reads
// and keeps only strings, integers, globals and tuples. It also measures how deeply the values
// nest (LibTorch's unpickler builds and frees them recursively): deeper than
// limits::kMaxPickleDepth is refused.
std::vector<PickledStorage> pickledStorages(const std::string& p)
{
    struct Value {
        enum Kind { Other, Int, Str, Global, Tuple } kind = Other;
        int64_t i = 0;
        std::string s;
        // Kept only for small tuples of plain values (what a persistent id is), so that copying
        // a value (memo) costs little and nothing here recurses.
        std::vector<Value> items;
        int depth = 0; // of the containers inside it
    };
    const auto bad = [](const std::string& why) { return Error("its pickle is damaged (" + why + ")"); };
    // `container` now holds a value `depth` deep.
    const auto nest = [](Value& container, int depth) {
        if (depth >= limits::kMaxPickleDepth)
            throw Error("its pickle nests values more than " + std::to_string(limits::kMaxPickleDepth) +
                        " deep; the file is damaged or crafted");
        container.depth = std::max(container.depth, depth + 1);
    };
    std::vector<Value> stack;
    std::vector<size_t> marks;
    std::map<uint64_t, Value> memo;
    std::vector<PickledStorage> out;
    size_t pos = 0;
    const auto need = [&](size_t n) {
        if (p.size() - pos < n)
            throw bad("truncated");
    };
    const auto uint = [&](size_t n) {
        need(n);
        const uint64_t v = le(p, pos, int(n));
        pos += n;
        return v;
    };
    const auto pop = [&] {
        if (stack.empty())
            throw bad("stack underflow");
        Value v = std::move(stack.back());
        stack.pop_back();
        return v;
    };
    const auto popToMark = [&] {
        if (marks.empty() || marks.back() > stack.size())
            throw bad("no mark");
        std::vector<Value> items(std::make_move_iterator(stack.begin() + long(marks.back())),
                                 std::make_move_iterator(stack.end()));
        stack.resize(marks.back());
        marks.pop_back();
        return items;
    };
    const auto text = [&](size_t n) {
        need(n);
        Value v; // long strings are never keys or names of a storage: not copied around
        if (n <= 256) {
            v.kind = Value::Str;
            v.s = p.substr(pos, n);
        }
        pos += n;
        stack.push_back(std::move(v));
    };
    const auto line = [&] {
        const auto end = p.find('\n', pos);
        if (end == std::string::npos)
            throw bad("truncated");
        std::string l = p.substr(pos, end - pos);
        pos = end + 1;
        return l;
    };
    // LibTorch's unpickler turns the global torch.FloatStorage into its scalar type number, and
    // takes a plain integer there as well.
    const auto typeName = [](const Value& v) -> std::string {
        if (v.kind == Value::Global)
            return v.s;
        if (v.kind == Value::Int)
            return storageTypeOfScalarType(v.i);
        return "";
    };
    const auto integer = [&](int64_t v) {
        Value x;
        x.kind = Value::Int;
        x.i = v;
        stack.push_back(std::move(x));
    };
    const auto tupleOf = [&](std::vector<Value> items) {
        Value t;
        t.kind = Value::Tuple;
        bool plain = items.size() <= 8;
        for (const auto& v : items) {
            nest(t, v.depth);
            plain = plain && v.kind != Value::Tuple;
        }
        if (plain)
            t.items = std::move(items);
        stack.push_back(std::move(t));
    };
    // The container on top of the stack receives `items`.
    const auto fill = [&](const std::vector<Value>& items) {
        if (stack.empty())
            throw bad("stack underflow");
        for (const auto& v : items)
            nest(stack.back(), v.depth);
    };
    while (true) {
        need(1);
        const auto op = static_cast<unsigned char>(p[pos++]);
        switch (op) {
        case '(': marks.push_back(stack.size()); break;
        case '.': return out;
        case '0': pop(); break;
        case '1': popToMark(); break;
        case 'Q': { // BINPERSID
            const Value id = pop();
            if (id.kind == Value::Tuple && id.items.size() >= 5 && id.items[0].kind == Value::Str &&
                id.items[0].s == "storage" && id.items[2].kind == Value::Str && id.items[4].kind == Value::Int)
                out.push_back({id.items[2].s, typeName(id.items[1]), id.items[4].i});
            stack.emplace_back();
            break;
        }
        case 'J': integer(int32_t(uint(4))); break;
        case 'K': integer(int64_t(uint(1))); break;
        case 'M': integer(int64_t(uint(2))); break;
        case 0x8a: { // LONG1: little-endian two's complement of n bytes
            const size_t n = size_t(uint(1));
            need(n);
            int64_t v = 0;
            if (n > 0 && n <= 8) {
                v = int64_t(le(p, pos, int(n)));
                if (n < 8 && (static_cast<unsigned char>(p[pos + n - 1]) & 0x80))
                    v -= int64_t(1) << (8 * n);
            } else if (n > 8) {
                v = std::numeric_limits<int64_t>::max(); // beyond int64: larger than any record
            }
            pos += n;
            integer(v);
            break;
        }
        case 'N': case 0x88: case 0x89: case '}': case ']': stack.emplace_back(); break;
        case 'X': case 'B': text(size_t(uint(4))); break;
        case 0x8c: case 'U': case 'C': text(size_t(uint(1))); break;
        case 0x8d: case 0x8e: text(size_t(uint(8))); break;
        case 'G': need(8); pos += 8; stack.emplace_back(); break;
        case ')': tupleOf({}); break;
        case 't': tupleOf(popToMark()); break;
        case 0x85: case 0x86: case 0x87: {
            const size_t n = op - 0x84;
            if (stack.size() < n)
                throw bad("stack underflow");
            std::vector<Value> items(std::make_move_iterator(stack.end() - long(n)), std::make_move_iterator(stack.end()));
            stack.resize(stack.size() - n);
            tupleOf(std::move(items));
            break;
        }
        case 'a': { Value v = pop(); fill({v}); break; }
        case 'e': case 'u': fill(popToMark()); break;
        case 's': { Value v = pop(); Value k = pop(); fill({k, v}); break; }
        case 'h': case 'j': {
            const auto it = memo.find(uint(op == 'h' ? 1 : 4));
            stack.push_back(it == memo.end() ? Value{} : it->second);
            break;
        }
        case 'q': case 'r': {
            const uint64_t idx = uint(op == 'q' ? 1 : 4);
            if (stack.empty())
                throw bad("stack underflow");
            memo[idx] = stack.back();
            break;
        }
        case 0x94: // MEMOIZE
            if (stack.empty())
                throw bad("stack underflow");
            memo[memo.size()] = stack.back();
            break;
        case 'c': {
            Value g;
            g.kind = Value::Global;
            const std::string module = line();
            g.s = line();
            (void)module;
            stack.push_back(std::move(g));
            break;
        }
        case 'b': { Value state = pop(); fill({state}); break; } // BUILD: the object stays
        case 'R': case 0x81: { // REDUCE, NEWOBJ: the object holds its arguments
            Value args = pop();
            pop();
            Value obj;
            nest(obj, args.depth);
            stack.push_back(std::move(obj));
            break;
        }
        case 0x80: uint(1); break;              // PROTO
        case 0x95: uint(8); break;              // FRAME
        default:
            throw bad("opcode " + std::to_string(int(op)) + " at byte " + std::to_string(pos - 1));
        }
    }
}

std::string storageTypeOfScalarType(int64_t scalarType)
{
    // c10::ScalarType's numbering in LibTorch 1.13 (tests/test_hostile_models.cpp compares it
    // with c10::toString).
    static const char* const names[] = {
        "Byte", "Char", "Short", "Int", "Long", "Half", "Float", "Double", "ComplexHalf",
        "ComplexFloat", "ComplexDouble", "Bool", "QInt8", "QUInt8", "QInt32", "BFloat16",
        "QUInt4x2", "QUInt2x4"};
    if (scalarType < 0 || scalarType >= int64_t(std::size(names)))
        return "";
    return std::string(names[scalarType]) + "Storage";
}

size_t storageItemSize(const std::string& type)
{
    static const std::map<std::string, size_t> sizes = {
        {"FloatStorage", 4}, {"DoubleStorage", 8}, {"HalfStorage", 2}, {"BFloat16Storage", 2},
        {"LongStorage", 8}, {"IntStorage", 4}, {"ShortStorage", 2}, {"CharStorage", 1},
        {"ByteStorage", 1}, {"BoolStorage", 1}, {"ComplexFloatStorage", 8},
        {"ComplexDoubleStorage", 16}, {"ComplexHalfStorage", 4}, {"QInt8Storage", 1},
        {"QUInt8Storage", 1}, {"QInt32Storage", 4}, {"QUInt4x2Storage", 1}, {"QUInt2x4Storage", 1}};
    const auto it = sizes.find(type);
    return it == sizes.end() ? 1 : it->second;
}

void checkPickleStorages(const std::string& pickle, const std::string& archiveFolder,
                         const std::string& storageFolder, const std::map<std::string, uint64_t>& entries)
{
    for (const auto& st : pickledStorages(pickle)) {
        const auto it = entries.find(archiveFolder + storageFolder + st.key);
        if (it == entries.end())
            continue; // LibTorch refuses a missing record itself
        const __int128 needed = __int128(st.numel) * __int128(storageItemSize(st.type));
        if (st.numel < 0 || needed > __int128(it->second))
            throw Error("its storage '" + storageFolder + files::echo(st.key, 40) + "' holds " + std::to_string(it->second) +
                        " bytes but its pickle reads " + std::to_string(st.numel) +
                        " elements from it; the file is damaged or crafted");
    }
}

} // namespace senn::io
