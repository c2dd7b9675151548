// MainWindow's wiring of the Scorecard view: its tab, its requests to the JobDispatcher and the
// worker's streamed and final results coming back on the GUI thread.
#include "ui/main_window.h"

#include "ui/views/scorecard_view.h"

namespace senn::ui {

void MainWindow::buildScorecardView()
{
    m_scorecardView = new ScorecardView;
    m_pages.push_back(m_scorecardView);
    m_tabs->addTab(m_scorecardView, m_scorecardView->viewTitle());
    connect(m_scorecardView, &ViewPage::helpRequested, this, &MainWindow::showHelp);
    connect(m_scorecardView, &ScorecardView::runRequested, this, [this](ScorecardRequest r) {
        if (r.methods.empty())
            return showError(tr("Scorecard"), tr("Check at least one method."));
        if (r.measures.empty())
            return showError(tr("Scorecard"), tr("Check at least one measure."));
        if (!m_model.valid || !m_model.hasData)
            return showError(tr("Scorecard"), tr("Train or open a model with its dataset first."));
        r.options = m_explainOptions;
        m_scorecardView->setRunning(true);
        m_jobs->scorecard(r, poolThreads());
    });
    connect(m_scorecardView, &ScorecardView::cancelRequested, this, [this] { cancelJob(JobKind::Scorecard); });
    connect(m_jobs->worker(), &CoreWorker::scorecardPartial, m_scorecardView, &ScorecardView::setResult);
    connect(m_jobs->worker(), &CoreWorker::scorecardReady, m_scorecardView, &ScorecardView::setResult);
    connect(this, &MainWindow::jobEnded, m_scorecardView, [this](JobKind k, bool) {
        if (k == JobKind::Scorecard)
            m_scorecardView->setRunning(false);
    });
    connect(this, &MainWindow::modelChanged, m_scorecardView, &ScorecardView::setModel);
}

} // namespace senn::ui
