#include "ui/views/rrr_view.h"

#include "ui/plots/training_curves.h"
#include "ui/views/rrr/decoy_panel.h"
#include "ui/views/rrr/example_panel.h"
#include "ui/views/rrr/mask_panel.h"
#include "ui/views/rrr/rounds_panel.h"
#include "ui/views/rrr/train_panel.h"
#include "ui/views/rrr/training_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace senn::ui {

RrrView::RrrView(QWidget* parent) : ViewPage("rrr", tr("Right reasons"), parent)
{
    subtitle()->setText(tr("Right for the Right Reasons: penalise input gradients where the mask "
                           "says the model must not look."));
    m_decoy = new RrrDecoyPanel;
    m_mask = new RrrMaskPanel;
    m_train = new RrrTrainPanel;
    m_rounds = new RrrRoundsPanel;
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_decoy, 2);
    controls->addWidget(m_mask, 2);
    controls->addWidget(m_train, 3);
    controls->addWidget(m_rounds, 2);

    m_example = new RrrExamplePanel;
    m_record = new RrrTrainingPanel;
    auto* middle = new QSplitter(Qt::Horizontal);
    middle->addWidget(m_example);
    middle->addWidget(m_record);
    middle->setStretchFactor(0, 2);
    middle->setStretchFactor(1, 3);
    m_roundsGrid = new RrrRoundsGrid;
    auto* vsplit = new QSplitter(Qt::Vertical);
    vsplit->addWidget(middle);
    vsplit->addWidget(m_roundsGrid);
    vsplit->setStretchFactor(0, 3);
    vsplit->setStretchFactor(1, 2);
    vsplit->setSizes({430, 300});
    body()->addLayout(controls);
    body()->addWidget(vsplit, 1);

    connect(m_decoy, &RrrDecoyPanel::generateRequested, this,
            [this](quint64 seed) { emit decoyRequested(seed, currentRow()); });
    auto* painter = m_example->painter();
    connect(m_mask, &RrrMaskPanel::brushChanged, painter, &MaskPainter::setBrush);
    painter->setBrush(m_mask->brush());
    connect(m_mask, &RrrMaskPanel::eraseToggled, painter, &MaskPainter::setEraseMode);
    connect(m_mask, &RrrMaskPanel::clearRequested, this, [this] { emit clearRequested(currentRow()); });
    connect(painter, &MaskPainter::stroked, this, [this](const std::vector<int64_t>& pixels, bool erase) {
        if (currentRow() >= 0)
            emit paintRequested(currentRow(), pixels, erase ? 0.0f : 1.0f, int(m_mask->scope()));
    });
    connect(m_example, &RrrExamplePanel::exampleShown, this, [this](qint64 row) {
        emit maskRowRequested(row);
        if (m_hasModel)
            emit gradientsRequested({row});
    });
    connect(m_train, &RrrTrainPanel::suggestRequested, this, [this] {
        if (std::isfinite(m_lastSuggested) && m_lastSuggested > 0)
            m_train->setLambda(m_lastSuggested);
        else
            requestGuidance();
    });
    connect(m_train, &RrrTrainPanel::modelChanged, this, [this] { requestGuidance(); });
    connect(m_train, &RrrTrainPanel::trainRequested, this, &RrrView::startTraining);
    connect(m_train, &RrrTrainPanel::cancelRequested, this, &RrrView::cancelRequested);
    connect(m_rounds, &RrrRoundsPanel::runRequested, this, &RrrView::startRounds);
    updateEnabled();
}

MaskPainter* RrrView::painter() const { return m_example->painter(); }
TrainingCurves* RrrView::curves() const { return m_record->curves(); }
QPushButton* RrrView::decoyButton() const { return m_decoy->generateButton(); }
QPushButton* RrrView::trainPlainButton() const { return m_train->plainButton(); }
QPushButton* RrrView::trainRrrButton() const { return m_train->rrrButton(); }
QPushButton* RrrView::roundsButton() const { return m_rounds->runButton(); }
QLabel* RrrView::guidanceLabel() const { return m_train->guidanceLabel(); }
QTableWidget* RrrView::runsTable() const { return m_record->runsTable(); }
int RrrView::roundCount() const { return m_roundsGrid->roundCount(); }
int64_t RrrView::currentRow() const { return m_example->currentRow(); }
void RrrView::setExampleIndex(int index) { m_example->setExampleIndex(index); }

void RrrView::setDataset(const DatasetSummary& summary)
{
    m_data = summary;
    m_decoy->showDataset(summary);
    m_example->setDataset(summary);
    emit maskRowRequested(currentRow());
    requestGuidance();
    updateEnabled();
}

void RrrView::setModel(const ModelSummary& summary)
{
    m_hasModel = summary.valid && summary.hasData && !summary.torchScript;
    if (!m_hasModel)
        m_example->showNoModel();
    else if (currentRow() >= 0)
        emit gradientsRequested({currentRow()});
    updateEnabled();
}

void RrrView::setMaskState(const RrrMaskState& state)
{
    m_maskState = state;
    if (state.row == currentRow() && !state.rowMask.empty())
        painter()->setMask(state.rowMask);
    m_mask->showMaskState(state);
    // The guidance depends on the mask, not on which example is shown.
    const bool changed = (state.maskedRows > 0) != m_hasMask || state.coverage != m_guidedCoverage;
    m_hasMask = state.maskedRows > 0;
    m_guidedCoverage = state.coverage;
    if (changed)
        requestGuidance();
    updateEnabled();
    emit maskStateShown(state);
}

void RrrView::requestGuidance()
{
    if (!m_data.data || !m_hasMask) {
        m_lastSuggested = 0;
        m_train->setGuidance(tr("λ₁ guidance appears once there is a mask: both loss terms should "
                                "be of the same order at the start of training."));
        return;
    }
    emit guidanceRequested(modelConfig(true), trainConfig());
}

void RrrView::setGuidance(const train::LambdaGuidance& g)
{
    m_lastSuggested = g.suggestedLambda;
    m_train->setGuidance(QString::fromStdString(g.text));
}

void RrrView::setGradients(const RrrGradients& g) { m_example->setGradients(g); }

void RrrView::addProgress(const train::BatchReport& report)
{
    if (m_pendingRun)
        curves()->addBatch(report);
}

void RrrView::addRoundProgress(int round, const train::BatchReport& report)
{
    if (round != m_curvesRound) {
        m_curvesRound = round;
        curves()->clear();
    }
    curves()->addBatch(report);
}

void RrrView::startRounds()
{
    std::vector<int64_t> rows;
    const auto& train = m_data.trainRows;
    for (size_t i = 0; i < train.size() && rows.size() < 2; ++i)
        rows.push_back(train[i]);
    // The example shown first when it is a training row (masks live on training rows).
    const int64_t cur = currentRow();
    if (cur >= 0 && std::find(train.begin(), train.end(), cur) != train.end() &&
        std::find(rows.begin(), rows.end(), cur) == rows.end())
        rows.insert(rows.begin(), cur), rows.resize(std::min<size_t>(rows.size(), 2));
    m_roundsGrid->clear();
    m_roundsRunning = true;
    curves()->clear();
    updateEnabled();
    emit roundsRequested(modelConfig(true), trainConfig(), m_rounds->rounds(), rows);
}

void RrrView::addRound(const RrrRound& r)
{
    m_roundsGrid->addRound(r, m_data.data.get());
    if (r.round == r.rounds || r.cancelled)
        m_roundsRunning = false;
    m_record->addRun(tr("find another: round %1").arg(r.round), r.round == 1 ? 0.0 : m_train->lambda(),
                     r.trainAccuracy, r.testAccuracy);
    updateEnabled();
    emit roundShown(r.round);
}

void RrrView::setTraining(bool running)
{
    m_training = running;
    if (!running)
        m_roundsRunning = false;
    updateEnabled();
}

void RrrView::setLoading(bool loading)
{
    m_loading = loading;
    updateEnabled();
}

void RrrView::trainingFinished(const ModelSummary& summary, bool cancelled)
{
    if (!m_pendingRun)
        return;
    m_pendingRun = false;
    const auto& metrics = summary.meta.metrics;
    auto get = [&](const char* k) {
        const auto it = metrics.find(k);
        return it == metrics.end() || cancelled ? -1.0 : it->second;
    };
    m_record->addRun(m_pendingLabel + (cancelled ? tr(" (cancelled)") : QString()), m_pendingLambda,
                     get("train_accuracy"), get("test_accuracy"));
}

models::ModelConfig RrrView::modelConfig(bool rrr) const
{
    const auto kind = m_train->modelKind();
    const auto dk = m_data.data ? m_data.data->kind : data::DataKind::Image;
    const int64_t features = m_data.data ? m_data.data->featureCount() : 784;
    auto cfg = models::ModelConfig::defaultsFor(dk, kind, features);
    if (kind == models::ModelKind::Mlp)
        cfg.hidden = {50, 30};
    if (kind == models::ModelKind::Senn)
        cfg.penalty = models::PenaltyMode::Fast;
    if (rrr) {
        cfg.rrrLambda = m_train->lambda();
        cfg.rrrMask = m_data.format.startsWith("Decoy") ? "decoy" : "painted";
    }
    return cfg;
}

models::TrainConfig RrrView::trainConfig() const
{
    auto tc = models::TrainConfig::defaultsFor(m_data.data ? m_data.data->kind : data::DataKind::Image);
    tc.epochs = m_train->epochs();
    tc.batch = 64;
    return tc;
}

void RrrView::setLambda(double lambda) { m_train->setLambda(lambda); }
void RrrView::setEpochs(int epochs) { m_train->setEpochs(epochs); }
void RrrView::setRounds(int rounds) { m_rounds->setRounds(rounds); }
void RrrView::setScope(RrrScope scope) { m_mask->setScope(scope); }

void RrrView::startTraining(bool rrr)
{
    m_pendingRun = true;
    m_pendingLambda = rrr ? m_train->lambda() : 0.0;
    m_pendingLabel = (rrr ? tr("RRR") : tr("plain")) + QStringLiteral(" · ") + m_train->modelName() +
                     (m_data.format.startsWith("Decoy") ? tr(" · decoy") : QString());
    curves()->clear();
    m_curvesRound = 0;
    emit trainRequested(modelConfig(rrr), trainConfig());
}

void RrrView::updateEnabled()
{
    const bool data = static_cast<bool>(m_data.data);
    const bool busy = m_training || m_roundsRunning;
    const bool image = data && m_data.data->isImage();
    const bool decoyed = data && std::any_of(m_data.data->transforms.begin(), m_data.data->transforms.end(),
                                             [](const std::string& t) { return t.rfind("decoy:", 0) == 0; });
    decoyButton()->setEnabled(image && !busy && !m_loading && !decoyed);
    m_mask->clearButton()->setEnabled(data && !busy);
    painter()->setEnabled(data && !busy);
    m_train->setEnabledFor(data, m_hasMask, busy);
    roundsButton()->setEnabled(data && !busy);
}

} // namespace senn::ui
