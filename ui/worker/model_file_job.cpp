// ModelFileJob: saving, and opening .senn and TorchScript files; a .senn model gets its data
// through io::fitToModel, the path the CLI takes too.
#include "ui/worker/model_file_job.h"

#include "ui/worker/core_worker.h"
#include "ui/worker/dataset_summary.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/io/model_file.h"
#include "core/io/workspace.h"

#include <QFileInfo>

#include <optional>

namespace senn::ui {

void ModelFileJob::save(const QString& path)
{
    if (!requireModel(JobKind::Save))
        return;
    m_runner.run(JobKind::Save, QStringLiteral("Saving model to %1").arg(path), [&] {
        io::saveModel(m_state.model, path.toStdString());
        m_state.modelPath = path;
        emit m_out.modelSaved(path);
        return false;
    });
}

void ModelFileJob::open(const QString& path)
{
    m_runner.run(JobKind::Load, QStringLiteral("Opening model %1").arg(QFileInfo(path).fileName()), [&] {
        files::requireRegularFile(path.toStdString(), "model file"); // missing, folder, device
        const auto kind = io::detectModelFile(path.toStdString());
        if (kind == io::ModelFileKind::NotAModel)
            throw senn::Error::inFile(path.toStdString(), "not a SENN Studio model (.senn) or "
                                      "TorchScript file", "Open a file saved by SENN Studio or "
                                      "the senn command, or a torch.jit.save archive");
        if (kind == io::ModelFileKind::TorchScript)
            adoptTorchScript(path, "Open the dataset it was trained on first");
        else
            openSenn(path);
        return false;
    });
}

void ModelFileJob::openTorchScript(const QString& path)
{
    m_runner.run(JobKind::Load, QStringLiteral("Opening TorchScript %1").arg(QFileInfo(path).fileName()), [&] {
        adoptTorchScript(path, "Open the dataset first: it defines the input shape and classes");
        return false;
    });
}

void ModelFileJob::adoptTorchScript(const QString& path, const char* remedy)
{
    // A TorchScript file records no input shape or classes: the open dataset defines them.
    if (!m_state.data)
        throw senn::Error::inFile(path.toStdString(), "a TorchScript model needs a dataset", remedy);
    m_state.adoptModel(io::loadTorchScript(path.toStdString(), *m_state.data), path);
    m_state.modelHasData = true;
    emit m_out.modelReady(m_state.summarize());
}

void ModelFileJob::openSenn(const QString& path)
{
    models::Model model = io::loadModel(path.toStdString());
    std::optional<io::ModelData> fitted;
    QString source;
    if (m_state.data) {
        try {
            fitted = io::fitToModel(model, m_state.data);
            source = QString::fromStdString(m_state.data->source);
        } catch (const senn::Error& e) {
            emit m_out.log(QStringLiteral("The open dataset does not fit the model (%1); trying "
                                          "the model's own data").arg(e.what()));
        }
    }
    if (!fitted) {
        source = QString::fromStdString(model.meta().dataSource);
        if (!source.isEmpty() && QFileInfo::exists(source)) {
            data::LoadOptions opt;
            opt.target = model.meta().targetName;
            data::Dataset loaded = data::loadDataset(source.toStdString(), opt);
            data::Split split = io::fitToModel(model, loaded); // in place: nobody else holds it
            fitted = io::ModelData{std::make_shared<const data::Dataset>(std::move(loaded)), std::move(split)};
        }
    }
    if (!fitted) {
        m_state.adoptModel(std::move(model), path);
        m_state.modelHasData = false;
        emit m_out.log(QStringLiteral("Model opened without data: open its dataset (%1) to "
                                      "explain it").arg(source.isEmpty() ? "unknown" : source));
        emit m_out.modelReady(m_state.summarize());
        return;
    }
    if (fitted->data == m_state.data) {
        m_state.adoptSplit(std::move(fitted->split));
    } else {
        // The model's own data, or the open data with the model's transforms: a new dataset.
        m_state.adoptData(std::move(fitted->data), std::move(fitted->split));
        DatasetSummary s = summarizeDataset(m_state, source, formatName(data::detectFormat(source.toStdString())));
        s.problems = detectProblems(*m_state.data);
        emit m_out.datasetLoaded(s);
    }
    m_state.adoptModel(std::move(model), path);
    m_state.modelHasData = true;
    emit m_out.modelReady(m_state.summarize());
}

} // namespace senn::ui
