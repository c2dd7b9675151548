#include "ui/plots/box_plot.h"

#include "ui/plots/export.h"
#include "ui/plots/plot_style.h"

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
    m_boxes = boxes;
    m_stats.clear();
    for (const BoxSeries& b : m_boxes)
        m_stats.push_back(BoxStats::compute(b.samples));
    rebuild();
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
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double ymin = std::numeric_limits<double>::infinity(), ymax = -ymin;
    for (size_t i = 0; i < m_boxes.size(); ++i) {
        const BoxStats& s = m_stats[i];
        ticker->addTick(static_cast<double>(i), m_boxes[i].name);
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
        // n under each box, since methods may have failed on some points.
        auto* label = new QCPItemText(p);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(static_cast<double>(i), 0.98);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setText(QStringLiteral("n=%1").arg(s.n));
        label->setFont(plotTickFont());
        label->setClipToAxisRect(false);
    }
    p->xAxis->setTicker(ticker);
    p->xAxis->setSubTicks(false);
    p->xAxis->setTickLength(0, 4);
    p->xAxis->grid()->setVisible(false);
    p->xAxis->setTickLabelRotation(m_boxes.size() > 5 ? 30 : 0);
    p->xAxis->setRange(-0.6, std::max<double>(1, static_cast<double>(m_boxes.size())) - 0.4);
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

QString BoxPlot::dataCsv() const
{
    QString s = QStringLiteral("method,n,whisker_low,q1,median,q3,whisker_high,outliers\n");
    for (size_t i = 0; i < m_boxes.size(); ++i) {
        const BoxStats& b = m_stats[i];
        QStringList out;
        for (double v : b.outliers)
            out << QString::number(v, 'g', 9);
        s += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8\n")
                 .arg(csvField(m_boxes[i].name))
                 .arg(b.n)
                 .arg(b.lowerWhisker, 0, 'g', 9)
                 .arg(b.q1, 0, 'g', 9)
                 .arg(b.median, 0, 'g', 9)
                 .arg(b.q3, 0, 'g', 9)
                 .arg(b.upperWhisker, 0, 'g', 9)
                 .arg(csvField(out.join(QLatin1Char(' '))));
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
        boxes.append(o);
    }
    QJsonObject o;
    o[QStringLiteral("title")] = title();
    o[QStringLiteral("value_label")] = m_valueLabel;
    o[QStringLiteral("boxes")] = boxes;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
