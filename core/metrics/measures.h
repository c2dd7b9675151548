// The catalogue of per-point measures of an explanation: the id each is stored and written
// under, its name for people, which direction is better, and the `--measure` group that
// computes it. The faithfulness run and the scorecard read the same table.
#pragma once
#include <string>
#include <vector>

namespace senn::metrics {

struct MeasureInfo {
    std::string id;              // JSON key, FaithfulnessResult::PerMethod::measures key
    std::string name;            // "Deletion AOPC (MoRF)"
    bool higherIsBetter = true;
    // What computes it, as `senn faithfulness --measure` names it ("deletion" computes the
    // three deletion AOPCs together). Empty: not computed by the faithfulness run.
    std::string group;
};

// Every measure, in the order tables list them.
const std::vector<MeasureInfo>& measureCatalogue();
// The entry of `id`, or nullptr when there is none.
const MeasureInfo* findMeasure(const std::string& id);

// The `--measure` groups the faithfulness run knows, in catalogue order.
std::vector<std::string> measureGroups();
// The groups a run computes when none are asked for: removal, faithfulness-correlation,
// infidelity (the cheap ones, one model row per feature or sample).
std::vector<std::string> defaultMeasureGroups();
// A comma-separated list of groups, checked: throws senn::Error naming the valid groups.
// Duplicates are dropped; the order is the catalogue's.
std::vector<std::string> parseMeasureGroups(const std::string& list);
// The measure ids a group computes.
std::vector<std::string> measureIdsOf(const std::string& group);

} // namespace senn::metrics
