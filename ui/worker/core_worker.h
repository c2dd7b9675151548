// CoreWorker: the one QObject on the worker thread that the GUI talks to. The GUI calls its
// slots queued (invokeMethod with Qt::QueuedConnection) and cancels through the CancelToken it
// passes; each slot hands the request to the job class of its kind (*_job.h), which works on
// the shared WorkerState and answers through these signals with plain structs (results.h).
#pragma once
#include "ui/worker/results.h"
#include "ui/worker/rrr_results.h"
#include "ui/worker/sanity_results.h"
#include "ui/worker/scorecard_results.h"

#include "core/data/split.h"
#include "core/explain/explanation.h"
#include "core/jobs/job.h"
#include "core/models/model.h"

#include <QObject>

#include <memory>

namespace senn::ui {

struct WorkerState;
class JobRunner;
class DatasetJob;
class TrainJob;
class ModelFileJob;
class ExplainJob;
class RemovalJob;
class MetricsJob;
class PrototypesJob;
class FlintJob;
class RrrJob;
class SanityJob;
class ScorecardJob;

class CoreWorker : public QObject {
    Q_OBJECT
public:
    explicit CoreWorker(QObject* parent = nullptr);
    ~CoreWorker() override;
    // Points the stability and faithfulness pools explain in parallel (the Threads setting);
    // thread-safe, read when a job starts.
    void setPoolThreads(int threads);

public slots:
    void loadDataset(const QString& path, const QString& target, senn::jobs::CancelToken cancel);
    void trainModel(senn::models::ModelConfig config, senn::models::TrainConfig trainConfig,
                    senn::jobs::CancelToken cancel);
    // Makes the model that the last training replaced current again (and keeps the newer one
    // as the one to swap back to).
    void restorePreviousModel();
    void saveModel(const QString& path);
    void loadModel(const QString& path);
    void loadTorchScript(const QString& path);
    void explain(senn::ui::ExplainRequest request, senn::jobs::CancelToken cancel);
    // The removal curves of an explained example (removal_job.h); answers with removalReady.
    void removalCurves(senn::ui::ExplainResult example, senn::jobs::CancelToken cancel);
    void stability(senn::ui::StabilityRequest request, senn::jobs::CancelToken cancel);
    // attributions: files of attributions computed elsewhere, rows after the methods'.
    void faithfulness(std::vector<senn::explain::Method> methods, int points, uint64_t seed,
                      senn::explain::ExplainOptions options,
                      senn::jobs::CancelToken cancel, std::vector<std::string> measures = {},
                      std::vector<senn::metrics::AttributionSource> attributions = {});
    void prototypes(int l, senn::jobs::CancelToken cancel);
    // Sanity checks (sanity_job.h): answers with sanityPartial after each step, then sanityReady.
    void sanity(senn::ui::SanityRequest request, senn::jobs::CancelToken cancel);
    // The scorecard (scorecard_job.h): scorecardPartial while it runs, then scorecardReady.
    void scorecard(senn::ui::ScorecardRequest request, senn::jobs::CancelToken cancel);
    // FLINT (flint_job.h): post-hoc attachment, interpretations, AM+PI.
    void attachFlint(int attributes, senn::models::TrainConfig trainConfig, QString hiddenLayer,
                     senn::jobs::CancelToken cancel);
    void flintInterpret(int rows, senn::jobs::CancelToken cancel);
    void flintVisualise(int attribute, qint64 fromRow, senn::jobs::CancelToken cancel);
    // Right for the Right Reasons (rrr_job.h). paintRrrMask: flat H*W pixel indices, value 1
    // sets and 0 erases, scope an RrrScope as int.
    void makeDecoy(quint64 seed, qint64 showRow);
    void paintRrrMask(qint64 row, std::vector<int64_t> pixels, float value, int scope);
    void clearRrrMask(qint64 showRow);
    void rrrMaskRow(qint64 row);
    void rrrGuidance(senn::models::ModelConfig config, senn::models::TrainConfig trainConfig);
    void rrrGradients(std::vector<int64_t> rows);
    void findAnotherExplanation(senn::models::ModelConfig config, senn::models::TrainConfig trainConfig,
                                int rounds, std::vector<int64_t> showRows, senn::jobs::CancelToken cancel);

signals:
    void datasetLoaded(const senn::ui::DatasetSummary& summary);
    void modelReady(const senn::ui::ModelSummary& summary);
    void modelSaved(const QString& path);
    void trainingProgress(const senn::train::BatchReport& report);
    void trainingFinished(const senn::ui::ModelSummary& summary, bool cancelled);
    // After a successful training that replaced a model of the same data: both test accuracies.
    void previousModelReplaced(const QString& previousDescription, double previousAccuracy,
                               double newAccuracy);
    void explanationReady(const senn::ui::ExplainResult& result);
    // The example of removalCurves with its `removal` filled.
    void removalReady(const senn::ui::ExplainResult& result);
    void stabilityReady(const senn::metrics::StabilityResult& result);
    void faithfulnessReady(const senn::metrics::FaithfulnessResult& result);
    // The result so far while a run goes on (every finished (method, point), at most ~8 a
    // second); stabilityReady / faithfulnessReady follow with the final (or cancelled) result.
    void stabilityPartial(const senn::metrics::StabilityResult& result);
    void faithfulnessPartial(const senn::metrics::FaithfulnessResult& result);
    void prototypesReady(const senn::metrics::Prototypes& result);
    void sanityPartial(const senn::metrics::SanityResult& result);
    void sanityReady(const senn::metrics::SanityResult& result);
    void scorecardPartial(const senn::metrics::ScorecardResult& result);
    void scorecardReady(const senn::metrics::ScorecardResult& result);
    void flintInterpretationReady(const senn::train::FlintInterpretation& result);
    void flintVisualisationReady(int attribute, const std::vector<float>& pixels);
    void rrrMaskChanged(const senn::ui::RrrMaskState& state);
    void rrrGuidanceReady(const senn::train::LambdaGuidance& guidance);
    void rrrGradientsReady(const senn::ui::RrrGradients& gradients);
    void rrrRoundProgress(int round, const senn::train::BatchReport& report);
    void rrrRoundReady(const senn::ui::RrrRound& round);
    void jobStarted(senn::ui::JobKind kind, const QString& what);
    void jobProgress(senn::ui::JobKind kind, double fraction, const QString& message);
    void jobFinished(senn::ui::JobKind kind, double seconds, bool cancelled);
    void jobFailed(senn::ui::JobKind kind, const QString& message);
    void log(const QString& text);

private:
    std::unique_ptr<WorkerState> m_state;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<DatasetJob> m_dataset;
    std::unique_ptr<TrainJob> m_train;
    std::unique_ptr<ModelFileJob> m_modelFiles;
    std::unique_ptr<ExplainJob> m_explain;
    std::unique_ptr<RemovalJob> m_removal;
    std::unique_ptr<MetricsJob> m_metrics;
    std::unique_ptr<PrototypesJob> m_prototypes;
    std::unique_ptr<FlintJob> m_flint;
    std::unique_ptr<RrrJob> m_rrr;
    std::unique_ptr<SanityJob> m_sanity;
    std::unique_ptr<ScorecardJob> m_scorecard;
};

} // namespace senn::ui
