// CoreWorker: the one QObject that lives on the worker thread and owns the dataset, split,
// current model and explainer context. The GUI calls its slots queued (invokeMethod with
// Qt::QueuedConnection) and cancels through a jobs::CancelToken it holds; results, progress
// and errors come back as signals carrying plain structs (ui/worker/results.h).
#pragma once
#include "ui/worker/results.h"
#include "ui/worker/rrr_results.h" // ---- RRR

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/data/split.h"
#include "core/explain/explanation.h"
#include "core/jobs/job.h"
#include "core/models/model.h"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <memory>

namespace senn::ui {

void registerWorkerTypes();

class CoreWorker : public QObject {
    Q_OBJECT
public:
    explicit CoreWorker(QObject* parent = nullptr);
    ~CoreWorker() override;
    // Points the stability and faithfulness pools explain in parallel (the Threads setting);
    // thread-safe, read when a job starts.
    void setPoolThreads(int threads) { m_poolThreads.store(threads > 0 ? threads : 1); }

public slots:
    void loadDataset(const QString& path, const QString& target, senn::jobs::CancelToken cancel);
    void trainModel(senn::models::ModelConfig config, senn::models::TrainConfig trainConfig,
                    senn::jobs::CancelToken cancel);
    void saveModel(const QString& path);
    void loadModel(const QString& path);
    void loadTorchScript(const QString& path);
    void explain(senn::ui::ExplainRequest request, senn::jobs::CancelToken cancel);
    void stability(senn::ui::StabilityRequest request, senn::jobs::CancelToken cancel);
    void faithfulness(std::vector<senn::explain::Method> methods, int points, uint64_t seed,
                      senn::explain::ExplainOptions options,
                      senn::jobs::CancelToken cancel);
    void prototypes(int l, senn::jobs::CancelToken cancel);
    // Makes the model that the last training replaced current again (and keeps the newer one
    // as the one to swap back to).
    void restorePreviousModel();
    // ---- FLINT (core_worker_flint.cpp)
    // Post-hoc FLINT on the current model (flint.md): its predictor frozen, Ψ, g, d trained;
    // the result becomes the current model (Train job; cancel keeps the previous one).
    // hiddenLayer: a TorchScript model's child (ModelSummary::flintLayers); "" otherwise.
    void attachFlint(int attributes, senn::models::TrainConfig trainConfig, QString hiddenLayer,
                     senn::jobs::CancelToken cancel);
    // Local, global and maximum-activating interpretations over the first `rows` test rows.
    void flintInterpret(int rows, senn::jobs::CancelToken cancel);
    // AM+PI visualisation of one attribute, started from its top maximum-activating sample.
    void flintVisualise(int attribute, qint64 fromRow, senn::jobs::CancelToken cancel);
    // ---- end FLINT
    // ---- RRR (core_worker_rrr.cpp): Right for the Right Reasons (rrr.md)
    // Replaces the dataset by its Decoy-MNIST transform (test split keyed by random digits) and
    // takes the patches as the annotation mask; emits datasetLoaded and rrrMaskChanged.
    void makeDecoy(quint64 seed, qint64 showRow);
    // Sets (value 1) or erases (0) the pixels (flat H*W indices, every channel) of `row`, of
    // every row of its class, or of every row (RrrScope as int).
    void paintRrrMask(qint64 row, std::vector<int64_t> pixels, float value, int scope);
    void clearRrrMask(qint64 showRow);
    void rrrMaskRow(qint64 row);
    // Both loss terms on the first batch of an untrained model and the λ₁ that balances them.
    void rrrGuidance(senn::models::ModelConfig config, senn::models::TrainConfig trainConfig);
    // ∂ Σ log p / ∂x of the current model for rows.
    void rrrGradients(std::vector<int64_t> rows);
    // Rounds of training with accumulated gradient masks (a Train job; the current model stays).
    void findAnotherExplanation(senn::models::ModelConfig config, senn::models::TrainConfig trainConfig,
                                int rounds, std::vector<int64_t> showRows, senn::jobs::CancelToken cancel);
    // ---- end RRR

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
    void stabilityReady(const senn::metrics::StabilityResult& result);
    void faithfulnessReady(const senn::metrics::FaithfulnessResult& result);
    // The result so far while a run goes on (every finished (method, point), at most ~8 a
    // second); stabilityReady / faithfulnessReady follow with the final (or cancelled) result.
    void stabilityPartial(const senn::metrics::StabilityResult& result);
    void faithfulnessPartial(const senn::metrics::FaithfulnessResult& result);
    void prototypesReady(const senn::metrics::Prototypes& result);
    // ---- FLINT
    void flintInterpretationReady(const senn::train::FlintInterpretation& result);
    void flintVisualisationReady(int attribute, const std::vector<float>& pixels);
    // ---- end FLINT
    // ---- RRR
    void rrrMaskChanged(const senn::ui::RrrMaskState& state);
    void rrrGuidanceReady(const senn::train::LambdaGuidance& guidance);
    void rrrGradientsReady(const senn::ui::RrrGradients& gradients);
    void rrrRoundProgress(int round, const senn::train::BatchReport& report);
    void rrrRoundReady(const senn::ui::RrrRound& round);
    // ---- end RRR
    void jobStarted(senn::ui::JobKind kind, const QString& what);
    void jobProgress(senn::ui::JobKind kind, double fraction, const QString& message);
    void jobFinished(senn::ui::JobKind kind, double seconds, bool cancelled);
    void jobFailed(senn::ui::JobKind kind, const QString& message);
    void log(const QString& text);

private:
    template <class F> void runJob(JobKind kind, const QString& what, F&& body);
    jobs::ProgressFn progressFor(JobKind kind);
    void adoptModel(models::Model model, const QString& path);
    ModelSummary summarize() const;
    std::vector<int64_t> metricPoints(int n) const; // the points of a stability/faithfulness run
    bool requireModel(JobKind kind);

    std::shared_ptr<const data::Dataset> m_data;
    data::Split m_split;
    models::Model m_model, m_previous;
    models::Model m_replaced; // the model the last training replaced (restorePreviousModel)
    QString m_modelPath;
    bool m_modelHasData = false;
    std::unique_ptr<explain::ExplainContext> m_ctx;
    QElapsedTimer m_throttle;
    std::atomic<int> m_poolThreads{1};
    // ---- RRR
    // The masks train() gets when rrrLambda > 0; throws senn::Error when there are none.
    const std::vector<float>* rrrMasksForTraining() const;
    RrrMaskState rrrMaskState(int64_t row) const;
    // A new m_data: no mask, or the decoy patches when its transforms include Decoy MNIST.
    void rrrAdoptDataset();
    std::vector<float> m_rrrMasks; // rows x featureCount() of m_data, or empty
    bool m_rrrDecoy = false;
    uint64_t m_rrrDecoySeed = 0;
    // ---- end RRR
};

// Runs body() as one job: started/finished/failed signals, cancellation and errors mapped to
// messages. body returns true when it was cancelled (defined here so every core_worker_*.cpp
// shares it).
template <class F> void CoreWorker::runJob(JobKind kind, const QString& what, F&& body)
{
    emit jobStarted(kind, what);
    QElapsedTimer timer;
    timer.start();
    try {
        const bool cancelled = body();
        const double s = timer.elapsed() / 1000.0;
        emit log(QStringLiteral("%1 %2 in %3 s").arg(what, cancelled ? "cancelled" : "done")
                     .arg(s, 0, 'f', 2));
        emit jobFinished(kind, s, cancelled);
    } catch (const jobs::Cancelled&) {
        const double s = timer.elapsed() / 1000.0;
        emit log(QStringLiteral("%1 cancelled after %2 s").arg(what).arg(s, 0, 'f', 2));
        emit jobFinished(kind, s, true);
    } catch (const senn::Error& e) {
        const QString msg = QString::fromStdString(files::cleanMessage(e.what(), 1000));
        emit log(QStringLiteral("%1 failed: %2").arg(what, msg));
        emit jobFailed(kind, msg);
    } catch (const std::bad_alloc&) {
        const QString msg = QStringLiteral("Not enough memory for this job. Use a smaller dataset "
                                           "or fewer samples");
        emit log(QStringLiteral("%1 failed: %2").arg(what, msg));
        emit jobFailed(kind, msg);
    } catch (const std::exception& e) {
        // LibTorch's messages carry a C++ backtrace: cleanMessage keeps the first lines only.
        const QString msg = QStringLiteral("Unexpected error: %1")
                                .arg(QString::fromStdString(files::cleanMessage(e.what())));
        emit log(QStringLiteral("%1 failed: %2").arg(what, msg));
        emit jobFailed(kind, msg);
    }
}

} // namespace senn::ui
