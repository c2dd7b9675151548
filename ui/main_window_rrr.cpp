// MainWindow's wiring of the "Right reasons" view (rrr.md): the view's requests go to the
// worker queued (long ones with a job token), the worker's answers come back to the view on
// the GUI thread.
#include "ui/main_window.h"

#include "ui/views/rrr_view.h"

namespace senn::ui {

void MainWindow::buildRrrView()
{
    registerRrrTypes();
    auto* v = m_rrrView;
    auto* w = m_worker;
    connect(v, &RrrView::decoyRequested, this, [this](quint64 seed, qint64 row) {
        if (isRunning(JobKind::Load) || isRunning(JobKind::Train))
            return;
        startToken(JobKind::Load);
        QMetaObject::invokeMethod(m_worker, [w = m_worker, seed, row] { w->makeDecoy(seed, row); },
                                  Qt::QueuedConnection);
    });
    connect(v, &RrrView::paintRequested, this,
            [w](qint64 row, const std::vector<int64_t>& pixels, float value, int scope) {
        QMetaObject::invokeMethod(w, [w, row, pixels, value, scope] { w->paintRrrMask(row, pixels, value, scope); },
                                  Qt::QueuedConnection);
    });
    connect(v, &RrrView::clearRequested, this, [w](qint64 row) {
        QMetaObject::invokeMethod(w, [w, row] { w->clearRrrMask(row); }, Qt::QueuedConnection);
    });
    connect(v, &RrrView::maskRowRequested, this, [w](qint64 row) {
        QMetaObject::invokeMethod(w, [w, row] { w->rrrMaskRow(row); }, Qt::QueuedConnection);
    });
    connect(v, &RrrView::guidanceRequested, this,
            [w](const models::ModelConfig& c, const models::TrainConfig& tc) {
        QMetaObject::invokeMethod(w, [w, c, tc] { w->rrrGuidance(c, tc); }, Qt::QueuedConnection);
    });
    connect(v, &RrrView::gradientsRequested, this, [w](const std::vector<int64_t>& rows) {
        QMetaObject::invokeMethod(w, [w, rows] { w->rrrGradients(rows); }, Qt::QueuedConnection);
    });
    connect(v, &RrrView::trainRequested, this, &MainWindow::train);
    connect(v, &RrrView::cancelRequested, this, [this] { cancelJob(JobKind::Train); });
    connect(v, &RrrView::roundsRequested, this,
            [this](const models::ModelConfig& c, const models::TrainConfig& tc, int rounds,
                   const std::vector<int64_t>& rows) {
        if (isRunning(JobKind::Train))
            return;
        appendLog(tr("Find another explanation: %1 rounds of %2 epochs, λ₁ = %3")
                      .arg(rounds).arg(tc.epochs).arg(c.rrrLambda));
        QMetaObject::invokeMethod(m_worker, [w = m_worker, c, tc, rounds, rows, t = startToken(JobKind::Train)] {
            w->findAnotherExplanation(c, tc, rounds, rows, t);
        }, Qt::QueuedConnection);
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
