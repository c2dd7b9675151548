// CoreWorker's Right-for-the-Right-Reasons slots (rrr.md): Decoy MNIST, the annotation masks
// (generated or painted), the λ₁ guidance, input-gradient maps and find another explanation.
#include "ui/worker/core_worker.h"

#include "core/common/error.h"
#include "core/data/decoy.h"
#include "core/train/rrr.h"

#include <QElapsedTimer>

#include <algorithm>

namespace senn::ui {

void registerRrrTypes()
{
    qRegisterMetaType<senn::ui::RrrMaskState>();
    qRegisterMetaType<senn::ui::RrrGradients>();
    qRegisterMetaType<senn::ui::RrrRound>();
    qRegisterMetaType<senn::train::LambdaGuidance>();
}

namespace {

double metric(const models::Model& m, const char* name)
{
    const auto& metrics = m.meta().metrics;
    const auto it = metrics.find(name);
    return it == metrics.end() ? -1.0 : it->second;
}

} // namespace

const std::vector<float>* CoreWorker::rrrMasksForTraining() const
{
    const bool sized = m_data && m_rrrMasks.size() ==
                                     static_cast<size_t>(m_data->rows() * m_data->featureCount());
    const bool any = sized && std::any_of(m_rrrMasks.begin(), m_rrrMasks.end(),
                                          [](float v) { return v != 0.0f; });
    if (!any)
        throw senn::Error("Training with λ₁ > 0 needs an annotation mask: generate Decoy MNIST or "
                          "paint a mask in the Right reasons view (or set λ₁ to 0).");
    return &m_rrrMasks;
}

void CoreWorker::rrrAdoptDataset()
{
    m_rrrMasks.clear();
    m_rrrDecoy = false;
    if (!m_data)
        return;
    for (const auto& t : m_data->transforms)
        if (const auto seed = data::parseDecoyTransform(t)) {
            m_rrrMasks = data::decoyMasks(*m_data, *seed);
            m_rrrDecoy = true;
            m_rrrDecoySeed = *seed;
        }
}

RrrMaskState CoreWorker::rrrMaskState(int64_t row) const
{
    RrrMaskState s;
    s.decoy = m_rrrDecoy;
    s.decoySeed = m_rrrDecoySeed;
    if (!m_data)
        return s;
    s.shape = m_data->sampleShape;
    const size_t d = static_cast<size_t>(m_data->featureCount());
    const bool sized = m_rrrMasks.size() == d * static_cast<size_t>(m_data->rows());
    if (row >= 0 && row < m_data->rows()) {
        s.row = row;
        if (sized)
            s.rowMask.assign(m_rrrMasks.begin() + static_cast<std::ptrdiff_t>(row * d),
                             m_rrrMasks.begin() + static_cast<std::ptrdiff_t>((row + 1) * d));
        else
            s.rowMask.assign(d, 0.0f);
    }
    if (sized) {
        s.coverage = train::maskCoverage(m_rrrMasks, *m_data, m_split.train);
        for (int64_t r = 0; r < m_data->rows(); ++r) {
            const auto* m = m_rrrMasks.data() + static_cast<size_t>(r) * d;
            s.maskedRows += std::any_of(m, m + d, [](float v) { return v != 0.0f; });
        }
    }
    return s;
}

void CoreWorker::makeDecoy(quint64 seed, qint64 showRow)
{
    if (!m_data) {
        emit jobFailed(JobKind::Load, QStringLiteral("Open an image dataset (e.g. File > Examples > MNIST) "
                                                     "before generating Decoy MNIST."));
        return;
    }
    runJob(JobKind::Load, QStringLiteral("Generating Decoy MNIST (seed %1)").arg(seed), [&] {
        // A copy: the previous snapshot stays valid for the GUI until it gets the new one.
        auto ds = std::make_shared<data::Dataset>(*m_data);
        std::vector<float> masks;
        data::applyDecoy(*ds, m_split.test, seed, &masks);
        m_data = ds;
        m_rrrMasks = std::move(masks);
        m_rrrDecoy = true;
        m_rrrDecoySeed = seed;
        m_ctx = std::make_unique<explain::ExplainContext>(explain::ExplainContext::make(*m_data, m_split));
        DatasetSummary s;
        s.path = QString::fromStdString(ds->source);
        s.target = QString::fromStdString(ds->targetName);
        s.format = QStringLiteral("Decoy MNIST (seed %1)").arg(seed);
        s.classCounts = ds->classCounts();
        s.trainRows = m_split.train;
        s.valRows = m_split.val;
        s.testRows = m_split.test;
        s.data = m_data;
        emit log(QStringLiteral("Decoy MNIST: a 4x4 patch keyed by the label in the training and "
                                "validation rows, by a random digit in the %1 test rows; its 16 "
                                "pixels are the annotation mask").arg(m_split.test.size()));
        emit datasetLoaded(s);
        if (m_model.isValid())
            emit modelReady(summarize()); // its accuracy on the decoyed test split
        emit rrrMaskChanged(rrrMaskState(showRow));
        return false;
    });
}

void CoreWorker::paintRrrMask(qint64 row, std::vector<int64_t> pixels, float value, int scope)
{
    if (!m_data || row < 0 || row >= m_data->rows())
        return;
    const auto& shape = m_data->sampleShape;
    const int64_t d = m_data->featureCount();
    // Images {C,H,W}: a pixel covers every channel; tabular {d}: a pixel is a feature.
    const int64_t channels = shape.size() == 3 ? shape[0] : 1;
    const int64_t plane = d / channels;
    if (m_rrrMasks.size() != static_cast<size_t>(d * m_data->rows()))
        m_rrrMasks.assign(static_cast<size_t>(d * m_data->rows()), 0.0f);
    const int64_t label = m_data->y[static_cast<size_t>(row)];
    const auto apply = [&](int64_t r) {
        float* m = m_rrrMasks.data() + r * d;
        for (int64_t p : pixels)
            if (p >= 0 && p < plane)
                for (int64_t c = 0; c < channels; ++c)
                    m[c * plane + p] = value;
    };
    int64_t rows = 0;
    for (int64_t r = 0; r < m_data->rows(); ++r) {
        const bool hit = scope == int(RrrScope::All) ||
                         (scope == int(RrrScope::Class) && m_data->y[static_cast<size_t>(r)] == label) ||
                         r == row;
        if (hit) {
            apply(r);
            ++rows;
        }
    }
    emit log(QStringLiteral("Mask: %1 %2 pixels on %3 rows").arg(value > 0 ? "set" : "erased")
                 .arg(pixels.size()).arg(rows));
    emit rrrMaskChanged(rrrMaskState(row));
}

void CoreWorker::clearRrrMask(qint64 showRow)
{
    if (m_data)
        m_rrrMasks.assign(static_cast<size_t>(m_data->rows() * m_data->featureCount()), 0.0f);
    emit log(QStringLiteral("Mask cleared"));
    emit rrrMaskChanged(rrrMaskState(showRow));
}

void CoreWorker::rrrMaskRow(qint64 row)
{
    emit rrrMaskChanged(rrrMaskState(row));
}

void CoreWorker::rrrGuidance(models::ModelConfig config, models::TrainConfig trainConfig)
{
    train::LambdaGuidance g;
    try {
        if (!m_data)
            throw senn::Error("Open a dataset first.");
        g = train::lambdaGuidance(*m_data, m_split, config, trainConfig, *rrrMasksForTraining());
    } catch (const std::exception& e) {
        g.text = e.what();
    }
    emit rrrGuidanceReady(g);
}

void CoreWorker::rrrGradients(std::vector<int64_t> rows)
{
    if (!m_data || !m_model.isValid() || !m_modelHasData)
        return;
    try {
        RrrGradients g;
        g.rows = rows;
        g.shape = m_data->sampleShape;
        g.gradients = train::inputGradients(m_model, *m_data, rows);
        g.trainAccuracy = metric(m_model, "train_accuracy");
        g.testAccuracy = metric(m_model, "test_accuracy");
        emit rrrGradientsReady(g);
    } catch (const std::exception& e) {
        emit log(QStringLiteral("Input gradients: %1").arg(e.what()));
    }
}

void CoreWorker::findAnotherExplanation(models::ModelConfig config, models::TrainConfig trainConfig,
                                        int rounds, std::vector<int64_t> showRows,
                                        jobs::CancelToken cancel)
{
    if (!m_data) {
        emit jobFailed(JobKind::Train, QStringLiteral("Open a dataset before finding another explanation."));
        return;
    }
    runJob(JobKind::Train, QStringLiteral("Find another explanation (%1 rounds)").arg(rounds), [&] {
        train::FindAnotherOptions fo;
        fo.rounds = rounds;
        fo.showRows = showRows;
        fo.cancel = cancel;
        QElapsedTimer lastEmit;
        lastEmit.start();
        fo.onBatch = [&](int round, const train::BatchReport& r) {
            if (!r.epochEnd && lastEmit.elapsed() < 50)
                return;
            lastEmit.restart();
            emit rrrRoundProgress(round, r);
            const double inRound = r.epochs > 0 && r.batches > 0
                ? ((r.epoch - 1) + double(r.batch) / double(r.batches)) / r.epochs : 0.0;
            emit jobProgress(JobKind::Train, std::min(((round - 1) + inRound) / rounds, 0.999),
                             QStringLiteral("round %1/%2, epoch %3/%4").arg(round).arg(rounds)
                                 .arg(r.epoch).arg(r.epochs));
        };
        fo.onRound = [&](const train::ExplanationRound& er) {
            RrrRound r;
            r.round = er.round;
            r.rounds = rounds;
            r.cancelled = er.cancelled;
            r.trainAccuracy = er.trainAccuracy;
            r.testAccuracy = er.testAccuracy;
            r.maskCoverage = er.maskCoverage;
            r.rows = er.rows;
            r.gradients = er.gradients;
            r.mask = er.mask;
            r.shape = m_data->sampleShape;
            emit log(QStringLiteral("Round %1: train accuracy %2%, test accuracy %3%, mask %4% of the pixels")
                         .arg(er.round).arg(er.trainAccuracy * 100, 0, 'f', 1)
                         .arg(er.testAccuracy * 100, 0, 'f', 1).arg(er.maskCoverage * 100, 0, 'f', 2));
            emit rrrRoundReady(r);
        };
        const auto result = train::findAnotherExplanation(*m_data, m_split, config, trainConfig, fo);
        return !result.empty() && result.back().cancelled;
    });
}

} // namespace senn::ui
