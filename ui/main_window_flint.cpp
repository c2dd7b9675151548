// MainWindow's wiring of the FLINT view: its requests go to the JobDispatcher, the worker's
// results come back on the GUI thread and are handed to the view.
#include "ui/main_window.h"

#include "ui/views/flint_view.h"
#include "ui/views/model_view.h"

namespace senn::ui {

void MainWindow::buildFlintView()
{
    connect(m_flintView, &FlintView::interpretRequested, this, [this](int rows) {
        if (isRunning(JobKind::Flint))
            return;
        m_flintView->setRunning(true);
        m_jobs->flintInterpret(rows);
    });
    connect(m_flintView, &FlintView::visualiseRequested, this, [this](int attribute, qint64 row) {
        if (isRunning(JobKind::Flint))
            return;
        m_flintView->setRunning(true);
        m_jobs->flintVisualise(attribute, row);
    });
    connect(m_flintView, &FlintView::attachRequested, this, [this](int attributes, int epochs,
                                                                   const QString& layer) {
        if (isRunning(JobKind::Train))
            return;
        if (!m_model.valid || !m_model.hasData)
            return showError(tr("FLINT"), tr("Train or open a model with its dataset first."));
        auto tc = models::TrainConfig::defaultsFor(m_dataset.data ? m_dataset.data->kind : data::DataKind::Image);
        tc.epochs = epochs;
        tc.batch = 32;
        m_modelView->setTraining(true);
        m_flintView->setRunning(true);
        appendLog(layer.isEmpty()
                      ? tr("Attaching a post-hoc FLINT interpreter (%1 attributes, %2 epochs) to the current model")
                            .arg(attributes).arg(epochs)
                      : tr("Attaching a post-hoc FLINT interpreter (%1 attributes, %2 epochs) to layer “%3” "
                           "of the current model").arg(attributes).arg(epochs).arg(layer));
        m_jobs->attachFlint(attributes, tc, layer);
    });
    connect(m_jobs->worker(), &CoreWorker::flintInterpretationReady, this, [this](const train::FlintInterpretation& in) {
        m_flintView->setInterpretation(in);
        emit flintInterpretationShown();
    });
    connect(m_jobs->worker(), &CoreWorker::flintVisualisationReady, this,
            [this](int attribute, const std::vector<float>& pixels) {
        m_flintView->setVisualisation(attribute, pixels);
        emit flintVisualisationShown(attribute);
    });
}

} // namespace senn::ui
