// The worker's Right-for-the-Right-Reasons jobs (rrr.md): Decoy MNIST, the annotation mask
// (generated or painted), the λ₁ guidance, input-gradient maps and "find another explanation".
#pragma once
#include "ui/worker/worker_job.h"

namespace senn::ui {

class RrrJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    // Replaces the dataset by its Decoy-MNIST transform (test split keyed by random digits)
    // and takes the patches as the annotation mask; emits datasetLoaded and rrrMaskChanged.
    void makeDecoy(quint64 seed, qint64 showRow);
    void paintMask(qint64 row, const std::vector<int64_t>& pixels, float value, RrrScope scope);
    void clearMask(qint64 showRow);
    void showMask(qint64 row);
    // Both loss terms on the first batch of an untrained model and the λ₁ that balances them.
    void guidance(const models::ModelConfig& config, const models::TrainConfig& trainConfig);
    // ∂ Σ log p / ∂x of the current model for rows.
    void gradients(const std::vector<int64_t>& rows);
    // Rounds of training with accumulated gradient masks (a Train job; the current model stays).
    void findAnotherExplanation(const models::ModelConfig& config, const models::TrainConfig& trainConfig,
                                int rounds, const std::vector<int64_t>& showRows, const jobs::CancelToken& cancel);

private:
    void emitMask(qint64 row);
};

} // namespace senn::ui
