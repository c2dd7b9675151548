// The Stability view: its form builds a StabilityRequest (methods, N, ε grid, the run's seed,
// draws); results stream in and fill the curves, the box plot and the status line.
#include "ui/views/stability_view.h"

#include "core/train/trainer.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/comparison_panel.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/stability_series.h"
#include "ui/views/metric_controls.h"
#include "ui/views/stability_curve_plot.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace senn::ui {

namespace {
constexpr double kMaxPerturbation = 0.5; // slider end, in training-std units

QString epsText(const std::vector<double>& eps)
{
    QStringList parts;
    for (double e : eps)
        parts << QString::number(e, 'g', 6);
    return parts.join(QStringLiteral(", "));
}
} // namespace

StabilityView::StabilityView(QWidget* parent) : ViewPage("stability", tr("Stability"), parent)
{
    auto* settingsBox = new QGroupBox(tr("Perturbation stability"));
    auto* sl = new QHBoxLayout(settingsBox);
    m_methods = new MethodPicker(nullptr, 5);
    m_methods->setMethodIds({"senn", "saliency", "integrated-gradients", "lime"});
    sl->addWidget(m_methods, 1);
    auto* form = new QFormLayout;
    const auto defaults = metrics::metricDefaults(false);
    m_points = new QSpinBox;
    m_points->setObjectName("stabilityPoints");
    m_points->setRange(1, 1000);
    m_points->setValue(defaults.stabilityPoints);
    m_points->setToolTip(tr("Test points N the estimate is taken over: N rows evenly spaced over the test "
                            "split, the rows `senn stability --points N` takes"));
    m_eps = new QLineEdit(epsText(defaults.eps));
    m_eps->setObjectName("epsGrid");
    m_eps->setToolTip(tr("Radii ε of the neighbourhood, in units of each feature's training std"));
    m_seed = runSeedBox("stabilitySeed", tr("every random draw of the estimate (search draws, noise, "
                                            "the sampling methods' samples)"),
                        QStringLiteral("stability"));
    m_draws = new QComboBox;
    m_draws->setObjectName("stabilityDraws");
    m_draws->addItem(tr("independent (what a user meets)"), QStringLiteral("independent"));
    m_draws->addItem(tr("shared (the explanation function alone)"), QStringLiteral("shared"));
    m_draws->setToolTip(tr("Sampling methods (LIME, KernelSHAP, SmoothGrad): independent draws give every "
                           "perturbed input its own random samples (seeded from the run's seed), so L̂ "
                           "includes the sampling noise; shared draws reuse the samples of x everywhere. "
                           "SENN and the other gradient methods give the same result either way."));
    form->addRow(tr("&Points N:"), m_points);
    form->addRow(tr("&ε grid:"), m_eps);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(tr("&Draws:"), m_draws);
    auto* buttons = new QHBoxLayout;
    m_run = metricButton(tr("&Run"), "runStability", tr("Estimate L̂ for every method at every ε"));
    m_cancel = metricButton(tr("Cancel"), "cancelStability", tr("Stop the estimate"));
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    // The window's ClusterRuns (ui/shell/cluster_runs.h) answers it with the run's Slurm scripts.
    buttons->addWidget(metricButton(tr("Run on a cluster…"), "clusterStability",
                                    tr("Write Slurm scripts that run these settings in parallel tasks")));
    form->addRow(buttons);
    m_status = new QLabel;
    m_status->setObjectName("stabilityStatus");
    form->addRow(m_status);
    sl->addLayout(form);
    body()->addWidget(settingsBox);

    auto* split = new QSplitter(Qt::Vertical);
    auto* plots = new QSplitter(Qt::Horizontal);
    m_curves = new StabilityCurvePlot(&m_result, false);
    m_curves->setTitle(tr("Local Lipschitz L̂ vs. ε (median, quartiles)"));
    // Short axis titles (the plot title names the measure): they fit the axis at 1280×800.
    m_curves->setAxisLabels(tr("ε"), tr("L̂"));
    m_curves->setLogX(true);
    m_curves->setExportName("stability");
    m_moves = new StabilityCurvePlot(&m_result, true);
    m_moves->setObjectName("movesPlot");
    m_moves->setTitle(tr("Explanation moves under noise σ (median, quartiles)"));
    // ‖Δe‖ / ‖e‖ = ‖e(x′) − e(x)‖ / ‖e(x)‖ (the tooltip): short enough for the axis at 1280×800.
    m_moves->setAxisLabels(tr("noise σ (training std)"), tr("‖Δe‖ / ‖e‖"));
    m_moves->setLogX(true);
    m_moves->setExportName("explanation-moves");
    m_moves->setToolTip(tr("x′ = x + σ·std·z with Gaussian z (σ = each ε of the grid, the same draws "
                           "for every σ). The dashed line is the share of noisy points whose "
                           "prediction stays that of x: where it is near 1 while a curve rises, "
                           "the explanation changed although the prediction did not."));
    auto* boxSide = new QWidget;
    auto* bl = new QVBoxLayout(boxSide);
    bl->setContentsMargins(0, 0, 0, 0);
    m_boxEps = new QComboBox;
    m_boxEps->setToolTip(tr("The ε whose per-point L̂ the box plot shows"));
    m_boxes = new BoxPlot;
    m_boxes->setTitle(tr("L̂ over test points"));
    m_boxes->setValueLabel(tr("L̂"));
    m_boxes->setExportName("stability-boxes");
    bl->addWidget(m_boxEps);
    bl->addWidget(m_boxes, 1);
    plots->addWidget(m_curves);
    plots->addWidget(m_moves);
    plots->addWidget(boxSide);
    plots->setSizes({420, 420, 320});
    split->addWidget(plots);

    m_perturbBox = new QGroupBox(tr("Perturb this example (the one chosen in the Explain view)"));
    m_perturbBox->setObjectName("perturbBox");
    auto* pl = new QVBoxLayout(m_perturbBox);
    auto* prow = new QHBoxLayout;
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setObjectName("perturbSlider");
    m_slider->setRange(0, 100);
    m_slider->setToolTip(tr("Adds t · noise (a fixed random direction, in training-std units) to "
                            "the example and explains it again"));
    m_perturbLabel = new QLabel(tr("t = 0"));
    m_perturbLabel->setMinimumWidth(240);
    prow->addWidget(new QLabel(tr("Noise t:")));
    prow->addWidget(m_slider, 1);
    prow->addWidget(m_perturbLabel);
    pl->addLayout(prow);
    m_perturbPanel = new ComparisonPanel;
    auto* scroll = new QScrollArea;
    scroll->setObjectName("perturbScroll");
    scroll->setWidget(m_perturbPanel);
    scroll->setWidgetResizable(true);
    m_perturbScroll = scroll;
    pl->addWidget(scroll, 1);
    split->addWidget(m_perturbBox);
    split->setStretchFactor(0, 1);
    split->setChildrenCollapsible(false);
    m_split = split;
    body()->addWidget(split, 1);
    showPerturbPanel(false); // only the slider until there is an explanation to show

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(200);
    connect(m_slider, &QSlider::valueChanged, this, [this] {
        m_perturbLabel->setText(tr("t = %1 …").arg(perturbation(), 0, 'f', 3));
        m_debounce->start();
    });
    connect(m_debounce, &QTimer::timeout, this, [this] { emit perturbRequested(perturbation()); });
    connect(m_run, &QPushButton::clicked, this, [this] { emit runRequested(request()); });
    connect(m_cancel, &QPushButton::clicked, this, &StabilityView::cancelRequested);
    connect(m_boxEps, &QComboBox::currentIndexChanged, this, &StabilityView::showBoxesAt);
    setRunning(false);
}

uint64_t StabilityView::seed() const { return uint64_t(m_seed->value()); }

double StabilityView::perturbation() const { return m_slider->value() / 100.0 * kMaxPerturbation; }

StabilityRequest StabilityView::request() const
{
    StabilityRequest r;
    r.methods = m_methods->methods();
    r.points = m_points->value();
    r.seed = seed();
    r.draws = m_draws->currentData().toString() == QLatin1String("shared") ? metrics::Draws::Shared
                                                                            : metrics::Draws::Independent;
    for (const auto& part : m_eps->text().split(QRegularExpression("[,; ]+"), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double e = part.toDouble(&ok);
        if (ok && e > 0)
            r.eps.push_back(e);
    }
    if (r.eps.empty())
        r.eps = metrics::metricDefaults(m_image).eps;
    return r;
}

void StabilityView::setDataset(const DatasetSummary& s)
{
    m_data = s;
    clearResult();
    if (s.data)
        applyDefaults(s.data->isImage());
}

void StabilityView::clearResult()
{
    m_result = {};
    m_curves->clear();
    m_moves->clear();
    m_boxes->clear();
    m_perturbPanel->clear();
    showPerturbPanel(false);
}

void StabilityView::applyDefaults(bool image)
{
    // Core's defaults for the kind of data, where the field still holds a default (of either
    // kind): a grid the user typed, or a session restored, stays.
    const auto tab = metrics::metricDefaults(false), img = metrics::metricDefaults(true);
    const auto& d = image ? img : tab;
    const QString text = m_eps->text().trimmed();
    if (text == epsText(tab.eps) || text == epsText(img.eps))
        m_eps->setText(epsText(d.eps));
    if (m_points->value() == tab.stabilityPoints || m_points->value() == img.stabilityPoints)
        m_points->setValue(d.stabilityPoints);
    m_image = image;
}

void StabilityView::showPerturbPanel(bool show)
{
    // An empty panel would take the plots' room: the box shrinks to its slider row until an
    // explanation of the perturbed example arrives.
    m_perturbScroll->setVisible(show);
    if (show) {
        m_perturbBox->setMaximumHeight(QWIDGETSIZE_MAX);
        const int total = std::max(400, m_split->height());
        m_split->setSizes({total * 55 / 100, total * 45 / 100});
    } else {
        m_perturbBox->setMaximumHeight(m_perturbBox->sizeHint().height());
    }
}

void StabilityView::setModel(const ModelSummary& s)
{
    m_methods->setModelKind(s.isSenn, s.valid && s.meta.config.kind == models::ModelKind::Flint);
    setModelWarning(s.valid ? QString::fromStdString(train::thetaVariationWarning(s.meta)) : QString());
    clearResult();
    if (s.valid)
        applyDefaults(isImageModel(s));
    m_run->setEnabled(s.valid && s.hasData);
}

void StabilityView::setRunning(bool running)
{
    m_run->setEnabled(!running);
    m_cancel->setEnabled(running);
}

void StabilityView::setResult(const metrics::StabilityResult& r)
{
    const bool sameGrid = m_result.eps == r.eps && m_boxEps->count() == int(r.eps.size());
    m_result = r;
    m_curves->setSeries(lipschitzSeries(r));
    m_moves->setSeries(movesSeries(r));
    m_curves->setTitle(tr("Local Lipschitz L̂ vs. ε (median, quartiles; %1 draws)")
                           .arg(QString::fromStdString(r.draws)));
    // Points finished so far (a streamed or cancelled run shows fewer than it asked for).
    int done = 0, total = 0;
    for (const auto& [id, c] : r.methods) {
        done += c.pointsDone;
        total += int(r.points.size());
    }
    const bool partial = done < total && done > 0;
    m_status->setText(r.cancelled ? tr("Cancelled: kept %1 of %2 (method, point) results").arg(done).arg(total)
                      : partial   ? tr("%1 of %2 (method, point) results, %3 s").arg(done).arg(total)
                                      .arg(r.seconds, 0, 'f', 1)
                      : total > 0 && r.seconds > 0
                          ? tr("%1 points × %2 methods in %3 s on %4 threads").arg(r.points.size())
                                .arg(r.methods.size()).arg(r.seconds, 0, 'f', 1).arg(r.threads)
                          : QString());
    if (sameGrid) { // streamed update: keep the chosen ε
        showBoxesAt(m_boxEps->currentIndex());
        return;
    }
    const QSignalBlocker block(m_boxEps);
    m_boxEps->clear();
    for (double e : r.eps)
        m_boxEps->addItem(tr("ε = %1").arg(e));
    m_boxEps->setCurrentIndex(std::max(0, m_boxEps->count() - 1));
    showBoxesAt(m_boxEps->currentIndex());
}

void StabilityView::showBoxesAt(int i)
{
    std::vector<BoxSeries> boxes;
    for (const auto& [id, c] : m_result.methods)
        if (i >= 0 && size_t(i) < c.perPoint.size())
            boxes.push_back({methodLabel(id), c.perPoint[size_t(i)], methodColor(id), m_result.points}); // one colour per method
    m_boxes->setBoxes(boxes);
}

void StabilityView::setPerturbResult(const ExplainResult& r)
{
    if (!m_data.data)
        return;
    const auto& d = *m_data.data;
    ExplainInput in;
    in.values = r.input;
    in.shape = d.sampleShape;
    in.isImage = d.isImage();
    in.featureNames = d.featureNames;
    const auto name = [&](int64_t c) { return c >= 0 && c < d.numClasses() ? QString::fromStdString(d.classNames[size_t(c)]) : QString("?"); };
    const double conf = r.prediction >= 0 && size_t(r.prediction) < r.probabilities.size()
        ? r.probabilities[size_t(r.prediction)] * 100.0 : 0.0;
    in.title = tr("Row %1 + %2·noise — true %3, predicted %4 (%5%)").arg(r.request.row)
                   .arg(r.request.noise, 0, 'f', 3).arg(name(r.label), name(r.prediction)).arg(conf, 0, 'f', 1);
    m_perturbLabel->setText(tr("t = %1: predicted %2 (%3%)").arg(r.request.noise, 0, 'f', 3)
                                .arg(name(r.prediction)).arg(conf, 0, 'f', 1));
    m_perturbPanel->setInput(in);
    m_perturbPanel->setExplanations(r.explanations);
    if (!m_perturbScroll->isVisible())
        showPerturbPanel(true);
}

QJsonObject StabilityView::settings() const
{
    QJsonObject o = runSettings(m_methods, m_points, m_seed);
    o["eps"] = m_eps->text();
    o["draws"] = m_draws->currentData().toString();
    return o;
}

void StabilityView::applySettings(const QJsonObject& o)
{
    if (o.isEmpty())
        return;
    applyRunSettings(o, m_methods, m_points, m_seed);
    m_eps->setText(o["eps"].toString(m_eps->text()));
    const int di = m_draws->findData(o["draws"].toString(m_draws->currentData().toString()));
    if (di >= 0)
        m_draws->setCurrentIndex(di);
}

} // namespace senn::ui
