// The ground truth a CLI command scores explanations against: a mask file (--mask FILE), the
// Decoy MNIST patches (--mask decoy), or the truth a unit model carries; and the JSON of one
// explanation's localisation scores (cli.md "senn ground-truth").
#pragma once
#include "core/explain/explanation.h"
#include "core/io/workspace.h"
#include "core/metrics/localisation.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace senn::cli {

class TruthMasks {
public:
    // `maskOption`: "" (the model's own truth, if any), "decoy" or a mask file. Throws
    // senn::Error when the option names a file that does not fit, or decoy on data without it.
    TruthMasks(const io::Workspace& ws, const std::string& maskOption);
    bool any() const { return !m_source.empty(); }
    std::string source() const { return m_source; } // "model" | "file" | "decoy" | ""
    // The mask for one row of the data (the decoy patch moves from row to row).
    std::vector<uint8_t> forRow(int64_t row) const;
    // What the JSON says about the truth: its source, kind, description and size.
    nlohmann::json describe() const;

private:
    const io::Workspace& m_ws;
    std::string m_source, m_kind, m_description, m_file;
    std::vector<uint8_t> m_fixed;     // model or file: the same for every row
    std::vector<float> m_decoy;       // decoy: rows x featureCount
};

// {"truth", "mass_accuracy", "rank_accuracy", "pointing_game", "top_k_intersection",
// "irrelevant_mass", "mask_size", "k"} with NaN as null.
nlohmann::json localisationJson(const metrics::LocalisationScores& s, const std::string& truth);

// Adds "localisation" to each explanation object of `explanations` (parallel to `all`) that
// lies on the input, when `masks` has a truth.
void addLocalisation(nlohmann::json& explanations, const std::vector<explain::Explanation>& all,
                     const TruthMasks& masks, int64_t row, int64_t featureCount);

} // namespace senn::cli
