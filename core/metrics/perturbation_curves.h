// The deletion, insertion and ROAD curves of one explanation (removal_curves.h, road.h): the
// explained output after removing (or restoring) a growing share of the features in the
// order of the attributions, with the areas the measures take from them. Plain data.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace senn::metrics {

struct PerturbationCurves {
    // Share of the features (or patches, or SENN concepts) removed at each step: 0 first, 1 last.
    std::vector<double> fractions;
    // Explained output at each fraction, by curve: "deletion_morf", "deletion_lerf",
    // "insertion_morf", "insertion_lerf", "road_morf", "road_lerf". Absent when not computed.
    std::map<std::string, std::vector<double>> curves;
    // Measure id (measures.h) -> value for this explanation: "deletion_aopc", ...
    std::map<std::string, double> scores;
    std::string output = "logit";   // what the curves show: explain::outputId of the explanation
    int target = -1;                 // the class whose output they show
    // How ROAD filled removed values: "neighbours" (images: noisy linear imputation) or
    // "training mean" (tables have no neighbours). Empty when ROAD was not computed.
    std::string roadImputation;
};

} // namespace senn::metrics
