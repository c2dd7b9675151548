// The Scorecard view: methods, measures, points, seed and bootstrap resamples go to the worker;
// the table (a heat map by rank) and the measures' τ matrix show what comes back.
#include "ui/views/scorecard_view.h"

#include "ui/plots/export.h"
#include "ui/plots/scorecard_plot.h"
#include "ui/views/metric_controls.h"

#include "core/common/error.h"
#include "core/metrics/scorecard_export.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
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
    auto* fileBox = new QGroupBox(tr("Attributions from files"));
    auto* fileLayout = new QHBoxLayout(fileBox);
    m_files = new QListWidget;
    m_files->setObjectName("scorecardFiles");
    m_files->setMaximumHeight(64);
    m_files->setToolTip(tr("Each file is a row of the table beside the methods: the measures that need only "
                           "the explanation at a point are computed as for the methods; those that explain "
                           "perturbed inputs again are n/a"));
    fileLayout->addWidget(m_files, 1);
    auto* fileButtons = new QVBoxLayout;
    m_fileSplit = new QComboBox;
    m_fileSplit->setObjectName("scorecardFileSplit");
    m_fileSplit->addItems({QStringLiteral("test"), QStringLiteral("val"), QStringLiteral("train"), QStringLiteral("all")});
    m_fileSplit->setToolTip(tr("The split whose rows the next file holds, one row per row in the split's order, "
                               "as `senn explain --split S --all --npy OUT` writes them"));
    m_addFile = metricButton(tr("Add attributions…"), "addAttributions",
                             tr("A .npy of attributions computed elsewhere (shap, Captum, your own code), "
                                "[rows of the split, input shape], float32 or float64"));
    m_removeFile = metricButton(tr("Remove"), "removeAttributions", tr("Remove the selected files"));
    auto* splitRow = new QHBoxLayout;
    splitRow->addWidget(new QLabel(tr("Split:")));
    splitRow->addWidget(m_fileSplit);
    fileButtons->addLayout(splitRow);
    fileButtons->addWidget(m_addFile);
    fileButtons->addWidget(m_removeFile);
    fileLayout->addLayout(fileButtons);
    left->addWidget(fileBox);
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
    connect(m_addFile, &QPushButton::clicked, this, &ScorecardView::addAttributionsDialog);
    connect(m_removeFile, &QPushButton::clicked, this, &ScorecardView::removeSelectedAttributions);
    refreshAttributions();
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
    r.attributions = m_attributions;
    return r;
}

bool ScorecardView::addAttributions(const QString& name, const QString& path, const QString& split, QString* error)
{
    metrics::AttributionSource s{name.toStdString(), path.toStdString(), split.toStdString()};
    try {
        metrics::checkAttributionName(s.name, s.path);
        for (const auto& other : m_attributions)
            if (other.name == s.name)
                throw Error::inFile(s.path, "the name '" + s.name + "' is already given to " + other.path,
                                    "Give each file its own name");
    } catch (const Error& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    m_attributions.push_back(s);
    refreshAttributions();
    return true;
}

void ScorecardView::addAttributionsDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Add attributions"), QString(),
                                                      tr("NumPy arrays (*.npy)"));
    if (path.isEmpty())
        return;
    // The file's base name, in the characters a row name may hold.
    QString name = QFileInfo(path).completeBaseName();
    for (QChar& c : name)
        if (!c.isLetterOrNumber() || c.unicode() > 127)
            if (c != QLatin1Char('-') && c != QLatin1Char('_') && c != QLatin1Char('.'))
                c = QLatin1Char('-');
    bool ok = false;
    name = QInputDialog::getText(this, tr("Add attributions"), tr("Name of the row for %1:").arg(QFileInfo(path).fileName()),
                                 QLineEdit::Normal, name.left(64), &ok);
    if (!ok)
        return;
    QString error;
    if (!addAttributions(name.trimmed(), path, m_fileSplit->currentText(), &error))
        QMessageBox::warning(this, tr("Add attributions"), error);
}

void ScorecardView::removeSelectedAttributions()
{
    const int row = m_files->currentRow();
    if (row < 0 || size_t(row) >= m_attributions.size())
        return;
    m_attributions.erase(m_attributions.begin() + row);
    refreshAttributions();
}

void ScorecardView::refreshAttributions()
{
    m_files->clear();
    for (const auto& s : m_attributions)
        m_files->addItem(tr("%1 = %2 (%3 split)")
                             .arg(QString::fromStdString(s.name), QFileInfo(QString::fromStdString(s.path)).fileName(),
                                  QString::fromStdString(s.split)));
    m_removeFile->setEnabled(!m_attributions.empty());
}

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
    m_addFile->setEnabled(!running);
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
