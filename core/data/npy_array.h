// One .npy array as plain numbers: for small inputs beside a dataset (a ground-truth mask),
// read with the dataset loader's checks (dtype, byte order, truncation, overflow); or only its
// checked header, for files read a row at a time (attributions from elsewhere).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace senn::data {

// What a .npy file holds and where its data starts, as numpy.save writes it (versions 1-3,
// C order, little-endian numeric or bool dtypes).
struct NpyHeader {
    std::string dtype;          // as written, e.g. "<f4"
    char kind = 0;              // 'f', 'i', 'u' or 'b'
    int itemSize = 0;           // bytes per value
    std::vector<int64_t> shape;
    uint64_t dataOffset = 0;    // bytes before the first value
};

// Reads only the header and checks it as the loader does, including that the file holds all
// the data its shape needs. Throws senn::Error naming the file.
NpyHeader readNpyHeader(const std::string& path);

// The array's values in C order and its shape. Throws senn::Error naming the file.
std::vector<double> readNpyArray(const std::string& path, std::vector<int64_t>& shape);

} // namespace senn::data
