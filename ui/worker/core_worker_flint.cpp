// The CoreWorker's FLINT jobs (flint.md): post-hoc attachment to the current model, the
// interpretations (local relevance, class x attribute map, maximum activating samples) and the
// AM+PI visualisation of one attribute. Same rules as core_worker.cpp: runs on the worker
// thread, reports through signals with plain structs, honours the job's CancelToken.
#include "ui/worker/core_worker.h"

#include "core/io/model_file.h"
#include "core/train/flint_interpret.h"
#include "core/train/flint_trainer.h"
#include "core/train/trainer.h"

#include <QFileInfo>

#include <algorithm>

namespace senn::ui {

void CoreWorker::attachFlint(int attributes, models::TrainConfig trainConfig, QString hiddenLayer,
                             jobs::CancelToken cancel)
{
    if (!requireModel(JobKind::Train))
        return;
    if (!m_data || !m_modelHasData) {
        emit jobFailed(JobKind::Train, QStringLiteral(
            "Post-hoc FLINT trains on the data the model was made for: open that dataset first."));
        return;
    }
    const bool torchScript = m_model.meta().config.kind == models::ModelKind::TorchScript;
    if (torchScript && hiddenLayer.isEmpty()) {
        emit jobFailed(JobKind::Train, QStringLiteral(
            "FLINT reads a hidden layer of the TorchScript model: choose one in the FLINT view."));
        return;
    }
    runJob(JobKind::Train, QStringLiteral("Attaching FLINT (%1 attributes)").arg(attributes), [&] {
        // A model with a file (TorchScript, or an opened .senn) gets an interpreter that saves
        // with a reference to that file; FLINT's own predictor is copied (postHocFrom).
        std::shared_ptr<models::ModelImpl> frozen = m_model.impl();
        const std::string file = m_modelPath.toStdString();
        const bool hasFile = QFileInfo::exists(m_modelPath) &&
                             io::detectModelFile(file) != io::ModelFileKind::NotAModel;
        if (!train::isFlint(m_model) && (torchScript || hasFile))
            frozen = train::attachFlint(m_model, hiddenLayer.toStdString(), *m_data, m_split, attributes,
                                        hasFile ? file : std::string(), static_cast<uint64_t>(trainConfig.seed))
                         .impl();
        m_previous = m_model;
        models::ModelConfig config;
        config.kind = models::ModelKind::Flint;
        config.attributes = attributes;
        QElapsedTimer lastEmit;
        lastEmit.start();
        auto onBatch = [&](const train::BatchReport& r) {
            if (!r.epochEnd && lastEmit.elapsed() < 50)
                return;
            lastEmit.restart();
            emit trainingProgress(r);
            const double frac = r.epochs > 0 && r.batches > 0
                ? ((r.epoch - 1) + double(r.batch) / double(r.batches)) / r.epochs : 0.0;
            emit jobProgress(JobKind::Train, std::min(frac, 0.999),
                             QStringLiteral("FLINT epoch %1/%2, loss %3").arg(r.epoch).arg(r.epochs)
                                 .arg(r.loss, 0, 'g', 4));
        };
        auto result = train::trainFlint(*m_data, m_split, config, trainConfig, onBatch, cancel, frozen);
        if (result.cancelled) {
            m_previous = models::Model();
            const ModelSummary s = summarize();
            emit modelReady(s);
            emit trainingFinished(s, true);
            return true;
        }
        adoptModel(result.model, QString());
        m_modelHasData = true;
        const ModelSummary s = summarize();
        const auto& m = s.meta.metrics;
        if (m.count("fidelity"))
            emit log(QStringLiteral("Post-hoc FLINT: fidelity %1%, interpreter accuracy %2%")
                         .arg(m.at("fidelity") * 100.0, 0, 'f', 1)
                         .arg(m.count("interpreter_accuracy") ? m.at("interpreter_accuracy") * 100.0 : 0.0, 0, 'f', 1));
        emit modelReady(s);
        emit trainingFinished(s, false);
        return false;
    });
}

void CoreWorker::flintInterpret(int rows, jobs::CancelToken cancel)
{
    if (!requireModel(JobKind::Flint))
        return;
    if (!train::isFlint(m_model) || !m_data || !m_modelHasData) {
        emit jobFailed(JobKind::Flint, QStringLiteral(
            "FLINT interpretations need a FLINT model and its dataset: train one (Model view, "
            "model FLINT) or attach one to the current model."));
        return;
    }
    runJob(JobKind::Flint, QStringLiteral("FLINT interpretation"), [&] {
        const auto& source = m_split.test.empty() ? m_split.val : m_split.test;
        std::vector<int64_t> picked(source.begin(),
                                    source.begin() + std::min<std::ptrdiff_t>(std::max(rows, 1),
                                                                              std::ptrdiff_t(source.size())));
        if (picked.empty())
            throw Error("the dataset has no test or validation rows to interpret");
        emit flintInterpretationReady(train::interpretFlint(m_model, *m_data, picked, {}, cancel));
        return false;
    });
}

void CoreWorker::flintVisualise(int attribute, qint64 fromRow, jobs::CancelToken cancel)
{
    if (!requireModel(JobKind::Flint))
        return;
    if (!train::isFlint(m_model) || !m_data || fromRow < 0 || fromRow >= m_data->rows()) {
        emit jobFailed(JobKind::Flint, QStringLiteral("AM+PI needs a FLINT model and a sample of its dataset."));
        return;
    }
    runJob(JobKind::Flint, QStringLiteral("AM+PI of attribute %1").arg(attribute + 1), [&] {
        train::AmOptions o;
        if (m_data->kind != data::DataKind::Image) {
            // Tabular rows are not in [0, 1]: keep the sample inside the training range.
            const auto stats = data::FeatureStats::fit(*m_data, m_split.train);
            o.lo = *std::min_element(stats.min.begin(), stats.min.end());
            o.hi = *std::max_element(stats.max.begin(), stats.max.end());
        }
        o.progress = progressFor(JobKind::Flint); // the status bar moves instead of sitting at 0%
        auto x = train::flintActivationMaximisation(m_model, m_data->row(fromRow), attribute, o, cancel);
        emit flintVisualisationReady(attribute, x);
        return false;
    });
}

} // namespace senn::ui
