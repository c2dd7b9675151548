// The measure catalogue (measures.h): one row per measure. A new measure adds its row here;
// the faithfulness run computes the rows of its groups, the scorecard reads the directions.
#include "core/metrics/measures.h"

#include "core/common/error.h"

#include <algorithm>
#include <sstream>

namespace senn::metrics {

const std::vector<MeasureInfo>& measureCatalogue()
{
    static const std::vector<MeasureInfo> table = {
        {"removal_correlation", "Removal correlation", true, "removal"},
        {"faithfulness_correlation", "Faithfulness correlation", true, "faithfulness-correlation"},
        {"infidelity", "Infidelity", false, "infidelity"},
        {"infidelity_normalized", "Infidelity (normalised by β)", false, "infidelity"},
        {"deletion_aopc", "Deletion AOPC (MoRF)", true, "deletion"},
        {"deletion_lerf_aopc", "Deletion AOPC (LeRF)", false, "deletion"},
        {"deletion_aopc_diff", "Deletion AOPC, MoRF − LeRF", true, "deletion"},
        {"insertion_auc", "Insertion AUC (MoRF)", true, "insertion"},
        {"road_morf_aopc", "ROAD AOPC (MoRF)", true, "road"},
        {"road_lerf_aopc", "ROAD AOPC (LeRF)", false, "road"},
        {"ris", "Relative input stability (RIS)", false, "ris"},
        {"ros", "Relative output stability (ROS)", false, "ros"},
        {"avg_sensitivity", "Average sensitivity", false, "avg-sensitivity"},
        {"max_sensitivity", "Max-sensitivity", false, "max-sensitivity"},
    };
    return table;
}

const MeasureInfo* findMeasure(const std::string& id)
{
    for (const auto& m : measureCatalogue())
        if (m.id == id)
            return &m;
    return nullptr;
}

std::vector<std::string> measureGroups()
{
    std::vector<std::string> groups;
    for (const auto& m : measureCatalogue())
        if (!m.group.empty() && std::find(groups.begin(), groups.end(), m.group) == groups.end())
            groups.push_back(m.group);
    return groups;
}

std::vector<std::string> defaultMeasureGroups() { return {"removal", "faithfulness-correlation", "infidelity"}; }

std::vector<std::string> parseMeasureGroups(const std::string& list)
{
    const auto known = measureGroups();
    std::string valid;
    for (const auto& g : known)
        valid += (valid.empty() ? "" : ", ") + g;
    std::vector<bool> chosen(known.size(), false);
    std::stringstream in(list);
    std::string item;
    bool any = false;
    while (std::getline(in, item, ',')) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (item.empty())
            continue;
        auto it = std::find(known.begin(), known.end(), item);
        if (it == known.end())
            throw Error("unknown measure '" + item + "'; valid measures: " + valid);
        chosen[size_t(it - known.begin())] = true;
        any = true;
    }
    if (!any)
        throw Error("no measure given; valid measures: " + valid);
    std::vector<std::string> out;
    for (size_t i = 0; i < known.size(); ++i)
        if (chosen[i])
            out.push_back(known[i]);
    return out;
}

std::vector<std::string> measureIdsOf(const std::string& group)
{
    std::vector<std::string> ids;
    for (const auto& m : measureCatalogue())
        if (m.group == group)
            ids.push_back(m.id);
    return ids;
}

} // namespace senn::metrics
