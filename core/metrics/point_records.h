// The values of one finished (method, point) of a stability or faithfulness run: what a
// results stream writes as the points finish and what a merge or a resumed run reads back
// to build the run's result without recomputing the point.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace senn::metrics {

struct StabilityRecord {
    std::string method;                 // methodId
    size_t point = 0;                   // position in the run's point list
    int64_t row = 0;                    // the point's row in the data
    std::vector<double> lhat;           // per ε: L̂; NaN where no finite ratio was found
    std::vector<double> argmaxCorrect;  // per ε: 1 when the prediction at L̂'s argmax is the label
    // Per σ, over the point's noise draws (empty when the run draws none): the relative move
    // of the explanation, and how many draws keep x's prediction / predict the label.
    std::vector<double> moved, kept, noisyCorrect;
    double seconds = 0;
};

struct FaithfulnessRecord {
    std::string method;
    size_t point = 0;
    int64_t row = 0;
    std::map<std::string, double> measures; // measures.h id -> value (NaN: not defined here)
    double seconds = 0;
};

} // namespace senn::metrics
