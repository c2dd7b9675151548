// The worker's FLINT jobs (flint.md): post-hoc attachment to the current model, the
// interpretations (local relevance, class x attribute map, maximum activating samples) and the
// AM+PI visualisation of one attribute.
#pragma once
#include "ui/worker/worker_job.h"

namespace senn::ui {

class FlintJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    // Post-hoc FLINT on the current model: its predictor frozen, Ψ, g, d trained; the result
    // becomes the current model (a Train job; cancel keeps the previous one). hiddenLayer: a
    // TorchScript model's child (ModelSummary::flintLayers); "" otherwise.
    void attach(int attributes, const models::TrainConfig& trainConfig, const QString& hiddenLayer,
                const jobs::CancelToken& cancel);
    // Local, global and maximum-activating interpretations over the first `rows` test rows.
    void interpret(int rows, const jobs::CancelToken& cancel);
    // AM+PI visualisation of one attribute, started from its top maximum-activating sample.
    void visualise(int attribute, qint64 fromRow, const jobs::CancelToken& cancel);
};

} // namespace senn::ui
