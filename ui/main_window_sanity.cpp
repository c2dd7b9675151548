// MainWindow's wiring of the Sanity view: its tab, its requests to the JobDispatcher and the
// worker's streamed and final results coming back on the GUI thread.
#include "ui/main_window.h"

#include "ui/shell/cluster_runs.h"
#include "ui/views/sanity_view.h"

#include <QPushButton>

namespace senn::ui {

void MainWindow::buildSanityView()
{
    m_sanityView = new SanityView;
    m_pages.push_back(m_sanityView);
    m_tabs->addTab(m_sanityView, m_sanityView->viewTitle());
    connect(m_sanityView, &ViewPage::helpRequested, this, &MainWindow::showHelp);
    connect(m_sanityView, &SanityView::runRequested, this, [this](SanityRequest r) {
        if (r.methods.empty())
            return showError(tr("Sanity"), tr("Check at least one method."));
        if (!m_model.valid || !m_model.hasData)
            return showError(tr("Sanity"), tr("Train or open a model with its dataset first."));
        r.options = m_explainOptions;
        m_sanityView->setRunning(true);
        m_jobs->sanity(r, poolThreads());
    });
    connect(m_sanityView, &SanityView::cancelRequested, this, [this] { cancelJob(JobKind::Sanity); });
    // Run on a cluster…: the window's ClusterRuns, made before this view, plans the view's run.
    if (auto* runs = findChild<ClusterRuns*>())
        connect(m_sanityView->findChild<QPushButton*>("clusterSanity"), &QPushButton::clicked, runs,
                [runs] { runs->openDialog("sanity"); });
    connect(m_jobs->worker(), &CoreWorker::sanityPartial, m_sanityView, &SanityView::setResult);
    connect(m_jobs->worker(), &CoreWorker::sanityReady, m_sanityView, &SanityView::setResult);
    connect(this, &MainWindow::jobEnded, m_sanityView, [this](JobKind k, bool) {
        if (k == JobKind::Sanity)
            m_sanityView->setRunning(false);
    });
    connect(this, &MainWindow::modelChanged, m_sanityView, &SanityView::setModel);
}

} // namespace senn::ui
