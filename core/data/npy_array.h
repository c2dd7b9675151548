// One .npy array as plain numbers: for small inputs beside a dataset (a ground-truth mask),
// read with the dataset loader's checks (dtype, byte order, truncation, overflow).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace senn::data {

// The array's values in C order and its shape. Throws senn::Error naming the file.
std::vector<double> readNpyArray(const std::string& path, std::vector<int64_t>& shape);

} // namespace senn::data
