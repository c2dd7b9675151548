// JobDispatcher: the GUI thread's side of the worker. It owns the worker thread, the CoreWorker
// and a CancelToken per job kind; each request is queued to the worker and returns at once, and
// the worker's signals (connect to worker()) arrive queued on the GUI thread.
#pragma once
#include "ui/worker/core_worker.h"

#include <QHash>
#include <QObject>

class QThread;

namespace senn::ui {

class JobDispatcher : public QObject {
    Q_OBJECT
public:
    explicit JobDispatcher(QObject* parent = nullptr);
    ~JobDispatcher() override;

    // For connecting to the worker's signals only: its slots run on the worker thread and are
    // called through the request methods below.
    CoreWorker* worker() const { return m_worker; }
    // Starts the worker thread; connect to worker() first so that no signal is missed.
    void start();
    // Cancels every job, asks the thread to quit and waits up to waitMs for it. True: it stopped
    // and the worker is deleted; false: a model call did not return (the worker is left running).
    bool stop(int waitMs);

    // A new request of a kind cancels the one before it (e.g. a new example).
    void cancel(JobKind kind);
    void cancelAll();

    void loadDataset(const QString& path, const QString& target);
    void loadModel(const QString& path);
    void loadTorchScript(const QString& path);
    void saveModel(const QString& path);
    void train(const models::ModelConfig& config, const models::TrainConfig& trainConfig);
    void restorePreviousModel();
    void explain(const ExplainRequest& request);
    // An explanation of a perturbed example (the Stability view); cancelled apart from explain.
    void perturb(const ExplainRequest& request);
    void removalCurves(const ExplainResult& example);
    // poolThreads: the points the run explains in parallel (the Threads setting).
    void stability(const StabilityRequest& request, int poolThreads);
    // measures: the groups of core/metrics/measures.h; empty = the default three.
    void faithfulness(const std::vector<explain::Method>& methods, int points, uint64_t seed,
                      const explain::ExplainOptions& options, int poolThreads,
                      const std::vector<std::string>& measures = {},
                      const std::vector<metrics::AttributionSource>& attributions = {});
    void prototypes(int l);
    void sanity(const SanityRequest& request, int poolThreads);
    void scorecard(const ScorecardRequest& request, int poolThreads);
    void attachFlint(int attributes, const models::TrainConfig& trainConfig, const QString& hiddenLayer);
    void flintInterpret(int rows);
    void flintVisualise(int attribute, qint64 fromRow);
    // Right reasons: the decoy data set is a load (it replaces the dataset), the rounds a training.
    void makeDecoy(quint64 seed, qint64 showRow);
    void paintRrrMask(qint64 row, const std::vector<int64_t>& pixels, float value, int scope);
    void clearRrrMask(qint64 showRow);
    void rrrMaskRow(qint64 row);
    void rrrGuidance(const models::ModelConfig& config, const models::TrainConfig& trainConfig);
    void rrrGradients(const std::vector<int64_t>& rows);
    void findAnotherExplanation(const models::ModelConfig& config, const models::TrainConfig& trainConfig,
                                int rounds, const std::vector<int64_t>& showRows);

private:
    jobs::CancelToken startToken(JobKind kind);
    template <class F> void post(F&& call);

    QThread* m_thread = nullptr;
    CoreWorker* m_worker = nullptr;
    QHash<int, jobs::CancelToken> m_tokens;
};

} // namespace senn::ui
