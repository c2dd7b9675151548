#include "ui/views/flint_view.h"

#include "ui/plots/bar_chart.h"
#include "ui/plots/heatmap_view.h"
#include "ui/plots/image_grid.h"

#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>

#include <algorithm>
#include <cmath>

namespace senn::ui {

namespace {
QString layerTip()
{
    return FlintView::tr("The layer of the TorchScript model that FLINT's attribute network Ψ reads, "
                         "with the shape it gives for one example: a C×H×W map gets a convolutional "
                         "Ψ, anything else an MLP Ψ");
}
} // namespace

FlintView::FlintView(QWidget* parent) : ViewPage("flint", tr("FLINT"), parent)
{
    // Controls: interpret the current FLINT model, or attach a post-hoc one to the current model.
    auto* bar = new QHBoxLayout;
    m_rows = new QSpinBox;
    m_rows->setRange(10, 100000);
    m_rows->setValue(500);
    m_rows->setSuffix(tr(" test rows"));
    m_rows->setToolTip(tr("Rows whose interpretations make up the global map and the examples"));
    m_interpret = new QPushButton(tr("&Interpret"));
    m_interpret->setObjectName("flintInterpret");
    bar->addWidget(new QLabel(tr("Interpret the first")));
    bar->addWidget(m_rows);
    bar->addWidget(m_interpret);
    bar->addSpacing(24);
    auto* attachBox = new QGroupBox(tr("Post-hoc interpreter for the current model"));
    auto* ab = new QHBoxLayout(attachBox);
    m_attributes = new QSpinBox;
    m_attributes->setRange(2, 256);
    m_attributes->setValue(25);
    m_attributes->setSuffix(tr(" attributes"));
    m_epochs = new QSpinBox;
    m_epochs->setRange(1, 200);
    m_epochs->setValue(5);
    m_epochs->setSuffix(tr(" epochs"));
    m_layerLabel = new QLabel(tr("Hidden layer"));
    m_layer = new QComboBox;
    m_layer->setObjectName("flintHiddenLayer");
    m_layer->setToolTip(layerTip());
    m_layerLabel->setBuddy(m_layer);
    m_attach = new QPushButton(tr("&Attach FLINT"));
    m_attach->setObjectName("flintAttach");
    m_attach->setToolTip(tr("Freeze the current model (MLP, CNN, FLINT or TorchScript) and train an "
                            "attribute network Ψ on its last hidden layer (TorchScript: the layer "
                            "chosen beside), a linear interpreter g and a "
                            "decoder. The result becomes the current model; its predictions "
                            "are those of the frozen model."));
    ab->addWidget(m_layerLabel);
    ab->addWidget(m_layer);
    ab->addWidget(m_attributes);
    ab->addWidget(m_epochs);
    ab->addWidget(m_attach);
    bar->addWidget(attachBox);
    bar->addStretch(1);
    body()->addLayout(bar);

    m_scores = new QLabel;
    m_scores->setWordWrap(true);
    m_scores->setTextInteractionFlags(Qt::TextSelectableByMouse);
    body()->addWidget(m_scores);

    // Global map | local relevance, over attribute samples and AM+PI.
    auto* split = new QSplitter(Qt::Vertical);
    auto* top = new QSplitter(Qt::Horizontal);
    m_global = new HeatmapView;
    m_global->setTitle(tr("Global relevance: classes (rows) × attributes (columns)"));
    m_global->setExportName("flint-global");
    m_global->setColorBarLabel(tr("mean relevance r"));
    top->addWidget(m_global);

    auto* local = new QWidget;
    auto* lv = new QVBoxLayout(local);
    lv->setContentsMargins(0, 0, 0, 0);
    auto* lrow = new QHBoxLayout;
    m_example = new QSpinBox;
    m_example->setRange(0, 0);
    m_example->setPrefix(tr("example "));
    m_exampleLabel = new QLabel;
    lrow->addWidget(m_example);
    lrow->addWidget(m_exampleLabel, 1);
    lv->addLayout(lrow);
    m_local = new BarChart;
    m_local->setTitle(tr("Local relevance of each attribute"));
    m_local->setValueLabel(tr("relevance r (max |r| = 1)"));
    m_local->setExportName("flint-local");
    lv->addWidget(m_local, 1);
    top->addWidget(local);
    top->setStretchFactor(0, 1);
    top->setStretchFactor(1, 1);
    split->addWidget(top);

    auto* attr = new QWidget;
    auto* av = new QVBoxLayout(attr);
    av->setContentsMargins(0, 0, 0, 0);
    auto* arow = new QHBoxLayout;
    m_attribute = new QSpinBox;
    m_attribute->setRange(1, 1);
    m_attribute->setPrefix(tr("attribute "));
    m_attributeLabel = new QLabel;
    m_amButton = new QPushButton(tr("&Visualise (AM+PI)"));
    m_amButton->setObjectName("flintVisualise");
    m_amButton->setToolTip(tr("Activation maximisation with partial initialisation: starting from "
                              "0.3 × the top activating sample, find an input that maximises this "
                              "attribute (flint.md)"));
    arow->addWidget(m_attribute);
    arow->addWidget(m_attributeLabel, 1);
    arow->addWidget(m_amButton);
    av->addLayout(arow);
    auto* arow2 = new QHBoxLayout;
    m_samples = new ImageGrid;
    m_samples->setTitle(tr("Maximum activating samples"));
    m_samples->setExportName("flint-samples");
    m_am = new HeatmapView;
    m_am->setTitle(tr("AM+PI"));
    m_am->setExportName("flint-am");
    m_am->setColorBarVisible(false);
    arow2->addWidget(m_samples, 4);
    arow2->addWidget(m_am, 1);
    av->addLayout(arow2, 1);
    split->addWidget(attr);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    body()->addWidget(split, 1);

    connect(m_interpret, &QPushButton::clicked, this, [this] { emit interpretRequested(m_rows->value()); });
    connect(m_attach, &QPushButton::clicked, this,
            [this] {
                const QString layer = m_model.torchScript ? m_layer->currentData().toString() : QString();
                emit attachRequested(m_attributes->value(), m_epochs->value(), layer);
            });
    connect(m_layer, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { setRunning(m_running); });
    connect(m_example, qOverload<int>(&QSpinBox::valueChanged), this, &FlintView::showExample);
    connect(m_attribute, qOverload<int>(&QSpinBox::valueChanged), this,
            [this](int v) { showAttribute(v - 1); });
    connect(m_local, &BarChart::barClicked, this, [this](int j) { showAttribute(j); });
    connect(m_global, &HeatmapView::pixelClicked, this, [this](int x, int, double) { showAttribute(x); });
    connect(m_amButton, &QPushButton::clicked, this, [this] {
        const int j = currentAttribute();
        if (!m_have || j < 0 || size_t(j) >= m_in.maxActivating.size() || m_in.maxActivating[size_t(j)].empty())
            return;
        emit visualiseRequested(j, m_in.maxActivating[size_t(j)].front());
    });
    setModel({});
}

void FlintView::setDataset(const DatasetSummary& s)
{
    m_data = s;
}

void FlintView::setModel(const ModelSummary& s)
{
    m_model = s;
    m_have = false;
    m_in = {};
    m_global->setValues({}, {});
    m_local->clear();
    m_samples->clear();
    m_am->setValues({}, {});
    m_am->clearUnderlay();
    m_exampleLabel->clear();
    m_attributeLabel->clear();
    updateLayers();
    updateScores();
    setRunning(m_running);
}

void FlintView::updateLayers()
{
    const bool show = m_model.valid && m_model.torchScript;
    m_layer->setVisible(show);
    m_layerLabel->setVisible(show);
    const QSignalBlocker block(m_layer);
    m_layer->clear();
    if (!show)
        return;
    m_layer->setToolTip(m_model.flintLayersProblem.isEmpty() ? layerTip() : m_model.flintLayersProblem);
    auto* items = qobject_cast<QStandardItemModel*>(m_layer->model());
    int pick = -1;
    const auto& layers = m_model.flintLayers;
    for (size_t i = 0; i < layers.size(); ++i) {
        const auto& l = layers[i];
        QStringList dims;
        for (auto d : l.shape)
            dims << QString::number(d);
        const QString name = QString::fromStdString(l.name);
        m_layer->addItem(l.problem.empty() ? QStringLiteral("%1  (%2)").arg(name, dims.join(QStringLiteral("×")))
                                           : tr("%1  (unusable)").arg(name),
                         name);
        const int row = m_layer->count() - 1;
        if (!l.problem.empty()) {
            m_layer->setItemData(row, QString::fromStdString(l.problem), Qt::ToolTipRole);
            if (items)
                items->item(row)->setEnabled(false);
        } else if (i + 1 < layers.size()) {
            pick = row; // default: the last usable layer before the output
        }
    }
    if (pick >= 0)
        m_layer->setCurrentIndex(pick);
}

void FlintView::setRunning(bool running)
{
    m_running = running;
    const bool flint = m_model.valid && m_model.isFlint && m_model.hasData;
    bool layerOk = !m_model.torchScript;
    if (m_model.torchScript) {
        const QString name = m_layer->currentData().toString();
        for (const auto& l : m_model.flintLayers)
            layerOk = layerOk || (QString::fromStdString(l.name) == name && l.problem.empty());
    }
    const bool attachable = m_model.valid && m_model.hasData && !m_model.isSenn && layerOk;
    m_interpret->setEnabled(flint && !running);
    m_attach->setEnabled(attachable && !running);
    m_amButton->setEnabled(flint && m_have && !running && m_data.data &&
                           m_data.data->kind == data::DataKind::Image);
}

void FlintView::updateScores()
{
    if (!m_model.valid) {
        m_scores->setText(tr("No model. Train FLINT in the Model view (model “FLINT”), or train an "
                             "MLP or CNN and attach a post-hoc interpreter here."));
        return;
    }
    if (!m_model.isFlint && m_model.torchScript) {
        m_scores->setText(!m_model.hasData
            ? tr("Open the TorchScript model's dataset to attach a post-hoc FLINT interpreter.")
            : m_model.flintLayersProblem.isEmpty()
                ? tr("The current model is a TorchScript black box: choose the hidden layer FLINT "
                     "reads and attach a post-hoc interpreter.")
                : tr("Post-hoc FLINT cannot read this TorchScript model's layers: %1").arg(m_model.flintLayersProblem));
        return;
    }
    if (!m_model.isFlint) {
        m_scores->setText(m_model.isSenn
            ? tr("The current model is not FLINT. Post-hoc FLINT reads an MLP's or CNN's hidden layer, "
                 "or a TorchScript model's layer.")
            : tr("The current model is not FLINT: attach a post-hoc interpreter to explain it with "
                 "high-level attributes."));
        return;
    }
    const auto& m = m_model.meta.metrics;
    auto pct = [&](const char* k) {
        return m.count(k) ? QStringLiteral("%1%").arg(m.at(k) * 100.0, 0, 'f', 1) : QStringLiteral("–");
    };
    QStringList cns;
    for (double tau : train::flintTaus()) {
        const auto key = train::flintConcisenessKey(tau);
        if (m.count(key))
            cns << QStringLiteral("τ=%1: %2").arg(tau).arg(m.at(key), 0, 'f', 2);
    }
    m_scores->setText(tr("<b>%1 attributes.</b> Accuracy of f %2 · of the interpreter g %3 · "
                         "fidelity (g agrees with f) %4 · conciseness CNS(τ): %5")
                          .arg(m_model.meta.config.attributes)
                          .arg(pct("test_accuracy"), pct("interpreter_accuracy"), pct("fidelity"),
                               cns.isEmpty() ? QStringLiteral("–") : cns.join(QStringLiteral(", "))));
}

void FlintView::setInterpretation(const train::FlintInterpretation& in)
{
    m_in = in;
    m_have = in.attributes > 0 && in.classes > 0;
    if (!m_have)
        return;
    m_global->setValues(in.globalRelevance, {in.classes, in.attributes});
    // Which row is which class and which column which attribute.
    QStringList attrs, classes;
    for (int64_t j = 0; j < in.attributes; ++j)
        attrs << QStringLiteral("Φ%1").arg(j + 1);
    for (int64_t c = 0; c < in.classes; ++c)
        classes << (m_data.data && c < m_data.data->numClasses() ? QString::fromStdString(m_data.data->classNames[size_t(c)])
                                                                 : QString::number(c));
    m_global->setCellLabels(attrs, classes);
    m_example->setRange(0, std::max<int>(0, static_cast<int>(in.local.size()) - 1));
    m_attribute->setRange(1, static_cast<int>(in.attributes));
    showExample(m_example->value());
    int first = in.globalPairs.empty() ? 0 : in.globalPairs.front().attribute;
    if (m_attribute->value() - 1 == first)
        showAttribute(first);
    else
        m_attribute->setValue(first + 1);
    setRunning(m_running);
}

void FlintView::showExample(int index)
{
    if (!m_have || index < 0 || size_t(index) >= m_in.local.size())
        return;
    const auto& l = m_in.local[size_t(index)];
    QStringList labels;
    for (int64_t j = 0; j < m_in.attributes; ++j)
        labels << QStringLiteral("Φ%1").arg(j + 1);
    std::vector<double> r(l.relevance.begin(), l.relevance.end());
    m_local->setData(r, labels);
    m_local->setRange(1.0);
    m_local->setHighlighted(l.top.empty() ? -1 : l.top.front());
    auto name = [this](int64_t c) {
        return m_data.data && c >= 0 && c < m_data.data->numClasses()
            ? QString::fromStdString(m_data.data->classNames[size_t(c)]) : QString::number(c);
    };
    QStringList top;
    for (int j : l.top)
        top << QStringLiteral("Φ%1 (%2)").arg(j + 1).arg(l.relevance[size_t(j)], 0, 'f', 2);
    m_exampleLabel->setText(tr("row %1 · true %2 · f predicts %3 · g predicts %4 · top: %5")
                                .arg(l.row).arg(name(l.label), name(l.predictedF), name(l.predictedG),
                                                top.join(QStringLiteral(", "))));
    if (m_example->value() != index)
        m_example->setValue(index);
}

int FlintView::currentAttribute() const
{
    return m_have ? m_attribute->value() - 1 : -1;
}

void FlintView::showAttribute(int attribute)
{
    if (!m_have || attribute < 0 || attribute >= m_in.attributes)
        return;
    if (m_attribute->value() != attribute + 1) {
        m_attribute->setValue(attribute + 1); // comes back here through valueChanged
        return;
    }
    QStringList classes;
    for (const auto& p : m_in.globalPairs)
        if (p.attribute == attribute && m_data.data && p.classIndex < m_data.data->numClasses())
            classes << QStringLiteral("%1 (r=%2)")
                           .arg(QString::fromStdString(m_data.data->classNames[size_t(p.classIndex)]))
                           .arg(p.relevance, 0, 'f', 2);
    m_attributeLabel->setText(classes.isEmpty() ? tr("relevant for no class above r = 0.1")
                                                : tr("relevant for: %1").arg(classes.join(QStringLiteral(", "))));
    m_am->setValues({}, {});
    m_am->clearUnderlay();
    m_am->setTitle(tr("AM+PI"));
    updateSamples();
}

void FlintView::updateSamples()
{
    const int j = currentAttribute();
    if (j < 0 || size_t(j) >= m_in.maxActivating.size() || !m_data.data)
        return;
    const auto& d = *m_data.data;
    std::vector<GridCell> cells;
    const auto& rows = m_in.maxActivating[size_t(j)];
    for (size_t q = 0; q < rows.size(); ++q) {
        GridCell c;
        const int64_t r = rows[q];
        const float v = q < m_in.maxActivation[size_t(j)].size() ? m_in.maxActivation[size_t(j)][q] : 0.0f;
        if (d.kind == data::DataKind::Image) {
            c.pixels.assign(d.row(r), d.row(r) + d.featureCount());
            c.shape = d.sampleShape;
            c.caption = QStringLiteral("Φ=%1").arg(v, 0, 'f', 2);
        } else {
            c.caption = QStringLiteral("row %1\nΦ=%2").arg(r).arg(v, 0, 'f', 2);
        }
        cells.push_back(std::move(c));
    }
    m_samples->setCells({cells}, {QStringLiteral("Φ%1").arg(j + 1)});
    m_samples->setTitle(tr("Maximum activating samples of attribute %1").arg(j + 1));
}

void FlintView::setVisualisation(int attribute, const std::vector<float>& pixels)
{
    if (!m_data.data || attribute != currentAttribute())
        return;
    m_am->setValues(std::vector<float>(pixels.size(), 0.0f), m_data.data->sampleShape);
    m_am->setUnderlay(pixels, m_data.data->sampleShape);
    m_am->setUnderlayVisible(true);
    m_am->setTitle(tr("AM+PI of Φ%1").arg(attribute + 1));
}

} // namespace senn::ui
