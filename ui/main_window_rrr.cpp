// MainWindow's wiring of the "Right reasons" view: the view's requests go to the
// JobDispatcher, the worker's answers come back to the view on the GUI thread.
#include "ui/main_window.h"

#include "ui/views/rrr_view.h"

namespace senn::ui {

void MainWindow::buildRrrView()
{
    auto* v = m_rrrView;
    auto* jobs = m_jobs;
    auto* w = m_jobs->worker();
    connect(v, &RrrView::decoyRequested, this, [this](quint64 seed, qint64 row) {
        if (isRunning(JobKind::Load) || isRunning(JobKind::Train))
            return;
        m_jobs->makeDecoy(seed, row);
    });
    connect(v, &RrrView::paintRequested, jobs, &JobDispatcher::paintRrrMask);
    connect(v, &RrrView::clearRequested, jobs, &JobDispatcher::clearRrrMask);
    connect(v, &RrrView::maskRowRequested, jobs, &JobDispatcher::rrrMaskRow);
    connect(v, &RrrView::guidanceRequested, jobs, &JobDispatcher::rrrGuidance);
    connect(v, &RrrView::gradientsRequested, jobs, &JobDispatcher::rrrGradients);
    connect(v, &RrrView::trainRequested, this, &MainWindow::train);
    connect(v, &RrrView::cancelRequested, this, [this] { cancelJob(JobKind::Train); });
    connect(v, &RrrView::roundsRequested, this,
            [this](const models::ModelConfig& c, const models::TrainConfig& tc, int rounds,
                   const std::vector<int64_t>& rows) {
        if (isRunning(JobKind::Train))
            return;
        appendLog(tr("Find another explanation: %1 rounds of %2 epochs, λ₁ = %3")
                      .arg(rounds).arg(tc.epochs).arg(c.rrrLambda));
        m_jobs->findAnotherExplanation(c, tc, rounds, rows);
    });

    connect(w, &CoreWorker::rrrMaskChanged, v, &RrrView::setMaskState);
    connect(w, &CoreWorker::rrrGuidanceReady, v, &RrrView::setGuidance);
    connect(w, &CoreWorker::rrrGradientsReady, v, &RrrView::setGradients);
    connect(w, &CoreWorker::rrrRoundProgress, v, &RrrView::addRoundProgress);
    connect(w, &CoreWorker::rrrRoundReady, v, &RrrView::addRound);
    connect(w, &CoreWorker::trainingProgress, v, &RrrView::addProgress);
    connect(w, &CoreWorker::jobStarted, v, [v](JobKind k, const QString&) {
        if (k == JobKind::Train)
            v->setTraining(true);
        else if (k == JobKind::Load)
            v->setLoading(true);
    });
    connect(this, &MainWindow::jobEnded, v, [v](JobKind k, bool) {
        if (k == JobKind::Train)
            v->setTraining(false);
        else if (k == JobKind::Load)
            v->setLoading(false);
    });
    connect(this, &MainWindow::datasetChanged, v, &RrrView::setDataset);
    connect(this, &MainWindow::modelChanged, v, &RrrView::setModel);
    connect(this, &MainWindow::trainingFinished, v, &RrrView::trainingFinished);
}

} // namespace senn::ui
