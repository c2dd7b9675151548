#include "ui/plots/plot_style.h"

#include "core/explain/explanation.h"

#include <QApplication>
#include <QPalette>
#include <qcustomplot.h>

#include <cmath>

namespace senn::ui {

QFont plotTitleFont()
{
    QFont f = QApplication::font();
    f.setPointSizeF(12);
    f.setBold(true);
    return f;
}

QFont plotLabelFont()
{
    QFont f = QApplication::font();
    f.setPointSizeF(10);
    return f;
}

QFont plotTickFont()
{
    QFont f = QApplication::font();
    f.setPointSizeF(9);
    return f;
}

QCPColorGradient divergingGradient()
{
    // RdBu-like stops; the exact white centre is what makes "0" readable across methods.
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(5, 48, 97));
    g.setColorStopAt(0.15, QColor(33, 102, 172));
    g.setColorStopAt(0.32, QColor(103, 169, 207));
    g.setColorStopAt(0.5, QColor(255, 255, 255));
    g.setColorStopAt(0.68, QColor(239, 138, 98));
    g.setColorStopAt(0.85, QColor(178, 24, 43));
    g.setColorStopAt(1.0, QColor(103, 0, 31));
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(513); // odd, so the middle level is exactly the white stop
    return g;
}

QCPColorGradient sequentialGradient()
{
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(255, 255, 255));
    g.setColorStopAt(0.5, QColor(107, 174, 214));
    g.setColorStopAt(1.0, QColor(8, 48, 107));
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(256);
    return g;
}

QColor positiveColor() { return QColor(202, 0, 32); }
QColor negativeColor() { return QColor(5, 113, 176); }

QColor seriesColor(int i)
{
    // Okabe-Ito, readable for colour-blind viewers.
    static const QColor colors[] = {
        QColor(0, 114, 178), QColor(213, 94, 0),  QColor(0, 158, 115), QColor(204, 121, 167),
        QColor(230, 159, 0), QColor(86, 180, 233), QColor(0, 0, 0),     QColor(240, 228, 66),
    };
    const int n = static_cast<int>(sizeof(colors) / sizeof(colors[0]));
    return colors[((i % n) + n) % n];
}

QColor methodColor(const std::string& methodId)
{
    // One palette for every figure (curves, boxes, grid strips): each colour has at least 3:1
    // contrast on white and differs from every other by a CIE76 ΔE of 25 or more.
    static const std::vector<std::pair<std::string, QColor>> palette = {
        {"senn", QColor(0, 114, 178)},          {"lime", QColor(213, 94, 0)},
        {"kernel-shap", QColor(0, 158, 115)},   {"shapley", QColor(204, 51, 153)},
        {"saliency", QColor(51, 34, 136)},      {"grad-input", QColor(130, 130, 30)},
        {"integrated-gradients", QColor(0, 0, 0)}, {"smoothgrad", QColor(120, 30, 40)},
        {"occlusion", QColor(110, 110, 110)},   {"flint", QColor(140, 80, 200)},
    };
    for (const auto& [id, color] : palette)
        if (id == methodId)
            return color;
    return QColor::fromHsv(static_cast<int>(qHash(QString::fromStdString(methodId)) % 360), 200, 140);
}

static void themeAxis(QCPAxis* axis, const QColor& fg, const QColor& grid)
{
    axis->setBasePen(QPen(fg, 1));
    axis->setTickPen(QPen(fg, 1));
    axis->setSubTickPen(QPen(fg, 1));
    axis->setTickLabelColor(fg);
    axis->setLabelColor(fg);
    axis->setTickLabelFont(plotTickFont());
    axis->setLabelFont(plotLabelFont());
    axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    axis->grid()->setZeroLinePen(QPen(grid.darker(130), 1));
}

void placeLegendBelow(QCustomPlot* p, int perLine)
{
    p->legend->setVisible(true);
    QCPLayoutGrid* layout = p->plotLayout();
    p->axisRect()->insetLayout()->take(p->legend);
    const int row = layout->rowCount();
    layout->addElement(row, 0, p->legend);
    layout->setRowStretchFactor(row, 0.001);
    p->legend->setFillOrder(QCPLegend::foColumnsFirst);
    p->legend->setWrap(perLine);
    p->legend->setMargins(QMargins(6, 2, 6, 2));
    p->legend->setColumnSpacing(12);
}

void applyPlotTheme(QCustomPlot* plot, bool dark)
{
    const QColor bg = dark ? QColor(37, 37, 38) : QColor(Qt::white);
    const QColor fg = dark ? QColor(220, 220, 220) : QColor(20, 20, 20);
    const QColor grid = dark ? QColor(80, 80, 80) : QColor(200, 200, 200);
    plot->setBackground(bg);
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setBackground(Qt::NoBrush);
        for (QCPAxis* axis : rect->axes())
            themeAxis(axis, fg, grid);
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        // Top-level and nested text elements / legends / colour scales.
        QList<QCPLayoutElement*> stack{plot->plotLayout()->elementAt(i)};
        while (!stack.isEmpty()) {
            QCPLayoutElement* el = stack.takeLast();
            if (!el)
                continue;
            if (auto* text = qobject_cast<QCPTextElement*>(el))
                text->setTextColor(fg);
            if (auto* legend = qobject_cast<QCPLegend*>(el)) {
                legend->setBrush(QBrush(dark ? QColor(45, 45, 48, 230) : QColor(255, 255, 255, 230)));
                legend->setBorderPen(QPen(grid));
                legend->setTextColor(fg);
                legend->setFont(plotTickFont());
            }
            if (auto* scale = qobject_cast<QCPColorScale*>(el))
                themeAxis(scale->axis(), fg, grid);
            if (auto* layout = qobject_cast<QCPLayout*>(el))
                for (int j = 0; j < layout->elementCount(); ++j)
                    stack.append(layout->elementAt(j));
        }
    }
    for (QCPAxisRect* rect : plot->axisRects())
        if (rect->insetLayout())
            for (int j = 0; j < rect->insetLayout()->elementCount(); ++j)
                if (auto* legend = qobject_cast<QCPLegend*>(rect->insetLayout()->elementAt(j))) {
                    legend->setBrush(
                        QBrush(dark ? QColor(45, 45, 48, 230) : QColor(255, 255, 255, 230)));
                    legend->setBorderPen(QPen(grid));
                    legend->setTextColor(fg);
                    legend->setFont(plotTickFont());
                }
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)))
            if (!text->property("senn_fixed_color").toBool())
                text->setColor(fg);
}

bool paletteIsDark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

QString methodLabel(const std::string& methodId)
{
    try {
        return QString::fromStdString(explain::methodDisplayName(explain::methodFromId(methodId)));
    } catch (...) {
        return QString::fromStdString(methodId);
    }
}

double maxAbs(const std::vector<float>& values)
{
    double m = 0;
    for (float v : values)
        if (std::isfinite(v))
            m = std::max(m, static_cast<double>(std::fabs(v)));
    return m;
}

double niceBound(double r)
{
    if (!(r > 0))
        return 0;
    const double p = std::pow(10.0, std::floor(std::log10(r)));
    for (double m : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
        if (m * p >= r * (1 - 1e-12))
            return m * p;
    return 10 * p;
}

} // namespace senn::ui
