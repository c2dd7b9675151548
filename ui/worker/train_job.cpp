// TrainJob: training on the open data and split with the previous model kept usable, and the
// swap back to the model a training replaced.
#include "ui/worker/train_job.h"

#include "ui/worker/core_worker.h"

#include "core/train/trainer.h"

#include <algorithm>

namespace senn::ui {

void TrainJob::train(const models::ModelConfig& config, const models::TrainConfig& trainConfig,
                     const jobs::CancelToken& cancel)
{
    if (!m_state.data) {
        emit m_out.jobFailed(JobKind::Train, QStringLiteral("Open a dataset before training a model."));
        return;
    }
    const QString kindName = QString::fromStdString(models::toString(config.kind));
    m_runner.run(JobKind::Train, QStringLiteral("Training %1").arg(kindName), [&] {
        m_state.previous = m_state.model; // shown and usable until the new one is done
        BatchThrottle throttle;
        auto onBatch = [&](const train::BatchReport& r) {
            // After the last epoch (the maximum, or early stopping) comes the evaluation: the
            // status bar names it instead of an ETA computed from the maximum epochs.
            const bool last = r.epochEnd && (r.lastEpoch || r.epoch == r.epochs);
            if (!throttle.admit(r.epochEnd))
                return;
            emit m_out.trainingProgress(r);
            const double frac = r.epochs > 0 && r.batches > 0
                ? ((r.epoch - 1) + double(r.batch) / double(r.batches)) / r.epochs : 0.0;
            emit m_out.jobProgress(JobKind::Train, last ? 1.0 : std::min(frac, 0.999),
                                   QStringLiteral("epoch %1/%2, loss %3").arg(r.epoch).arg(r.epochs)
                                       .arg(r.loss, 0, 'g', 4));
        };
        train::TrainOptions options;
        options.onBatch = onBatch;
        options.cancel = cancel;
        if (config.rrrLambda > 0) // the annotation mask goes with λ₁ > 0 (rrr.md)
            options.masks = m_state.rrr.forTraining(m_state.data.get());
        train::TrainResult result = train::train(*m_state.data, m_state.split, config, trainConfig, options);
        if (result.cancelled) {
            // Cancel keeps the previous model; with none, the best finished epoch if any.
            if (!m_state.previous.isValid() && result.bestEpoch >= 1) {
                m_state.adoptModel(result.model, QString());
                m_state.modelHasData = true;
            }
            m_state.previous = models::Model();
            const ModelSummary s = m_state.summarize();
            emit m_out.modelReady(s);
            emit m_out.trainingFinished(s, true);
            return true;
        }
        // What follows (predicting every test row, comparing with the replaced model) has no
        // fraction: the status bar names the phase instead of an ETA.
        emit m_out.jobProgress(JobKind::Train, 1.0, QStringLiteral("Evaluating the new model on the test split…"));
        models::Model replaced = m_state.previous;
        m_state.adoptModel(result.model, QString());
        m_state.modelHasData = true;
        m_state.replaced = replaced;
        const ModelSummary s = m_state.summarize();
        emit m_out.log(QStringLiteral("Trained %1: test accuracy %2%%3; stopped: %4").arg(kindName)
                           .arg(s.test.accuracy * 100.0, 0, 'f', 2)
                           .arg(result.baselineAccuracy >= 0
                                    ? QStringLiteral(" (logistic-regression baseline %1%)")
                                          .arg(result.baselineAccuracy * 100.0, 0, 'f', 2)
                                    : QString())
                           .arg(QString::fromStdString(result.stopReason)));
        if (trainConfig.threads <= 0 && result.intraOpThreads > 0)
            emit m_out.log(QStringLiteral("Trained with %1 LibTorch thread%2 (Threads: auto, measured on one batch)")
                               .arg(result.intraOpThreads).arg(result.intraOpThreads == 1 ? "" : "s"));
        emit m_out.modelReady(s);
        emit m_out.trainingFinished(s, false);
        compareWithReplaced(s.test.accuracy);
        return false;
    });
}

void TrainJob::compareWithReplaced(double newAccuracy)
{
    // ux.md: the new model replaces the previous one, which the user may want back.
    const auto& old = m_state.replaced;
    if (!old.isValid() || old.featureCount() != m_state.data->featureCount() || m_state.split.test.empty())
        return;
    const auto before = train::evaluate(old, *m_state.data, m_state.split.test, "test");
    emit m_out.previousModelReplaced(QString::fromStdString(old.describe()), before.accuracy, newAccuracy);
}

void TrainJob::restorePrevious()
{
    if (!m_state.replaced.isValid()) {
        emit m_out.jobFailed(JobKind::Train, QStringLiteral("There is no previous model to restore."));
        return;
    }
    std::swap(m_state.model, m_state.replaced); // restoring twice swaps back
    m_state.modelPath.clear();
    emit m_out.log(QStringLiteral("Previous model restored"));
    emit m_out.modelReady(m_state.summarize());
}

} // namespace senn::ui
