// Where a CLI command's ground truth comes from (truth_masks.h) and how its scores are written.
#include "cli/truth_masks.h"

#include "cli/metric_output.h"
#include "core/common/error.h"
#include "core/data/decoy.h"
#include "core/io/ground_truth.h"

#include <algorithm>

namespace senn::cli {

namespace {

// The Decoy seed the data (or the model that transformed it) records.
std::optional<uint64_t> decoySeed(const io::Workspace& ws)
{
    for (const auto* list : {&ws.data.transforms, &ws.model.meta().transforms})
        for (const auto& t : *list)
            if (auto s = data::parseDecoyTransform(t))
                return s;
    return std::nullopt;
}

} // namespace

TruthMasks::TruthMasks(const io::Workspace& ws, const std::string& maskOption) : m_ws(ws)
{
    const int64_t d = ws.data.featureCount();
    if (maskOption == "decoy") {
        const auto seed = decoySeed(ws);
        if (!seed)
            throw Error("--mask decoy needs Decoy MNIST: a model trained on it (its transforms include "
                        "decoy) or data generated with it; " +
                        (ws.data.source.empty() ? std::string("this data") : ws.data.source) + " has no decoy patches");
        m_decoy = data::decoyMasks(ws.data, *seed);
        m_source = "decoy";
        m_kind = "decoy";
        m_description = "The Decoy MNIST patch of each example (4x4 pixels in a corner).";
        return;
    }
    if (!maskOption.empty()) {
        m_fixed = metrics::loadMaskFile(maskOption, ws.data.sampleShape);
        m_source = "file";
        m_kind = "mask";
        m_file = maskOption;
        m_description = "The mask in " + maskOption + ".";
        return;
    }
    if (auto truth = io::groundTruthOf(ws.model)) {
        m_fixed = truth->mask();
        if (int64_t(m_fixed.size()) != d)
            throw Error("the model's ground truth does not match the data's shape");
        m_source = "model";
        m_kind = truth->kind;
        m_description = truth->description;
    }
}

std::vector<uint8_t> TruthMasks::forRow(int64_t row) const
{
    if (m_decoy.empty())
        return m_fixed;
    const int64_t d = m_ws.data.featureCount();
    std::vector<uint8_t> m(static_cast<size_t>(d));
    const float* p = m_decoy.data() + row * d;
    for (int64_t j = 0; j < d; ++j)
        m[size_t(j)] = p[j] >= 0.5f ? 1 : 0;
    return m;
}

nlohmann::json TruthMasks::describe() const
{
    nlohmann::json j;
    j["source"] = m_source;
    j["kind"] = m_kind;
    j["description"] = m_description;
    if (!m_file.empty())
        j["file"] = m_file;
    if (!m_fixed.empty())
        j["mask_size"] = std::count(m_fixed.begin(), m_fixed.end(), uint8_t(1));
    return j;
}

nlohmann::json localisationJson(const metrics::LocalisationScores& s, const std::string& truth)
{
    nlohmann::json j;
    j["truth"] = truth;
    j["mass_accuracy"] = finite(s.massAccuracy);
    j["rank_accuracy"] = finite(s.rankAccuracy);
    j["pointing_game"] = finite(s.pointingGame);
    j["top_k_intersection"] = finite(s.topKIntersection);
    j["irrelevant_mass"] = finite(s.irrelevantMass);
    j["mask_size"] = s.maskSize;
    j["k"] = s.k;
    return j;
}

void addLocalisation(nlohmann::json& explanations, const std::vector<explain::Explanation>& all,
                     const TruthMasks& masks, int64_t row, int64_t featureCount)
{
    if (!masks.any())
        return;
    const auto mask = masks.forRow(row);
    for (size_t i = 0; i < all.size() && i < explanations.size(); ++i)
        if (metrics::onInput(all[i], featureCount))
            explanations[i]["localisation"] = localisationJson(metrics::localisation(all[i], mask), masks.source());
}

} // namespace senn::cli
