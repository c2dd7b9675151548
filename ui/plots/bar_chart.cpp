#include "ui/plots/bar_chart.h"

#include "ui/plots/export.h"
#include "ui/plots/plot_style.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace senn::ui {

static constexpr double kBarWidth = 0.7;

BarChart::BarChart(QWidget* parent) : PlotFrame(parent)
{
    setExportName(QStringLiteral("bars"));
    QCustomPlot* p = plot();
    m_pos = new QCPBars(p->yAxis, p->xAxis);
    m_neg = new QCPBars(p->yAxis, p->xAxis);
    m_highlight = new QCPBars(p->yAxis, p->xAxis);
    for (QCPBars* b : {m_pos, m_neg, m_highlight}) {
        b->setWidth(kBarWidth);
        b->setSelectable(QCP::stNone);
        b->removeFromLegend();
    }
    m_pos->setBrush(positiveColor());
    m_pos->setPen(QPen(positiveColor().darker(130), 0.8));
    m_neg->setBrush(negativeColor());
    m_neg->setPen(QPen(negativeColor().darker(130), 0.8));
    m_highlight->setBrush(Qt::NoBrush);
    m_highlight->setPen(QPen(QColor(255, 170, 0), 2.5));
    connect(p, &QCustomPlot::mousePress, this, &BarChart::onMousePress);
    rebuild();
}

void BarChart::setData(const std::vector<float>& values, const std::vector<std::string>& labels)
{
    QStringList l;
    for (const auto& s : labels)
        l << QString::fromStdString(s);
    setData(std::vector<double>(values.begin(), values.end()), l);
}

void BarChart::setData(const std::vector<double>& values, const QStringList& labels)
{
    m_values = values;
    m_labels = labels;
    for (int i = static_cast<int>(m_labels.size()); i < static_cast<int>(m_values.size()); ++i)
        m_labels << QString::number(i);
    while (m_labels.size() > static_cast<qsizetype>(m_values.size()))
        m_labels.removeLast();
    if (m_highlighted >= static_cast<int>(m_values.size()))
        m_highlighted = -1;
    rebuild();
}

void BarChart::clear() { setData(std::vector<double>{}, QStringList{}); }

void BarChart::setOrientation(Orientation orientation)
{
    m_orientation = orientation;
    rebuild();
}

void BarChart::setRange(double r)
{
    m_autoRange = !(r > 0);
    if (r > 0)
        m_range = r;
    rebuild();
}

double BarChart::maxAbsValue() const
{
    double m = 0;
    for (double v : m_values)
        if (std::isfinite(v))
            m = std::max(m, std::fabs(v));
    return m;
}

double BarChart::range() const
{
    if (!m_autoRange)
        return m_range;
    const double m = maxAbsValue();
    return m > 0 ? m : 1.0;
}

void BarChart::setTopN(int n)
{
    m_topN = std::max(0, n);
    rebuild();
}

void BarChart::setDisplayOrder(const std::vector<int>& indices)
{
    m_order = indices;
    rebuild();
}

void BarChart::setValueLabel(const QString& label)
{
    m_valueLabel = label;
    rebuild();
}

void BarChart::setHighlighted(int index)
{
    m_highlighted = index;
    rebuild();
}

int BarChart::keyOfIndex(int index) const
{
    for (size_t k = 0; k < m_shown.size(); ++k)
        if (m_shown[k] == index)
            return static_cast<int>(k);
    return -1;
}

void BarChart::rebuild()
{
    QCustomPlot* p = plot();
    const bool horizontal = m_orientation == Orientation::Horizontal;
    QCPAxis* keyAxis = horizontal ? p->yAxis : p->xAxis;
    QCPAxis* valueAxis = horizontal ? p->xAxis : p->yAxis;
    for (QCPBars* b : {m_pos, m_neg, m_highlight}) {
        b->setKeyAxis(keyAxis);
        b->setValueAxis(valueAxis);
    }

    // Which bars, in which order: all in the original order, or the top N by |value| with the
    // largest first.
    const int n = static_cast<int>(m_values.size());
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    if (m_topN > 0 && m_topN < n) {
        std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
            return std::fabs(m_values[static_cast<size_t>(a)]) > std::fabs(m_values[static_cast<size_t>(b)]);
        });
        order.resize(static_cast<size_t>(m_topN));
    }
    if (!m_order.empty()) {
        order.clear();
        for (int i : m_order)
            if (i >= 0 && i < n)
                order.push_back(i);
    }
    m_shown = order;

    // Horizontal charts list the first bar at the top: key k is drawn at position k on a
    // reversed key axis.
    QVector<double> posKeys, posVals, negKeys, negVals;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int k = 0; k < static_cast<int>(m_shown.size()); ++k) {
        const double v = m_values[static_cast<size_t>(m_shown[static_cast<size_t>(k)])];
        if (v >= 0)
            posKeys << k, posVals << v;
        else
            negKeys << k, negVals << v;
        ticker->addTick(k, m_labels.value(m_shown[static_cast<size_t>(k)]));
    }
    m_pos->setData(posKeys, posVals, true);
    m_neg->setData(negKeys, negVals, true);
    const int hk = m_highlighted >= 0 ? keyOfIndex(m_highlighted) : -1;
    if (hk >= 0)
        m_highlight->setData(QVector<double>{double(hk)},
                             QVector<double>{m_values[static_cast<size_t>(m_highlighted)]}, true);
    else
        m_highlight->data()->clear();

    keyAxis->setTicker(ticker);
    keyAxis->setSubTicks(false);
    keyAxis->setTickLength(0, 3);
    keyAxis->grid()->setVisible(false);
    keyAxis->setRange(-0.6, std::max<double>(1, static_cast<double>(m_shown.size())) - 0.4);
    keyAxis->setRangeReversed(horizontal);
    keyAxis->setLabel(QString());
    keyAxis->setTickLabelRotation(horizontal ? 0 : (m_shown.size() > 6 ? 60 : 0));
    const double r = range();
    // A symmetric axis: −R, 0 and +R only, so the labels never crowd a narrow chart and both
    // ends carry their number.
    QSharedPointer<QCPAxisTickerText> valueTicker(new QCPAxisTickerText);
    const QString rs = QString::number(r, 'g', 2);
    valueTicker->addTick(-r, QStringLiteral("−") + rs);
    valueTicker->addTick(0.0, QStringLiteral("0"));
    valueTicker->addTick(r, rs);
    valueTicker->setSubTickCount(1);
    valueAxis->setTicker(valueTicker);
    valueAxis->setSubTicks(true);
    valueAxis->setTickLength(0, 5);
    valueAxis->setRangeReversed(false);
    valueAxis->grid()->setVisible(true);
    valueAxis->setTickLabelRotation(0);
    valueAxis->setRange(-r * 1.05, r * 1.05);
    valueAxis->setLabel(m_valueLabel);
    keyAxis->setTickLabels(true);
    valueAxis->setTickLabels(true);
    p->replot(QCustomPlot::rpQueuedReplot);
}

QPointF BarChart::barCenterPixel(int index) const
{
    const int k = keyOfIndex(index);
    if (k < 0)
        return {};
    const double v = m_values[static_cast<size_t>(index)];
    // Half way along the bar, or just off zero for (near) zero bars.
    const double r = range();
    double mid = v / 2;
    if (std::fabs(v) < 0.02 * r)
        mid = 0;
    QCPAxis* keyAxis = m_pos->keyAxis();
    QCPAxis* valueAxis = m_pos->valueAxis();
    const double kp = keyAxis->coordToPixel(k);
    const double vp = valueAxis->coordToPixel(mid);
    QPointF inPlot = m_orientation == Orientation::Horizontal ? QPointF(vp, kp) : QPointF(kp, vp);
    return plot()->mapTo(this, inPlot.toPoint());
}

void BarChart::onMousePress(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || m_shown.empty())
        return;
    QCPAxis* keyAxis = m_pos->keyAxis();
    QCPAxis* valueAxis = m_pos->valueAxis();
    const QPointF pos = event->position();
    if (!keyAxis->axisRect()->rect().contains(pos.toPoint()))
        return;
    const bool horizontal = m_orientation == Orientation::Horizontal;
    const double key = keyAxis->pixelToCoord(horizontal ? pos.y() : pos.x());
    const int k = static_cast<int>(std::lround(key));
    if (k < 0 || k >= static_cast<int>(m_shown.size()) || std::fabs(key - k) > kBarWidth / 2)
        return;
    (void)valueAxis;
    // The whole row of a bar counts (short bars are hard to hit otherwise).
    Q_EMIT barClicked(m_shown[static_cast<size_t>(k)]);
}

QString BarChart::dataCsv() const
{
    QString s = QStringLiteral("index,label,value\n");
    for (size_t i = 0; i < m_values.size(); ++i)
        s += QStringLiteral("%1,%2,%3\n")
                 .arg(i)
                 .arg(csvField(m_labels.value(static_cast<int>(i))))
                 .arg(m_values[i], 0, 'g', 9);
    return s;
}

QString BarChart::dataJson() const
{
    QJsonArray bars;
    for (size_t i = 0; i < m_values.size(); ++i) {
        QJsonObject b;
        b[QStringLiteral("index")] = static_cast<int>(i);
        b[QStringLiteral("label")] = m_labels.value(static_cast<int>(i));
        b[QStringLiteral("value")] = m_values[i];
        bars.append(b);
    }
    QJsonObject o;
    o[QStringLiteral("title")] = title();
    o[QStringLiteral("range")] = range();
    o[QStringLiteral("bars")] = bars;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
