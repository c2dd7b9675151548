// CoreWorker: the one QObject that lives on the worker thread and owns the dataset, split,
// current model and explainer context. The GUI calls its slots queued (invokeMethod with
// Qt::QueuedConnection) and cancels through a jobs::CancelToken it holds; results, progress
// and errors come back as signals carrying plain structs (ui/worker/results.h).
#pragma once
#include "ui/worker/results.h"

#include "core/data/split.h"
#include "core/explain/explanation.h"
#include "core/jobs/job.h"
#include "core/models/model.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace senn::ui {

void registerWorkerTypes();

class CoreWorker : public QObject {
    Q_OBJECT
public:
    explicit CoreWorker(QObject* parent = nullptr);
    ~CoreWorker() override;

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
                      senn::jobs::CancelToken cancel);
    void prototypes(int l, senn::jobs::CancelToken cancel);

signals:
    void datasetLoaded(const senn::ui::DatasetSummary& summary);
    void modelReady(const senn::ui::ModelSummary& summary);
    void modelSaved(const QString& path);
    void trainingProgress(const senn::train::BatchReport& report);
    void trainingFinished(const senn::ui::ModelSummary& summary, bool cancelled);
    void explanationReady(const senn::ui::ExplainResult& result);
    void stabilityReady(const senn::metrics::StabilityResult& result);
    void faithfulnessReady(const senn::metrics::FaithfulnessResult& result);
    void prototypesReady(const senn::metrics::Prototypes& result);
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
    std::vector<int64_t> pickPoints(int n) const;
    bool requireModel(JobKind kind);

    std::shared_ptr<const data::Dataset> m_data;
    data::Split m_split;
    models::Model m_model, m_previous;
    QString m_modelPath;
    bool m_modelHasData = false;
    std::unique_ptr<explain::ExplainContext> m_ctx;
    QElapsedTimer m_throttle;
};

} // namespace senn::ui
