#include "ui/plots/training_curves.h"

#include "ui/plots/export.h"
#include "ui/plots/plot_style.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace senn::ui {

static double termOf(const senn::train::BatchReport& r, int t)
{
    switch (t) {
    case TrainingCurves::Ce: return r.ce;
    case TrainingCurves::Reconstruction: return r.reconstruction;
    case TrainingCurves::Sparsity: return r.sparsity;
    case TrainingCurves::Robustness: return r.robustness;
    default: return r.rrr;
    }
}

static double termOf(const senn::models::EpochRecord& r, int t)
{
    switch (t) {
    case TrainingCurves::Ce: return r.ce;
    case TrainingCurves::Reconstruction: return r.reconstruction;
    case TrainingCurves::Sparsity: return r.sparsity;
    case TrainingCurves::Robustness: return r.robustness;
    default: return r.rrr;
    }
}

QString TrainingCurves::termName(int term)
{
    switch (term) {
    case Ce: return tr("prediction (CE)");
    case Reconstruction: return tr("reconstruction");
    case Sparsity: return tr("sparsity");
    case Robustness: return tr("robustness");
    case Rrr: return tr("RRR");
    default: return QString();
    }
}

TrainingCurves::TrainingCurves(QWidget* parent) : PlotFrame(parent)
{
    setExportName(QStringLiteral("training"));
    QCustomPlot* p = plot();
    QCPLayoutGrid* top = p->plotLayout();
    QCPAxisRect* first = p->axisRect();
    first->insetLayout()->take(p->legend);
    top->take(first);
    top->simplify();
    // [title] / legend / grid of small plots
    top->addElement(0, 0, p->legend);
    p->legend->setFillOrder(QCPLegend::foColumnsFirst);
    p->legend->setVisible(true);
    p->legend->setMargins(QMargins(6, 2, 6, 2));
    auto* grid = new QCPLayoutGrid;
    m_grid = grid;
    top->addElement(1, 0, grid);
    top->setRowStretchFactor(0, 0.001);
    top->setRowStretchFactor(1, 1);

    const QColor lossColor = seriesColor(0);
    for (int t = 0; t < TermCount; ++t) {
        TermPlot& tp = m_terms[static_cast<size_t>(t)];
        tp.rect = t == 0 ? first : new QCPAxisRect(p);
        QCPAxis* x = tp.rect->axis(QCPAxis::atBottom);
        QCPAxis* y = tp.rect->axis(QCPAxis::atLeft);
        x->setLabel(tr("epoch"));
        y->setLabel(termName(t));
        tp.raw = p->addGraph(x, y);
        QColor faint = lossColor;
        faint.setAlpha(70);
        tp.raw->setPen(QPen(faint, 1));
        tp.raw->setName(tr("per batch"));
        tp.ema = p->addGraph(x, y);
        tp.ema->setPen(QPen(lossColor, 2));
        tp.ema->setName(tr("smoothed (EMA)"));
        tp.epoch = p->addGraph(x, y);
        tp.epoch->setPen(QPen(seriesColor(1), 1.2, Qt::DashLine));
        tp.epoch->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, seriesColor(1), 6));
        tp.epoch->setName(tr("epoch mean"));
        if (t != 0) {
            tp.raw->removeFromLegend();
            tp.ema->removeFromLegend();
            tp.epoch->removeFromLegend();
        }
    }
    m_accRect = new QCPAxisRect(p);
    QCPAxis* ax = m_accRect->axis(QCPAxis::atBottom);
    QCPAxis* ay = m_accRect->axis(QCPAxis::atLeft);
    ax->setLabel(tr("epoch"));
    ay->setLabel(tr("accuracy"));
    m_batchAcc = p->addGraph(ax, ay);
    QColor faint = seriesColor(2);
    faint.setAlpha(110);
    m_batchAcc->setPen(QPen(faint, 1));
    m_batchAcc->setName(tr("batch accuracy (EMA)"));
    m_trainAcc = p->addGraph(ax, ay);
    m_trainAcc->setPen(QPen(seriesColor(2), 2));
    m_trainAcc->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, seriesColor(2), 6));
    m_trainAcc->setName(tr("train accuracy"));
    m_valAcc = p->addGraph(ax, ay);
    m_valAcc->setPen(QPen(seriesColor(3), 2));
    m_valAcc->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, seriesColor(3), 6));
    m_valAcc->setName(tr("validation accuracy"));

    m_replotTimer = new QTimer(this);
    m_replotTimer->setSingleShot(true);
    m_replotTimer->setInterval(100);
    connect(m_replotTimer, &QTimer::timeout, this, [this] {
        rebuildLayout();
        plot()->replot(QCustomPlot::rpQueuedReplot);
    });
    // Batch-level legend entries only once there are batches (a loaded history has none).
    for (QCPGraph* g : {m_terms[0].raw, m_terms[0].ema, m_batchAcc})
        g->removeFromLegend();
    rebuildLayout();
    refreshTheme();
}

std::vector<int> TrainingCurves::activeTerms() const
{
    std::vector<int> out;
    for (int t = 0; t < TermCount; ++t)
        if (t == Ce || m_terms[static_cast<size_t>(t)].seen)
            out.push_back(t);
    return out;
}

void TrainingCurves::rebuildLayout()
{
    const std::vector<int> active = activeTerms();
    QCPLayoutGrid* grid = m_grid;
    QCustomPlot* p = plot();
    const bool batches = m_batches > 0;
    if (batches != p->legend->hasItemWithPlottable(m_terms[0].raw)) {
        for (QCPGraph* g : {m_terms[0].raw, m_terms[0].ema, m_batchAcc})
            g->removeFromLegend();
        if (batches) {
            // Keep the legend order: raw, EMA, epoch, batch acc, train, val.
            p->legend->clearItems();
            for (QCPGraph* g : {m_terms[0].raw, m_terms[0].ema, m_terms[0].epoch, m_batchAcc, m_trainAcc, m_valAcc})
                g->addToLegend();
        }
    }
    if (active != m_layoutTerms) {
        m_layoutTerms = active;
        for (TermPlot& tp : m_terms)
            if (tp.rect->layout() == grid)
                grid->take(tp.rect);
        if (m_accRect->layout() == grid)
            grid->take(m_accRect);
        grid->simplify();
        std::vector<QCPAxisRect*> rects;
        for (int t = 0; t < TermCount; ++t) {
            const bool on = std::find(active.begin(), active.end(), t) != active.end();
            m_terms[static_cast<size_t>(t)].rect->setVisible(on);
            if (on)
                rects.push_back(m_terms[static_cast<size_t>(t)].rect);
        }
        rects.push_back(m_accRect);
        const int n = static_cast<int>(rects.size());
        const int cols = n <= 3 ? n : 3;
        for (int i = 0; i < n; ++i)
            grid->addElement(i / cols, i % cols, rects[static_cast<size_t>(i)]);
    }
    // Shared epoch axis range across the small plots.
    double xmax = 1;
    if (!m_reports.empty()) {
        const auto& r = m_reports.back();
        xmax = std::max(xmax, static_cast<double>(r.epochs > 0 ? r.epochs : r.epoch));
    }
    if (!m_epochs.empty())
        xmax = std::max(xmax, static_cast<double>(m_epochs.back().epoch));
    const double xmin = m_reports.empty() ? (m_epochs.empty() ? 0 : 1) : 0;
    const double pad = 0.03 * (xmax - xmin) + 0.05;
    for (QCPAxisRect* rect : [this] {
             std::vector<QCPAxisRect*> v;
             for (auto& tp : m_terms)
                 v.push_back(tp.rect);
             v.push_back(m_accRect);
             return v;
         }()) {
        rect->axis(QCPAxis::atBottom)->setRange(xmin - pad, xmax + pad);
    }
    for (int t = 0; t < TermCount; ++t) {
        TermPlot& tp = m_terms[static_cast<size_t>(t)];
        QCPAxis* y = tp.rect->axis(QCPAxis::atLeft);
        y->setScaleType(m_logLoss ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        if (m_logLoss)
            y->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog));
        else if (y->ticker().dynamicCast<QCPAxisTickerLog>())
            y->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        bool found = false;
        QCPRange r;
        for (QCPGraph* g : {tp.raw, tp.ema, tp.epoch}) {
            bool f = false;
            const QCPRange gr = g->getValueRange(f, m_logLoss ? QCP::sdPositive : QCP::sdBoth);
            if (f)
                r = found ? QCPRange(std::min(r.lower, gr.lower), std::max(r.upper, gr.upper)) : gr, found = true;
        }
        if (!found)
            r = m_logLoss ? QCPRange(0.01, 1) : QCPRange(0, 1);
        if (m_logLoss)
            y->setRange(r.lower / 1.3, r.upper * 1.3);
        else {
            const double span = r.upper - r.lower;
            const double ypad = span > 0 ? 0.06 * span : std::max(0.05, std::fabs(r.upper) * 0.1);
            y->setRange(std::min(0.0, r.lower) == 0.0 && r.lower >= 0 ? std::max(0.0, r.lower - ypad) : r.lower - ypad,
                        r.upper + ypad);
        }
    }
    m_accRect->axis(QCPAxis::atLeft)->setRange(0, 1.02);
    bool found = false;
    const QCPRange ar = m_trainAcc->getValueRange(found);
    bool foundB = false;
    const QCPRange br = m_batchAcc->getValueRange(foundB);
    bool foundV = false;
    const QCPRange vr = m_valAcc->getValueRange(foundV);
    double lo = 1;
    if (found)
        lo = std::min(lo, ar.lower);
    if (foundB)
        lo = std::min(lo, br.lower);
    if (foundV)
        lo = std::min(lo, vr.lower);
    if (found || foundB || foundV)
        m_accRect->axis(QCPAxis::atLeft)->setRange(std::max(0.0, lo - 0.05), 1.005);
}

void TrainingCurves::updateNow()
{
    m_replotTimer->stop();
    rebuildLayout();
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void TrainingCurves::scheduleReplot()
{
    if (!m_replotTimer->isActive())
        m_replotTimer->start();
}

void TrainingCurves::addBatch(const senn::train::BatchReport& report)
{
    const double x = report.epoch - 1 +
                     (report.batches > 0 ? static_cast<double>(report.batch) / report.batches : 1.0);
    // The trainer sends the epoch summary as an extra report (epoch means), not a batch.
    if (!report.epochEnd) {
        m_reports.push_back(report);
        ++m_batches;
        for (int t = 0; t < TermCount; ++t) {
            TermPlot& tp = m_terms[static_cast<size_t>(t)];
            const double v = termOf(report, t);
            if (!std::isfinite(v))
                continue;
            if (v != 0)
                tp.seen = true;
            tp.emaRaw = (1 - m_alpha) * tp.emaRaw + m_alpha * v;
            ++tp.emaSteps;
            tp.emaValue = tp.emaRaw / (1 - std::pow(1 - m_alpha, tp.emaSteps));
            tp.raw->addData(x, v);
            tp.ema->addData(x, tp.emaValue);
        }
        m_batchAccEmaRaw = (1 - m_alpha) * m_batchAccEmaRaw + m_alpha * report.batchAccuracy;
        ++m_batchAccSteps;
        m_batchAccEma = m_batchAccEmaRaw / (1 - std::pow(1 - m_alpha, m_batchAccSteps));
        m_batchAcc->addData(x, m_batchAccEma);
    }
    if (report.epochEnd)
        addEpochRecord(report.epochRecord);
    scheduleReplot();
}

void TrainingCurves::addEpochRecord(const senn::models::EpochRecord& r)
{
    m_epochs.push_back(r);
    for (int t = 0; t < TermCount; ++t) {
        TermPlot& tp = m_terms[static_cast<size_t>(t)];
        const double v = termOf(r, t);
        if (v != 0)
            tp.seen = true;
        tp.epoch->addData(r.epoch, v);
    }
    m_trainAcc->addData(r.epoch, r.trainAccuracy);
    m_valAcc->addData(r.epoch, r.valAccuracy);
}

void TrainingCurves::clear()
{
    m_reports.clear();
    m_epochs.clear();
    m_batches = 0;
    m_batchAccEma = 0;
    m_batchAccEmaRaw = 0;
    m_batchAccSteps = 0;
    for (TermPlot& tp : m_terms) {
        tp.raw->data()->clear();
        tp.ema->data()->clear();
        tp.epoch->data()->clear();
        tp.emaValue = 0;
        tp.emaRaw = 0;
        tp.emaSteps = 0;
        tp.seen = false;
    }
    m_trainAcc->data()->clear();
    m_valAcc->data()->clear();
    m_batchAcc->data()->clear();
    rebuildLayout();
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void TrainingCurves::setHistory(const std::vector<senn::models::EpochRecord>& history)
{
    clear();
    for (const auto& r : history)
        addEpochRecord(r);
    rebuildLayout();
    refreshTheme();
}

void TrainingCurves::setSmoothing(double alpha) { m_alpha = std::clamp(alpha, 1e-4, 1.0); }

void TrainingCurves::setLogLoss(bool log)
{
    m_logLoss = log;
    rebuildLayout();
    refreshTheme();
}

double TrainingCurves::smoothedValue(int term) const
{
    if (term < 0 || term >= TermCount || m_terms[static_cast<size_t>(term)].ema->dataCount() == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return m_terms[static_cast<size_t>(term)].emaValue;
}

QString TrainingCurves::dataCsv() const
{
    QString s = QStringLiteral(
        "kind,x,epoch,batch,loss,ce,reconstruction,sparsity,robustness,rrr,accuracy,val_accuracy\n");
    for (const auto& r : m_reports) {
        const double x = r.epoch - 1 + (r.batches > 0 ? static_cast<double>(r.batch) / r.batches : 1.0);
        s += QStringLiteral("batch,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,\n")
                 .arg(x, 0, 'g', 9).arg(r.epoch).arg(r.batch)
                 .arg(r.loss, 0, 'g', 9).arg(r.ce, 0, 'g', 9).arg(r.reconstruction, 0, 'g', 9)
                 .arg(r.sparsity, 0, 'g', 9).arg(r.robustness, 0, 'g', 9).arg(r.rrr, 0, 'g', 9)
                 .arg(r.batchAccuracy, 0, 'g', 9);
    }
    for (const auto& r : m_epochs)
        s += QStringLiteral("epoch,%1,%2,,%3,%4,%5,%6,%7,%8,%9,%10\n")
                 .arg(r.epoch).arg(r.epoch)
                 .arg(r.loss, 0, 'g', 9).arg(r.ce, 0, 'g', 9).arg(r.reconstruction, 0, 'g', 9)
                 .arg(r.sparsity, 0, 'g', 9).arg(r.robustness, 0, 'g', 9).arg(r.rrr, 0, 'g', 9)
                 .arg(r.trainAccuracy, 0, 'g', 9).arg(r.valAccuracy, 0, 'g', 9);
    return s;
}

QString TrainingCurves::dataJson() const
{
    QJsonArray epochs, batches;
    for (const auto& r : m_epochs) {
        QJsonObject o;
        o[QStringLiteral("epoch")] = r.epoch;
        o[QStringLiteral("loss")] = r.loss;
        o[QStringLiteral("ce")] = r.ce;
        o[QStringLiteral("reconstruction")] = r.reconstruction;
        o[QStringLiteral("sparsity")] = r.sparsity;
        o[QStringLiteral("robustness")] = r.robustness;
        o[QStringLiteral("rrr")] = r.rrr;
        o[QStringLiteral("train_accuracy")] = r.trainAccuracy;
        o[QStringLiteral("val_accuracy")] = r.valAccuracy;
        o[QStringLiteral("seconds")] = r.seconds;
        epochs.append(o);
    }
    for (const auto& r : m_reports) {
        QJsonObject o;
        o[QStringLiteral("epoch")] = r.epoch;
        o[QStringLiteral("batch")] = static_cast<qint64>(r.batch);
        o[QStringLiteral("loss")] = r.loss;
        o[QStringLiteral("ce")] = r.ce;
        o[QStringLiteral("reconstruction")] = r.reconstruction;
        o[QStringLiteral("sparsity")] = r.sparsity;
        o[QStringLiteral("robustness")] = r.robustness;
        o[QStringLiteral("rrr")] = r.rrr;
        o[QStringLiteral("accuracy")] = r.batchAccuracy;
        batches.append(o);
    }
    QJsonObject o;
    o[QStringLiteral("epochs")] = epochs;
    o[QStringLiteral("batches")] = batches;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
