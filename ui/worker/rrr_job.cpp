// RrrJob: Decoy MNIST, the annotation mask's edits, λ₁ guidance, input gradients and the
// rounds of "find another explanation" (rrr.md).
#include "ui/worker/rrr_job.h"

#include "ui/worker/core_worker.h"
#include "ui/worker/dataset_summary.h"

#include "core/common/error.h"
#include "core/data/decoy.h"
#include "core/train/rrr.h"

#include <algorithm>

namespace senn::ui {

namespace {

double metric(const models::Model& m, const char* name)
{
    const auto& metrics = m.meta().metrics;
    const auto it = metrics.find(name);
    return it == metrics.end() ? -1.0 : it->second;
}

} // namespace

void RrrJob::emitMask(qint64 row)
{
    emit m_out.rrrMaskChanged(m_state.rrr.state(m_state.data.get(), m_state.split, row));
}

void RrrJob::makeDecoy(quint64 seed, qint64 showRow)
{
    if (!m_state.data) {
        emit m_out.jobFailed(JobKind::Load, QStringLiteral("Open an image dataset (e.g. File > Examples > MNIST) "
                                                           "before generating Decoy MNIST."));
        return;
    }
    m_runner.run(JobKind::Load, QStringLiteral("Generating Decoy MNIST (seed %1)").arg(seed), [&] {
        // A copy: the previous snapshot stays valid for the GUI until it gets the new one.
        auto ds = std::make_shared<data::Dataset>(*m_state.data);
        data::applyDecoy(*ds, m_state.split.test, seed);
        // The mask follows from the recorded transform: the decoy patches.
        m_state.adoptData(ds, m_state.split);
        DatasetSummary s = summarizeDataset(m_state, QString::fromStdString(ds->source),
                                            QStringLiteral("Decoy MNIST (seed %1)").arg(seed));
        emit m_out.log(QStringLiteral("Decoy MNIST: a 4x4 patch keyed by the label in the training and "
                                      "validation rows, by a random digit in the %1 test rows; its 16 "
                                      "pixels are the annotation mask").arg(m_state.split.test.size()));
        emit m_out.datasetLoaded(s);
        if (m_state.model.isValid())
            emit m_out.modelReady(m_state.summarize()); // its accuracy on the decoyed test split
        emitMask(showRow);
        return false;
    });
}

void RrrJob::paintMask(qint64 row, const std::vector<int64_t>& pixels, float value, RrrScope scope)
{
    if (!m_state.data || row < 0 || row >= m_state.data->rows())
        return;
    const int64_t rows = m_state.rrr.paint(*m_state.data, row, pixels, value, scope);
    emit m_out.log(QStringLiteral("Mask: %1 %2 pixels on %3 rows").arg(value > 0 ? "set" : "erased")
                       .arg(pixels.size()).arg(rows));
    emitMask(row);
}

void RrrJob::clearMask(qint64 showRow)
{
    m_state.rrr.clear(m_state.data.get());
    emit m_out.log(QStringLiteral("Mask cleared"));
    emitMask(showRow);
}

void RrrJob::showMask(qint64 row)
{
    emitMask(row);
}

void RrrJob::guidance(const models::ModelConfig& config, const models::TrainConfig& trainConfig)
{
    train::LambdaGuidance g;
    try {
        if (!m_state.data)
            throw senn::Error("Open a dataset first.");
        g = train::lambdaGuidance(*m_state.data, m_state.split, config, trainConfig,
                                  *m_state.rrr.forTraining(m_state.data.get()));
    } catch (const std::exception& e) {
        g.text = e.what();
    }
    emit m_out.rrrGuidanceReady(g);
}

void RrrJob::gradients(const std::vector<int64_t>& rows)
{
    if (!m_state.data || !m_state.model.isValid() || !m_state.modelHasData)
        return;
    try {
        RrrGradients g;
        g.rows = rows;
        g.shape = m_state.data->sampleShape;
        g.gradients = train::inputGradients(m_state.model, *m_state.data, rows);
        g.trainAccuracy = metric(m_state.model, "train_accuracy");
        g.testAccuracy = metric(m_state.model, "test_accuracy");
        emit m_out.rrrGradientsReady(g);
    } catch (const std::exception& e) {
        emit m_out.log(QStringLiteral("Input gradients: %1").arg(e.what()));
    }
}

void RrrJob::findAnotherExplanation(const models::ModelConfig& config, const models::TrainConfig& trainConfig,
                                    int rounds, const std::vector<int64_t>& showRows,
                                    const jobs::CancelToken& cancel)
{
    if (!m_state.data) {
        emit m_out.jobFailed(JobKind::Train, QStringLiteral("Open a dataset before finding another explanation."));
        return;
    }
    m_runner.run(JobKind::Train, QStringLiteral("Find another explanation (%1 rounds)").arg(rounds), [&] {
        train::FindAnotherOptions fo;
        fo.rounds = rounds;
        fo.showRows = showRows;
        fo.cancel = cancel;
        BatchThrottle throttle;
        fo.onBatch = [&](int round, const train::BatchReport& r) {
            if (!throttle.admit(r.epochEnd))
                return;
            emit m_out.rrrRoundProgress(round, r);
            const double inRound = r.epochs > 0 && r.batches > 0
                ? ((r.epoch - 1) + double(r.batch) / double(r.batches)) / r.epochs : 0.0;
            emit m_out.jobProgress(JobKind::Train, std::min(((round - 1) + inRound) / rounds, 0.999),
                                   QStringLiteral("round %1/%2, epoch %3/%4").arg(round).arg(rounds)
                                       .arg(r.epoch).arg(r.epochs));
        };
        fo.onRound = [&](const train::ExplanationRound& er) {
            RrrRound r;
            r.round = er.round;
            r.rounds = rounds;
            r.cancelled = er.cancelled;
            r.trainAccuracy = er.trainAccuracy;
            r.testAccuracy = er.testAccuracy;
            r.maskCoverage = er.maskCoverage;
            r.rows = er.rows;
            r.gradients = er.gradients;
            r.mask = er.mask;
            r.shape = m_state.data->sampleShape;
            emit m_out.log(QStringLiteral("Round %1: train accuracy %2%, test accuracy %3%, mask %4% of the pixels")
                               .arg(er.round).arg(er.trainAccuracy * 100, 0, 'f', 1)
                               .arg(er.testAccuracy * 100, 0, 'f', 1).arg(er.maskCoverage * 100, 0, 'f', 2));
            emit m_out.rrrRoundReady(r);
        };
        const auto result = train::findAnotherExplanation(*m_state.data, m_state.split, config, trainConfig, fo);
        return !result.empty() && result.back().cancelled;
    });
}

} // namespace senn::ui
