// CoreWorker's slots: each hands its request to the job class of its kind, which runs on
// this (the worker) thread and answers through CoreWorker's signals.
#include "ui/worker/core_worker.h"

#include "ui/worker/dataset_job.h"
#include "ui/worker/explain_job.h"
#include "ui/worker/flint_job.h"
#include "ui/worker/metrics_job.h"
#include "ui/worker/model_file_job.h"
#include "ui/worker/prototypes_job.h"
#include "ui/worker/removal_job.h"
#include "ui/worker/rrr_job.h"
#include "ui/worker/sanity_job.h"
#include "ui/worker/scorecard_job.h"
#include "ui/worker/train_job.h"

namespace senn::ui {

CoreWorker::CoreWorker(QObject* parent)
    : QObject(parent), m_state(std::make_unique<WorkerState>()),
      m_runner(std::make_unique<JobRunner>(*this))
{
    m_dataset = std::make_unique<DatasetJob>(*this, *m_state, *m_runner);
    m_train = std::make_unique<TrainJob>(*this, *m_state, *m_runner);
    m_modelFiles = std::make_unique<ModelFileJob>(*this, *m_state, *m_runner);
    m_explain = std::make_unique<ExplainJob>(*this, *m_state, *m_runner);
    m_removal = std::make_unique<RemovalJob>(*this, *m_state, *m_runner);
    m_metrics = std::make_unique<MetricsJob>(*this, *m_state, *m_runner);
    m_prototypes = std::make_unique<PrototypesJob>(*this, *m_state, *m_runner);
    m_flint = std::make_unique<FlintJob>(*this, *m_state, *m_runner);
    m_rrr = std::make_unique<RrrJob>(*this, *m_state, *m_runner);
    m_sanity = std::make_unique<SanityJob>(*this, *m_state, *m_runner);
    m_scorecard = std::make_unique<ScorecardJob>(*this, *m_state, *m_runner);
}

CoreWorker::~CoreWorker() = default;

void CoreWorker::setPoolThreads(int threads)
{
    m_state->poolThreads.store(threads > 0 ? threads : 1);
}

void CoreWorker::loadDataset(const QString& path, const QString& target, jobs::CancelToken cancel)
{
    m_dataset->load(path, target, cancel);
}

void CoreWorker::trainModel(models::ModelConfig config, models::TrainConfig trainConfig, jobs::CancelToken cancel)
{
    m_train->train(config, trainConfig, cancel);
}

void CoreWorker::restorePreviousModel()
{
    m_train->restorePrevious();
}

void CoreWorker::saveModel(const QString& path)
{
    m_modelFiles->save(path);
}

void CoreWorker::loadModel(const QString& path)
{
    m_modelFiles->open(path);
}

void CoreWorker::loadTorchScript(const QString& path)
{
    m_modelFiles->openTorchScript(path);
}

void CoreWorker::explain(ExplainRequest request, jobs::CancelToken cancel)
{
    m_explain->explain(request, cancel);
}

void CoreWorker::removalCurves(ExplainResult example, jobs::CancelToken cancel)
{
    m_removal->curves(std::move(example), cancel);
}

void CoreWorker::stability(StabilityRequest request, jobs::CancelToken cancel)
{
    m_metrics->stability(request, cancel);
}

void CoreWorker::faithfulness(std::vector<explain::Method> methods, int points, uint64_t seed,
                              explain::ExplainOptions options, jobs::CancelToken cancel,
                              std::vector<std::string> measures, std::vector<metrics::AttributionSource> attributions)
{
    m_metrics->faithfulness(methods, points, seed, std::move(options), cancel, measures, attributions);
}

void CoreWorker::prototypes(int l, jobs::CancelToken cancel)
{
    m_prototypes->prototypes(l, cancel);
}

void CoreWorker::sanity(SanityRequest request, jobs::CancelToken cancel)
{
    m_sanity->run(request, cancel);
}

void CoreWorker::scorecard(ScorecardRequest request, jobs::CancelToken cancel)
{
    m_scorecard->run(request, cancel);
}

void CoreWorker::attachFlint(int attributes, models::TrainConfig trainConfig, QString hiddenLayer,
                             jobs::CancelToken cancel)
{
    m_flint->attach(attributes, trainConfig, hiddenLayer, cancel);
}

void CoreWorker::flintInterpret(int rows, jobs::CancelToken cancel)
{
    m_flint->interpret(rows, cancel);
}

void CoreWorker::flintVisualise(int attribute, qint64 fromRow, jobs::CancelToken cancel)
{
    m_flint->visualise(attribute, fromRow, cancel);
}

void CoreWorker::makeDecoy(quint64 seed, qint64 showRow)
{
    m_rrr->makeDecoy(seed, showRow);
}

void CoreWorker::paintRrrMask(qint64 row, std::vector<int64_t> pixels, float value, int scope)
{
    m_rrr->paintMask(row, pixels, value, static_cast<RrrScope>(scope));
}

void CoreWorker::clearRrrMask(qint64 showRow)
{
    m_rrr->clearMask(showRow);
}

void CoreWorker::rrrMaskRow(qint64 row)
{
    m_rrr->showMask(row);
}

void CoreWorker::rrrGuidance(models::ModelConfig config, models::TrainConfig trainConfig)
{
    m_rrr->guidance(config, trainConfig);
}

void CoreWorker::rrrGradients(std::vector<int64_t> rows)
{
    m_rrr->gradients(rows);
}

void CoreWorker::findAnotherExplanation(models::ModelConfig config, models::TrainConfig trainConfig,
                                        int rounds, std::vector<int64_t> showRows, jobs::CancelToken cancel)
{
    m_rrr->findAnotherExplanation(config, trainConfig, rounds, showRows, cancel);
}

} // namespace senn::ui
