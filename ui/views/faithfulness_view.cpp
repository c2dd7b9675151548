// The Faithfulness view: methods, N, the run's seed and the measure groups go to the worker;
// the measure box picks which per-point vector of the result the box plot shows, the curve
// box which curves of the current example the plot beside it shows.
#include "ui/views/faithfulness_view.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/plot_style.h"
#include "ui/views/attribution_files_box.h"
#include "ui/views/metric_controls.h"

#include "core/metrics/measures.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

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
    m_measure->addItem(tr("Removal correlation"), QStringLiteral("removal_correlation"));
    m_measure->addItem(tr("Faithfulness correlation (20% subsets)"), QStringLiteral("faithfulness_correlation"));
    m_measure->addItem(tr("Infidelity (σ = 0.003)"), QStringLiteral("infidelity"));
    m_measure->addItem(tr("Infidelity, normalised by β"), QStringLiteral("infidelity_normalized"));
    // The rest of the catalogue, after the four above (their indices are in saved settings).
    for (const auto& info : metrics::measureCatalogue())
        if (!info.group.empty() && m_measure->findData(QString::fromStdString(info.id)) < 0)
            m_measure->addItem(QString::fromStdString(info.name), QString::fromStdString(info.id));
    m_measure->setToolTip(tr("Removal correlation (SENN paper): drops when each feature is removed vs. "
                             "its attribution. Faithfulness correlation (Bhatt et al.): 100 random "
                             "subsets. Infidelity (Yeh et al.): error of Iᵀφ as a prediction of the "
                             "output change under small noise, lower is better; normalised, φ is "
                             "first rescaled by its best factor β. AOPC: mean drop of the output "
                             "while features are removed, most relevant first (MoRF, higher is "
                             "better) or least relevant first (LeRF, lower is better). ROAD imputes "
                             "removed pixels from their neighbours. RIS/ROS: largest change of the "
                             "explanation relative to the change of the input / of the logits "
                             "(lower is better)."));
    form->addRow(tr("&Measure:"), m_measure);
    m_extra = new QCheckBox(tr("Curves and robustness"));
    m_extra->setObjectName("faithfulnessExtra");
    m_extra->setToolTip(tr("Also compute deletion and insertion AOPC, ROAD, RIS, ROS and the average and max "
                           "sensitivity per point (about 130 model rows and 10 explanations more per point)"));
    form->addRow(QString(), m_extra);
    auto* buttons = new QHBoxLayout;
    m_run = metricButton(tr("&Run"), "runFaithfulness", tr("Correlate each method's attributions with the "
                                                     "probability drop when each feature is removed"));
    m_cancel = metricButton(tr("Cancel"), "cancelFaithfulness", tr("Stop"));
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    // The window's ClusterRuns (ui/shell/cluster_runs.h) answers it with the run's Slurm scripts.
    buttons->addWidget(metricButton(tr("Run on a cluster…"), "clusterFaithfulness",
                                    tr("Write Slurm scripts that run these settings in parallel tasks")));
    form->addRow(buttons);
    form->addRow(m_status);
    l->addLayout(form);
    body()->addWidget(box);
    m_files = new AttributionFilesBox;
    body()->addWidget(m_files);
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
    auto* curves = new QWidget;
    auto* cl = new QVBoxLayout(curves);
    cl->setContentsMargins(0, 0, 0, 0);
    auto* pick = new QHBoxLayout;
    m_curveKind = new QComboBox;
    m_curveKind->setObjectName("faithfulnessCurveKind");
    m_curveKind->addItems({tr("Removal"), tr("Deletion (MoRF, LeRF)"), tr("Insertion (MoRF, LeRF)"),
                           tr("ROAD (MoRF, LeRF)")});
    m_curveKind->setToolTip(tr("Removal: the probability after removing the top features one by one. "
                               "Deletion: the explained output while the baseline replaces features, most "
                               "relevant first (solid, should fall fast) and least relevant first (dashed, "
                               "should stay). Insertion: from the baseline, features come back. ROAD: "
                               "removed values are imputed from their neighbours instead."));
    pick->addWidget(new QLabel(tr("C&urves:")));
    qobject_cast<QLabel*>(pick->itemAt(0)->widget())->setBuddy(m_curveKind);
    pick->addWidget(m_curveKind);
    pick->addStretch(1);
    cl->addLayout(pick);
    cl->addWidget(m_removal, 1);
    split->addWidget(m_boxes);
    split->addWidget(curves);
    body()->addWidget(split, 1);
    connect(m_run, &QPushButton::clicked, this, [this] { emit runRequested(methods(), points()); });
    connect(m_cancel, &QPushButton::clicked, this, &FaithfulnessView::cancelRequested);
    connect(m_measure, &QComboBox::currentIndexChanged, this, &FaithfulnessView::showMeasure);
    connect(m_curveKind, &QComboBox::currentIndexChanged, this, &FaithfulnessView::showCurves);
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
    m_files->setRunning(running);
}

const std::vector<metrics::AttributionSource>& FaithfulnessView::attributions() const { return m_files->sources(); }

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

std::string FaithfulnessView::measureId() const { return m_measure->currentData().toString().toStdString(); }

void FaithfulnessView::setCurveKind(int index) { m_curveKind->setCurrentIndex(index); }

std::vector<std::string> FaithfulnessView::measureGroups() const
{
    return m_extra->isChecked() ? metrics::measureGroups() : metrics::defaultMeasureGroups();
}

void FaithfulnessView::setExtraMeasures(bool on) { m_extra->setChecked(on); }

void FaithfulnessView::showMeasure()
{
    if (!m_have)
        return;
    const int k = m_measure->currentIndex();
    const std::string id = measureId();
    const metrics::MeasureInfo* info = metrics::findMeasure(id);
    std::vector<BoxSeries> boxes;
    const int total = int(m_result.points.size());
    for (const auto& [mid, m] : m_result.methods) {
        // The first four are the result's own vectors (sessions of before hold only those).
        auto other = m.measures.find(id);
        if (k > 3 && other == m.measures.end())
            continue;
        const auto& values = k == 0 ? m.perPoint
                            : k == 1 ? m.faithfulnessCorrelation
                            : k == 2 ? m.infidelity
                            : k == 3 ? m.infidelityNormalized
                                     : other->second;
        QString label = methodLabel(mid);
        // SENN's removal correlation correlates the drops with θ·h (its additive contribution,
        // like the other methods' attributions) by default, or with θ as the paper does.
        if (mid == "senn" && k == 0)
            label += m_result.sennAttribution == "theta" ? tr(" (θ)") : tr(" (θ·h)");
        if (m.pointsDone > 0 && m.pointsDone < total) // streamed or cancelled: say how many
            label += tr(" (%1 of %2)").arg(m.pointsDone).arg(total);
        boxes.push_back({label, values, methodColor(mid), m_result.points});
    }
    const bool correlation = k <= 1;
    const bool better = info ? info->higherIsBetter : correlation;
    if (boxes.empty())
        m_boxes->setTitle(tr("%1: not in this run (check “Curves and robustness” and run again)")
                              .arg(m_measure->currentText()));
    else
        m_boxes->setTitle(tr("%1 over %2 test points").arg(m_measure->currentText()).arg(m_result.points.size()));
    const QString direction = better ? tr("higher is better") : tr("lower is better");
    const QString unit = correlation ? tr("Pearson correlation")
                       : k <= 3 ? tr("infidelity")
                       : id == "insertion_auc" ? tr("area under the output")
                       : id.find("aopc") != std::string::npos ? tr("AOPC (output units)")
                       : id == "ris" || id == "ros" ? tr("relative stability")
                                                    : tr("relative change of the explanation");
    m_boxes->setValueLabel(QStringLiteral("%1 (%2)").arg(unit, direction));
    m_boxes->setReferenceLine(correlation || id.find("aopc") != std::string::npos ? 0.0 : std::nan(""));
    // Infidelity and the stabilities span orders of magnitude: a log axis when all are positive.
    bool positive = k == 2 || k == 3 || id == "ris" || id == "ros";
    for (const auto& b : boxes)
        for (double v : b.samples)
            positive = positive && (v > 0 || std::isnan(v));
    m_boxes->setLogY(positive);
    m_boxes->setBoxes(boxes);
}

void FaithfulnessView::setExample(const ExplainResult& r)
{
    m_example = r;
    const bool complete = !r.explanations.empty() && r.removal.size() == r.explanations.size();
    m_removalState = complete ? Removal::Shown : Removal::Missing;
    showCurves();
}

void FaithfulnessView::showCurves()
{
    if (m_removalState == Removal::Computing) // its title says so until the curves come
        return;
    const auto& r = m_example;
    const bool shown = m_removalState == Removal::Shown;
    const int kind = m_curveKind->currentIndex();
    const char* morf = kind == 1 ? "deletion_morf" : kind == 2 ? "insertion_morf" : "road_morf";
    const char* lerf = kind == 1 ? "deletion_lerf" : kind == 2 ? "insertion_lerf" : "road_lerf";
    const char* score = kind == 1 ? "deletion_aopc" : kind == 2 ? "insertion_auc" : "road_morf_aopc";
    std::vector<CurveSeries> series;
    QString output;
    for (size_t i = 0; shown && i < r.explanations.size(); ++i) {
        const QString name = methodLabel(r.explanations[i].method);
        const QColor color = methodColor(r.explanations[i].method); // as in the box plot beside it
        if (kind == 0) {
            const auto& c = r.removal[i].curve;
            if (c.empty())
                continue;
            CurveSeries s;
            s.name = tr("%1 (r = %2)").arg(name).arg(r.removal[i].correlation, 0, 'f', 2);
            s.color = color;
            for (size_t j = 0; j < c.size(); ++j) {
                s.x.push_back(double(j + 1));
                s.median.push_back(c[j]);
            }
            series.push_back(std::move(s));
            continue;
        }
        const auto& p = r.removal[i].perturbation;
        auto m = p.curves.find(morf), l = p.curves.find(lerf);
        if (m == p.curves.end() || l == p.curves.end())
            continue; // ROAD of SENN's concepts, or a failed curve
        output = QString::fromStdString(p.output);
        auto s = p.scores.find(score);
        CurveSeries sm, sl;
        sm.name = tr("%1 MoRF (%2 = %3)").arg(name, kind == 2 ? tr("AUC") : tr("AOPC"))
                      .arg(s != p.scores.end() ? s->second : std::nan(""), 0, 'f', 2);
        sl.name = tr("%1 LeRF").arg(name);
        sm.color = sl.color = color;
        sl.dashed = true;
        sm.x = sl.x = p.fractions;
        sm.median = m->second;
        sl.median = l->second;
        series.push_back(std::move(sm));
        series.push_back(std::move(sl));
    }
    m_removal->setSeries(series);
    static const char* const titles[] = {QT_TR_NOOP("Removal curve of row %1"), QT_TR_NOOP("Deletion curves of row %1"),
                                         QT_TR_NOOP("Insertion curves of row %1"), QT_TR_NOOP("ROAD curves of row %1")};
    m_removal->setTitle(tr(titles[kind]).arg(r.request.row));
    if (kind == 0)
        m_removal->setAxisLabels(tr("features removed (most relevant first)"), tr("probability of the prediction"));
    else
        m_removal->setAxisLabels(kind == 2 ? tr("share of features restored") : tr("share of features removed"),
                                 output == "probability" ? tr("probability of the explained class")
                                                         : tr("logit of the explained class"));
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
    o["curves"] = m_curveKind->currentIndex();
    o["curves_and_robustness"] = m_extra->isChecked();
    return o;
}

void FaithfulnessView::applySettings(const QJsonObject& o)
{
    if (o.isEmpty())
        return;
    applyRunSettings(o, m_methods, m_points, m_seed);
    m_measure->setCurrentIndex(std::clamp(o["measure"].toInt(m_measure->currentIndex()), 0, m_measure->count() - 1));
    m_curveKind->setCurrentIndex(std::clamp(o["curves"].toInt(m_curveKind->currentIndex()), 0, m_curveKind->count() - 1));
    m_extra->setChecked(o["curves_and_robustness"].toBool(m_extra->isChecked()));
}

} // namespace senn::ui
