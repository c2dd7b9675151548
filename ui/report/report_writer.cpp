#include "ui/report/report_writer.h"

#include "core/train/trainer.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/comparison_panel.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/export.h"
#include "ui/plots/sanity_figure.h"
#include "ui/plots/scorecard_plot.h"
#include "ui/plots/training_curves.h"
#include "ui/protected_inputs.h"
#include "ui/report/report_sections.h"
#include "ui/views/explain_view.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/sanity_view.h"
#include "ui/views/scorecard_view.h"
#include "ui/views/stability_view.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTextDocument>

#include <algorithm>

namespace senn::ui {

namespace {

// The widest tabular comparison a portrait A4 page shows with readable text: at 150 dpi its
// fonts are drawn at about 60% of their size on screen.
constexpr int kReadableFigureWidth = 1300;

// A figure rendered with the plots' own export (light background), waiting for its page, and
// the text (HTML) that goes under it; a page of text alone has no file.
struct Figure {
    QString title, file;
    bool landscape = false;
    QSize rendered, content;
    int columns = 0;
    QString html;
};

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
    to.showLike(from, explanations);
    if (to.layout())
        to.layout()->activate();
}

// The tabular grid needs a column per method (three for SENN) beside the feature names. A
// figure wider than the page's readable width would be scaled until its text is too small to
// read: the methods are split over as few pages as keep each one readable.
std::vector<std::vector<explain::Explanation>> splitForReadableWidth(const ComparisonPanel& panel)
{
    const auto& all = panel.explanations();
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
            copyPanelSettings(panel, probe, g);
            widest = std::max(widest, neededSize(&probe).width());
        }
        if (widest <= kReadableFigureWidth || per == 1)
            break;
    }
    return groups;
}

// Only finished results: a run still going is left out, a cancelled one says how far it got
// and shows its finished points, and one cancelled before any point finished is left out.
// done: the points each method finished. Adds the first page's note; true = show the pages,
// whose titles get *suffix.
bool finishedEnough(const QString& name, bool running, bool cancelled, size_t points,
                    const std::vector<int>& done, QStringList* notes, QString* suffix)
{
    if (running) {
        *notes << ReportWriter::tr("%1: still running when the report was written; not in this report.").arg(name);
        return false;
    }
    const int lo = done.empty() ? 0 : *std::min_element(done.begin(), done.end());
    const int hi = done.empty() ? 0 : *std::max_element(done.begin(), done.end());
    if (!cancelled) {
        *notes << ReportWriter::tr("%1: %2 points.").arg(name).arg(points);
        return true;
    }
    if (hi <= 0) {
        *notes << ReportWriter::tr("%1: cancelled before any point finished; not in this report.").arg(name);
        return false;
    }
    const QString k = lo == hi ? QString::number(hi) : QStringLiteral("%1–%2").arg(lo).arg(hi);
    *suffix = ReportWriter::tr(" (cancelled after %1 of %2 points)").arg(k).arg(points);
    *notes << ReportWriter::tr("%1: cancelled after %2 of %3 points; the pages show the finished points.")
                  .arg(name, k).arg(points);
    return true;
}

// The first page: the model card and the notes on the results.
QString modelCardHtml(const ModelSummary& model, const QStringList& notes)
{
    const auto& m = model.meta;
    QString html = ReportWriter::tr("<h1>SENN Studio report</h1><p>%1</p>")
                       .arg(QDateTime::currentDateTime().toString(Qt::ISODate));
    html += ReportWriter::tr("<h2>Model card</h2><p><b>%1</b>%2</p><p>%3</p>")
                .arg(QString::fromStdString(models::toString(m.config.kind)).toUpper(),
                     model.path.isEmpty() ? ReportWriter::tr(" (not saved)")
                                          : QStringLiteral(" — ") + model.path.toHtmlEscaped(),
                     model.description.toHtmlEscaped());
    html += ReportWriter::tr("<p>Data: %1 · target %2 · %3 classes</p>")
                .arg(QString::fromStdString(m.dataSource).toHtmlEscaped(),
                     QString::fromStdString(m.targetName).toHtmlEscaped()).arg(m.classNames.size());
    if (model.torchScript) // trained elsewhere: no training facts to report
        html += ReportWriter::tr("<p>Training: imported TorchScript model, trained outside SENN Studio</p>");
    else
        html += ReportWriter::tr("<p>Training: %1 of at most %2 epochs, batch %3, lr %4, λ %5, seed %6</p>")
                    .arg(m.history.size()).arg(m.train.epochs).arg(m.train.batch).arg(m.train.lr)
                    .arg(m.config.lambda).arg(m.train.seed);
    if (!m.stopReason.empty() && !model.torchScript)
        html += ReportWriter::tr("<p>Stopped: %1</p>").arg(QString::fromStdString(m.stopReason).toHtmlEscaped());
    if (const auto kept = train::keptEpochText(m); !kept.empty() && !model.torchScript)
        html += ReportWriter::tr("<p>Kept: %1</p>").arg(QString::fromStdString(kept).toHtmlEscaped());
    if (const auto w = train::thetaVariationWarning(m); !w.empty())
        html += ReportWriter::tr("<p><b>Warning:</b> %1</p>").arg(QString::fromStdString(w).toHtmlEscaped());
    if (model.hasData && model.test.n > 0)
        html += ReportWriter::tr("<p>Test accuracy: <b>%1%</b> on %2 examples</p>")
                    .arg(model.test.accuracy * 100, 0, 'f', 2).arg(model.test.n);
    if (const auto b = m.metrics.find("baseline_accuracy"); b != m.metrics.end() && b->second >= 0)
        html += ReportWriter::tr("<p>Baseline (logistic regression on the same split): <b>%1%</b></p>")
                    .arg(b->second * 100, 0, 'f', 2);
    for (const auto& [k, v] : m.metrics)
        html += QStringLiteral("<p>%1 = %2</p>").arg(QString::fromStdString(k)).arg(v, 0, 'g', 5);
    if (!notes.isEmpty()) {
        html += ReportWriter::tr("<h2>Results</h2>");
        for (const QString& note : notes)
            html += QStringLiteral("<p>%1</p>").arg(note.toHtmlEscaped());
    }
    return html;
}

} // namespace

bool ReportWriter::write(const QString& path)
{
    m_layout = {};
    QTemporaryDir tmp;
    QList<Figure> figures;
    auto addPlot = [&](PlotFrame* plot, const QString& title, int w, int h) {
        const QString f = tmp.filePath(QStringLiteral("fig%1.png").arg(figures.size()));
        if (plot && plot->exportFigure(f, w, h, 2.0))
            figures.push_back({title, f, false, QSize(w, h), QSize(w, h), 0});
    };
    // The training curves only when they are the current model's (not a training whose model
    // was rejected with Restore, nor one before a model was opened).
    if (auto* curves = m_src.trainingCurves; curves && (curves->epochCount() > 0 || curves->batchCount() > 0)) {
        addPlot(curves, tr("Training"), 900, 600);
        m_layout.trainingEpochs = curves->epochCount();
    }
    if (!m_src.explain->lastResult().explanations.empty()) {
        // A full page: images side by side in landscape, the tabular grid in portrait (A4).
        ComparisonPanel* panel = m_src.explain->panel();
        const QSize size = m_src.imageData ? QSize(1400, 990) : QSize(1000, 1414);
        const QString title = tr("Comparison: %1").arg(panel->input().title);
        if (m_src.imageData) {
            const QString f = tmp.filePath("comparison.png");
            if (panel->exportAll(f, size.width(), size.height(), 2.0))
                figures.push_back({title, f, true, size, neededSize(panel), panel->columnCount()});
        } else {
            const auto groups = splitForReadableWidth(*panel);
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
                                       f, false, figSize, need, part.columnCount()});
            }
        }
    }
    QStringList notes;
    if (m_src.stability->hasResult()) {
        const auto& r = m_src.stability->result();
        std::vector<int> done;
        for (const auto& [id, c] : r.methods)
            done.push_back(c.pointsDone);
        QString suffix;
        if (finishedEnough(tr("Stability"), m_src.stabilityRunning, r.cancelled, r.points.size(), done, &notes, &suffix)) {
            addPlot(m_src.stability->curves(), tr("Stability curves") + suffix, 900, 560);
            addPlot(m_src.stability->boxes(), tr("Stability: L̂ over test points") + suffix, 900, 560);
        }
    }
    if (m_src.faithfulness->hasResult()) {
        const auto& r = m_src.faithfulness->result();
        std::vector<int> done;
        for (const auto& [id, pm] : r.methods)
            done.push_back(pm.pointsDone);
        QString suffix;
        // Titled by the measure the box plot shows.
        const QStringList measures = {tr("removal correlation"), tr("faithfulness correlation (20% subsets)"),
                                      tr("infidelity"), tr("infidelity normalised by β")};
        if (finishedEnough(tr("Faithfulness"), m_src.faithfulnessRunning, r.cancelled, r.points.size(), done,
                           &notes, &suffix))
            addPlot(m_src.faithfulness->boxes(),
                    tr("Faithfulness: %1").arg(measures.value(m_src.faithfulness->measure(), tr("removal correlation")))
                        + suffix,
                    900, 560);
    }

    // The sanity checks: the figure as the Sanity view draws it (plot above the example's
    // strip) and a sentence per method. A cancelled run shows its finished steps.
    if (m_src.sanity && m_src.sanity->hasResult()) {
        const auto& r = m_src.sanity->result();
        const QString name = tr("Sanity checks");
        if (m_src.sanityRunning) {
            notes << tr("%1: still running when the report was written; not in this report.").arg(name);
        } else if (r.cancelled && r.stepsDone <= 0) {
            notes << tr("%1: cancelled before any step finished; not in this report.").arg(name);
        } else {
            QString suffix;
            if (r.cancelled) {
                suffix = tr(" (cancelled after %1 of %2 steps)").arg(r.stepsDone).arg(r.steps.size());
                notes << tr("%1: cancelled after %2 of %3 steps; the page shows the finished steps.")
                             .arg(name).arg(r.stepsDone).arg(r.steps.size());
            } else {
                notes << tr("%1: %2 points, %3 steps.").arg(name).arg(r.points.size()).arg(r.steps.size());
            }
            const QString f = tmp.filePath(QStringLiteral("fig%1.png").arg(figures.size()));
            const QSize size(1100, 760);
            const QString text = sanityHtml(r, m_src.sanity->measure());
            if (renderSanityFigure(r, m_src.sanity->measure(), f, nullptr, size.width(), size.height(), 2.0))
                figures.push_back({name + suffix, f, false, size, size, 0, text});
            else
                figures.push_back({name + suffix, QString(), false, QSize(), QSize(), 0, text});
        }
    }
    // The scorecard: its figure (cells coloured by rank) with the agreement, then the table of
    // medians, intervals and ranks as text.
    if (m_src.scorecard && m_src.scorecard->hasResult()) {
        const auto& r = m_src.scorecard->result();
        QString suffix;
        if (finishedEnough(tr("Scorecard"), m_src.scorecardRunning, r.cancelled, r.points.size(), r.pointsDone,
                           &notes, &suffix)) {
            const QString f = tmp.filePath(QStringLiteral("fig%1.png").arg(figures.size()));
            const QSize size(1300, 620);
            const QString agreement = QStringLiteral("<p>%1</p>")
                                          .arg(QString::fromStdString(metrics::agreementSentence(r.kendallW)).toHtmlEscaped());
            if (m_src.scorecard->plot()->exportFigure(f, size.width(), size.height(), 2.0))
                figures.push_back({tr("Scorecard") + suffix, f, true, size, size, 0, agreement});
            figures.push_back({tr("Scorecard: medians, intervals and ranks") + suffix, QString(), true, QSize(), QSize(),
                               0, scorecardHtml(r)});
        }
    }

    // Written atomically: an existing report stays whole until the new one is done,
    // and the file may not be one of the inputs in use.
    if (const QString refusal = outputRefusal(path); !refusal.isEmpty()) {
        m_error = refusal;
        return false;
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
        m_error = tr("%1: cannot write: %2").arg(path, out.errorString());
        return false;
    }
    QPdfWriter pdf(&out);
    pdf.setPageSize(QPageSize(QPageSize::A4));
    pdf.setResolution(150);
    pdf.setTitle(tr("SENN Studio report"));
    pdf.setCreator(QStringLiteral("SENN Studio"));
    QPainter p;
    if (!p.begin(&pdf)) {
        m_error = tr("%1: cannot write the PDF. Check the folder is writable.").arg(path);
        return false;
    }
    const QRectF firstPage(0, 0, pdf.width(), pdf.height());
    QTextDocument doc;
    doc.setPageSize(firstPage.size());
    m_layout.notes = notes;
    doc.setHtml(modelCardHtml(*m_src.model, notes));
    doc.drawContents(&p, firstPage);
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
        // The text under the figure takes the height it needs; the figure the rest.
        QTextDocument text;
        double textHeight = 0;
        if (!fig.html.isEmpty()) {
            // 10 pt on paper: the document's default is sized for a screen, far smaller here.
            QFont body = text.defaultFont();
            body.setPixelSize(std::max(8, pdf.resolution() * 10 / 72));
            text.setDefaultFont(body);
            text.setHtml(fig.html);
            text.setTextWidth(page.width());
            textHeight = text.size().height();
        }
        const QImage img(fig.file);
        if (img.isNull() && fig.html.isEmpty())
            continue;
        QRectF target(0, 100, 0, 0);
        if (!img.isNull()) {
            QSizeF s = img.size();
            s.scale(page.width(), std::max(page.height() / 3, page.height() - 120 - textHeight), Qt::KeepAspectRatio);
            target.setSize(s);
            p.drawImage(target, img);
        }
        if (!fig.html.isEmpty()) {
            p.save();
            p.translate(0, target.bottom() + (img.isNull() ? 0 : 20));
            text.drawContents(&p, QRectF(0, 0, page.width(), page.height() - target.bottom()));
            p.restore();
            if (img.isNull())
                target = QRectF(0, 100, page.width(), textHeight);
        }
        m_layout.pages.push_back({fig.title, page.size(), target, fig.rendered, fig.content, fig.columns,
                                  text.toPlainText()});
    }
    if (!p.end() || !out.commit()) {
        m_error = tr("%1: cannot write: %2").arg(path, out.errorString());
        return false;
    }
    m_figureCount = int(figures.size());
    return true;
}

} // namespace senn::ui
