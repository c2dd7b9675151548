// Plain result structs the CoreWorker sends to the GUI thread through queued signals. They hold
// copies or immutable shared snapshots (never something the worker mutates later), so the GUI
// can read them without locks. Registered as Qt metatypes by registerWorkerTypes().
#pragma once
#include "core/data/dataset.h"
#include "core/explain/explanation.h"
#include "core/metrics/metrics.h"
#include "core/models/model.h"
#include "core/train/flint_interpret.h"
#include "core/train/flint_trainer.h"
#include "core/train/trainer.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace senn::ui {

// A freshly loaded dataset. `data` is an immutable snapshot: the worker never writes to it
// after emitting, so the GUI may read rows (previews, thumbnails) from it at any time.
struct DatasetSummary {
    QString path, target, format;
    double seconds = 0;
    std::shared_ptr<const data::Dataset> data;
    std::vector<int64_t> classCounts;
    std::vector<int64_t> trainRows, valRows, testRows;
    QStringList problems; // detected issues a person should know about
};

// The current model as the GUI shows it: its card, and its predictions on the test split.
struct ModelSummary {
    bool valid = false;
    models::ModelMeta meta;
    QString path;          // file it came from or was last saved to; empty = unsaved
    QString description;   // Model::describe()
    bool isSenn = false;
    bool isFlint = false;  // FLINT (joint or post-hoc): interpreter, attributes, fidelity
    bool torchScript = false;
    bool hasData = false;  // a compatible dataset is loaded
    train::Evaluation test; // accuracy and confusion on the test split (when hasData)
    std::vector<int64_t> rows;        // test rows, in order
    std::vector<int64_t> predictions; // per test row
    std::vector<float> confidence;    // probability of the prediction, per test row
    // TorchScript with its data: the layers post-hoc FLINT can read (flintHiddenLayers), or
    // why none can be listed.
    std::vector<train::HiddenLayerChoice> flintLayers;
    QString flintLayersProblem;
    // A unit model's known answer (core/io/ground_truth.h): 1 per input value its logits
    // depend on, and its description; empty for every other model.
    std::vector<uint8_t> truthMask;
    QString truthDescription;
};

// Whether a model summary belongs to this dataset: inputs and classes match, and every test
// row and prediction it lists exists there. A dataset switch reaches the views before the
// worker's verdict on the model; every view checks this before using a model with a dataset,
// so a model whose classes or inputs no longer match is never used with the new data.
inline bool modelFitsDataset(const ModelSummary& m, const DatasetSummary& d)
{
    if (!m.valid || !m.hasData || !d.data)
        return false;
    const data::Dataset& ds = *d.data;
    if (!m.meta.classNames.empty() && int64_t(m.meta.classNames.size()) != ds.numClasses())
        return false;
    if (!m.meta.inputShape.empty()) {
        int64_t f = 1;
        for (int64_t v : m.meta.inputShape)
            f *= v;
        if (f != ds.featureCount())
            return false;
    }
    if (m.predictions.size() != m.rows.size() || m.confidence.size() != m.rows.size())
        return false;
    for (size_t i = 0; i < m.rows.size(); ++i)
        if (m.rows[i] < 0 || m.rows[i] >= ds.rows() || m.predictions[i] < 0 || m.predictions[i] >= ds.numClasses())
            return false;
    return true;
}

enum class JobKind { Load, Train, Save, Explain, Perturb, Stability, Faithfulness, Prototypes, Flint, Removal,
                     Sanity, Scorecard };
QString jobName(JobKind kind);

// Registers the structs above as Qt metatypes for queued signals (results.cpp).
void registerWorkerTypes();

// What one explanation request asked for; `noise` > 0 explains x + noise·u with a fixed
// seeded direction u (the stability view's "perturb this example" slider).
struct ExplainRequest {
    int64_t row = -1;
    std::vector<explain::Method> methods;
    explain::ExplainOptions options;
    int seedRuns = 1; // > 1: sampling methods repeated over seeds (core/explain/uncertainty.h)
    double noise = 0.0;
    uint64_t noiseSeed = 0;
    int requestId = 0;
};

struct ExplainResult {
    ExplainRequest request;
    std::vector<float> input;          // the (possibly perturbed) raw input that was explained
    int64_t label = -1, prediction = -1;
    std::vector<float> probabilities;
    std::vector<explain::Explanation> explanations;
    // Per explanation (an empty curve where it failed); empty until the removal job
    // (removal_job.h) fills it, which runs only when the Faithfulness view shows the curves.
    std::vector<metrics::RemovalResult> removal;
    QStringList failures;               // "method: message" for methods that failed
};

struct StabilityRequest {
    std::vector<explain::Method> methods;
    int points = 20;
    std::vector<double> eps;
    uint64_t seed = 0;
    explain::ExplainOptions options;
    metrics::Draws draws = metrics::Draws::Independent;
};

} // namespace senn::ui

Q_DECLARE_METATYPE(senn::ui::DatasetSummary)
Q_DECLARE_METATYPE(senn::ui::ModelSummary)
Q_DECLARE_METATYPE(senn::ui::ExplainResult)
Q_DECLARE_METATYPE(senn::ui::JobKind)
Q_DECLARE_METATYPE(senn::train::BatchReport)
Q_DECLARE_METATYPE(senn::metrics::StabilityResult)
Q_DECLARE_METATYPE(senn::metrics::FaithfulnessResult)
Q_DECLARE_METATYPE(senn::metrics::Prototypes)
Q_DECLARE_METATYPE(senn::train::FlintInterpretation)
