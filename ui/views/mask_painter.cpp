#include "ui/views/mask_painter.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace senn::ui {

std::pair<int, int> samplePlane(const std::vector<int64_t>& shape)
{
    if (shape.size() == 3)
        return {int(shape[1]), int(shape[2])};
    if (shape.size() == 2)
        return {int(shape[0]), int(shape[1])};
    return {1, shape.empty() ? 0 : int(shape[0])};
}

std::vector<float> channelMean(const float* x, const std::vector<int64_t>& shape)
{
    const auto [h, w] = samplePlane(shape);
    const int64_t plane = int64_t(h) * w;
    const int64_t c = shape.size() == 3 ? shape[0] : 1;
    std::vector<float> out(size_t(plane), 0.0f);
    for (int64_t k = 0; k < c; ++k)
        for (int64_t p = 0; p < plane; ++p)
            out[size_t(p)] += x[k * plane + p] / float(c);
    return out;
}

MaskPainter::MaskPainter(QWidget* parent) : QWidget(parent)
{
    setObjectName("maskPainter");
    setMinimumSize(180, 180);
    setMouseTracking(false);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Paint where the model must NOT look: drag with the left button. Right button "
                  "(or Erase) removes mask pixels."));
}

void MaskPainter::setImage(const std::vector<float>& values, const std::vector<int64_t>& shape)
{
    const auto [h, w] = samplePlane(shape);
    m_h = h;
    m_w = w;
    m_image = values.size() == size_t(h) * size_t(w) ? values : channelMean(values.data(), shape);
    if (m_mask.size() != m_image.size())
        m_mask.assign(m_image.size(), 0.0f);
    update();
}

void MaskPainter::setMask(const std::vector<float>& rowMask)
{
    // A {C,H,W} mask shows as the OR over channels.
    const size_t plane = size_t(m_w) * size_t(m_h);
    m_mask.assign(plane, 0.0f);
    if (plane == 0)
        return;
    for (size_t i = 0; i < rowMask.size(); ++i)
        if (rowMask[i] != 0.0f)
            m_mask[i % plane] = 1.0f;
    update();
}

QRectF MaskPainter::imageRect() const
{
    if (m_w <= 0 || m_h <= 0)
        return {};
    const double s = std::min(double(width()) / m_w, double(height()) / m_h);
    const double w = s * m_w, h = s * m_h;
    return {(width() - w) / 2.0, (height() - h) / 2.0, w, h};
}

QPoint MaskPainter::widgetPoint(int x, int y) const
{
    const QRectF r = imageRect();
    return QPoint(int(r.left() + (x + 0.5) * r.width() / m_w), int(r.top() + (y + 0.5) * r.height() / m_h));
}

void MaskPainter::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRectF r = imageRect();
    if (r.isEmpty())
        return;
    QImage img(m_w, m_h, QImage::Format_ARGB32);
    float lo = 0, hi = 1;
    if (!m_image.empty()) {
        const auto [mn, mx] = std::minmax_element(m_image.begin(), m_image.end());
        lo = std::min(0.0f, *mn);
        hi = std::max(1.0f, *mx);
    }
    for (int y = 0; y < m_h; ++y)
        for (int x = 0; x < m_w; ++x) {
            const size_t i = size_t(y) * size_t(m_w) + size_t(x);
            const int g = int(std::clamp((m_image[i] - lo) / (hi - lo), 0.0f, 1.0f) * 255.0f);
            QColor c(g, g, g);
            if (m_mask[i] != 0.0f)
                c = QColor((g + 2 * 230) / 3, g / 3, g / 3); // red tint, the image still shows through
            if (m_stroke.contains(qint64(i)))
                c = m_strokeErase ? QColor(60, 120, 230) : QColor(255, 60, 40);
            img.setPixel(x, y, c.rgb());
        }
    p.drawImage(r, img);
    p.setPen(palette().mid().color());
    p.drawRect(r.adjusted(0, 0, -1, -1));
}

void MaskPainter::dab(const QPointF& pos)
{
    const QRectF r = imageRect();
    if (r.isEmpty())
        return;
    const double px = (pos.x() - r.left()) / r.width() * m_w;
    const double py = (pos.y() - r.top()) / r.height() * m_h;
    const int cx = int(std::floor(px)), cy = int(std::floor(py));
    const int rad = std::max(0, m_brush - 1);
    for (int y = cy - rad; y <= cy + rad; ++y)
        for (int x = cx - rad; x <= cx + rad; ++x) {
            if (x < 0 || y < 0 || x >= m_w || y >= m_h)
                continue;
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) > rad * rad + rad)
                continue;
            m_stroke.insert(qint64(y) * m_w + x);
        }
    update();
}

void MaskPainter::mousePressEvent(QMouseEvent* e)
{
    if (m_w <= 0)
        return;
    m_stroking = true;
    m_strokeErase = m_eraseMode || e->button() == Qt::RightButton;
    m_stroke.clear();
    dab(e->position());
}

void MaskPainter::mouseMoveEvent(QMouseEvent* e)
{
    if (m_stroking)
        dab(e->position());
}

void MaskPainter::mouseReleaseEvent(QMouseEvent* e)
{
    if (!m_stroking)
        return;
    dab(e->position());
    m_stroking = false;
    std::vector<int64_t> pixels(m_stroke.begin(), m_stroke.end());
    std::sort(pixels.begin(), pixels.end());
    // Shown at once; the worker's answer (rrrMaskChanged) confirms it.
    for (int64_t p : pixels)
        m_mask[size_t(p)] = m_strokeErase ? 0.0f : 1.0f;
    m_stroke.clear();
    update();
    if (!pixels.empty())
        emit stroked(pixels, m_strokeErase);
}

} // namespace senn::ui
