// MainWindow: file dialogs, sessions and the PDF report.
#include "ui/main_window.h"
#include "core/data/loader.h"
#include "core/train/trainer.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/comparison_panel.h"
#include "ui/plots/confusion_matrix_view.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/export.h"
#include "ui/protected_inputs.h"
#include "ui/plots/training_curves.h"
#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/stability_view.h"
#include "ui/views/model_view.h"

#include <QDir>
#include <QDirIterator>
#include <QFileDialog>
#include <QFileInfo>
#include <QLayout>
#include <QLineEdit>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextDocument>

#include <algorithm>

namespace senn::ui {

namespace {
QString lastDir(const char* key)
{
    return QSettings().value(QStringLiteral("dirs/%1").arg(key),
                             QStandardPaths::writableLocation(QStandardPaths::HomeLocation)).toString();
}
void rememberDir(const char* key, const QString& path)
{
    QSettings().setValue(QStringLiteral("dirs/%1").arg(key), QFileInfo(path).absolutePath());
}

bool hasImageFile(const QString& dir)
{
    static const QStringList kImages = {"png", "jpg", "jpeg", "bmp", "pgm", "ppm", "tif", "tiff", "webp"};
    QDirIterator it(dir, QDir::Files);
    for (int seen = 0; it.hasNext() && seen < 200; ++seen)
        if (kImages.contains(QFileInfo(it.next()).suffix().toLower()))
            return true;
    return false;
}

// A folder the loader reads as one dataset: IDX files, an x.npy / y.npy pair, or class
// sub-folders that hold images. The loader takes any folder with sub-folders for an image
// folder; the dialog asks for images in them so that an ordinary folder is entered instead.
bool isDatasetFolder(const QString& path)
{
    switch (data::detectFormat(QFile::encodeName(path).toStdString())) {
    case data::SourceFormat::IdxFolder:
    case data::SourceFormat::NpyPair:
        return true;
    case data::SourceFormat::ImageFolder: {
        const QStringList classes = QDir(path).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        if (classes.isEmpty())
            return false;
        for (int i = 0; i < std::min<int>(classes.size(), 20); ++i)
            if (!hasImageFile(QDir(path).filePath(classes[i])))
                return false;
        return true;
    }
    default:
        return false;
    }
}

// The widest tabular comparison a portrait A4 page shows with readable text: at 150 dpi its
// fonts are drawn at about 60% of their size on screen.
constexpr int kReadableFigureWidth = 1300;

// What a widget needs to be drawn whole (export.h lays it out at least this large).
QSize neededSize(QWidget* w)
{
    QSize need = w->minimumSize().expandedTo(w->minimumSizeHint());
    if (w->layout())
        need = need.expandedTo(w->layout()->minimumSize());
    return need;
}

// A panel showing some of another's explanations the way the other shows them.
void copyPanelSettings(const ComparisonPanel& from, ComparisonPanel& to,
                       const std::vector<explain::Explanation>& explanations)
{
    to.setAttribute(Qt::WA_DontShowOnScreen, true);
    to.setInput(from.input());
    to.setSharedScale(from.sharedScale());
    to.setTopN(from.topN());
    to.setShowUnderlay(from.showUnderlay());
    to.setOverlayOpacity(from.overlayOpacity());
    to.setExplanations(explanations);
    if (to.layout())
        to.layout()->activate();
}

// File > Open dataset: files as usual, and dataset folders too. Open (or Enter) on a typed or
// selected folder opens it when it is a dataset folder and enters it otherwise; with nothing
// typed, Open opens the folder shown when that is a dataset folder.
class DatasetFileDialog : public QFileDialog {
public:
    using QFileDialog::QFileDialog;
    QString chosen() const { return m_chosen.isEmpty() ? selectedFiles().value(0) : m_chosen; }

    void accept() override
    {
        auto* edit = findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
        QString typed = edit ? edit->text().trimmed() : QString();
        if (typed.size() > 1 && typed.startsWith('"') && typed.endsWith('"'))
            typed = typed.mid(1, typed.size() - 2);
        if (typed.startsWith(QLatin1String("~/")))
            typed = QDir::homePath() + typed.mid(1);
        const QString path = typed.isEmpty() ? directory().absolutePath()
                                             : directory().absoluteFilePath(QDir::fromNativeSeparators(typed));
        const QFileInfo fi(path);
        if (fi.isDir()) {
            if (isDatasetFolder(path)) {
                m_chosen = fi.absoluteFilePath();
                QDialog::accept();
            } else if (!typed.isEmpty()) {
                setDirectory(fi.absoluteFilePath());
                if (edit)
                    edit->clear();
                followDirectory(fi.absoluteFilePath());
            }
            return;
        }
        QFileDialog::accept(); // a file: the dialog's own checks
    }

    // In a dataset folder Open (with nothing typed) opens the folder itself: Directory mode
    // keeps the button enabled for it, and files stay listed.
    void followDirectory(const QString& dir)
    {
        setFileMode(isDatasetFolder(dir) ? QFileDialog::Directory : QFileDialog::ExistingFile);
    }

private:
    QString m_chosen;
};

} // namespace

void MainWindow::openDatasetDialog()
{
    DatasetFileDialog dlg(this, tr("Open dataset: a CSV file, an IDX folder, an image folder or a .npy pair"),
                    lastDir("data"),
                    tr("Datasets (*.csv *.npy *.gz *-ubyte);;All files (*)"));
    dlg.setFileMode(QFileDialog::ExistingFile);
    dlg.setOption(QFileDialog::DontUseNativeDialog); // the accept() above needs Qt's own dialog
    dlg.setOption(QFileDialog::DontResolveSymlinks);
    dlg.setLabelText(QFileDialog::Accept, tr("&Open"));
    // A folder selected in the list is shown in the name field (Qt leaves folders out of it in
    // ExistingFile mode), so that Open acts on it.
    connect(&dlg, &QFileDialog::currentChanged, &dlg, [&dlg](const QString& p) {
        dlg.setFileMode(QFileInfo(p).isDir() ? QFileDialog::Directory : QFileDialog::ExistingFile);
    });
    connect(&dlg, &QFileDialog::directoryEntered, &dlg, [&dlg](const QString& dir) { dlg.followDirectory(dir); });
    dlg.followDirectory(dlg.directory().absolutePath());
    if (dlg.exec() != QDialog::Accepted || dlg.chosen().isEmpty())
        return;
    const QString path = dlg.chosen();
    rememberDir("data", path);
    openDataset(path);
}

void MainWindow::openModelDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), lastDir("model"),
                                                      tr("Models (*.senn *.pt *.ts);;All files (*)"));
    if (path.isEmpty())
        return;
    rememberDir("model", path);
    openPath(path);
}

void MainWindow::openTorchScriptDialog()
{
    QString shape = tr("[N, …] as the dataset's rows");
    if (m_dataset.data) {
        QStringList dims{"N"};
        for (auto v : m_dataset.data->sampleShape)
            dims << QString::number(v);
        shape = tr("float32 [%1] raw inputs%2 → logits [N, %3]")
                    .arg(dims.join(", "), m_dataset.data->isImage() ? tr(" in [0, 1]") : QString())
                    .arg(m_dataset.data->numClasses());
    }
    QFileDialog dlg(this, tr("Open TorchScript model — expects %1; written by PyTorch <= 1.13 "
                             "torch.jit.save").arg(shape),
                    lastDir("model"), tr("TorchScript (*.pt *.ts *.pth);;All files (*)"));
    dlg.setOption(QFileDialog::DontUseNativeDialog);
    dlg.setFileMode(QFileDialog::ExistingFile);
    if (dlg.exec() != QDialog::Accepted || dlg.selectedFiles().isEmpty())
        return;
    rememberDir("model", dlg.selectedFiles().first());
    openTorchScript(dlg.selectedFiles().first());
}

void MainWindow::saveModel()
{
    if (!m_model.valid)
        return;
    if (m_model.path.isEmpty() || !m_model.path.endsWith(".senn"))
        return saveModelAsDialog();
    saveModelTo(m_model.path);
}

void MainWindow::saveModelAsDialog()
{
    if (!m_model.valid)
        return;
    QString path = QFileDialog::getSaveFileName(this, tr("Save model"), lastDir("model") + "/model.senn",
                                                tr("SENN Studio model (*.senn)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(".senn"))
        path += ".senn";
    rememberDir("model", path);
    saveModelTo(path);
}

Session MainWindow::currentSession() const
{
    Session s;
    s.datasetPath = m_dataset.path;
    s.target = m_dataset.target;
    s.modelPath = m_model.valid ? m_model.path : QString();
    s.exampleRow = m_explainView->currentRow();
    s.methods = m_explainView->methodPicker()->methodIds();
    s.currentView = currentViewId();
    s.settings["model"] = m_modelView->settings();
    s.settings["stability"] = m_stabilityView->settings();
    s.settings["faithfulness"] = m_faithfulnessView->settings();
    // The memory budget belongs to this machine, not to the session.
    QJsonObject explainers = explainOptionsToJson(m_explainOptions);
    explainers.remove("memory_mb");
    s.settings["explainers"] = explainers;
    s.settings["explain"] = m_explainView->settings(); // shared scale, top K
    // The results themselves, so that a reopened session shows them again.
    if (m_stabilityView->hasResult())
        s.settings["stability_result"] = stabilityResultToJson(m_stabilityView->result());
    if (m_faithfulnessView->hasResult())
        s.settings["faithfulness_result"] = faithfulnessResultToJson(m_faithfulnessView->result());
    return s;
}

bool MainWindow::saveSession(const QString& path)
{
    Session s = currentSession();
    if (m_model.valid && s.modelPath.isEmpty() && !m_model.torchScript) {
        // An unsaved model is saved next to the session so the session can reopen it.
        const QFileInfo fi(path);
        s.modelPath = fi.absoluteDir().filePath(fi.completeBaseName() + ".senn");
        saveModelTo(s.modelPath);
    }
    QString error;
    if (!s.save(path, &error)) {
        showError(tr("Save session"), error);
        return false;
    }
    addRecent(path);
    m_sessionPath = path;
    appendLog(tr("Session saved to %1").arg(path));
    return true;
}

bool MainWindow::openSession(const QString& path)
{
    Session s;
    QString error;
    if (!Session::load(path, &s, &error)) {
        showError(tr("Open session"), error);
        return false;
    }
    if (s.datasetPath.isEmpty()) {
        showError(tr("Open session"), tr("%1: the session names no dataset").arg(sessionEcho(path, 200)));
        return false;
    }
    if (!confirmDiscardModel(tr("open another session")))
        return false;
    appendLog(tr("Opening session %1").arg(sessionEcho(path, 200)));
    addRecent(path);
    m_sessionPath = path;
    m_modelView->applySettings(s.settings["model"].toObject());
    m_stabilityView->applySettings(s.settings["stability"].toObject());
    m_faithfulnessView->applySettings(s.settings["faithfulness"].toObject());
    if (s.settings.contains("explainers")) {
        const int64_t budget = m_explainOptions.memoryBudget; // this machine's setting stays
        m_explainOptions = explainOptionsFromJson(s.settings["explainers"].toObject());
        m_explainOptions.memoryBudget = budget;
    }
    m_explainView->setExplainOptions(m_explainOptions);
    m_explainView->applySettings(s.settings["explain"].toObject());
    m_pendingSession = s;
    m_hasPendingSession = true;
    m_inOpen = true; // asked once above, not again for the session's parts
    openDataset(s.datasetPath, s.target);
    if (!s.modelPath.isEmpty())
        openModel(s.modelPath);
    m_inOpen = false;
    return true;
}

void MainWindow::applyPendingSession()
{
    if (!m_hasPendingSession)
        return;
    if (!m_pendingSession.modelPath.isEmpty()
        && QFileInfo(m_model.path).absoluteFilePath() != QFileInfo(m_pendingSession.modelPath).absoluteFilePath())
        return; // a model that was open before the session: wait for the session's own
    m_hasPendingSession = false;
    if (!m_pendingSession.methods.isEmpty())
        m_explainView->methodPicker()->setMethodIds(m_pendingSession.methods);
    if (m_pendingSession.exampleRow >= 0)
        m_explainView->setCurrentRow(m_pendingSession.exampleRow);
    // The results go on screen after the worker's model summary (which clears the views).
    m_pendingResults = {};
    for (const char* key : {"stability_result", "faithfulness_result"})
        if (m_pendingSession.settings.contains(key))
            m_pendingResults[key] = m_pendingSession.settings[key];
    if (!m_pendingSession.currentView.isEmpty())
        showView(m_pendingSession.currentView);
    appendLog(tr("Session restored."));
    emit sessionRestored();
}

void MainWindow::applyPendingResults()
{
    if (m_pendingResults.isEmpty())
        return;
    const QJsonObject results = m_pendingResults;
    m_pendingResults = {};
    // A stored result with numbers out of range is left out, and the log says why.
    metrics::StabilityResult stability;
    QString why;
    if (results.contains("stability_result")) {
        if (stabilityResultFromJson(results["stability_result"].toObject(), &stability, &why)) {
            m_stabilityView->setResult(stability);
            emit stabilityShown();
        } else {
            appendLog(tr("Session: the stored stability result was not restored: %1").arg(why));
        }
    }
    metrics::FaithfulnessResult faithfulness;
    if (results.contains("faithfulness_result")) {
        if (faithfulnessResultFromJson(results["faithfulness_result"].toObject(), &faithfulness, &why)) {
            m_faithfulnessView->setResult(faithfulness);
            emit faithfulnessShown();
        } else {
            appendLog(tr("Session: the stored faithfulness result was not restored: %1").arg(why));
        }
    }
}

void MainWindow::saveSessionDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save session"), lastDir("session") + "/session.sennsession",
                                                tr("SENN Studio session (*.sennsession)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(".sennsession"))
        path += ".sennsession";
    rememberDir("session", path);
    saveSession(path);
}

void MainWindow::openSessionDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), lastDir("session"),
                                                      tr("SENN Studio session (*.sennsession)"));
    if (path.isEmpty())
        return;
    rememberDir("session", path);
    openSession(path);
}

void MainWindow::exportReportDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Export report"), lastDir("report") + "/senn-report.pdf",
                                                tr("PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(".pdf", Qt::CaseInsensitive))
        path += ".pdf";
    rememberDir("report", path);
    if (exportReport(path))
        appendLog(tr("Report written to %1").arg(path));
}

bool MainWindow::exportReport(const QString& path)
{
    if (!m_model.valid) {
        showError(tr("Export report"), tr("There is no model to report on."));
        return false;
    }
    QTemporaryDir tmp;
    // Figures: rendered with the plots' own export (light background), then placed on pages.
    struct Source { QSize rendered, content; int columns = 0; };
    struct Figure { QString title, file; bool landscape = false; Source source; };
    QList<Figure> figures;
    auto addPlot = [&](PlotFrame* plot, const QString& title, int w, int h) {
        const QString f = tmp.filePath(QStringLiteral("fig%1.png").arg(figures.size()));
        if (plot && plot->exportFigure(f, w, h, 2.0))
            figures.push_back({title, f, false, {QSize(w, h), QSize(w, h), 0}});
    };
    // The training curves only when they are the current model's (not a training whose model
    // was rejected with Restore, nor one before a model was opened).
    m_lastReport = {};
    if (curvesAreCurrentModel()
        && (m_modelView->curves()->epochCount() > 0 || m_modelView->curves()->batchCount() > 0)) {
        addPlot(m_modelView->curves(), tr("Training"), 900, 600);
        m_lastReport.trainingEpochs = m_modelView->curves()->epochCount();
    }
    if (!m_explainView->lastResult().explanations.empty()) {
        // A full page: images side by side in landscape, the tabular grid in portrait (A4).
        ComparisonPanel* panel = m_explainView->panel();
        const bool image = m_dataset.data && m_dataset.data->isImage();
        const QSize size = image ? QSize(1400, 990) : QSize(1000, 1414);
        const QString title = tr("Comparison: %1").arg(panel->input().title);
        if (image) {
            const QString f = tmp.filePath("comparison.png");
            if (panel->exportAll(f, size.width(), size.height(), 2.0))
                figures.push_back({title, f, true, {size, neededSize(panel), panel->columnCount()}});
        } else {
            // The grid needs a column per method (three for SENN) beside the feature names. A
            // figure wider than the page's readable width would be scaled until its text is too
            // small to read: the methods are split over as many pages as it takes instead.
            const auto& all = panel->explanations();
            const int n = int(all.size());
            std::vector<std::vector<explain::Explanation>> groups;
            for (int pages = 1; pages <= n; ++pages) {
                groups.assign(size_t(pages), {});
                const int per = (n + pages - 1) / pages;
                for (int i = 0; i < n; ++i)
                    groups[size_t(i / per)].push_back(all[size_t(i)]);
                while (!groups.empty() && groups.back().empty())
                    groups.pop_back();
                int widest = 0;
                for (const auto& g : groups) {
                    ComparisonPanel probe;
                    copyPanelSettings(*panel, probe, g);
                    widest = std::max(widest, neededSize(&probe).width());
                }
                if (widest <= kReadableFigureWidth || per == 1)
                    break;
            }
            for (size_t g = 0; g < groups.size(); ++g) {
                ComparisonPanel part;
                copyPanelSettings(*panel, part, groups[g]);
                const QSize need = neededSize(&part);
                // At least A4's width; wider (up to the readable width) when the grid needs it,
                // so nothing is cut; as tall as A4's proportions, or the content.
                const int w = std::max(size.width(), need.width());
                const QSize figSize(w, std::max(int(w * 1.414), need.height()));
                const QString f = tmp.filePath(QStringLiteral("comparison%1.png").arg(g));
                if (part.exportAll(f, figSize.width(), figSize.height(), 2.0))
                    figures.push_back({groups.size() == 1 ? title
                                                          : tr("Comparison (%1 of %2): %3")
                                                                .arg(g + 1).arg(groups.size()).arg(panel->input().title),
                                       f, false, {figSize, need, part.columnCount()}});
            }
        }
    }
    // Only finished results: a run still going is left out, a cancelled one says how far it got
    // and shows its finished points, and one cancelled before any point finished is left out.
    QStringList resultNotes;
    auto finished = [&](const QString& name, JobKind kind, bool cancelled, size_t points,
                        const std::vector<int>& done, QString* suffix) {
        if (isRunning(kind)) {
            resultNotes << tr("%1: still running when the report was written; not in this report.").arg(name);
            return false;
        }
        const int lo = done.empty() ? 0 : *std::min_element(done.begin(), done.end());
        const int hi = done.empty() ? 0 : *std::max_element(done.begin(), done.end());
        if (!cancelled) {
            resultNotes << tr("%1: %2 points.").arg(name).arg(points);
            return true;
        }
        if (hi <= 0) {
            resultNotes << tr("%1: cancelled before any point finished; not in this report.").arg(name);
            return false;
        }
        const QString k = lo == hi ? QString::number(hi) : QStringLiteral("%1–%2").arg(lo).arg(hi);
        *suffix = tr(" (cancelled after %1 of %2 points)").arg(k).arg(points);
        resultNotes << tr("%1: cancelled after %2 of %3 points; the pages show the finished points.")
                           .arg(name, k).arg(points);
        return true;
    };
    if (m_stabilityView->hasResult()) {
        const auto& r = m_stabilityView->result();
        std::vector<int> done;
        for (const auto& [id, c] : r.methods)
            done.push_back(c.pointsDone);
        QString suffix;
        if (finished(tr("Stability"), JobKind::Stability, r.cancelled, r.points.size(), done, &suffix)) {
            addPlot(m_stabilityView->curves(), tr("Stability curves") + suffix, 900, 560);
            addPlot(m_stabilityView->boxes(), tr("Stability: L̂ over test points") + suffix, 900, 560);
        }
    }
    if (m_faithfulnessView->hasResult()) {
        const auto& r = m_faithfulnessView->result();
        std::vector<int> done;
        for (const auto& [id, pm] : r.methods)
            done.push_back(pm.pointsDone);
        QString suffix;
        // Titled by the measure the box plot shows.
        const QStringList measures = {tr("removal correlation"), tr("faithfulness correlation (20% subsets)"),
                                      tr("infidelity"), tr("infidelity normalised by β")};
        if (finished(tr("Faithfulness"), JobKind::Faithfulness, r.cancelled, r.points.size(), done, &suffix))
            addPlot(m_faithfulnessView->boxes(),
                    tr("Faithfulness: %1").arg(measures.value(m_faithfulnessView->measure(), tr("removal correlation")))
                        + suffix,
                    900, 560);
    }

    // Written atomically: an existing report stays whole until the new one is done,
    // and the file may not be one of the inputs in use.
    if (const QString refusal = outputRefusal(path); !refusal.isEmpty()) {
        showError(tr("Export report"), refusal);
        return false;
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
        showError(tr("Export report"), tr("%1: cannot write: %2").arg(path, out.errorString()));
        return false;
    }
    QPdfWriter pdf(&out);
    pdf.setPageSize(QPageSize(QPageSize::A4));
    pdf.setResolution(150);
    pdf.setTitle(tr("SENN Studio report"));
    pdf.setCreator(QStringLiteral("SENN Studio"));
    QPainter p;
    if (!p.begin(&pdf)) {
        showError(tr("Export report"), tr("%1: cannot write the PDF. Check the folder is writable.").arg(path));
        return false;
    }
    const QRectF page(0, 0, pdf.width(), pdf.height());
    QTextDocument doc;
    doc.setPageSize(page.size());
    const auto& m = m_model.meta;
    QString html = tr("<h1>SENN Studio report</h1><p>%1</p>").arg(QDateTime::currentDateTime().toString(Qt::ISODate));
    html += tr("<h2>Model card</h2><p><b>%1</b>%2</p><p>%3</p>")
                .arg(QString::fromStdString(models::toString(m.config.kind)).toUpper(),
                     m_model.path.isEmpty() ? tr(" (not saved)") : QStringLiteral(" — ") + m_model.path.toHtmlEscaped(),
                     m_model.description.toHtmlEscaped());
    html += tr("<p>Data: %1 · target %2 · %3 classes</p>")
                .arg(QString::fromStdString(m.dataSource).toHtmlEscaped(),
                     QString::fromStdString(m.targetName).toHtmlEscaped()).arg(m.classNames.size());
    if (m_model.torchScript) // trained elsewhere: no training facts to report
        html += tr("<p>Training: imported TorchScript model, trained outside SENN Studio</p>");
    else
        html += tr("<p>Training: %1 of at most %2 epochs, batch %3, lr %4, λ %5, seed %6</p>")
                    .arg(m.history.size()).arg(m.train.epochs).arg(m.train.batch).arg(m.train.lr)
                    .arg(m.config.lambda).arg(m.train.seed);
    if (!m.stopReason.empty() && !m_model.torchScript)
        html += tr("<p>Stopped: %1</p>").arg(QString::fromStdString(m.stopReason).toHtmlEscaped());
    if (const auto kept = train::keptEpochText(m); !kept.empty() && !m_model.torchScript)
        html += tr("<p>Kept: %1</p>").arg(QString::fromStdString(kept).toHtmlEscaped());
    if (const auto w = train::thetaVariationWarning(m); !w.empty())
        html += tr("<p><b>Warning:</b> %1</p>").arg(QString::fromStdString(w).toHtmlEscaped());
    if (m_model.hasData && m_model.test.n > 0)
        html += tr("<p>Test accuracy: <b>%1%</b> on %2 examples</p>").arg(m_model.test.accuracy * 100, 0, 'f', 2).arg(m_model.test.n);
    if (const auto b = m.metrics.find("baseline_accuracy"); b != m.metrics.end() && b->second >= 0)
        html += tr("<p>Baseline (logistic regression on the same split): <b>%1%</b></p>").arg(b->second * 100, 0, 'f', 2);
    for (const auto& [k, v] : m.metrics)
        html += QStringLiteral("<p>%1 = %2</p>").arg(QString::fromStdString(k)).arg(v, 0, 'g', 5);
    if (!resultNotes.isEmpty()) {
        html += tr("<h2>Results</h2>");
        for (const QString& note : resultNotes)
            html += QStringLiteral("<p>%1</p>").arg(note.toHtmlEscaped());
    }
    m_lastReport.notes = resultNotes;
    doc.setHtml(html);
    doc.drawContents(&p, page);
    for (const auto& fig : figures) {
        pdf.setPageOrientation(fig.landscape ? QPageLayout::Landscape : QPageLayout::Portrait);
        pdf.newPage();
        const QRectF page(0, 0, pdf.width(), pdf.height());
        QFont f = p.font();
        f.setPointSize(14);
        f.setBold(true);
        p.setFont(f);
        const QRectF titleRect(0, 0, page.width(), 80);
        p.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, fig.title);
        const QImage img(fig.file);
        if (img.isNull())
            continue;
        QSizeF s = img.size();
        s.scale(page.width(), page.height() - 100, Qt::KeepAspectRatio);
        const QRectF target(QPointF(0, 100), s);
        p.drawImage(target, img);
        m_lastReport.pages.push_back({fig.title, page.size(), target, fig.source.rendered,
                                      fig.source.content, fig.source.columns});
    }
    if (!p.end() || !out.commit()) {
        showError(tr("Export report"), tr("%1: cannot write: %2").arg(path, out.errorString()));
        return false;
    }
    appendLog(tr("Report: %1 figures written to %2").arg(figures.size()).arg(path));
    return QFileInfo(path).size() > 0;
}

} // namespace senn::ui
