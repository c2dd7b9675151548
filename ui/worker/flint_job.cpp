// FlintJob: post-hoc FLINT training on a frozen predictor, the interpretations over test rows
// and AM+PI of one attribute (flint.md).
#include "ui/worker/flint_job.h"

#include "ui/worker/core_worker.h"

#include "core/common/error.h"
#include "core/io/model_file.h"
#include "core/train/flint_interpret.h"
#include "core/train/flint_trainer.h"

#include <QFileInfo>

#include <algorithm>

namespace senn::ui {

void FlintJob::attach(int attributes, const models::TrainConfig& trainConfig, const QString& hiddenLayer,
                      const jobs::CancelToken& cancel)
{
    if (!requireModel(JobKind::Train))
        return;
    const bool torchScript = m_state.model.meta().config.kind == models::ModelKind::TorchScript;
    if (torchScript && hiddenLayer.isEmpty()) {
        emit m_out.jobFailed(JobKind::Train, QStringLiteral(
            "FLINT reads a hidden layer of the TorchScript model: choose one in the FLINT view."));
        return;
    }
    m_runner.run(JobKind::Train, QStringLiteral("Attaching FLINT (%1 attributes)").arg(attributes), [&] {
        // A model with a file (TorchScript, or an opened .senn) gets an interpreter that saves
        // with a reference to that file; FLINT's own predictor is copied (postHocFrom).
        std::shared_ptr<models::ModelImpl> frozen = m_state.model.impl();
        const std::string file = m_state.modelPath.toStdString();
        const bool hasFile = QFileInfo::exists(m_state.modelPath) &&
                             io::detectModelFile(file) != io::ModelFileKind::NotAModel;
        if (!train::isFlint(m_state.model) && (torchScript || hasFile))
            frozen = train::attachFlint(m_state.model, hiddenLayer.toStdString(), *m_state.data, m_state.split,
                                        attributes, hasFile ? file : std::string(),
                                        static_cast<uint64_t>(trainConfig.seed))
                         .impl();
        m_state.previous = m_state.model;
        models::ModelConfig config;
        config.kind = models::ModelKind::Flint;
        config.attributes = attributes;
        BatchThrottle throttle;
        auto onBatch = [&](const train::BatchReport& r) {
            if (!throttle.admit(r.epochEnd))
                return;
            emit m_out.trainingProgress(r);
            const double frac = r.epochs > 0 && r.batches > 0
                ? ((r.epoch - 1) + double(r.batch) / double(r.batches)) / r.epochs : 0.0;
            emit m_out.jobProgress(JobKind::Train, std::min(frac, 0.999),
                                   QStringLiteral("FLINT epoch %1/%2, loss %3").arg(r.epoch).arg(r.epochs)
                                       .arg(r.loss, 0, 'g', 4));
        };
        auto result = train::trainFlint(*m_state.data, m_state.split, config, trainConfig, onBatch, cancel, frozen);
        if (result.cancelled) {
            m_state.previous = models::Model();
            const ModelSummary s = m_state.summarize();
            emit m_out.modelReady(s);
            emit m_out.trainingFinished(s, true);
            return true;
        }
        m_state.adoptModel(result.model, QString());
        m_state.modelHasData = true;
        const ModelSummary s = m_state.summarize();
        const auto& m = s.meta.metrics;
        if (m.count("fidelity"))
            emit m_out.log(QStringLiteral("Post-hoc FLINT: fidelity %1%, interpreter accuracy %2%")
                               .arg(m.at("fidelity") * 100.0, 0, 'f', 1)
                               .arg(m.count("interpreter_accuracy") ? m.at("interpreter_accuracy") * 100.0 : 0.0, 0, 'f', 1));
        emit m_out.modelReady(s);
        emit m_out.trainingFinished(s, false);
        return false;
    });
}

void FlintJob::interpret(int rows, const jobs::CancelToken& cancel)
{
    if (!requireModel(JobKind::Flint))
        return;
    if (!train::isFlint(m_state.model)) {
        emit m_out.jobFailed(JobKind::Flint, QStringLiteral(
            "FLINT interpretations need a FLINT model and its dataset: train one (Model view, "
            "model FLINT) or attach one to the current model."));
        return;
    }
    m_runner.run(JobKind::Flint, QStringLiteral("FLINT interpretation"), [&] {
        const auto& split = m_state.split;
        const auto& source = split.test.empty() ? split.val : split.test;
        std::vector<int64_t> picked(source.begin(),
                                    source.begin() + std::min<std::ptrdiff_t>(std::max(rows, 1),
                                                                              std::ptrdiff_t(source.size())));
        if (picked.empty())
            throw Error("the dataset has no test or validation rows to interpret");
        emit m_out.flintInterpretationReady(train::interpretFlint(m_state.model, *m_state.data, picked, {}, cancel));
        return false;
    });
}

void FlintJob::visualise(int attribute, qint64 fromRow, const jobs::CancelToken& cancel)
{
    if (!requireModel(JobKind::Flint))
        return;
    if (!train::isFlint(m_state.model) || fromRow < 0 || fromRow >= m_state.data->rows()) {
        emit m_out.jobFailed(JobKind::Flint, QStringLiteral("AM+PI needs a FLINT model and a sample of its dataset."));
        return;
    }
    m_runner.run(JobKind::Flint, QStringLiteral("AM+PI of attribute %1").arg(attribute + 1), [&] {
        const data::Dataset& d = *m_state.data;
        train::AmOptions o;
        if (d.kind != data::DataKind::Image) {
            // Tabular rows are not in [0, 1]: keep the sample inside the training range.
            const auto stats = data::FeatureStats::fit(d, m_state.split.train);
            o.lo = *std::min_element(stats.min.begin(), stats.min.end());
            o.hi = *std::max_element(stats.max.begin(), stats.max.end());
        }
        o.progress = m_runner.progressFor(JobKind::Flint); // the status bar moves instead of sitting at 0%
        auto x = train::flintActivationMaximisation(m_state.model, d.row(fromRow), attribute, o, cancel);
        emit m_out.flintVisualisationReady(attribute, x);
        return false;
    });
}

} // namespace senn::ui
