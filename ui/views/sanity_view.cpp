// The Sanity view: methods (with the edge-detector control), points, seed, randomisation mode
// and the optional tests go to the worker; the measure box only changes what is drawn.
#include "ui/views/sanity_view.h"

#include "ui/plots/plot_frame.h"
#include "ui/plots/sanity_figure.h"
#include "ui/plots/sanity_plot.h"
#include "ui/plots/sanity_strip.h"
#include "ui/views/metric_controls.h"

#include "core/metrics/metrics.h"
#include "core/metrics/similarity.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>

namespace senn::ui {

SanityView::SanityView(QWidget* parent) : ViewPage("sanity", tr("Sanity"), parent)
{
    auto* box = new QGroupBox(tr("Does each explanation depend on the model? (model and data randomisation)"));
    auto* l = new QHBoxLayout(box);
    auto* left = new QVBoxLayout;
    m_methods = new MethodPicker(nullptr, 5);
    m_methods->setMethodIds({"saliency", "grad-input", "integrated-gradients", "smoothgrad"});
    left->addWidget(m_methods);
    m_edge = new QCheckBox(tr("Edge detector (a control that ignores the model)"));
    m_edge->setObjectName("sanityEdge");
    m_edge->setChecked(true);
    m_edge->setToolTip(tr("The input's edges (Sobel magnitude for images, |x − mean| for tables): it "
                          "never changes when the model does, so its line stays at 1. This is what "
                          "a method that fails the checks looks like."));
    left->addWidget(m_edge);
    l->addLayout(left, 1);
    auto* form = new QFormLayout;
    m_points = new QSpinBox;
    m_points->setObjectName("sanityPoints");
    m_points->setRange(1, 2000);
    m_points->setValue(10);
    m_points->setToolTip(tr("Test points N: N rows evenly spaced over the test split, the rows "
                            "`senn sanity --points N` takes (default 10 on images, 20 on tables)"));
    m_seed = runSeedBox("sanitySeed", tr("the re-drawn weights, the sampling methods' samples, the random "
                                         "classes and the permuted labels"),
                        QStringLiteral("sanity"));
    m_mode = new QComboBox;
    m_mode->setObjectName("sanityMode");
    m_mode->addItem(tr("Cascading (output layer first, cumulative)"));
    m_mode->addItem(tr("Independent (one layer at a time)"));
    m_measure = new QComboBox;
    m_measure->setObjectName("sanityMeasure");
    for (const auto& id : metrics::similarityMeasures())
        m_measure->addItem(QString::fromStdString(metrics::similarityDisplayName(id)), QString::fromStdString(id));
    m_measure->setToolTip(tr("How alike the explanation of the randomised model is to the original one. "
                             "SSIM compares the heat maps of image explanations."));
    m_randomLogit = new QCheckBox(tr("Random logit"));
    m_randomLogit->setObjectName("sanityRandomLogit");
    m_randomLogit->setChecked(true);
    m_randomLogit->setToolTip(tr("Also explain a random class other than the predicted one: the "
                                 "explanation should differ"));
    auto* retrain = new QHBoxLayout;
    m_dataRandomisation = new QCheckBox(tr("Permuted labels, epochs:"));
    m_dataRandomisation->setObjectName("sanityDataRandomisation");
    m_dataRandomisation->setToolTip(tr("Retrain the same architecture with the same settings on shuffled "
                                       "training labels and compare its explanations (expensive)"));
    m_epochs = new QSpinBox;
    m_epochs->setObjectName("sanityEpochs");
    m_epochs->setRange(1, 1000);
    m_epochs->setValue(3);
    retrain->addWidget(m_dataRandomisation);
    retrain->addWidget(m_epochs);
    form->addRow(tr("&Points:"), m_points);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(tr("M&ode:"), m_mode);
    form->addRow(tr("&Measure:"), m_measure);
    form->addRow(m_randomLogit);
    form->addRow(retrain);
    auto* buttons = new QHBoxLayout;
    m_run = metricButton(tr("&Run"), "runSanity", tr("Re-draw the layers one by one and explain the same points"));
    m_cancel = metricButton(tr("Cancel"), "cancelSanity", tr("Stop; the finished steps stay"));
    m_export = metricButton(tr("Export…"), "exportSanity", tr("The figure (PNG, SVG, PDF) or its numbers (CSV, JSON)"));
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_export);
    // The window's ClusterRuns (ui/shell/cluster_runs.h) answers it with the run's Slurm scripts.
    buttons->addWidget(metricButton(tr("Run on a cluster…"), "clusterSanity",
                                    tr("Write Slurm scripts that run these settings in parallel tasks")));
    form->addRow(buttons);
    m_status = new QLabel;
    m_status->setObjectName("sanityStatus");
    m_status->setWordWrap(true);
    form->addRow(m_status);
    l->addLayout(form);
    body()->addWidget(box);
    m_plot = new SanityPlot;
    m_plot->setTitle(tr("Similarity to the original explanation as layers are re-drawn"));
    body()->addWidget(m_plot, 1);
    m_strip = new SanityStrip;
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_strip);
    scroll->setWidgetResizable(true);
    scroll->setMinimumHeight(190); // two rows of the strip without scrolling
    scroll->setMaximumHeight(320);
    body()->addWidget(scroll);
    auto* menu = new QMenu(m_export);
    menu->addAction(tr("Figure (PNG, SVG, PDF)…"), this, &SanityView::exportFigureDialog);
    menu->addAction(tr("Data as CSV…"), m_plot, &PlotFrame::exportCsvDialog);
    menu->addAction(tr("Data as JSON…"), m_plot, &PlotFrame::exportJsonDialog);
    m_export->setMenu(menu);
    connect(m_run, &QPushButton::clicked, this, [this] { emit runRequested(request()); });
    connect(m_cancel, &QPushButton::clicked, this, &SanityView::cancelRequested);
    connect(m_measure, &QComboBox::currentIndexChanged, this, &SanityView::showResult);
    setRunning(false);
}

SanityRequest SanityView::request() const
{
    SanityRequest r;
    for (const auto& id : m_methods->methodIds())
        r.methods.push_back(id.toStdString());
    if (m_edge->isChecked())
        r.methods.push_back(metrics::kEdgeDetectorId);
    r.points = m_points->value();
    r.seed = uint64_t(m_seed->value());
    r.mode = m_mode->currentIndex() == 1 ? metrics::SanityMode::Independent : metrics::SanityMode::Cascading;
    r.randomLogit = m_randomLogit->isChecked();
    r.dataRandomisation = m_dataRandomisation->isChecked() && m_canRetrain;
    r.epochs = m_epochs->value();
    return r;
}

void SanityView::setMeasure(const std::string& id)
{
    const int i = m_measure->findData(QString::fromStdString(id));
    if (i >= 0)
        m_measure->setCurrentIndex(i);
}

std::string SanityView::measure() const { return m_measure->currentData().toString().toStdString(); }

void SanityView::setModel(const ModelSummary& s)
{
    m_methods->setModelKind(s.isSenn, s.valid && s.meta.config.kind == models::ModelKind::Flint);
    m_canRun = s.valid && s.hasData;
    const auto kind = s.meta.config.kind;
    m_canRetrain = s.valid && (kind == models::ModelKind::Senn || kind == models::ModelKind::Mlp ||
                               kind == models::ModelKind::Cnn);
    m_dataRandomisation->setEnabled(m_canRetrain);
    m_epochs->setEnabled(m_canRetrain);
    // The CLI's default for the kind of data (10 images, 20 tables), unless the user changed it.
    // The sanity checks explain every point at every step, as stability does: its point count.
    const int tableDefault = metrics::metricDefaults(false).stabilityPoints;
    const int imageDefault = metrics::metricDefaults(true).stabilityPoints;
    if (s.valid && (m_points->value() == tableDefault || m_points->value() == imageDefault))
        m_points->setValue(isImageModel(s) ? imageDefault : tableDefault);
    m_result = {};
    m_have = false;
    m_plot->clear();
    m_strip->clear();
    m_status->setText(m_canRun ? tr("Ready: %1 points").arg(m_points->value())
                               : tr("Train or open a model with its dataset first."));
    setRunning(m_running);
}

void SanityView::setRunning(bool running)
{
    m_running = running;
    m_run->setEnabled(!running && m_canRun);
    m_cancel->setEnabled(running);
    m_export->setEnabled(!running && m_have);
}

void SanityView::setResult(const metrics::SanityResult& r)
{
    m_result = r;
    m_have = true;
    showResult();
    QString text = tr("%1 of %2 steps, %3 points, %4 s").arg(r.stepsDone).arg(r.steps.size())
                       .arg(r.points.size()).arg(r.seconds, 0, 'f', 1);
    if (r.dataRandomisation && r.randomisedEpochs > 0)
        text += tr("; permuted labels: %1 epochs, test accuracy %2").arg(r.randomisedEpochs)
                    .arg(r.randomisedAccuracy, 0, 'f', 3);
    if (r.cancelled)
        text += tr(" (cancelled: the finished steps are kept)");
    m_status->setText(text);
    setRunning(m_running);
}

void SanityView::showResult()
{
    if (!m_have)
        return;
    m_plot->setTitle(tr("Similarity to the original explanation, %1 randomisation (median, quartiles over %2 points)")
                         .arg(QString::fromStdString(m_result.mode))
                         .arg(m_result.points.size()));
    m_plot->setResult(m_result, measure());
    m_strip->setResult(m_result);
}

bool SanityView::exportFigure(const QString& path, QString* error) const
{
    return renderSanityFigure(m_result, measure(), path, error);
}

void SanityView::exportFigureDialog()
{
    FigureExportChoice choice;
    if (!askFigureExport(this, QStringLiteral("sanity"), QSize(1100, 760), &choice))
        return;
    QString error;
    if (!renderSanityFigure(m_result, measure(), choice.path, &error, choice.width, choice.height, choice.scale))
        QMessageBox::warning(this, tr("Export"), error);
}

} // namespace senn::ui
