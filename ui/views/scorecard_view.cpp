// The Scorecard view: methods, measures, points, seed and bootstrap resamples go to the worker;
// the table (a heat map by rank) and the measures' τ matrix show what comes back.
#include "ui/views/scorecard_view.h"

#include "ui/plots/export.h"
#include "ui/plots/scorecard_plot.h"
#include "ui/views/attribution_files_box.h"
#include "ui/views/metric_controls.h"

#include "core/metrics/scorecard_export.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>

#include <algorithm>

namespace senn::ui {

ScorecardView::ScorecardView(QWidget* parent) : ViewPage("scorecard", tr("Scorecard"), parent)
{
    auto* box = new QGroupBox(tr("Which method does best on which measure, and do the measures agree?"));
    auto* l = new QHBoxLayout(box);
    auto* left = new QVBoxLayout;
    m_methods = new MethodPicker(nullptr, 5);
    m_methods->setMethodIds({"saliency", "grad-input", "integrated-gradients", "smoothgrad", "occlusion", "lime"});
    left->addWidget(m_methods);
    auto* measureBox = new QGroupBox(tr("Measures"));
    auto* grid = new QGridLayout(measureBox);
    const auto defaults = metrics::defaultScorecardMeasures();
    int i = 0;
    for (const auto& m : metrics::scorecardMeasures()) {
        auto* c = new QCheckBox(QString::fromStdString(m.name) + (m.higherIsBetter ? QStringLiteral(" ↑") : QStringLiteral(" ↓")));
        c->setObjectName(QStringLiteral("scorecardMeasure_") + QString::fromStdString(m.id));
        c->setChecked(std::find(defaults.begin(), defaults.end(), m.id) != defaults.end());
        c->setToolTip(m.higherIsBetter ? tr("Higher is better") : tr("Lower is better"));
        grid->addWidget(c, i / 3, i % 3);
        m_measures[m.id] = c;
        ++i;
    }
    left->addWidget(measureBox);
    // Attributions computed elsewhere: rows beside the methods', read from .npy files.
    m_files = new AttributionFilesBox;
    left->addWidget(m_files);
    l->addLayout(left, 1);
    auto* form = new QFormLayout;
    m_points = new QSpinBox;
    m_points->setObjectName("scorecardPoints");
    m_points->setRange(1, 2000);
    m_points->setValue(50);
    m_points->setToolTip(tr("Test points N: N rows evenly spaced over the test split, the rows "
                            "`senn scorecard --points N` takes"));
    m_seed = runSeedBox("scorecardSeed", tr("the sampling methods' samples, the measures' random subsets, "
                                            "noise and neighbours, and the bootstrap"),
                        QStringLiteral("scorecard"));
    m_bootstrap = new QSpinBox;
    m_bootstrap->setObjectName("scorecardBootstrap");
    m_bootstrap->setRange(0, 100000);
    m_bootstrap->setValue(1000);
    m_bootstrap->setToolTip(tr("Resamples of the points for each cell's 95% interval of the median (0: no interval)"));
    form->addRow(tr("&Points:"), m_points);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(tr("&Bootstrap:"), m_bootstrap);
    auto* buttons = new QHBoxLayout;
    m_run = metricButton(tr("&Run"), "runScorecard", tr("Explain the points with every method and compute every measure"));
    m_cancel = metricButton(tr("Cancel"), "cancelScorecard", tr("Stop; the finished points stay"));
    m_export = metricButton(tr("Export…"), "exportScorecard",
                            tr("The table as a figure (PNG, SVG, PDF), CSV, JSON or a LaTeX table"));
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_export);
    form->addRow(buttons);
    m_status = new QLabel;
    m_status->setObjectName("scorecardStatus");
    m_status->setWordWrap(true);
    form->addRow(m_status);
    l->addLayout(form);
    body()->addWidget(box);
    auto* split = new QSplitter(Qt::Horizontal);
    m_plot = new ScorecardPlot;
    m_agreement = new AgreementPlot;
    split->addWidget(m_plot);
    split->addWidget(m_agreement);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    body()->addWidget(split, 1);
    auto* menu = new QMenu(m_export);
    menu->addAction(tr("Table figure (PNG, SVG, PDF)…"), m_plot, &PlotFrame::exportFigureDialog);
    menu->addAction(tr("Agreement figure (PNG, SVG, PDF)…"), m_agreement, &PlotFrame::exportFigureDialog);
    menu->addAction(tr("Data as CSV…"), m_plot, &PlotFrame::exportCsvDialog);
    menu->addAction(tr("Data as JSON…"), m_plot, &PlotFrame::exportJsonDialog);
    menu->addAction(tr("LaTeX table…"), this, &ScorecardView::exportLatexDialog);
    m_export->setMenu(menu);
    for (PlotFrame* f : {static_cast<PlotFrame*>(m_plot), static_cast<PlotFrame*>(m_agreement)})
        connect(f, &PlotFrame::exportFailed, this, [this](const QString& e) { QMessageBox::warning(this, tr("Export"), e); });
    connect(m_run, &QPushButton::clicked, this, [this] { emit runRequested(request()); });
    connect(m_cancel, &QPushButton::clicked, this, &ScorecardView::cancelRequested);
    setRunning(false);
}

ScorecardRequest ScorecardView::request() const
{
    ScorecardRequest r;
    r.methods = m_methods->methods();
    for (const auto& m : metrics::scorecardMeasures())
        if (m_measures.at(m.id)->isChecked())
            r.measures.push_back(m.id);
    r.points = m_points->value();
    r.seed = uint64_t(m_seed->value());
    r.bootstrap = m_bootstrap->value();
    r.attributions = m_files->sources();
    return r;
}

bool ScorecardView::addAttributions(const QString& name, const QString& path, const QString& split, QString* error)
{
    return m_files->add(name, path, split, error);
}

const std::vector<metrics::AttributionSource>& ScorecardView::attributions() const { return m_files->sources(); }

void ScorecardView::setMeasures(const std::vector<std::string>& ids)
{
    for (auto& [id, box] : m_measures)
        box->setChecked(std::find(ids.begin(), ids.end(), id) != ids.end());
}

void ScorecardView::setModel(const ModelSummary& s)
{
    m_methods->setModelKind(s.isSenn, s.valid && s.meta.config.kind == models::ModelKind::Flint);
    m_canRun = s.valid && s.hasData;
    if (s.valid)
        m_points->setValue(metrics::metricDefaults(isImageModel(s)).faithfulnessPoints);
    m_result = {};
    m_have = false;
    m_plot->clear();
    m_agreement->clear();
    m_status->setText(m_canRun ? tr("Ready") : tr("Train or open a model with its dataset first."));
    setRunning(m_running);
}

void ScorecardView::setRunning(bool running)
{
    m_running = running;
    m_run->setEnabled(!running && m_canRun);
    m_files->setRunning(running);
    m_cancel->setEnabled(running);
    m_export->setEnabled(!running && m_have);
}

void ScorecardView::setResult(const metrics::ScorecardResult& r)
{
    m_result = r;
    m_have = true;
    m_plot->setResult(r);
    m_agreement->setResult(r);
    int done = 0;
    for (int d : r.pointsDone)
        done += d;
    const int total = int(r.points.size() * r.methods.size());
    QString text = tr("%1 of %2 (method, point) pairs, %3 s. %4")
                       .arg(done).arg(total).arg(r.seconds, 0, 'f', 1)
                       .arg(QString::fromStdString(metrics::agreementSentence(r.kendallW)));
    if (r.cancelled)
        text += tr(" (cancelled: the finished points are kept)");
    m_status->setText(text);
    setRunning(m_running);
}

bool ScorecardView::exportLatex(const QString& path, QString* error) const
{
    return writeTextFileAtomic(path, QString::fromStdString(metrics::scorecardLatex(m_result)), error);
}

void ScorecardView::exportLatexDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export LaTeX table"), QStringLiteral("scorecard.tex"),
                                                      tr("LaTeX (*.tex)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportLatex(path, &error))
        QMessageBox::warning(this, tr("Export"), error);
}

} // namespace senn::ui
