#include "core/models/shape.h"

namespace senn::models {

int64_t shapeProduct(const std::vector<int64_t>& shape)
{
    int64_t n = 1;
    for (auto s : shape)
        n *= s;
    return n;
}

std::string shapeString(const std::vector<int64_t>& shape)
{
    std::string s;
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? "x" : "") + std::to_string(shape[i]);
    return s.empty() ? "?" : s;
}

} // namespace senn::models
