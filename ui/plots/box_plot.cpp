#include "ui/plots/box_plot.h"

#include "ui/plots/export.h"
#include "ui/plots/plot_style.h"

#include <QFontMetricsF>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace senn::ui {

static double quantile(const std::vector<double>& sorted, double q)
{
    if (sorted.empty())
        return std::numeric_limits<double>::quiet_NaN();
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

BoxStats BoxStats::compute(std::vector<double> samples)
{
    samples.erase(std::remove_if(samples.begin(), samples.end(), [](double v) { return !std::isfinite(v); }),
                  samples.end());
    std::sort(samples.begin(), samples.end());
    BoxStats s;
    s.n = static_cast<int>(samples.size());
    if (samples.empty())
        return s;
    s.q1 = quantile(samples, 0.25);
    s.median = quantile(samples, 0.5);
    s.q3 = quantile(samples, 0.75);
    const double iqr = s.q3 - s.q1;
    const double lo = s.q1 - 1.5 * iqr, hi = s.q3 + 1.5 * iqr;
    s.lowerWhisker = s.q1;
    s.upperWhisker = s.q3;
    for (double v : samples) {
        if (v < lo || v > hi)
            s.outliers.push_back(v);
        else
            s.lowerWhisker = std::min(s.lowerWhisker, v), s.upperWhisker = std::max(s.upperWhisker, v);
    }
    return s;
}

BoxPlot::BoxPlot(QWidget* parent)
    : PlotFrame(parent), m_reference(std::numeric_limits<double>::quiet_NaN())
{
    setExportName(QStringLiteral("boxes"));
    rebuild();
}

void BoxPlot::setBoxes(const std::vector<BoxSeries>& boxes)
{
    const bool countChanged = boxes.size() != m_boxes.size();
    m_boxes = boxes;
    m_stats.clear();
    for (const BoxSeries& b : m_boxes)
        m_stats.push_back(BoxStats::compute(b.samples));
    rebuild();
    if (countChanged)
        updateGeometry(); // the minimum width follows the number of names to show
}

// A name's slot when drawn vertically: the line height plus a little air.
static double verticalSlot(const QFontMetricsF& fm) { return fm.height() + 3; }

QSize BoxPlot::minimumSizeHint() const
{
    const QSize base = PlotFrame::minimumSizeHint();
    const QFontMetricsF fm(plot()->xAxis->tickLabelFont());
    // The y axis with its ticks and title on the left, about 80 px, and one slot per box.
    const int need = 80 + int(std::ceil((double(m_boxes.size()) + 0.2) * verticalSlot(fm)));
    return QSize(std::max(base.width(), need), base.height());
}

void BoxPlot::clear() { setBoxes({}); }

void BoxPlot::setValueLabel(const QString& label)
{
    m_valueLabel = label;
    rebuild();
}

void BoxPlot::setLogY(bool log)
{
    m_logY = log;
    rebuild();
}

void BoxPlot::setReferenceLine(double y)
{
    m_reference = y;
    rebuild();
}

void BoxPlot::rebuild()
{
    QCustomPlot* p = plot();
    p->clearPlottables();
    p->clearItems();
    double ymin = std::numeric_limits<double>::infinity(), ymax = -ymin;
    bool sameN = m_boxes.size() > 1;
    for (const BoxStats& s : m_stats)
        sameN = sameN && s.n == m_stats.front().n;
    for (size_t i = 0; i < m_boxes.size(); ++i) {
        const BoxStats& s = m_stats[i];
        if (s.n == 0)
            continue;
        const QColor color = m_boxes[i].color.isValid() ? m_boxes[i].color : seriesColor(static_cast<int>(i));
        auto* box = new QCPStatisticalBox(p->xAxis, p->yAxis);
        QColor fill = color;
        fill.setAlpha(70);
        box->setBrush(fill);
        box->setPen(QPen(color.darker(120), 1.2));
        box->setMedianPen(QPen(color.darker(160), 2.5));
        box->setWhiskerPen(QPen(color.darker(120), 1.0, Qt::SolidLine));
        box->setWhiskerBarPen(QPen(color.darker(120), 1.2));
        box->setOutlierStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color.darker(120), 4));
        box->setWidth(0.55);
        box->removeFromLegend();
        box->addData(static_cast<double>(i), s.lowerWhisker, s.q1, s.median, s.q3, s.upperWhisker,
                     QVector<double>(s.outliers.begin(), s.outliers.end()));
        for (double v : {s.lowerWhisker, s.upperWhisker})
            ymin = std::min(ymin, v), ymax = std::max(ymax, v);
        for (double v : s.outliers)
            ymin = std::min(ymin, v), ymax = std::max(ymax, v);
        // n over each box, since methods may have failed on some points; one label for all
        // when every box has the same n (narrow slots would run the labels together).
        if (i > 0 && sameN)
            continue;
        auto* label = new QCPItemText(p);
        label->position->setTypeX(sameN ? QCPItemPosition::ptAxisRectRatio : QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(sameN ? 0.01 : static_cast<double>(i), 0.98);
        label->setPositionAlignment((sameN ? Qt::AlignLeft : Qt::AlignHCenter) | Qt::AlignBottom);
        label->setText(sameN ? tr("n = %1 each").arg(s.n) : QStringLiteral("n=%1").arg(s.n));
        label->setFont(plotTickFont());
        label->setClipToAxisRect(false);
    }
    p->xAxis->setSubTicks(false);
    p->xAxis->setTickLength(0, 4);
    p->xAxis->grid()->setVisible(false);
    p->xAxis->setRange(-0.6, std::max<double>(1, static_cast<double>(m_boxes.size())) - 0.4);
    layoutLabels();
    p->yAxis->setLabel(m_valueLabel);
    if (m_logY) {
        p->yAxis->setScaleType(QCPAxis::stLogarithmic);
        p->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog));
    } else {
        p->yAxis->setScaleType(QCPAxis::stLinear);
        p->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    if (std::isfinite(m_reference)) {
        ymin = std::min(ymin, m_reference);
        ymax = std::max(ymax, m_reference);
        auto* line = new QCPItemStraightLine(p);
        line->point1->setCoords(0, m_reference);
        line->point2->setCoords(1, m_reference);
        line->setPen(QPen(QColor(128, 128, 128), 1, Qt::DashLine));
    }
    if (!std::isfinite(ymin))
        ymin = 0, ymax = 1;
    if (m_logY) {
        ymin = ymin > 0 ? ymin : 1e-6;
        p->yAxis->setRange(ymin / 1.5, ymax * 2.0);
    } else {
        const double pad = ymax > ymin ? 0.1 * (ymax - ymin) : 0.5;
        // Extra room at the top for the n= labels.
        p->yAxis->setRange(ymin - pad, ymax + 1.8 * pad);
    }
    refreshTheme();
}

// The width in pixels the x axis spans: the axis rect once laid out, else an estimate.
static double axisPixels(const QCustomPlot* p, int widgetWidth)
{
    // The plot's margins as last laid out (the y axis labels), applied to the current width
    // (a resize reaches this before the next replot lays the axis rect out again).
    const int w = p->xAxis->axisRect()->width();
    const int margins = w > 20 && p->width() > w ? p->width() - w : 80;
    return std::max(40, widgetWidth - margins);
}

void BoxPlot::layoutLabels()
{
    QCustomPlot* p = plot();
    const int n = static_cast<int>(m_boxes.size());
    const QFontMetricsF fm(p->xAxis->tickLabelFont());
    const double h = verticalSlot(fm) - 1;
    const double slot = axisPixels(p, width()) / std::max(1.2, n + 0.2);
    double widest = 0;
    for (const BoxSeries& b : m_boxes)
        widest = std::max(widest, fm.horizontalAdvance(b.name));
    // Horizontal when every name fits its slot; else the smallest rotation whose labels keep
    // apart (rotated by a, neighbours are slot·sin(a) apart across the text); else vertical
    // with every k-th label.
    int every = 1;
    if (widest + 6 <= slot)
        m_rotation = 0;
    else if (slot * std::sin(M_PI / 4) >= h)
        m_rotation = 45;
    else {
        m_rotation = 90;
        every = std::max(1, static_cast<int>(std::ceil(h / std::max(1.0, slot))));
    }
    // Rotated names longer than about a third of the plot's height are elided.
    const double maxLen = m_rotation > 0 ? std::max(60.0, 0.34 * std::max(height(), 200)) : slot - 6;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    m_shownLabels.clear();
    QStringList shortened;
    for (int i = 0; i < n; ++i) {
        const QString& name = m_boxes[size_t(i)].name;
        QString text = i % every == 0 ? fm.elidedText(name, Qt::ElideRight, maxLen) : QString();
        if (text != name)
            shortened << name;
        m_shownLabels << text;
        ticker->addTick(static_cast<double>(i), text);
    }
    p->xAxis->setTicker(ticker);
    p->xAxis->setTickLabelRotation(m_rotation);
    // Names at 45° start at their tick and run down to the right: the last one needs room
    // beyond the axis' right end.
    double overhang = 0;
    if (m_rotation > 0 && m_rotation < 90 && !m_shownLabels.isEmpty()) {
        const double a = m_rotation * M_PI / 180.0;
        overhang = std::cos(a) * fm.horizontalAdvance(m_shownLabels.back()) + std::sin(a) * fm.height() / 2.0 -
                   0.4 * slot;
    }
    QCPAxisRect* rect = p->axisRect();
    rect->setAutoMargins(QCP::msLeft | QCP::msTop | QCP::msBottom);
    rect->setMargins(QMargins(0, 0, std::max(12, static_cast<int>(std::ceil(overhang)) + 4), 0));
    // Names cut short or left out are whole in the tooltip, in the order of the boxes.
    QStringList all;
    for (const BoxSeries& b : m_boxes)
        all << b.name;
    setToolTip(shortened.isEmpty() ? QString() : tr("Methods, left to right: %1").arg(all.join(QStringLiteral(", "))));
}

QList<QPolygonF> BoxPlot::tickLabelOutlines() const
{
    QList<QPolygonF> out;
    const QCustomPlot* p = plot();
    const QFontMetricsF fm(p->xAxis->tickLabelFont());
    const double a = m_rotation * M_PI / 180.0;
    const QPointF u(std::cos(a), std::sin(a)), v(-std::sin(a), std::cos(a));
    const double y = p->xAxis->axisRect()->bottom() + p->xAxis->tickLabelPadding();
    for (int i = 0; i < m_shownLabels.size(); ++i) {
        if (m_shownLabels[i].isEmpty())
            continue;
        const double x = p->xAxis->coordToPixel(static_cast<double>(i));
        const double w = fm.horizontalAdvance(m_shownLabels[i]), h = fm.height();
        // QCustomPlot's offsets (QCPAxisPainterPrivate::getTickLabelDrawOffset, bottom axis):
        // unrotated text centred under the tick; text rotated clockwise starting at the tick.
        const QPointF o = m_rotation > 0 ? QPointF(x + std::sin(a) * h / 2.0, y) : QPointF(x - w / 2.0, y);
        QPolygonF poly;
        poly << o << o + w * u << o + w * u + h * v << o + h * v;
        out << poly.translated(p->pos());
    }
    return out;
}

void BoxPlot::resizeEvent(QResizeEvent* event)
{
    PlotFrame::resizeEvent(event);
    layoutLabels();
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

QString BoxPlot::dataCsv() const
{
    // The data rows of all boxes, in order of first appearance: one column each.
    std::vector<int64_t> rows;
    for (const BoxSeries& b : m_boxes)
        for (int64_t r : b.rows)
            if (std::find(rows.begin(), rows.end(), r) == rows.end())
                rows.push_back(r);
    QString s = QStringLiteral("method,n,whisker_low,q1,median,q3,whisker_high,outliers");
    for (int64_t r : rows)
        s += QStringLiteral(",row_%1").arg(r);
    s += QLatin1Char('\n');
    for (size_t i = 0; i < m_boxes.size(); ++i) {
        const BoxStats& b = m_stats[i];
        QStringList out;
        for (double v : b.outliers)
            out << QString::number(v, 'g', 9);
        QString perRow;
        const BoxSeries& box = m_boxes[i];
        for (int64_t r : rows) {
            perRow += QLatin1Char(',');
            for (size_t k = 0; k < box.rows.size() && k < box.samples.size(); ++k)
                if (box.rows[k] == r && std::isfinite(box.samples[k])) {
                    perRow += QString::number(box.samples[k], 'g', 9);
                    break;
                }
        }
        s += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8%9\n")
                 .arg(csvField(m_boxes[i].name))
                 .arg(b.n)
                 .arg(b.lowerWhisker, 0, 'g', 9)
                 .arg(b.q1, 0, 'g', 9)
                 .arg(b.median, 0, 'g', 9)
                 .arg(b.q3, 0, 'g', 9)
                 .arg(b.upperWhisker, 0, 'g', 9)
                 .arg(csvField(out.join(QLatin1Char(' '))))
                 .arg(perRow);
    }
    return s;
}

QString BoxPlot::dataJson() const
{
    QJsonArray boxes;
    for (size_t i = 0; i < m_boxes.size(); ++i) {
        const BoxStats& b = m_stats[i];
        QJsonObject o;
        o[QStringLiteral("name")] = m_boxes[i].name;
        o[QStringLiteral("n")] = b.n;
        o[QStringLiteral("whisker_low")] = b.lowerWhisker;
        o[QStringLiteral("q1")] = b.q1;
        o[QStringLiteral("median")] = b.median;
        o[QStringLiteral("q3")] = b.q3;
        o[QStringLiteral("whisker_high")] = b.upperWhisker;
        QJsonArray samples, outliers;
        for (double v : m_boxes[i].samples)
            samples.append(v);
        for (double v : b.outliers)
            outliers.append(v);
        o[QStringLiteral("outliers")] = outliers;
        o[QStringLiteral("samples")] = samples;
        if (!m_boxes[i].rows.empty()) {
            QJsonArray rows;
            for (int64_t r : m_boxes[i].rows)
                rows.append(double(r));
            o[QStringLiteral("rows")] = rows;
        }
        boxes.append(o);
    }
    QJsonObject o;
    o[QStringLiteral("title")] = title();
    o[QStringLiteral("value_label")] = m_valueLabel;
    o[QStringLiteral("boxes")] = boxes;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
