#include "ui/plots/heatmap_view.h"

#include "ui/plots/export.h"
#include "ui/plots/image_grid.h"
#include "ui/plots/plot_style.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QAbstractScrollArea>
#include <QCoreApplication>
#include <QJsonObject>
#include <QWheelEvent>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace senn::ui {

// {C,H,W} -> channel sum H x W; {H,W} as is; {d} -> 1 x d.
static std::vector<double> collapse(const std::vector<float>& values,
                                    const std::vector<int64_t>& shape, int* w, int* h, bool mean)
{
    int64_t C = 1, H = 1, W = static_cast<int64_t>(values.size());
    if (shape.size() == 3)
        C = shape[0], H = shape[1], W = shape[2];
    else if (shape.size() == 2)
        H = shape[0], W = shape[1];
    else if (shape.size() == 1)
        W = shape[0];
    if (C * H * W != static_cast<int64_t>(values.size()) || H <= 0 || W <= 0) {
        *w = *h = 0;
        return {};
    }
    std::vector<double> out(static_cast<size_t>(H * W), 0.0);
    for (int64_t c = 0; c < C; ++c)
        for (int64_t i = 0; i < H * W; ++i)
            out[static_cast<size_t>(i)] += values[static_cast<size_t>(c * H * W + i)];
    if (mean && C > 1)
        for (double& v : out)
            v /= static_cast<double>(C);
    *w = static_cast<int>(W);
    *h = static_cast<int>(H);
    return out;
}

// Keeps image cells square: once the layout has sized the rect (on screen and in exports,
// which lay out at the export size), the axis ranges are widened around the image. The colour
// bar beside it is then cut to the image's height: a bar spanning the whole rect beside a small
// image reads as belonging to something else.
class SquarePixelAxisRect : public QCPAxisRect {
public:
    explicit SquarePixelAxisRect(QCustomPlot* plot) : QCPAxisRect(plot, true) {}
    int cellsX = 1, cellsY = 1;
    QCPColorScale* scale = nullptr;
    void update(UpdatePhase phase) override
    {
        QCPAxisRect::update(phase);
        if (phase != upLayout || width() <= 0 || height() <= 0)
            return;
        const double ppc = std::min(width() / double(cellsX), height() / double(cellsY));
        const double wx = width() / ppc, wy = height() / ppc;
        const double cx = (cellsX - 1) / 2.0, cy = (cellsY - 1) / 2.0;
        axis(QCPAxis::atBottom)->setRange(cx - wx / 2, cx + wx / 2);
        axis(QCPAxis::atTop)->setRange(cx - wx / 2, cx + wx / 2);
        axis(QCPAxis::atLeft)->setRange(cy - wy / 2, cy + wy / 2);
        axis(QCPAxis::atRight)->setRange(cy - wy / 2, cy + wy / 2);
        // The layout updates the scale after this rect (it sits to the right in the same grid),
        // so its rect can be set here. A short map (a strip) keeps a bar tall enough to read.
        if (scale && scale->visible() && scale->layout() == layout()) {
            const int imageH = static_cast<int>(std::lround(ppc * cellsY));
            const int barH = std::min(height(), std::max(imageH, 60));
            const QRect full = scale->outerRect();
            const QMargins m = scale->margins();
            const int top = rect().center().y() - barH / 2;
            scale->setOuterRect(QRect(full.left(), top - m.top(), full.width(), barH + m.top() + m.bottom()));
        }
    }
};

namespace {
// QCustomPlot accepts every wheel event, so a plot inside a scroll area stops the scrolling
// wherever the cursor rests on it. These plots do not zoom: the wheel goes to the nearest
// scroll area around the plot (sent on explicitly: Qt does not pass a synthesised wheel event
// to the parents). With Ctrl it stays with the plot, for a zoom that may use it.
class WheelToParent : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        auto* widget = qobject_cast<QWidget*>(watched);
        if (event->type() != QEvent::Wheel || !widget)
            return QObject::eventFilter(watched, event);
        auto* wheel = static_cast<QWheelEvent*>(event);
        if (wheel->modifiers() & Qt::ControlModifier)
            return QObject::eventFilter(watched, event);
        for (QWidget* w = widget->parentWidget(); w; w = w->parentWidget())
            if (auto* area = qobject_cast<QAbstractScrollArea*>(w)) {
                QWidget* viewport = area->viewport();
                const QPointF pos = viewport->mapFromGlobal(wheel->globalPosition());
                QWheelEvent copy(pos, wheel->globalPosition(), wheel->pixelDelta(), wheel->angleDelta(),
                                 wheel->buttons(), wheel->modifiers(), wheel->phase(), wheel->inverted());
                QCoreApplication::sendEvent(viewport, &copy);
                event->setAccepted(copy.isAccepted());
                return true;
            }
        event->ignore(); // no scroll area: the parents may take it
        return true;
    }
};
} // namespace

void passWheelToParent(QWidget* widget)
{
    if (!widget || widget->property("senn_wheel_to_parent").toBool())
        return;
    widget->setProperty("senn_wheel_to_parent", true);
    widget->installEventFilter(new WheelToParent(widget));
}

HeatmapView::HeatmapView(QWidget* parent) : PlotFrame(parent)
{
    setExportName(QStringLiteral("heatmap"));
    QCustomPlot* p = plot();
    passWheelToParent(p);
    // Replace the default rect by one that keeps square pixels.
    p->plotLayout()->clear();
    p->plotLayout()->simplify();
    QCPAxisRect* rect = new SquarePixelAxisRect(p);
    p->plotLayout()->addElement(0, 0, rect);
    // Images read top-down: row 0 at the top.
    rect->axis(QCPAxis::atLeft)->setRangeReversed(true);
    for (QCPAxis* a : rect->axes()) {
        a->setTicks(false);
        a->setTickLabels(false);
        a->grid()->setVisible(false);
    }
    rect->setupFullAxesBox(false);
    rect->axis(QCPAxis::atRight)->setRangeReversed(true);
    for (QCPAxis* a : rect->axes()) {
        a->setTicks(false);
        a->setTickLabels(false);
        a->setVisible(true);
    }
    // Frames hug the image instead of the widened axis range.
    for (QCPAxis* a : rect->axes())
        a->setBasePen(Qt::NoPen);

    // The input image on a layer of its own under the map, drawn cell for cell (no smoothing).
    p->addLayer(QStringLiteral("underlay"), p->layer(QStringLiteral("main")), QCustomPlot::limBelow);
    m_underlayItem = new QCPItemPixmap(p);
    m_underlayItem->setLayer(QStringLiteral("underlay"));
    m_underlayItem->setScaled(true, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    m_underlayItem->setPen(Qt::NoPen);
    m_underlayItem->setSelectable(false);
    for (QCPItemPosition* pos : {m_underlayItem->topLeft, m_underlayItem->bottomRight})
        pos->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    m_underlayItem->setVisible(false);

    m_colorMap = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    m_colorMap->setGradient(divergingGradient());
    m_colorMap->setInterpolate(false);
    m_colorMap->setTightBoundary(false);

    m_colorScale = new QCPColorScale(p);
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->setGradient(divergingGradient());
    m_colorScale->setBarWidth(12);
    m_colorScale->axis()->setLabel(tr("attribution"));
    m_colorMap->setColorScale(m_colorScale);

    // Top-level layout: [title] / [rect | colour bar] in a nested grid so the title spans.
    QCPLayoutGrid* top = p->plotLayout();
    top->take(rect);
    top->simplify();
    auto* inner = new QCPLayoutGrid;
    m_inner = inner;
    top->addElement(0, 0, inner);
    inner->addElement(0, 0, rect);
    inner->addElement(0, 1, m_colorScale);
    inner->setColumnStretchFactor(0, 1);
    inner->setColumnStretchFactor(1, 0.01);
    static_cast<SquarePixelAxisRect*>(rect)->scale = m_colorScale;
    auto* group = new QCPMarginGroup(p);
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    m_colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, group);

    connect(p, &QCustomPlot::mousePress, this, &HeatmapView::onMousePress);
    refreshTheme();
}

HeatmapView::~HeatmapView()
{
    // A colour scale taken out of the layout is no longer owned by it.
    if (m_colorScale && m_colorScale->layout() != m_inner)
        delete m_colorScale;
}

void HeatmapView::setValues(const std::vector<float>& values, const std::vector<int64_t>& shape)
{
    m_map = collapse(values, shape, &m_w, &m_h, false);
    rebuild();
}

void HeatmapView::setUnderlay(const std::vector<float>& image, const std::vector<int64_t>& shape)
{
    int w = 0, h = 0;
    (void)collapse(image, shape, &w, &h, true); // checks the shape against the value count
    // Colour stays colour and grey stays grey, the right way up: the map is an overlay whose
    // weak cells are transparent, so the input needs no inverting to keep "white = 0" readable.
    QImage img;
    if (w > 0 && (m_w == 0 || (w == m_w && h == m_h))) {
        if (shape.size() == 3 && shape[0] != 1 && shape[0] != 3) { // 2 or 4+ channels: their mean
            std::vector<float> mean(static_cast<size_t>(w) * h, 0.0f);
            const int64_t C = shape[0];
            for (int64_t c = 0; c < C; ++c)
                for (size_t i = 0; i < mean.size(); ++i)
                    mean[i] += image[static_cast<size_t>(c) * mean.size() + i] / float(C);
            img = floatImageToQImage(mean, {int64_t(h), int64_t(w)});
        } else {
            img = floatImageToQImage(image, shape.size() == 1 ? std::vector<int64_t>{1, int64_t(w)} : shape);
        }
    }
    m_underlayImage = img;
    m_hasUnderlay = !img.isNull();
    if (m_hasUnderlay) {
        m_underlayItem->setPixmap(QPixmap::fromImage(img));
        m_underlayItem->topLeft->setCoords(-0.5, -0.5);
        m_underlayItem->bottomRight->setCoords(w - 0.5, h - 0.5);
    }
    rebuild();
}

void HeatmapView::setOverlayOpacity(double opacity)
{
    m_opacity = std::isfinite(opacity) ? std::clamp(opacity, 0.0, 1.0) : 0.8;
    rebuild();
}

void HeatmapView::clearUnderlay()
{
    m_underlayImage = QImage();
    m_hasUnderlay = false;
    rebuild();
}

void HeatmapView::setUnderlayVisible(bool visible)
{
    m_underlayVisible = visible;
    rebuild();
}

void HeatmapView::setRange(double r)
{
    // Non-finite bounds (from a file or an overflowing sum) fall back to the automatic range.
    m_autoRange = !(r > 0) || !std::isfinite(r);
    if (!m_autoRange)
        m_range = r;
    rebuild();
}

double HeatmapView::maxAbsValue() const
{
    double m = 0;
    for (double v : m_map)
        if (std::isfinite(v))
            m = std::max(m, std::fabs(v));
    return m;
}

double HeatmapView::range() const
{
    if (!m_autoRange)
        return m_range;
    const double m = maxAbsValue();
    return m > 0 ? m : 1.0;
}

void HeatmapView::setColorBarLabel(const QString& label)
{
    m_colorScale->axis()->setLabel(label);
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapView::setColorBarVisible(bool visible)
{
    // A hidden colour scale leaves the layout altogether: hidden elements still reserve their
    // minimum width (bar, ticks and label, ~90 px), which would shrink the map for nothing.
    auto* inner = m_inner;
    const bool inLayout = m_colorScale->layout() == inner;
    if (visible && !inLayout) {
        inner->addElement(0, 1, m_colorScale);
        inner->setColumnStretchFactor(0, 1);
        inner->setColumnStretchFactor(1, 0.01);
    } else if (!visible && inLayout) {
        inner->take(m_colorScale);
        inner->simplify();
    }
    m_colorScale->setVisible(visible);
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

QColor HeatmapView::colorAt(double v) const
{
    const double r = range();
    const QRgb rgb = divergingGradient().color(v, QCPRange(-r, r));
    return QColor::fromRgb(rgb);
}

void HeatmapView::rebuild()
{
    const double r = range();
    QCPColorMapData* d = m_colorMap->data();
    d->setSize(std::max(m_w, 1), std::max(m_h, 1));
    d->setRange(QCPRange(0, std::max(m_w - 1, 0)), QCPRange(0, std::max(m_h - 1, 0)));
    const bool overlay = m_hasUnderlay && m_underlayVisible;
    for (int y = 0; y < m_h; ++y)
        for (int x = 0; x < m_w; ++x) {
            const double v = m_map[static_cast<size_t>(y * m_w + x)];
            d->setCell(x, y, std::isfinite(v) ? v : 0.0);
            // Over the input image, weak attributions fade out so the image stays visible.
            const double a = overlay ? m_opacity * std::min(1.0, std::isfinite(v) ? std::fabs(v) / r : 0.0) : 1.0;
            d->setAlpha(x, y, static_cast<unsigned char>(std::lround(255 * a)));
        }
    if (!overlay)
        d->clearAlpha();
    m_colorMap->setDataRange(QCPRange(-r, r));
    m_underlayItem->setVisible(overlay);
    QCPAxisRect* rect = m_colorMap->keyAxis()->axisRect();
    rect->axis(QCPAxis::atBottom)->setRange(-0.5, std::max(m_w, 1) - 0.5);
    rect->axis(QCPAxis::atLeft)->setRange(-0.5, std::max(m_h, 1) - 0.5);
    if (auto* sq = dynamic_cast<SquarePixelAxisRect*>(rect)) {
        sq->cellsX = std::max(m_w, 1);
        sq->cellsY = std::max(m_h, 1);
    }
    // A thin frame around the image itself.
    if (!m_frame) {
        m_frame = new QCPItemRect(plot());
        m_frame->setClipToAxisRect(false);
        m_frame->setBrush(Qt::NoBrush);
    }
    m_frame->topLeft->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    m_frame->bottomRight->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    m_frame->topLeft->setCoords(-0.5, -0.5);
    m_frame->bottomRight->setCoords(std::max(m_w, 1) - 0.5, std::max(m_h, 1) - 0.5);
    m_frame->setPen(QPen(QColor(150, 150, 150), 1));
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapView::setCellLabels(const QStringList& columns, const QStringList& rows)
{
    m_columnLabels = columns;
    m_rowLabels = rows;
    applyCellLabels();
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void HeatmapView::applyCellLabels()
{
    QCPAxisRect* rect = m_colorMap->keyAxis()->axisRect();
    const QFontMetrics fm(plotTickFont());
    auto label = [&](QCPAxis* axis, const QStringList& names, int cells, int pixels, bool horizontal) {
        if (names.isEmpty() || cells <= 0) {
            axis->setTicks(false);
            axis->setTickLabels(false);
            return;
        }
        // Every n-th label so that neighbours never overlap.
        int need = 0;
        for (const QString& n : names)
            need = std::max(need, horizontal ? fm.horizontalAdvance(n) + 6 : fm.height() + 2);
        const double perCell = pixels > 0 ? double(pixels) / cells : 20.0;
        const int step = std::max(1, int(std::ceil(need / std::max(1.0, perCell))));
        QSharedPointer<QCPAxisTickerText> t(new QCPAxisTickerText);
        for (int i = 0; i < cells && i < names.size(); i += step)
            t->addTick(i, names[i]);
        t->setSubTickCount(0);
        axis->setTicker(t);
        axis->setTicks(true);
        axis->setTickLabels(true);
        axis->setTickLabelFont(plotTickFont());
        axis->setTickLengthIn(0);
        axis->setTickLengthOut(3);
    };
    // The map's drawn size (square pixels): estimate from the widget when not laid out yet.
    const int px = rect->width() > 10 ? rect->width() : std::max(200, width() - 80);
    const int py = rect->height() > 10 ? rect->height() : std::max(150, height() - 80);
    const double cell = std::min(double(px) / std::max(m_w, 1), double(py) / std::max(m_h, 1));
    label(rect->axis(QCPAxis::atBottom), m_columnLabels, m_w, int(cell * m_w), true);
    label(rect->axis(QCPAxis::atLeft), m_rowLabels, m_h, int(cell * m_h), false);
}

void HeatmapView::resizeEvent(QResizeEvent* event)
{
    PlotFrame::resizeEvent(event);
    if (!m_columnLabels.isEmpty() || !m_rowLabels.isEmpty())
        applyCellLabels();
}

void HeatmapView::applyExtraTheme(bool)
{
    for (QCPAxis* a : m_colorMap->keyAxis()->axisRect()->axes()) {
        a->setBasePen(Qt::NoPen);
        a->grid()->setVisible(false);
    }
}

void HeatmapView::onMousePress(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || m_w == 0)
        return;
    double key = 0, value = 0;
    m_colorMap->pixelsToCoords(event->position(), key, value);
    const int x = static_cast<int>(std::lround(key));
    const int y = static_cast<int>(std::lround(value));
    if (x >= 0 && y >= 0 && x < m_w && y < m_h)
        Q_EMIT pixelClicked(x, y, m_map[static_cast<size_t>(y * m_w + x)]);
}

QString HeatmapView::dataCsv() const
{
    QString s = QStringLiteral("y,x,value\n");
    for (int y = 0; y < m_h; ++y)
        for (int x = 0; x < m_w; ++x)
            s += QStringLiteral("%1,%2,%3\n").arg(y).arg(x).arg(m_map[static_cast<size_t>(y * m_w + x)], 0, 'g', 9);
    return s;
}

QString HeatmapView::dataJson() const
{
    QJsonArray rows;
    for (int y = 0; y < m_h; ++y) {
        QJsonArray row;
        for (int x = 0; x < m_w; ++x)
            row.append(m_map[static_cast<size_t>(y * m_w + x)]);
        rows.append(row);
    }
    QJsonObject o;
    o[QStringLiteral("title")] = title();
    o[QStringLiteral("width")] = m_w;
    o[QStringLiteral("height")] = m_h;
    o[QStringLiteral("range")] = range();
    o[QStringLiteral("values")] = rows;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
