#include "ui/views/rrr_view.h"

#include "ui/plots/heatmap_view.h"
#include "ui/plots/training_curves.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace senn::ui {

namespace {

QString percent(double v)
{
    return v < 0 ? QStringLiteral("–") : QStringLiteral("%1%").arg(v * 100.0, 0, 'f', 1);
}

} // namespace

// ---- RrrView -------------------------------------------------------------------------

RrrView::RrrView(QWidget* parent) : ViewPage("rrr", tr("Right reasons"), parent)
{
    subtitle()->setText(tr("Right for the Right Reasons: penalise input gradients where the mask "
                           "says the model must not look."));

    // 1 · Data
    auto* dataBox = new QGroupBox(tr("1 · Decoy MNIST"));
    auto* dataForm = new QFormLayout(dataBox);
    m_seed = new QSpinBox;
    m_seed->setRange(0, 1 << 30);
    m_seed->setToolTip(tr("Seeds the corner of each patch and the random digits of the test split."));
    m_decoy = new QPushButton(tr("&Generate Decoy MNIST"));
    m_decoy->setObjectName("generateDecoy");
    m_decoy->setToolTip(tr("Adds a 4x4 patch in a random corner of each image whose grey level "
                           "(255 − 25·y) gives the label away in the training split and a random "
                           "digit in the test split. The patches become the mask."));
    m_dataStatus = new QLabel(tr("Open an image dataset (File > Examples > MNIST)."));
    m_dataStatus->setWordWrap(true);
    dataForm->addRow(tr("Seed:"), m_seed);
    dataForm->addRow(m_decoy);
    dataForm->addRow(m_dataStatus);

    // 2 · Mask
    auto* maskBox = new QGroupBox(tr("2 · Annotation mask"));
    auto* maskForm = new QFormLayout(maskBox);
    m_brush = new QSpinBox;
    m_brush->setRange(1, 10);
    m_brush->setValue(2);
    m_brush->setToolTip(tr("Brush radius in image pixels."));
    m_scope = new QComboBox;
    m_scope->addItem(tr("this example"), int(RrrScope::Example));
    m_scope->addItem(tr("its class"), int(RrrScope::Class));
    m_scope->addItem(tr("all examples"), int(RrrScope::All));
    m_scope->setCurrentIndex(2);
    m_scope->setToolTip(tr("Where a stroke applies: the example shown, every example of its true "
                           "class, or every example (a rule such as \"never use these pixels\")."));
    m_erase = new QPushButton(tr("&Erase"));
    m_erase->setCheckable(true);
    m_erase->setToolTip(tr("Strokes erase mask pixels (the right mouse button always does)."));
    m_clear = new QPushButton(tr("C&lear mask"));
    m_maskStatus = new QLabel(tr("No mask."));
    m_maskStatus->setWordWrap(true);
    auto* maskButtons = new QHBoxLayout;
    maskButtons->addWidget(m_erase);
    maskButtons->addWidget(m_clear);
    maskForm->addRow(tr("Brush:"), m_brush);
    maskForm->addRow(tr("Apply to:"), m_scope);
    maskForm->addRow(maskButtons);
    maskForm->addRow(m_maskStatus);

    // 3 · Train
    auto* trainBox = new QGroupBox(tr("3 · Train"));
    auto* trainForm = new QFormLayout(trainBox);
    m_model = new QComboBox;
    m_model->addItem(tr("MLP 50-30 (the paper's)"), int(models::ModelKind::Mlp));
    m_model->addItem(tr("CNN"), int(models::ModelKind::Cnn));
    m_model->addItem(tr("SENN"), int(models::ModelKind::Senn));
    m_epochs = new QSpinBox;
    m_epochs->setObjectName("rrrEpochs");
    m_epochs->setRange(1, 200);
    m_epochs->setValue(10);
    m_lambda = new QDoubleSpinBox;
    m_lambda->setObjectName("rrrLambda");
    m_lambda->setDecimals(4);
    m_lambda->setRange(0, 1e7);
    m_lambda->setValue(10);
    m_lambda->setToolTip(tr("λ₁, the weight of Σ(A·∂Σlog p/∂x)². Choose it so both loss terms are "
                            "of the same order at the start of training (Suggest)."));
    m_suggest = new QPushButton(tr("&Suggest λ₁"));
    auto* lambdaRow = new QHBoxLayout;
    lambdaRow->addWidget(m_lambda, 1);
    lambdaRow->addWidget(m_suggest);
    m_guidance = new QLabel(tr("λ₁ guidance appears once there is a mask."));
    m_guidance->setObjectName("rrrGuidance");
    m_guidance->setWordWrap(true);
    m_trainPlain = new QPushButton(tr("Train &plain"));
    m_trainPlain->setToolTip(tr("Cross-entropy only (λ₁ = 0): on Decoy MNIST it learns the patch."));
    m_trainRrr = new QPushButton(tr("Train with &RRR"));
    m_trainRrr->setObjectName("trainRrr");
    m_cancel = new QPushButton(tr("Cancel"));
    auto* trainButtons = new QHBoxLayout;
    trainButtons->addWidget(m_trainPlain);
    trainButtons->addWidget(m_trainRrr);
    trainButtons->addWidget(m_cancel);
    trainForm->addRow(tr("Model:"), m_model);
    trainForm->addRow(tr("Epochs:"), m_epochs);
    trainForm->addRow(tr("λ₁:"), lambdaRow);
    trainForm->addRow(m_guidance);
    trainForm->addRow(trainButtons);

    // 4 · Find another explanation
    auto* roundsBox = new QGroupBox(tr("4 · Find another explanation"));
    auto* roundsForm = new QFormLayout(roundsBox);
    m_rounds = new QSpinBox;
    m_rounds->setRange(1, 10);
    m_rounds->setValue(3);
    m_runRounds = new QPushButton(tr("Run &rounds"));
    m_runRounds->setToolTip(tr("Round 1 trains without a mask; each later round masks the pixels "
                               "with |∂max p/∂x| > 0.67·max of every earlier round and trains "
                               "with λ₁, so each model must find another reason."));
    auto* roundsHelp = new QLabel(tr("No annotations needed: each round must reach its accuracy "
                                     "by a different reason."));
    roundsHelp->setWordWrap(true);
    roundsForm->addRow(tr("Rounds:"), m_rounds);
    roundsForm->addRow(m_runRounds);
    roundsForm->addRow(roundsHelp);

    auto* controls = new QHBoxLayout;
    controls->addWidget(dataBox, 2);
    controls->addWidget(maskBox, 2);
    controls->addWidget(trainBox, 3);
    controls->addWidget(roundsBox, 2);

    // Example: the painter and the current model's gradient map.
    auto* exampleBox = new QGroupBox(tr("Example"));
    auto* exampleLayout = new QVBoxLayout(exampleBox);
    auto* pick = new QHBoxLayout;
    m_split = new QComboBox;
    m_split->addItem(tr("train"), "train");
    m_split->addItem(tr("test"), "test");
    m_example = new QSpinBox;
    m_example->setObjectName("rrrExample");
    m_example->setRange(0, 0);
    m_exampleLabel = new QLabel;
    pick->addWidget(m_split);
    pick->addWidget(m_example);
    pick->addWidget(m_exampleLabel, 1);
    exampleLayout->addLayout(pick);
    auto* maps = new QHBoxLayout;
    m_painter = new MaskPainter;
    m_gradient = new HeatmapView;
    m_gradient->setObjectName("rrrGradient");
    m_gradient->setColorBarLabel(tr("∂Σlog p/∂x"));
    m_gradient->setMinimumSize(180, 140); // fits a 1280×800 window
    auto* paintCol = new QVBoxLayout;
    paintCol->addWidget(new QLabel(tr("Mask (paint here)")));
    paintCol->addWidget(m_painter, 1);
    auto* gradCol = new QVBoxLayout;
    m_gradientLabel = new QLabel(tr("Input gradient (no model)"));
    gradCol->addWidget(m_gradientLabel);
    gradCol->addWidget(m_gradient, 1);
    maps->addLayout(paintCol, 1);
    maps->addLayout(gradCol, 1);
    exampleLayout->addLayout(maps, 1);

    // Training: curves (CE and rrr terms) and the runs table.
    auto* trainingBox = new QGroupBox(tr("Training"));
    auto* trainingLayout = new QVBoxLayout(trainingBox);
    m_curves = new TrainingCurves;
    m_curves->setObjectName("rrrCurves");
    m_curves->setMinimumHeight(150);
    m_runs = new QTableWidget(0, 4);
    m_runs->setObjectName("rrrRuns");
    m_runs->setHorizontalHeaderLabels({tr("Run"), tr("λ₁"), tr("Train acc."), tr("Test acc.")});
    m_runs->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_runs->verticalHeader()->hide();
    m_runs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runs->setMaximumHeight(130);
    trainingLayout->addWidget(m_curves, 1);
    trainingLayout->addWidget(m_runs);

    auto* middle = new QSplitter(Qt::Horizontal);
    middle->addWidget(exampleBox);
    middle->addWidget(trainingBox);
    middle->setStretchFactor(0, 2);
    middle->setStretchFactor(1, 3);

    // Rounds: one column per round.
    auto* roundsOut = new QGroupBox(tr("Rounds: input gradients (values under 10% of each map's max hidden)"));
    auto* roundsOutLayout = new QVBoxLayout(roundsOut);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    m_roundsBox = new QWidget;
    m_roundsBox->setObjectName("rrrRounds");
    m_roundsGrid = new QGridLayout(m_roundsBox);
    m_roundsGrid->setContentsMargins(0, 0, 0, 0);
    auto* none = new QLabel(tr("Run \"find another explanation\" to compare the rounds here."));
    m_roundsGrid->addWidget(none, 0, 0);
    scroll->setWidget(m_roundsBox);
    roundsOutLayout->addWidget(scroll);

    auto* vsplit = new QSplitter(Qt::Vertical);
    vsplit->addWidget(middle);
    vsplit->addWidget(roundsOut);
    vsplit->setStretchFactor(0, 3);
    vsplit->setStretchFactor(1, 2);
    vsplit->setSizes({430, 300});
    roundsOut->setMinimumHeight(120);

    body()->addLayout(controls);
    body()->addWidget(vsplit, 1);

    connect(m_decoy, &QPushButton::clicked, this, [this] {
        emit decoyRequested(quint64(m_seed->value()), currentRow());
    });
    connect(m_brush, qOverload<int>(&QSpinBox::valueChanged), m_painter, &MaskPainter::setBrush);
    m_painter->setBrush(m_brush->value());
    connect(m_erase, &QPushButton::toggled, m_painter, &MaskPainter::setEraseMode);
    connect(m_clear, &QPushButton::clicked, this, [this] { emit clearRequested(currentRow()); });
    connect(m_painter, &MaskPainter::stroked, this, [this](const std::vector<int64_t>& pixels, bool erase) {
        if (currentRow() >= 0)
            emit paintRequested(currentRow(), pixels, erase ? 0.0f : 1.0f, m_scope->currentData().toInt());
    });
    connect(m_split, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        m_example->setRange(0, std::max<int>(0, int(splitRows().size()) - 1));
        showExample();
    });
    connect(m_example, qOverload<int>(&QSpinBox::valueChanged), this, [this] { showExample(); });
    connect(m_suggest, &QPushButton::clicked, this, [this] {
        if (std::isfinite(m_lastSuggested) && m_lastSuggested > 0)
            m_lambda->setValue(m_lastSuggested);
        else
            requestGuidance();
    });
    connect(m_model, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { requestGuidance(); });
    connect(m_trainPlain, &QPushButton::clicked, this, [this] { startTraining(false); });
    connect(m_trainRrr, &QPushButton::clicked, this, [this] { startTraining(true); });
    connect(m_cancel, &QPushButton::clicked, this, &RrrView::cancelRequested);
    connect(m_runRounds, &QPushButton::clicked, this, [this] {
        std::vector<int64_t> rows;
        const auto& train = m_data.trainRows;
        for (size_t i = 0; i < train.size() && rows.size() < 2; ++i)
            rows.push_back(train[i]);
        // The example shown first when it is a training row (masks live on training rows).
        const int64_t cur = currentRow();
        if (cur >= 0 && std::find(train.begin(), train.end(), cur) != train.end() &&
            std::find(rows.begin(), rows.end(), cur) == rows.end())
            rows.insert(rows.begin(), cur), rows.resize(std::min<size_t>(rows.size(), 2));
        for (auto* w : m_roundMaps)
            w->deleteLater();
        m_roundMaps.clear();
        while (auto* item = m_roundsGrid->takeAt(0)) {
            if (item->widget())
                item->widget()->deleteLater();
            delete item;
        }
        m_roundCount = 0;
        m_roundsRunning = true;
        m_curves->clear();
        updateEnabled();
        emit roundsRequested(modelConfig(true), trainConfig(), m_rounds->value(), rows);
    });
    updateEnabled();
}

const std::vector<int64_t>& RrrView::splitRows() const
{
    return m_split->currentData().toString() == "test" ? m_data.testRows : m_data.trainRows;
}

int64_t RrrView::currentRow() const
{
    const auto& rows = splitRows();
    const int i = m_example->value();
    return i >= 0 && size_t(i) < rows.size() ? rows[size_t(i)] : -1;
}

void RrrView::setExampleIndex(int index)
{
    m_example->setValue(index);
    showExample();
}

void RrrView::setDataset(const DatasetSummary& summary)
{
    m_data = summary;
    const bool image = summary.data && summary.data->isImage();
    m_example->setRange(0, std::max<int>(0, int(splitRows().size()) - 1));
    if (!summary.data)
        m_dataStatus->setText(tr("Open an image dataset (File > Examples > MNIST)."));
    else if (!summary.data->transforms.empty() && summary.format.startsWith("Decoy"))
        m_dataStatus->setText(tr("%1: %2 rows; the patch keys the label in train/val, a random "
                                 "digit in test.").arg(summary.format).arg(summary.data->rows()));
    else if (image)
        m_dataStatus->setText(tr("%1 rows of %2 classes. Generate the decoy, then train plain "
                                 "and with RRR.").arg(summary.data->rows()).arg(summary.data->numClasses()));
    else
        m_dataStatus->setText(tr("Decoy MNIST needs images; with tabular data paint (tick) "
                                 "features in the 1 x d strip instead."));
    showExample();
    emit maskRowRequested(currentRow());
    requestGuidance();
    updateEnabled();
}

void RrrView::setModel(const ModelSummary& summary)
{
    m_hasModel = summary.valid && summary.hasData && !summary.torchScript;
    if (!m_hasModel) {
        m_gradientLabel->setText(tr("Input gradient (no model)"));
    } else if (currentRow() >= 0) {
        emit gradientsRequested({currentRow()});
    }
    updateEnabled();
}

void RrrView::showExample()
{
    const int64_t row = currentRow();
    if (!m_data.data || row < 0) {
        m_exampleLabel->clear();
        return;
    }
    const auto& d = *m_data.data;
    const int64_t y = d.y[size_t(row)];
    const QString label = y >= 0 && size_t(y) < d.classNames.size()
                              ? QString::fromStdString(d.classNames[size_t(y)]) : QString::number(y);
    m_exampleLabel->setText(tr("row %1, label %2").arg(row).arg(label));
    std::vector<float> x(d.row(row), d.row(row) + d.featureCount());
    m_painter->setImage(x, d.sampleShape);
    const auto [h, w] = samplePlane(d.sampleShape);
    m_gradient->setUnderlay(channelMean(x.data(), d.sampleShape), {int64_t(h), int64_t(w)});
    emit maskRowRequested(row);
    if (m_hasModel)
        emit gradientsRequested({row});
}

void RrrView::setMaskState(const RrrMaskState& state)
{
    m_maskState = state;
    if (state.row == currentRow() && !state.rowMask.empty())
        m_painter->setMask(state.rowMask);
    if (state.maskedRows == 0)
        m_maskStatus->setText(tr("No mask: paint over the example, or generate Decoy MNIST."));
    else
        m_maskStatus->setText(tr("%1%2 rows masked, %3 of the training pixels.")
                                  .arg(state.decoy ? tr("Decoy patches (seed %1); ").arg(state.decoySeed) : QString())
                                  .arg(state.maskedRows)
                                  .arg(QStringLiteral("%1%").arg(state.coverage * 100.0, 0, 'f', 2)));
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
        m_guidance->setText(tr("λ₁ guidance appears once there is a mask: both loss terms should "
                               "be of the same order at the start of training."));
        return;
    }
    emit guidanceRequested(modelConfig(true), trainConfig());
}

void RrrView::setGuidance(const train::LambdaGuidance& g)
{
    m_lastSuggested = g.suggestedLambda;
    m_guidance->setText(QString::fromStdString(g.text));
}

void RrrView::setGradients(const RrrGradients& g)
{
    if (g.rows.size() != 1 || g.rows[0] != currentRow())
        return; // an older request
    const auto [h, w] = samplePlane(g.shape);
    std::vector<float> shown = g.gradients;
    try {
        shown = train::thresholdGradients(g.gradients, int64_t(g.gradients.size()));
    } catch (...) {
    }
    m_gradient->setValues(shown, g.shape);
    Q_UNUSED(h);
    Q_UNUSED(w);
    m_gradientLabel->setText(tr("Input gradient of the current model (train %1, test %2)")
                                 .arg(percent(g.trainAccuracy), percent(g.testAccuracy)));
}

void RrrView::addProgress(const train::BatchReport& report)
{
    if (m_pendingRun)
        m_curves->addBatch(report);
}

void RrrView::addRoundProgress(int round, const train::BatchReport& report)
{
    if (round != m_curvesRound) {
        m_curvesRound = round;
        m_curves->clear();
    }
    m_curves->addBatch(report);
}

void RrrView::addRound(const RrrRound& r)
{
    if (m_roundCount == 0) {
        // Row labels: one per example.
        for (size_t i = 0; i < r.rows.size(); ++i) {
            const int64_t row = r.rows[i];
            QString text = tr("row %1").arg(row);
            if (m_data.data && row >= 0 && row < m_data.data->rows())
                text += tr("\nlabel %1").arg(m_data.data->y[size_t(row)]);
            auto* l = new QLabel(text);
            m_roundsGrid->addWidget(l, int(i) + 1, 0);
        }
    }
    const int col = r.round;
    auto* head = new QLabel(tr("<b>Round %1</b>%2<br>train %3 · test %4<br>mask %5 of pixels")
                                .arg(r.round)
                                .arg(r.cancelled ? tr(" (cancelled)") : QString())
                                .arg(percent(r.trainAccuracy), percent(r.testAccuracy))
                                .arg(QStringLiteral("%1%").arg(r.maskCoverage * 100.0, 0, 'f', 2)));
    head->setAlignment(Qt::AlignCenter);
    m_roundsGrid->addWidget(head, 0, col);
    const size_t d = r.rows.empty() ? 0 : r.gradients.size() / r.rows.size();
    const auto [h, w] = samplePlane(r.shape);
    for (size_t i = 0; i < r.rows.size() && d > 0; ++i) {
        std::vector<float> g(r.gradients.begin() + std::ptrdiff_t(i * d),
                             r.gradients.begin() + std::ptrdiff_t((i + 1) * d));
        auto* map = new HeatmapView;
        map->setObjectName(QStringLiteral("round%1map%2").arg(r.round).arg(i));
        map->setMinimumSize(150, 110);
        map->setColorBarVisible(false);
        map->setValues(train::thresholdGradients(g, int64_t(d)), r.shape);
        if (m_data.data && r.rows[i] >= 0 && r.rows[i] < m_data.data->rows())
            map->setUnderlay(channelMean(m_data.data->row(r.rows[i]), m_data.data->sampleShape),
                             {int64_t(h), int64_t(w)});
        m_roundsGrid->addWidget(map, int(i) + 1, col);
        m_roundMaps.push_back(map);
    }
    ++m_roundCount;
    if (r.round == r.rounds || r.cancelled)
        m_roundsRunning = false;
    const int line = m_runs->rowCount();
    m_runs->insertRow(line);
    m_runs->setItem(line, 0, new QTableWidgetItem(tr("find another: round %1").arg(r.round)));
    m_runs->setItem(line, 1, new QTableWidgetItem(r.round == 1 ? QStringLiteral("0")
                                                               : QString::number(m_lambda->value())));
    m_runs->setItem(line, 2, new QTableWidgetItem(percent(r.trainAccuracy)));
    m_runs->setItem(line, 3, new QTableWidgetItem(percent(r.testAccuracy)));
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
        return it == metrics.end() ? -1.0 : it->second;
    };
    const int line = m_runs->rowCount();
    m_runs->insertRow(line);
    m_runs->setItem(line, 0, new QTableWidgetItem(m_pendingLabel + (cancelled ? tr(" (cancelled)") : QString())));
    m_runs->setItem(line, 1, new QTableWidgetItem(QString::number(m_pendingLambda)));
    m_runs->setItem(line, 2, new QTableWidgetItem(percent(cancelled ? -1 : get("train_accuracy"))));
    m_runs->setItem(line, 3, new QTableWidgetItem(percent(cancelled ? -1 : get("test_accuracy"))));
    m_runs->scrollToBottom();
}

models::ModelConfig RrrView::modelConfig(bool rrr) const
{
    const auto kind = models::ModelKind(m_model->currentData().toInt());
    const auto dk = m_data.data ? m_data.data->kind : data::DataKind::Image;
    const int64_t features = m_data.data ? m_data.data->featureCount() : 784;
    auto cfg = models::ModelConfig::defaultsFor(dk, kind, features);
    if (kind == models::ModelKind::Mlp)
        cfg.hidden = {50, 30};
    if (kind == models::ModelKind::Senn)
        cfg.penalty = models::PenaltyMode::Fast;
    if (rrr) {
        cfg.rrrLambda = m_lambda->value();
        cfg.rrrMask = m_data.format.startsWith("Decoy") ? "decoy" : "painted";
    }
    return cfg;
}

models::TrainConfig RrrView::trainConfig() const
{
    auto tc = models::TrainConfig::defaultsFor(m_data.data ? m_data.data->kind : data::DataKind::Image);
    tc.epochs = m_epochs->value();
    tc.batch = 64;
    return tc;
}

void RrrView::setLambda(double lambda) { m_lambda->setValue(lambda); }
void RrrView::setEpochs(int epochs) { m_epochs->setValue(epochs); }
void RrrView::setRounds(int rounds) { m_rounds->setValue(rounds); }
void RrrView::setScope(RrrScope scope) { m_scope->setCurrentIndex(m_scope->findData(int(scope))); }

void RrrView::startTraining(bool rrr)
{
    m_pendingRun = true;
    m_pendingLambda = rrr ? m_lambda->value() : 0.0;
    m_pendingLabel = (rrr ? tr("RRR") : tr("plain")) + QStringLiteral(" · ") + m_model->currentText() +
                     (m_data.format.startsWith("Decoy") ? tr(" · decoy") : QString());
    m_curves->clear();
    m_curvesRound = 0;
    emit trainRequested(modelConfig(rrr), trainConfig());
}

void RrrView::updateEnabled()
{
    const bool data = static_cast<bool>(m_data.data);
    const bool busy = m_training || m_roundsRunning;
    const bool image = data && m_data.data->isImage();
    const bool decoyed = data && !m_data.data->transforms.empty() &&
                         std::any_of(m_data.data->transforms.begin(), m_data.data->transforms.end(),
                                     [](const std::string& t) { return t.rfind("decoy:", 0) == 0; });
    m_decoy->setEnabled(image && !busy && !m_loading && !decoyed);
    m_clear->setEnabled(data && !busy);
    m_painter->setEnabled(data && !busy);
    m_trainPlain->setEnabled(data && !busy);
    m_trainRrr->setEnabled(data && !busy && m_hasMask);
    m_runRounds->setEnabled(data && !busy);
    m_cancel->setEnabled(busy);
}

} // namespace senn::ui
