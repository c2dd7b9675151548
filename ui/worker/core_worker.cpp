#include "ui/worker/core_worker.h"

#include "core/common/error.h"
#include "core/data/loader.h"
#include "core/io/model_file.h"
#include "core/io/workspace.h"
#include "core/metrics/metrics.h"
#include "core/train/flint_interpret.h"
#include "core/train/flint_trainer.h"
#include "core/train/trainer.h"

#include <QFileInfo>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <random>

namespace senn::ui {

QString jobName(JobKind kind)
{
    switch (kind) {
    case JobKind::Load: return QStringLiteral("Load");
    case JobKind::Train: return QStringLiteral("Training");
    case JobKind::Save: return QStringLiteral("Save");
    case JobKind::Explain: return QStringLiteral("Explain");
    case JobKind::Perturb: return QStringLiteral("Perturb");
    case JobKind::Stability: return QStringLiteral("Stability");
    case JobKind::Faithfulness: return QStringLiteral("Faithfulness");
    case JobKind::Prototypes: return QStringLiteral("Prototypes");
    case JobKind::Flint: return QStringLiteral("FLINT");
    }
    return {};
}

void registerWorkerTypes()
{
    qRegisterMetaType<senn::ui::DatasetSummary>();
    qRegisterMetaType<senn::ui::ModelSummary>();
    qRegisterMetaType<senn::ui::ExplainResult>();
    qRegisterMetaType<senn::ui::JobKind>();
    qRegisterMetaType<senn::train::BatchReport>();
    qRegisterMetaType<senn::metrics::StabilityResult>();
    qRegisterMetaType<senn::metrics::FaithfulnessResult>();
    qRegisterMetaType<senn::metrics::Prototypes>();
    qRegisterMetaType<senn::train::FlintInterpretation>();
}

namespace {

QString formatName(data::SourceFormat f)
{
    switch (f) {
    case data::SourceFormat::Csv: return QStringLiteral("CSV");
    case data::SourceFormat::IdxFolder: return QStringLiteral("IDX folder");
    case data::SourceFormat::ImageFolder: return QStringLiteral("Image folder");
    case data::SourceFormat::NpyPair: return QStringLiteral("NumPy pair");
    case data::SourceFormat::Unknown: break;
    }
    return QStringLiteral("Unknown");
}

// Things worth a warning in the Data view; none of them stops loading.
QStringList detectProblems(const data::Dataset& d)
{
    QStringList out;
    const int64_t f = d.featureCount();
    int64_t nonFinite = 0;
    for (float v : d.x)
        if (!std::isfinite(v))
            ++nonFinite;
    if (nonFinite > 0)
        out << QStringLiteral("%1 values are not finite (NaN or infinity)").arg(nonFinite);
    if (!d.isImage() && d.rows() > 1) {
        QStringList constant;
        for (int64_t j = 0; j < f; ++j) {
            const float first = d.row(0)[j];
            bool same = true;
            for (int64_t i = 1; i < d.rows() && same; ++i)
                same = d.row(i)[j] == first;
            if (same)
                constant << (j < static_cast<int64_t>(d.featureNames.size())
                                 ? QString::fromStdString(d.featureNames[size_t(j)])
                                 : QString::number(j));
        }
        if (!constant.isEmpty())
            out << QStringLiteral("Constant features (carry no information): %1")
                       .arg(constant.mid(0, 8).join(", "));
    }
    const auto counts = d.classCounts();
    if (!counts.empty()) {
        const auto [mn, mx] = std::minmax_element(counts.begin(), counts.end());
        if (*mn < 5)
            out << QStringLiteral("A class has only %1 rows; accuracy on it will be noisy").arg(*mn);
        else if (*mx > 5 * *mn)
            out << QStringLiteral("Classes are imbalanced (largest/smallest = %1)")
                       .arg(double(*mx) / double(*mn), 0, 'f', 1);
    }
    if (d.rows() < 50)
        out << QStringLiteral("Only %1 rows: too few to train and test reliably").arg(d.rows());
    return out;
}

std::vector<float> rowCopy(const data::Dataset& d, int64_t row)
{
    return std::vector<float>(d.row(row), d.row(row) + d.featureCount());
}

} // namespace

CoreWorker::CoreWorker(QObject* parent) : QObject(parent)
{
    m_throttle.start();
}

CoreWorker::~CoreWorker() = default;

jobs::ProgressFn CoreWorker::progressFor(JobKind kind)
{
    return [this, kind](const jobs::Progress& p) {
        // At most ~20 updates a second reach the GUI; the end of a job always does.
        if (p.fraction < 1.0 && m_throttle.elapsed() < 50)
            return;
        m_throttle.restart();
        emit jobProgress(kind, p.fraction, QString::fromStdString(p.message));
    };
}

void CoreWorker::loadDataset(const QString& path, const QString& target, jobs::CancelToken cancel)
{
    runJob(JobKind::Load, QStringLiteral("Loading %1").arg(QFileInfo(path).fileName()), [&] {
        QElapsedTimer t;
        t.start();
        const auto fmt = data::detectFormat(path.toStdString());
        data::LoadOptions opt;
        opt.target = target.toStdString();
        auto ds = std::make_shared<data::Dataset>(
            data::loadDataset(path.toStdString(), opt, progressFor(JobKind::Load), cancel));
        if (ds->rows() == 0)
            throw senn::Error::inFile(path.toStdString(), "no rows were read",
                                      "Check that the file holds data below its header");
        data::Split split = data::makeSplit(*ds, 0);
        // A model that fits the new data keeps its own recorded split; otherwise it goes.
        bool modelFits = false;
        if (m_model.isValid()) {
            try {
                split = io::splitForModel(m_model, *ds);
                modelFits = true;
            } catch (const senn::Error& e) {
                emit log(QStringLiteral("The current model does not fit this dataset and was "
                                        "closed: %1").arg(e.what()));
            }
        }
        DatasetSummary s;
        s.path = path;
        s.target = QString::fromStdString(ds->targetName);
        s.format = formatName(fmt);
        s.classCounts = ds->classCounts();
        s.problems = detectProblems(*ds);
        s.trainRows = split.train;
        s.valRows = split.val;
        s.testRows = split.test;
        // Commit only now: a file that fails above leaves the previous dataset loaded.
        m_data = ds;
        m_split = std::move(split);
        m_replaced = models::Model(); // it belongs to the previous dataset
        rrrAdoptDataset(); // ---- RRR: masks belong to the previous dataset
        m_ctx = std::make_unique<explain::ExplainContext>(explain::ExplainContext::make(*m_data, m_split));
        if (!modelFits && m_model.isValid()) {
            m_model = models::Model();
            m_modelPath.clear();
        }
        m_modelHasData = m_model.isValid();
        s.data = m_data;
        s.seconds = t.elapsed() / 1000.0;
        emit datasetLoaded(s);
        if (m_model.isValid() || !modelFits)
            emit modelReady(summarize());
        return false;
    });
}

void CoreWorker::trainModel(models::ModelConfig config, models::TrainConfig trainConfig,
                            jobs::CancelToken cancel)
{
    if (!m_data) {
        emit jobFailed(JobKind::Train, QStringLiteral("Open a dataset before training a model."));
        return;
    }
    runJob(JobKind::Train, QStringLiteral("Training %1").arg(QString::fromStdString(
                               models::toString(config.kind))), [&] {
        m_previous = m_model; // shown and usable until the new one is done
        QElapsedTimer lastEmit;
        lastEmit.start();
        bool first = true;
        auto onBatch = [&](const train::BatchReport& r) {
            // After the last epoch (the maximum, or early stopping) comes the evaluation: the
            // status bar names it instead of an ETA computed from the maximum epochs.
            const bool last = r.epochEnd && (r.lastEpoch || r.epoch == r.epochs);
            if (!first && !r.epochEnd && lastEmit.elapsed() < 50)
                return;
            first = false;
            lastEmit.restart();
            emit trainingProgress(r);
            const double frac = r.epochs > 0 && r.batches > 0
                ? ((r.epoch - 1) + double(r.batch) / double(r.batches)) / r.epochs : 0.0;
            emit jobProgress(JobKind::Train, last ? 1.0 : std::min(frac, 0.999),
                             QStringLiteral("epoch %1/%2, loss %3").arg(r.epoch).arg(r.epochs)
                                 .arg(r.loss, 0, 'g', 4));
        };
        train::TrainOptions options;
        options.onBatch = onBatch;
        options.cancel = cancel;
        if (config.rrrLambda > 0) // ---- RRR: the annotation mask goes with λ₁ > 0
            options.masks = rrrMasksForTraining();
        train::TrainResult result = train::train(*m_data, m_split, config, trainConfig, options);
        if (result.cancelled) {
            // Cancel keeps the previous model; with none, the best finished epoch if any.
            if (!m_previous.isValid() && result.bestEpoch >= 1) {
                adoptModel(result.model, QString());
                m_modelHasData = true;
            }
            m_previous = models::Model();
            const ModelSummary s = summarize();
            emit modelReady(s);
            emit trainingFinished(s, true);
            return true;
        }
        // What follows (predicting every test row, comparing with the replaced model) has no
        // fraction: the status bar names the phase instead of an ETA.
        emit jobProgress(JobKind::Train, 1.0, QStringLiteral("Evaluating the new model on the test split…"));
        models::Model replaced = m_previous;
        adoptModel(result.model, QString());
        m_modelHasData = true;
        m_replaced = replaced;
        const ModelSummary s = summarize();
        emit log(QStringLiteral("Trained %1: test accuracy %2%%3; stopped: %4").arg(
            QString::fromStdString(models::toString(config.kind)))
                     .arg(s.test.accuracy * 100.0, 0, 'f', 2)
                     .arg(result.baselineAccuracy >= 0
                              ? QStringLiteral(" (logistic-regression baseline %1%)")
                                    .arg(result.baselineAccuracy * 100.0, 0, 'f', 2)
                              : QString())
                     .arg(QString::fromStdString(result.stopReason)));
        if (trainConfig.threads <= 0 && result.intraOpThreads > 0)
            emit log(QStringLiteral("Trained with %1 LibTorch thread%2 (Threads: auto, measured on one batch)")
                         .arg(result.intraOpThreads).arg(result.intraOpThreads == 1 ? "" : "s"));
        emit modelReady(s);
        emit trainingFinished(s, false);
        // ux.md: the new model replaces the previous one, which the user may want back.
        if (m_replaced.isValid() && m_replaced.featureCount() == m_data->featureCount() &&
            !m_split.test.empty()) {
            const auto before = train::evaluate(m_replaced, *m_data, m_split.test, "test");
            emit previousModelReplaced(QString::fromStdString(m_replaced.describe()), before.accuracy,
                                       s.test.accuracy);
        }
        return false;
    });
}

void CoreWorker::restorePreviousModel()
{
    if (!m_replaced.isValid()) {
        emit jobFailed(JobKind::Train, QStringLiteral("There is no previous model to restore."));
        return;
    }
    std::swap(m_model, m_replaced); // restoring twice swaps back
    m_modelPath.clear();
    emit log(QStringLiteral("Previous model restored"));
    emit modelReady(summarize());
}

void CoreWorker::saveModel(const QString& path)
{
    if (!requireModel(JobKind::Save))
        return;
    runJob(JobKind::Save, QStringLiteral("Saving model to %1").arg(path), [&] {
        io::saveModel(m_model, path.toStdString());
        m_modelPath = path;
        emit modelSaved(path);
        return false;
    });
}

void CoreWorker::loadModel(const QString& path)
{
    runJob(JobKind::Load, QStringLiteral("Opening model %1").arg(QFileInfo(path).fileName()), [&] {
        files::requireRegularFile(path.toStdString(), "model file"); // missing, folder, device
        const auto kind = io::detectModelFile(path.toStdString());
        if (kind == io::ModelFileKind::NotAModel)
            throw senn::Error::inFile(path.toStdString(), "not a SENN Studio model (.senn) or "
                                      "TorchScript file", "Open a file saved by SENN Studio or "
                                      "the senn command, or a torch.jit.save archive");
        if (kind == io::ModelFileKind::TorchScript) {
            if (!m_data)
                throw senn::Error::inFile(path.toStdString(), "a TorchScript model needs a dataset",
                                          "Open the dataset it was trained on first");
            adoptModel(io::loadTorchScript(path.toStdString(), *m_data), path);
            m_modelHasData = true;
            emit modelReady(summarize());
            return false;
        }
        models::Model model = io::loadModel(path.toStdString());
        if (m_data) {
            try {
                m_split = io::splitForModel(model, *m_data);
                m_ctx = std::make_unique<explain::ExplainContext>(
                    explain::ExplainContext::make(*m_data, m_split));
                adoptModel(model, path);
                m_modelHasData = true;
                emit modelReady(summarize());
                return false;
            } catch (const senn::Error& e) {
                emit log(QStringLiteral("The open dataset does not fit the model (%1); trying "
                                        "the model's own data").arg(e.what()));
            }
        }
        const QString source = QString::fromStdString(model.meta().dataSource);
        if (!source.isEmpty() && QFileInfo::exists(source)) {
            data::LoadOptions opt;
            opt.target = model.meta().targetName;
            auto ds = std::make_shared<data::Dataset>(data::loadDataset(source.toStdString(), opt));
            io::applyTransforms(*ds, model.meta().transforms);
            data::Split split = io::splitForModel(model, *ds);
            m_data = ds;
            m_split = std::move(split);
            rrrAdoptDataset(); // ---- RRR: a Decoy-MNIST model gets its patches back as the mask
            m_ctx = std::make_unique<explain::ExplainContext>(explain::ExplainContext::make(*m_data, m_split));
            DatasetSummary s;
            s.path = source;
            s.target = QString::fromStdString(ds->targetName);
            s.format = formatName(data::detectFormat(source.toStdString()));
            s.classCounts = ds->classCounts();
            s.problems = detectProblems(*ds);
            s.trainRows = m_split.train;
            s.valRows = m_split.val;
            s.testRows = m_split.test;
            s.data = m_data;
            emit datasetLoaded(s);
            adoptModel(model, path);
            m_modelHasData = true;
        } else {
            adoptModel(model, path);
            m_modelHasData = false;
            emit log(QStringLiteral("Model opened without data: open its dataset (%1) to "
                                    "explain it").arg(source.isEmpty() ? "unknown" : source));
        }
        emit modelReady(summarize());
        return false;
    });
}

void CoreWorker::loadTorchScript(const QString& path)
{
    runJob(JobKind::Load, QStringLiteral("Opening TorchScript %1").arg(QFileInfo(path).fileName()), [&] {
        if (!m_data)
            throw senn::Error::inFile(path.toStdString(), "a TorchScript model needs a dataset",
                                      "Open the dataset first: it defines the input shape and classes");
        adoptModel(io::loadTorchScript(path.toStdString(), *m_data), path);
        m_modelHasData = true;
        emit modelReady(summarize());
        return false;
    });
}

bool CoreWorker::requireModel(JobKind kind)
{
    if (!m_model.isValid()) {
        emit jobFailed(kind, QStringLiteral("No model: train one in the Model view or open a model file."));
        return false;
    }
    if (kind != JobKind::Save && (!m_data || !m_modelHasData || !m_ctx)) {
        emit jobFailed(kind, QStringLiteral("Open the model's dataset first."));
        return false;
    }
    return true;
}

void CoreWorker::explain(ExplainRequest request, jobs::CancelToken cancel)
{
    const JobKind kind = request.noise > 0 ? JobKind::Perturb : JobKind::Explain;
    if (cancel.isCancelled()) // superseded while queued: skip without noise in the log
        return;
    if (!requireModel(kind))
        return;
    if (request.row < 0 || request.row >= m_data->rows()) {
        emit jobFailed(kind, QStringLiteral("Example %1 is not in the dataset.").arg(request.row));
        return;
    }
    runJob(kind, QStringLiteral("Explaining row %1").arg(request.row), [&] {
        ExplainResult r;
        r.request = request;
        r.label = m_data->y[size_t(request.row)];
        r.input = rowCopy(*m_data, request.row);
        if (request.noise > 0) {
            std::mt19937_64 rng(request.noiseSeed);
            std::normal_distribution<float> n(0.f, 1.f);
            const auto& st = m_ctx->stats;
            for (size_t j = 0; j < r.input.size(); ++j) {
                const float scale = j < st.std.size() ? std::max(st.std[j], 1e-3f) : 1.f;
                float v = r.input[j] + float(request.noise) * scale * n(rng);
                if (j < st.min.size())
                    v = std::clamp(v, st.min[j], st.max[j]);
                r.input[j] = v;
            }
        }
        r.probabilities = m_model.probabilities(r.input.data(), 1);
        r.prediction = std::max_element(r.probabilities.begin(), r.probabilities.end())
                       - r.probabilities.begin();
        const size_t n = request.methods.size();
        auto progress = progressFor(kind);
        for (size_t i = 0; i < n; ++i) {
            cancel.throwIfCancelled();
            const auto m = request.methods[i];
            auto sub = [&, i](const jobs::Progress& p) {
                progress({(double(i) + p.fraction) / double(n), p.stage,
                          QStringLiteral("%1: %2").arg(QString::fromStdString(explain::methodDisplayName(m)),
                                                       QString::fromStdString(p.message)).toStdString()});
            };
            try {
                auto e = explain::explain(m, m_model, *m_ctx, r.input.data(), request.options, sub, cancel);
                metrics::RemovalResult rem;
                if (request.noise <= 0) {
                    try {
                        rem = metrics::removalCorrelation(m_model, *m_ctx, r.input.data(), e,
                                                          e.baseline.empty() ? m_ctx->stats.mean : e.baseline);
                    } catch (const std::exception& ex) {
                        emit log(QStringLiteral("Removal curve for %1 failed: %2")
                                     .arg(QString::fromStdString(e.method), ex.what()));
                    }
                }
                emit log(QStringLiteral("  %1 on row %2: %3 s").arg(
                    QString::fromStdString(explain::methodDisplayName(m))).arg(request.row)
                             .arg(e.seconds, 0, 'f', 3));
                r.explanations.push_back(std::move(e));
                r.removal.push_back(std::move(rem));
            } catch (const senn::Error& ex) {
                r.failures << QStringLiteral("%1: %2").arg(
                    QString::fromStdString(explain::methodDisplayName(m)), ex.what());
            }
        }
        cancel.throwIfCancelled();
        emit explanationReady(r);
        for (const auto& f : r.failures)
            emit jobFailed(kind, f);
        return false;
    });
}

std::vector<int64_t> CoreWorker::metricPoints(int n) const
{
    // Core's rule, shared with `senn stability|faithfulness --points N`.
    return metrics::pickPoints(metrics::metricRows(m_split), std::max(1, n));
}

void CoreWorker::stability(StabilityRequest request, jobs::CancelToken cancel)
{
    if (!requireModel(JobKind::Stability))
        return;
    runJob(JobKind::Stability, QStringLiteral("Stability (%1 points)").arg(request.points), [&] {
        // Points run in parallel on a pool of the Threads setting (LibTorch's thread count);
        // every finished (method, point) streams to the view, at most every 120 ms.
        metrics::StabilityOptions so;
        so.draws = request.draws;
        so.threads = m_poolThreads.load();
        so.keepPartialOnCancel = true;
        // The first result shows at once, later ones at most every 120 ms.
        QElapsedTimer since;
        so.partial = [this, &since](const metrics::StabilityResult& partial) {
            if (since.isValid() && since.elapsed() < 120)
                return;
            since.start();
            emit stabilityPartial(partial);
        };
        // The view's seed is the run's one seed (core derives every draw from options.seed).
        auto options = request.options;
        options.seed = request.seed;
        auto r = metrics::stabilityCurves(request.methods, m_model, *m_ctx, metricPoints(request.points),
                                          request.eps, options, so, progressFor(JobKind::Stability), cancel);
        if (r.cancelled) {
            int done = 0, total = 0;
            for (const auto& [id, c] : r.methods) {
                done += c.pointsDone;
                total += int(r.points.size());
            }
            emit log(QStringLiteral("Stability cancelled: kept %1 of %2 (method, point) results").arg(done).arg(total));
        }
        emit stabilityReady(r);
        return r.cancelled;
    });
}

void CoreWorker::faithfulness(std::vector<explain::Method> methods, int points, uint64_t seed,
                              explain::ExplainOptions options, jobs::CancelToken cancel)
{
    if (!requireModel(JobKind::Faithfulness))
        return;
    runJob(JobKind::Faithfulness, QStringLiteral("Faithfulness (%1 points)").arg(points), [&] {
        metrics::FaithfulnessOptions fo;
        fo.threads = m_poolThreads.load();
        fo.keepPartialOnCancel = true;
        QElapsedTimer since;
        fo.partial = [this, &since](const metrics::FaithfulnessResult& partial) {
            if (since.isValid() && since.elapsed() < 120)
                return;
            since.start();
            emit faithfulnessPartial(partial);
        };
        options.seed = seed; // the run's one seed
        auto r = metrics::faithfulness(methods, m_model, *m_ctx, metricPoints(points), options, fo,
                                       progressFor(JobKind::Faithfulness), cancel);
        if (r.cancelled)
            emit log(QStringLiteral("Faithfulness cancelled: the finished points are kept"));
        emit faithfulnessReady(r);
        return r.cancelled;
    });
}

void CoreWorker::prototypes(int l, jobs::CancelToken cancel)
{
    if (!requireModel(JobKind::Prototypes))
        return;
    if (!m_model.isSenn()) {
        emit jobFailed(JobKind::Prototypes, QStringLiteral("Concept prototypes need a SENN model."));
        return;
    }
    runJob(JobKind::Prototypes, QStringLiteral("Concept prototypes"), [&] {
        emit prototypesReady(metrics::conceptPrototypes(m_model, *m_data, m_split.train, l, cancel));
        return false;
    });
}

void CoreWorker::adoptModel(models::Model model, const QString& path)
{
    m_model = std::move(model);
    m_modelPath = path;
    m_previous = models::Model();
    m_replaced = models::Model();
}

ModelSummary CoreWorker::summarize() const
{
    ModelSummary s;
    s.valid = m_model.isValid();
    if (!s.valid)
        return s;
    s.meta = m_model.meta();
    s.path = m_modelPath;
    s.description = QString::fromStdString(m_model.describe());
    s.isSenn = m_model.isSenn();
    s.isFlint = train::isFlint(m_model);
    s.torchScript = s.meta.config.kind == models::ModelKind::TorchScript;
    s.hasData = m_modelHasData && m_data;
    if (s.torchScript && s.hasData) {
        try {
            s.flintLayers = train::flintHiddenLayers(m_model, *m_data,
                                                     m_split.train.empty() ? 0 : m_split.train.front());
        } catch (const Error& e) {
            s.flintLayersProblem = QString::fromStdString(e.what());
        }
    }
    if (!s.hasData || m_split.test.empty())
        return s;
    s.test = train::evaluate(m_model, *m_data, m_split.test, "test");
    s.rows = m_split.test;
    const int64_t c = m_model.numClasses();
    const int64_t f = m_data->featureCount();
    constexpr size_t chunk = 512;
    std::vector<float> buf;
    for (size_t b = 0; b < s.rows.size(); b += chunk) {
        const size_t e = std::min(s.rows.size(), b + chunk);
        buf.resize((e - b) * size_t(f));
        for (size_t i = b; i < e; ++i)
            std::copy(m_data->row(s.rows[i]), m_data->row(s.rows[i]) + f, buf.begin() + (i - b) * f);
        const auto p = m_model.probabilities(buf.data(), int64_t(e - b));
        for (size_t i = 0; i < e - b; ++i) {
            const float* pi = p.data() + i * size_t(c);
            const auto best = std::max_element(pi, pi + c) - pi;
            s.predictions.push_back(best);
            s.confidence.push_back(pi[best]);
        }
    }
    return s;
}

} // namespace senn::ui
