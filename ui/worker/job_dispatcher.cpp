// JobDispatcher: queued requests to the CoreWorker, each with the CancelToken of its job kind,
// and the worker thread's start and bounded stop.
#include "ui/worker/job_dispatcher.h"

#include "ui/diagnostics/diagnostics.h"

#include <QDeadlineTimer>
#include <QThread>

namespace senn::ui {

JobDispatcher::JobDispatcher(QObject* parent) : QObject(parent)
{
    registerWorkerTypes();
    registerRrrTypes();
    m_thread = new QThread(this);
    m_thread->setObjectName("CoreWorker");
    m_worker = new CoreWorker;
    m_worker->moveToThread(m_thread);
    // The worker's threads (and the pools they start) yield the cores to the GUI thread.
    connect(m_thread, &QThread::started, m_worker, &lowerCurrentThreadPriority, Qt::DirectConnection);
    // The worker loads and runs TorchScript models, whose compiler and graph passes recurse. A
    // file is first loaded in a separate process on a 4 MiB stack (core/io/isolated_probe.h);
    // the worker's own stack is four times that whatever `ulimit -s` says, so what passed there
    // fits here.
    m_thread->setStackSize(16u << 20);
}

JobDispatcher::~JobDispatcher()
{
    // The owner stops the thread first (with its own policy for a worker that does not return);
    // a thread still running here would abort the process when QThread is destroyed.
    if (m_worker)
        stop(-1);
}

void JobDispatcher::start() { m_thread->start(); }

bool JobDispatcher::stop(int waitMs)
{
    cancelAll();
    m_thread->quit();
    if (!m_thread->wait(waitMs < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(waitMs)))
        return false;
    delete m_worker; // the thread has stopped: safe to delete from here
    m_worker = nullptr;
    return true;
}

template <class F> void JobDispatcher::post(F&& call)
{
    QMetaObject::invokeMethod(m_worker, std::forward<F>(call), Qt::QueuedConnection);
}

jobs::CancelToken JobDispatcher::startToken(JobKind kind)
{
    cancel(kind);
    jobs::CancelToken t;
    m_tokens[int(kind)] = t;
    return t;
}

void JobDispatcher::cancel(JobKind kind)
{
    if (m_tokens.contains(int(kind)))
        m_tokens[int(kind)].cancel();
}

void JobDispatcher::cancelAll()
{
    for (auto& t : m_tokens)
        t.cancel();
}

void JobDispatcher::loadDataset(const QString& path, const QString& target)
{
    post([w = m_worker, path, target, t = startToken(JobKind::Load)] { w->loadDataset(path, target, t); });
}

void JobDispatcher::loadModel(const QString& path)
{
    post([w = m_worker, path] { w->loadModel(path); });
}

void JobDispatcher::loadTorchScript(const QString& path)
{
    post([w = m_worker, path] { w->loadTorchScript(path); });
}

void JobDispatcher::saveModel(const QString& path)
{
    post([w = m_worker, path] { w->saveModel(path); });
}

void JobDispatcher::train(const models::ModelConfig& config, const models::TrainConfig& trainConfig)
{
    post([w = m_worker, config, trainConfig, t = startToken(JobKind::Train)] { w->trainModel(config, trainConfig, t); });
}

void JobDispatcher::restorePreviousModel()
{
    post([w = m_worker] { w->restorePreviousModel(); });
}

void JobDispatcher::explain(const ExplainRequest& request)
{
    post([w = m_worker, request, t = startToken(JobKind::Explain)] { w->explain(request, t); });
}

void JobDispatcher::perturb(const ExplainRequest& request)
{
    post([w = m_worker, request, t = startToken(JobKind::Perturb)] { w->explain(request, t); });
}

void JobDispatcher::removalCurves(const ExplainResult& example)
{
    post([w = m_worker, example, t = startToken(JobKind::Removal)] { w->removalCurves(example, t); });
}

void JobDispatcher::stability(const StabilityRequest& request, int poolThreads)
{
    m_worker->setPoolThreads(poolThreads);
    post([w = m_worker, request, t = startToken(JobKind::Stability)] { w->stability(request, t); });
}

void JobDispatcher::faithfulness(const std::vector<explain::Method>& methods, int points, uint64_t seed,
                                 const explain::ExplainOptions& options, int poolThreads,
                                 const std::vector<std::string>& measures,
                                 const std::vector<metrics::AttributionSource>& attributions)
{
    m_worker->setPoolThreads(poolThreads);
    post([w = m_worker, methods, points, seed, options, measures, attributions, t = startToken(JobKind::Faithfulness)] {
        w->faithfulness(methods, points, seed, options, t, measures, attributions);
    });
}

void JobDispatcher::prototypes(int l)
{
    post([w = m_worker, l, t = startToken(JobKind::Prototypes)] { w->prototypes(l, t); });
}

void JobDispatcher::sanity(const SanityRequest& request, int poolThreads)
{
    m_worker->setPoolThreads(poolThreads);
    post([w = m_worker, request, t = startToken(JobKind::Sanity)] { w->sanity(request, t); });
}

void JobDispatcher::scorecard(const ScorecardRequest& request, int poolThreads)
{
    m_worker->setPoolThreads(poolThreads);
    post([w = m_worker, request, t = startToken(JobKind::Scorecard)] { w->scorecard(request, t); });
}

void JobDispatcher::attachFlint(int attributes, const models::TrainConfig& trainConfig, const QString& hiddenLayer)
{
    post([w = m_worker, attributes, trainConfig, hiddenLayer, t = startToken(JobKind::Train)] {
        w->attachFlint(attributes, trainConfig, hiddenLayer, t);
    });
}

void JobDispatcher::flintInterpret(int rows)
{
    post([w = m_worker, rows, t = startToken(JobKind::Flint)] { w->flintInterpret(rows, t); });
}

void JobDispatcher::flintVisualise(int attribute, qint64 fromRow)
{
    post([w = m_worker, attribute, fromRow, t = startToken(JobKind::Flint)] { w->flintVisualise(attribute, fromRow, t); });
}

void JobDispatcher::makeDecoy(quint64 seed, qint64 showRow)
{
    startToken(JobKind::Load); // supersedes a dataset that is still loading
    post([w = m_worker, seed, showRow] { w->makeDecoy(seed, showRow); });
}

void JobDispatcher::paintRrrMask(qint64 row, const std::vector<int64_t>& pixels, float value, int scope)
{
    post([w = m_worker, row, pixels, value, scope] { w->paintRrrMask(row, pixels, value, scope); });
}

void JobDispatcher::clearRrrMask(qint64 showRow)
{
    post([w = m_worker, showRow] { w->clearRrrMask(showRow); });
}

void JobDispatcher::rrrMaskRow(qint64 row)
{
    post([w = m_worker, row] { w->rrrMaskRow(row); });
}

void JobDispatcher::rrrGuidance(const models::ModelConfig& config, const models::TrainConfig& trainConfig)
{
    post([w = m_worker, config, trainConfig] { w->rrrGuidance(config, trainConfig); });
}

void JobDispatcher::rrrGradients(const std::vector<int64_t>& rows)
{
    post([w = m_worker, rows] { w->rrrGradients(rows); });
}

void JobDispatcher::findAnotherExplanation(const models::ModelConfig& config, const models::TrainConfig& trainConfig,
                                           int rounds, const std::vector<int64_t>& showRows)
{
    post([w = m_worker, config, trainConfig, rounds, showRows, t = startToken(JobKind::Train)] {
        w->findAnotherExplanation(config, trainConfig, rounds, showRows, t);
    });
}

} // namespace senn::ui
