// The Faithfulness view: methods, N and the run's seed go to the worker; the measure box picks
// which per-point vector of the result the box plot shows.
#include "ui/views/faithfulness_view.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/plot_style.h"
#include "ui/views/metric_controls.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>

#include <algorithm>
#include <cmath>

namespace senn::ui {

FaithfulnessView::FaithfulnessView(QWidget* parent) : ViewPage("faithfulness", tr("Faithfulness"), parent)
{
    auto* box = new QGroupBox(tr("Faithfulness of each method's attributions"));
    auto* l = new QHBoxLayout(box);
    m_methods = new MethodPicker(nullptr, 5);
    m_methods->setMethodIds({"senn", "saliency", "integrated-gradients", "lime", "kernel-shap"});
    l->addWidget(m_methods, 1);
    auto* form = new QFormLayout;
    m_points = new QSpinBox;
    m_points->setObjectName("faithfulnessPoints");
    m_points->setRange(1, 2000);
    m_points->setValue(metrics::metricDefaults(false).faithfulnessPoints);
    m_points->setToolTip(tr("Test points N: N rows evenly spaced over the test split, the rows "
                            "`senn faithfulness --points N` takes"));
    m_seed = runSeedBox("faithfulnessSeed", tr("the sampling methods' samples, the random subsets of the "
                                                "faithfulness correlation and the noise of infidelity"),
                        QStringLiteral("faithfulness"));
    form->addRow(tr("&Points:"), m_points);
    form->addRow(tr("Seed:"), m_seed);
    m_status = new QLabel;
    m_status->setObjectName("faithfulnessStatus");
    m_measure = new QComboBox;
    m_measure->setObjectName("faithfulnessMeasure");
    m_measure->addItem(tr("Removal correlation"));
    m_measure->addItem(tr("Faithfulness correlation (20% subsets)"));
    m_measure->addItem(tr("Infidelity (σ = 0.003)"));
    m_measure->addItem(tr("Infidelity, normalised by β"));
    m_measure->setToolTip(tr("Removal correlation (SENN paper): drops when each feature is removed vs. "
                             "its attribution. Faithfulness correlation (Bhatt et al.): 100 random "
                             "subsets. Infidelity (Yeh et al.): error of Iᵀφ as a prediction of the "
                             "output change under small noise, lower is better; normalised, φ is "
                             "first rescaled by its best factor β."));
    form->addRow(tr("&Measure:"), m_measure);
    auto* buttons = new QHBoxLayout;
    m_run = metricButton(tr("&Run"), "runFaithfulness", tr("Correlate each method's attributions with the "
                                                     "probability drop when each feature is removed"));
    m_cancel = metricButton(tr("Cancel"), "cancelFaithfulness", tr("Stop"));
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    form->addRow(buttons);
    form->addRow(m_status);
    l->addLayout(form);
    body()->addWidget(box);
    auto* split = new QSplitter(Qt::Horizontal);
    m_boxes = new BoxPlot;
    m_boxes->setTitle(tr("Removal correlation over test points"));
    m_boxes->setValueLabel(tr("Pearson correlation"));
    m_boxes->setReferenceLine(0.0);
    m_boxes->setExportName("faithfulness");
    m_removal = new CurvePlot;
    m_removal->setTitle(tr("Removal curve of the current example"));
    m_removal->setAxisLabels(tr("features removed (most relevant first)"), tr("probability of the prediction"));
    m_removal->setExportName("removal-curve");
    split->addWidget(m_boxes);
    split->addWidget(m_removal);
    body()->addWidget(split, 1);
    connect(m_run, &QPushButton::clicked, this, [this] { emit runRequested(methods(), points()); });
    connect(m_cancel, &QPushButton::clicked, this, &FaithfulnessView::cancelRequested);
    connect(m_measure, &QComboBox::currentIndexChanged, this, &FaithfulnessView::showMeasure);
    setRunning(false);
}

std::vector<explain::Method> FaithfulnessView::methods() const { return m_methods->methods(); }
int FaithfulnessView::points() const { return m_points->value(); }
uint64_t FaithfulnessView::seed() const { return uint64_t(m_seed->value()); }

void FaithfulnessView::setModel(const ModelSummary& s)
{
    m_methods->setModelKind(s.isSenn, s.valid && s.meta.config.kind == models::ModelKind::Flint);
    m_boxes->clear();
    // The example was explained by the previous model: its curves are not this model's.
    m_removal->clear();
    m_removal->setTitle(tr("Removal curve of the current example"));
    m_example = {};
    m_removalState = Removal::Missing;
    m_have = false;
    if (s.valid) {
        // Core's default for the kind of data, unless the user changed the count.
        const int tab = metrics::metricDefaults(false).faithfulnessPoints;
        const int img = metrics::metricDefaults(true).faithfulnessPoints;
        if (m_points->value() == tab || m_points->value() == img)
            m_points->setValue(metrics::metricDefaults(isImageModel(s)).faithfulnessPoints);
    }
    m_run->setEnabled(s.valid && s.hasData);
}

void FaithfulnessView::setRunning(bool running)
{
    m_run->setEnabled(!running);
    m_cancel->setEnabled(running);
}

void FaithfulnessView::setResult(const metrics::FaithfulnessResult& r)
{
    m_result = r;
    m_have = true;
    int done = 0, total = 0;
    for (const auto& [id, m] : r.methods) {
        done += m.pointsDone;
        total += int(r.points.size());
    }
    m_status->setText(r.cancelled ? tr("Cancelled: kept %1 of %2 (method, point) results").arg(done).arg(total)
                      : done > 0 && done < total ? tr("%1 of %2 (method, point) results").arg(done).arg(total)
                      : total > 0 && r.seconds > 0 ? tr("%1 s on %2 threads").arg(r.seconds, 0, 'f', 1).arg(r.threads)
                                                   : QString());
    showMeasure();
}

void FaithfulnessView::setMeasure(int index) { m_measure->setCurrentIndex(index); }
int FaithfulnessView::measure() const { return m_measure->currentIndex(); }

void FaithfulnessView::showMeasure()
{
    if (!m_have)
        return;
    const int k = m_measure->currentIndex();
    std::vector<BoxSeries> boxes;
    const int total = int(m_result.points.size());
    for (const auto& [id, m] : m_result.methods) {
        const auto& values = k == 1 ? m.faithfulnessCorrelation
                            : k == 2 ? m.infidelity
                            : k == 3 ? m.infidelityNormalized
                                     : m.perPoint;
        QString label = methodLabel(id);
        // SENN's removal correlation correlates the drops with θ·h (its additive contribution,
        // like the other methods' attributions) by default, or with θ as the paper does.
        if (id == "senn" && k == 0)
            label += m_result.sennAttribution == "theta" ? tr(" (θ)") : tr(" (θ·h)");
        if (m.pointsDone > 0 && m.pointsDone < total) // streamed or cancelled: say how many
            label += tr(" (%1 of %2)").arg(m.pointsDone).arg(total);
        boxes.push_back({label, values, methodColor(id), m_result.points});
    }
    const bool correlation = k <= 1;
    m_boxes->setTitle(tr("%1 over %2 test points").arg(m_measure->currentText()).arg(m_result.points.size()));
    m_boxes->setValueLabel(correlation ? tr("Pearson correlation (higher is better)")
                                       : tr("infidelity (lower is better)"));
    m_boxes->setReferenceLine(correlation ? 0.0 : std::nan(""));
    // Infidelity spans orders of magnitude between methods: a log axis when all are positive.
    bool positive = !correlation;
    for (const auto& b : boxes)
        for (double v : b.samples)
            positive = positive && v > 0;
    m_boxes->setLogY(positive);
    m_boxes->setBoxes(boxes);
}

void FaithfulnessView::setExample(const ExplainResult& r)
{
    m_example = r;
    const bool complete = !r.explanations.empty() && r.removal.size() == r.explanations.size();
    m_removalState = complete ? Removal::Shown : Removal::Missing;
    std::vector<CurveSeries> series;
    for (size_t i = 0; complete && i < r.explanations.size(); ++i) {
        const auto& c = r.removal[i].curve;
        if (c.empty())
            continue;
        CurveSeries s;
        s.name = tr("%1 (r = %2)").arg(methodLabel(r.explanations[i].method))
                     .arg(r.removal[i].correlation, 0, 'f', 2);
        s.color = methodColor(r.explanations[i].method); // as in the box plot beside it
        for (size_t j = 0; j < c.size(); ++j) {
            s.x.push_back(double(j + 1));
            s.median.push_back(c[j]);
        }
        series.push_back(std::move(s));
    }
    m_removal->setSeries(series);
    m_removal->setTitle(tr("Removal curve of row %1").arg(r.request.row));
}

bool FaithfulnessView::needsRemoval() const
{
    return m_example.request.row >= 0 && !m_example.explanations.empty() && m_removalState == Removal::Missing;
}

void FaithfulnessView::setRemovalRunning()
{
    if (m_example.request.row < 0 || m_removalState == Removal::Shown)
        return;
    m_removalState = Removal::Computing;
    m_removal->clear();
    m_removal->setTitle(tr("Computing the removal curves of row %1…").arg(m_example.request.row));
}

void FaithfulnessView::removalEnded()
{
    if (m_removalState != Removal::Computing)
        return;
    m_removalState = Removal::Missing;
    m_removal->setTitle(tr("Removal curves of row %1: not computed").arg(m_example.request.row));
}

QJsonObject FaithfulnessView::settings() const
{
    QJsonObject o = runSettings(m_methods, m_points, m_seed);
    o["measure"] = m_measure->currentIndex();
    return o;
}

void FaithfulnessView::applySettings(const QJsonObject& o)
{
    if (o.isEmpty())
        return;
    applyRunSettings(o, m_methods, m_points, m_seed);
    m_measure->setCurrentIndex(std::clamp(o["measure"].toInt(m_measure->currentIndex()), 0, m_measure->count() - 1));
}

} // namespace senn::ui
