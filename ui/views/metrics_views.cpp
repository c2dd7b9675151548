#include "ui/views/metrics_views.h"

#include "core/train/trainer.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/comparison_panel.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/stability_series.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QRegularExpression>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

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

bool isImageModel(const ModelSummary& s)
{
    return s.meta.dataKind == data::DataKind::Image || s.meta.inputShape.size() == 3;
}

// A stability curve plot whose exports add, after the curves, each point's value with its
// data row: CSV columns row_<id> next to the median, JSON "points" and per series "per_point".
class PointCurvePlot : public CurvePlot {
public:
    // moves: the "explanation moves" curves (StabilityResult::moves) instead of L̂.
    PointCurvePlot(const metrics::StabilityResult* result, bool moves) : m_result(result), m_moves(moves) {}

    QString dataCsv() const override
    {
        const auto& curves = m_moves ? m_result->moves : m_result->methods;
        QString out = QStringLiteral("series,x,median,q25,q75");
        for (int64_t r : m_result->points)
            out += QStringLiteral(",row_%1").arg(r);
        out += QLatin1Char('\n');
        auto num = [](const std::vector<double>& v, size_t i) {
            return i < v.size() && std::isfinite(v[i]) ? QString::number(v[i], 'g', 9) : QString();
        };
        // The method curves come first, in the order of the result's map (lipschitzSeries,
        // movesSeries), then the dashed share of kept predictions, which has no per-point values.
        auto it = curves.begin();
        for (const CurveSeries& c : series()) {
            const metrics::Curve* curve = it != curves.end() ? &(it++)->second : nullptr;
            const size_t n = std::min(c.x.size(), c.median.size());
            for (size_t i = 0; i < n; ++i) {
                out += QStringLiteral("%1,%2,%3,%4,%5").arg(csvField(c.name), num(c.x, i), num(c.median, i),
                                                           num(c.q25, i), num(c.q75, i));
                for (size_t p = 0; p < m_result->points.size(); ++p)
                    out += QLatin1Char(',') + (curve && i < curve->perPoint.size() ? num(curve->perPoint[i], p) : QString());
                out += QLatin1Char('\n');
            }
        }
        return out;
    }

    QString dataJson() const override
    {
        auto doc = QJsonDocument::fromJson(CurvePlot::dataJson().toUtf8()).object();
        const auto& curves = m_moves ? m_result->moves : m_result->methods;
        QJsonArray points;
        for (int64_t r : m_result->points)
            points.append(double(r));
        doc[QStringLiteral("points")] = points;
        auto series = doc[QStringLiteral("series")].toArray();
        int i = 0;
        for (const auto& [id, c] : curves) {
            if (i >= series.size())
                break;
            auto o = series[i].toObject();
            QJsonArray perEps;
            for (const auto& v : c.perPoint) {
                QJsonArray a;
                for (double x : v)
                    a.append(std::isfinite(x) ? QJsonValue(x) : QJsonValue());
                perEps.append(a);
            }
            o[QStringLiteral("method")] = QString::fromStdString(id);
            o[QStringLiteral("per_point")] = perEps;
            series[i++] = o;
        }
        doc[QStringLiteral("series")] = series;
        return QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Indented));
    }

private:
    const metrics::StabilityResult* m_result;
    bool m_moves;
};

QPushButton* button(const QString& text, const QString& name, const QString& tip)
{
    auto* b = new QPushButton(text);
    b->setObjectName(name);
    b->setToolTip(tip);
    return b;
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
    m_seed = new QSpinBox;
    m_seed->setObjectName("stabilitySeed");
    m_seed->setRange(0, 1 << 30);
    m_seed->setToolTip(tr("The run's seed: every random draw of the estimate (search draws, noise, the "
                          "sampling methods' samples) comes from it, here instead of the explainer "
                          "settings' seed. The same seed gives the same curves as `senn stability --seed`."));
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
    m_run = button(tr("&Run"), "runStability", tr("Estimate L̂ for every method at every ε"));
    m_cancel = button(tr("Cancel"), "cancelStability", tr("Stop the estimate"));
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    form->addRow(buttons);
    m_status = new QLabel;
    m_status->setObjectName("stabilityStatus");
    form->addRow(m_status);
    sl->addLayout(form);
    body()->addWidget(settingsBox);

    auto* split = new QSplitter(Qt::Vertical);
    auto* plots = new QSplitter(Qt::Horizontal);
    m_curves = new PointCurvePlot(&m_result, false);
    m_curves->setTitle(tr("Local Lipschitz L̂ vs. ε (median, quartiles)"));
    // Short axis titles (the plot title names the measure): they fit the axis at 1280×800.
    m_curves->setAxisLabels(tr("ε"), tr("L̂"));
    m_curves->setLogX(true);
    m_curves->setExportName("stability");
    m_moves = new PointCurvePlot(&m_result, true);
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

double StabilityView::perturbation() const { return m_slider->value() / 100.0 * kMaxPerturbation; }

StabilityRequest StabilityView::request() const
{
    StabilityRequest r;
    r.methods = m_methods->methods();
    r.points = m_points->value();
    r.seed = uint64_t(m_seed->value());
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
    m_result = {};
    m_curves->clear();
    m_moves->clear();
    m_boxes->clear();
    m_perturbPanel->clear();
    showPerturbPanel(false);
    if (s.data)
        applyDefaults(s.data->isImage());
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
    m_result = {};
    m_curves->clear();
    m_moves->clear();
    m_boxes->clear();
    m_perturbPanel->clear();
    showPerturbPanel(false);
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
    QJsonObject o;
    o["methods"] = QJsonArray::fromStringList(m_methods->methodIds());
    o["points"] = m_points->value();
    o["eps"] = m_eps->text();
    o["seed"] = m_seed->value();
    o["draws"] = m_draws->currentData().toString();
    return o;
}

void StabilityView::applySettings(const QJsonObject& o)
{
    if (o.isEmpty())
        return;
    QStringList ids;
    for (const auto& v : o["methods"].toArray())
        ids << v.toString();
    if (!ids.isEmpty())
        m_methods->setMethodIds(ids);
    m_points->setValue(o["points"].toInt(m_points->value()));
    m_eps->setText(o["eps"].toString(m_eps->text()));
    m_seed->setValue(o["seed"].toInt(m_seed->value()));
    const int di = m_draws->findData(o["draws"].toString(m_draws->currentData().toString()));
    if (di >= 0)
        m_draws->setCurrentIndex(di);
}

// ---- Faithfulness ----------------------------------------------------------------------

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
    form->addRow(tr("&Points:"), m_points);
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
    m_run = button(tr("&Run"), "runFaithfulness", tr("Correlate each method's attributions with the "
                                                     "probability drop when each feature is removed"));
    m_cancel = button(tr("Cancel"), "cancelFaithfulness", tr("Stop"));
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

void FaithfulnessView::setModel(const ModelSummary& s)
{
    m_methods->setModelKind(s.isSenn, s.valid && s.meta.config.kind == models::ModelKind::Flint);
    m_boxes->clear();
    m_removal->clear();
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
    std::vector<CurveSeries> series;
    for (size_t i = 0; i < r.explanations.size() && i < r.removal.size(); ++i) {
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

QJsonObject FaithfulnessView::settings() const
{
    QJsonObject o;
    o["methods"] = QJsonArray::fromStringList(m_methods->methodIds());
    o["points"] = m_points->value();
    o["measure"] = m_measure->currentIndex();
    return o;
}

void FaithfulnessView::applySettings(const QJsonObject& o)
{
    if (o.isEmpty())
        return;
    QStringList ids;
    for (const auto& v : o["methods"].toArray())
        ids << v.toString();
    if (!ids.isEmpty())
        m_methods->setMethodIds(ids);
    m_points->setValue(o["points"].toInt(m_points->value()));
    m_measure->setCurrentIndex(std::clamp(o["measure"].toInt(m_measure->currentIndex()), 0, m_measure->count() - 1));
}

} // namespace senn::ui
