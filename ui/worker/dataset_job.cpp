// DatasetJob: loading a data file, keeping a model that fits it (with its own split) and
// closing one that does not.
#include "ui/worker/dataset_job.h"

#include "ui/worker/core_worker.h"
#include "ui/worker/dataset_summary.h"

#include "core/common/error.h"
#include "core/io/workspace.h"

#include <QFileInfo>

namespace senn::ui {

void DatasetJob::load(const QString& path, const QString& target, const jobs::CancelToken& cancel)
{
    m_runner.run(JobKind::Load, QStringLiteral("Loading %1").arg(QFileInfo(path).fileName()), [&] {
        QElapsedTimer t;
        t.start();
        const auto fmt = data::detectFormat(path.toStdString());
        data::LoadOptions opt;
        opt.target = target.toStdString();
        auto ds = std::make_shared<const data::Dataset>(
            data::loadDataset(path.toStdString(), opt, m_runner.progressFor(JobKind::Load), cancel));
        if (ds->rows() == 0)
            throw senn::Error::inFile(path.toStdString(), "no rows were read",
                                      "Check that the file holds data below its header");
        data::Split split = data::makeSplit(*ds, 0);
        // A model that fits the new data keeps its own recorded split; otherwise it goes.
        bool modelFits = false;
        if (m_state.model.isValid()) {
            try {
                split = io::splitForModel(m_state.model, *ds);
                modelFits = true;
            } catch (const senn::Error& e) {
                emit m_out.log(QStringLiteral("The current model does not fit this dataset and was "
                                              "closed: %1").arg(e.what()));
            }
        }
        const QStringList problems = detectProblems(*ds);
        // Commit only now: a file that fails above leaves the previous dataset loaded.
        m_state.adoptData(ds, std::move(split));
        m_state.replaced = models::Model(); // it belongs to the previous dataset
        if (!modelFits && m_state.model.isValid())
            m_state.adoptModel(models::Model(), QString());
        m_state.modelHasData = m_state.model.isValid();
        DatasetSummary s = summarizeDataset(m_state, path, formatName(fmt));
        s.problems = problems;
        s.seconds = t.elapsed() / 1000.0;
        emit m_out.datasetLoaded(s);
        if (m_state.model.isValid() || !modelFits)
            emit m_out.modelReady(m_state.summarize());
        return false;
    });
}

} // namespace senn::ui
