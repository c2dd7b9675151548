// Sample shapes as models, loaders and their messages use them: how many values a shape holds
// and how a message spells it ("3x224x224"). Torch-free, so any layer may include it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace senn::models {

// The number of values of one sample: the product of the sizes (1 for an empty shape).
int64_t shapeProduct(const std::vector<int64_t>& shape);
// "3x224x224"; "?" for an empty shape.
std::string shapeString(const std::vector<int64_t>& shape);

} // namespace senn::models
