#include "ui/plots/confusion_matrix_view.h"

#include "ui/plots/export.h"
#include "ui/plots/plot_style.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <qcustomplot.h>

#include <cmath>

namespace senn::ui {

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : PlotFrame(parent)
{
    setExportName(QStringLiteral("confusion"));
    QCustomPlot* p = plot();
    QCPAxisRect* rect = p->axisRect();
    auto* map = new QCPColorMap(p->xAxis, p->yAxis);
    map->setGradient(sequentialGradient());
    map->setInterpolate(false);
    map->setTightBoundary(false);
    map->setDataRange(QCPRange(0, 1));
    auto* scale = new QCPColorScale(p);
    scale->setType(QCPAxis::atRight);
    scale->setGradient(sequentialGradient());
    scale->setDataRange(QCPRange(0, 1));
    scale->setBarWidth(12);
    scale->axis()->setLabel(tr("fraction of true class"));
    map->setColorScale(scale);
    QCPLayoutGrid* top = p->plotLayout();
    top->take(rect);
    top->simplify();
    auto* inner = new QCPLayoutGrid;
    top->addElement(0, 0, inner);
    inner->addElement(0, 0, rect);
    inner->addElement(0, 1, scale);
    inner->setColumnStretchFactor(1, 0.01);
    auto* group = new QCPMarginGroup(p);
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    scale->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    p->xAxis->setLabel(tr("predicted class"));
    p->yAxis->setLabel(tr("true class"));
    p->yAxis->setRangeReversed(true);
    connect(p, &QCustomPlot::mousePress, this, [this, map](QMouseEvent* e) {
        const int n = static_cast<int>(m_matrix.size());
        double k = 0, v = 0;
        map->pixelsToCoords(e->position(), k, v);
        const int c = static_cast<int>(std::lround(k)), r = static_cast<int>(std::lround(v));
        if (e->button() == Qt::LeftButton && r >= 0 && c >= 0 && r < n && c < n)
            Q_EMIT cellClicked(r, c);
    });
    rebuild();
}

void ConfusionMatrixView::setMatrix(const std::vector<std::vector<int64_t>>& confusion,
                                    const std::vector<std::string>& classNames)
{
    m_matrix = confusion;
    m_names.clear();
    for (size_t i = 0; i < m_matrix.size(); ++i)
        m_names << (i < classNames.size() ? QString::fromStdString(classNames[i]) : QString::number(i));
    rebuild();
}

int64_t ConfusionMatrixView::total() const
{
    int64_t t = 0;
    for (const auto& row : m_matrix)
        for (int64_t v : row)
            t += v;
    return t;
}

double ConfusionMatrixView::accuracy() const
{
    int64_t ok = 0;
    for (size_t i = 0; i < m_matrix.size(); ++i)
        if (i < m_matrix[i].size())
            ok += m_matrix[i][i];
    const int64_t t = total();
    return t > 0 ? static_cast<double>(ok) / static_cast<double>(t) : 0.0;
}

void ConfusionMatrixView::rebuild()
{
    QCustomPlot* p = plot();
    p->clearItems();
    auto* map = qobject_cast<QCPColorMap*>(p->plottable(0));
    const int n = static_cast<int>(m_matrix.size());
    map->data()->setSize(std::max(n, 1), std::max(n, 1));
    map->data()->setRange(QCPRange(0, std::max(n - 1, 0)), QCPRange(0, std::max(n - 1, 0)));
    QSharedPointer<QCPAxisTickerText> tx(new QCPAxisTickerText), ty(new QCPAxisTickerText);
    QFont cellFont = plotTickFont();
    if (n > 12)
        cellFont.setPointSizeF(7.5);
    for (int r = 0; r < n; ++r) {
        int64_t rowSum = 0;
        for (int64_t v : m_matrix[static_cast<size_t>(r)])
            rowSum += v;
        tx->addTick(r, m_names.value(r));
        ty->addTick(r, m_names.value(r));
        for (int c = 0; c < n; ++c) {
            const int64_t count = c < static_cast<int>(m_matrix[static_cast<size_t>(r)].size())
                                      ? m_matrix[static_cast<size_t>(r)][static_cast<size_t>(c)] : 0;
            const double rate = rowSum > 0 ? static_cast<double>(count) / static_cast<double>(rowSum) : 0.0;
            map->data()->setCell(c, r, rate);
            auto* text = new QCPItemText(p);
            text->setProperty("senn_fixed_color", true);
            text->position->setCoords(c, r);
            text->setText(QString::number(count));
            text->setFont(cellFont);
            text->setColor(rate > 0.55 ? Qt::white : QColor(20, 20, 20));
        }
    }
    p->xAxis->setTicker(tx);
    p->yAxis->setTicker(ty);
    p->xAxis->setSubTicks(false);
    p->yAxis->setSubTicks(false);
    p->xAxis->grid()->setVisible(false);
    p->yAxis->grid()->setVisible(false);
    p->xAxis->setTickLabelRotation(n > 6 && m_names.join(QString()).size() > 3 * n ? 45 : 0);
    p->xAxis->setRange(-0.5, std::max(n, 1) - 0.5);
    p->yAxis->setRange(-0.5, std::max(n, 1) - 0.5);
    refreshTheme();
}

QString ConfusionMatrixView::dataCsv() const
{
    QString s = QStringLiteral("true\\predicted");
    for (const QString& name : m_names)
        s += QLatin1Char(',') + csvField(name);
    s += QLatin1Char('\n');
    for (size_t r = 0; r < m_matrix.size(); ++r) {
        s += csvField(m_names.value(static_cast<int>(r)));
        for (int64_t v : m_matrix[r])
            s += QLatin1Char(',') + QString::number(v);
        s += QLatin1Char('\n');
    }
    return s;
}

QString ConfusionMatrixView::dataJson() const
{
    QJsonArray rows, names;
    for (const auto& row : m_matrix) {
        QJsonArray a;
        for (int64_t v : row)
            a.append(static_cast<qint64>(v));
        rows.append(a);
    }
    for (const QString& n : m_names)
        names.append(n);
    QJsonObject o;
    o[QStringLiteral("classes")] = names;
    o[QStringLiteral("confusion")] = rows;
    o[QStringLiteral("accuracy")] = accuracy();
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
