// Attributions computed elsewhere (shap, Captum, a user's own code) as one .npy of shape
// [N, sample shape] holding one row per row of a split, in the order `senn explain --split S
// --all --npy OUT` writes them. They are evaluated beside the built-in methods with every
// measure that needs only the explanation at the point; the measures that re-run the method
// on perturbed inputs (robustness, L̂) cannot be computed for a file. Torch-free.
#pragma once
#include "core/explain/explanation.h"
#include "core/metrics/metrics.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace senn::metrics {

// One file of attributions: the name its row goes under, the file, and the split whose rows
// it holds (train, val, test or all).
struct AttributionSource {
    std::string name;
    std::string path;
    std::string split = "test";
};

// "NAME=FILE.npy" (the `--attributions` form) for `split`. Throws senn::Error when the form or
// the name is wrong (checkAttributionName).
AttributionSource parseAttributionSource(const std::string& spec, const std::string& split = "test");

// A name for a row of the tables: 1 to 64 letters, digits, '-', '_' or '.', and not the id of
// a built-in method ("saliency" would be two rows of one name). Throws senn::Error naming
// `file` and the problem.
void checkAttributionName(const std::string& name, const std::string& file);

// The split's rows as `senn explain --split` takes them: "train", "val", "test" or "all" (every
// row of the data). Throws senn::Error for another name.
std::vector<int64_t> splitRowsByName(const data::Dataset& data, const data::Split& split, const std::string& name);

// One opened file. Opening reads and checks only the header (dtype float32 or float64, C
// order, N = the split's row count, per-row shape = the data's input shape: [d] for tables,
// [C, H, W] for images) and the file's size; the values are read one row at a time when a
// point asks for them, so memory does not grow with N (a 10,000-photo split is 6 GB). A
// concept shape [k] is refused: the measures take a concept explanation from SENN's own θ
// only, where the model says which concept each value belongs to.
// Every error is a senn::Error that names the file.
class ExternalAttributions {
public:
    ExternalAttributions(const AttributionSource& source, const data::Dataset& data, const data::Split& split);

    const std::string& name() const { return m_source.name; }
    const std::string& path() const { return m_source.path; }
    const std::string& split() const { return m_source.split; }
    int64_t rowCount() const { return int64_t(m_rows.size()); }
    // True when data row `row` is one of the file's rows.
    bool holds(int64_t row) const;

    // The attributions of data row `row` (its row id in the data), read from the file: method
    // = name(), values, shape = the input shape, labels = the feature names (tables). target
    // and output are left as the caller decides them (the file does not say). Throws when the
    // row is not in the file or one of its values is NaN or infinite (naming row and index).
    // Safe to call from several threads at once (each call opens the file).
    explain::Explanation at(int64_t row) const;

    // at() for every one of `rows`, so that a run refuses a missing row or a NaN before it
    // starts rather than on its last point. Reads only those rows.
    void check(const std::vector<int64_t>& rows) const;

private:
    AttributionSource m_source;
    std::vector<int64_t> m_rows;          // position in the file -> data row id
    std::unordered_map<int64_t, int64_t> m_position; // data row id -> position in the file
    std::vector<int64_t> m_sampleShape;
    std::vector<std::string> m_labels;
    int64_t m_rowValues = 0;              // values per row
    int m_itemSize = 4;                   // 4: float32, 8: float64
    uint64_t m_dataOffset = 0;            // of row 0
};

using ExternalList = std::vector<std::shared_ptr<const ExternalAttributions>>;

// Opens every source for the data and split (the constructor's checks), and refuses two
// sources of one name.
ExternalList openAttributions(const std::vector<AttributionSource>& sources, const data::Dataset& data,
                              const data::Split& split);

// Why a measure has no value for a file ("" when it has one): the robustness measures and L̂
// explain perturbed inputs again, which needs the method itself.
std::string externalUnavailableReason(const std::string& measureId);

// faithfulness() (metrics.h) with the files' rows after the methods': the methods' map gains
// one entry per file, keyed by its name, with the same measures computed on the file's
// explanation at each point and with the same draws (they follow the row and the measure, not
// the method). The robustness groups are NaN for a file. options.skip and options.record see
// the files as methods methods.size() + i.
FaithfulnessResult faithfulness(const std::vector<explain::Method>& methods, const ExternalList& external,
                                const models::Model& model, const explain::ExplainContext& ctx,
                                const std::vector<int64_t>& points, const explain::ExplainOptions& explainOptions,
                                const FaithfulnessOptions& options, const jobs::ProgressFn& progress = {},
                                const jobs::CancelToken& cancel = {});

} // namespace senn::metrics
