// What the worker's jobs operate on: the open dataset and its split, the current model (and
// the ones a training may give back), the explainer context and the RRR mask. One object,
// owned by CoreWorker and touched only on the worker thread.
#pragma once
#include "ui/worker/results.h"
#include "ui/worker/rrr_masks.h"

#include "core/data/split.h"
#include "core/explain/explanation.h"
#include "core/models/model.h"

#include <QString>

#include <atomic>
#include <memory>

namespace senn::ui {

struct WorkerState {
    // An immutable snapshot: the GUI may hold it; a change makes a new one.
    std::shared_ptr<const data::Dataset> data;
    data::Split split;
    models::Model model;
    models::Model previous; // usable while a training runs; the one a cancel keeps
    models::Model replaced; // the model the last training replaced (restorePreviousModel)
    QString modelPath;      // file the model came from or was saved to; empty = unsaved
    bool modelHasData = false;
    std::unique_ptr<explain::ExplainContext> ctx;
    RrrMasks rrr;
    // Points the stability and faithfulness pools explain in parallel (the Threads setting);
    // set from the GUI thread, read when a job starts.
    std::atomic<int> poolThreads{1};

    // A new dataset and split: a new explainer context, and the RRR mask its transforms give.
    void adoptData(std::shared_ptr<const data::Dataset> newData, data::Split newSplit);
    // The same dataset under another split.
    void adoptSplit(data::Split newSplit);
    // A new current model; the previous and replaced ones belong to the old one and go.
    void adoptModel(models::Model newModel, const QString& path);
    // The current model as the GUI shows it, with its predictions on the test split.
    ModelSummary summarize() const;
};

} // namespace senn::ui
