// The brush of the "Right reasons" view (rrr.md "Masks from a person"): an example drawn in
// grey with its annotation mask in red; strokes are reported as pixel indices.
#pragma once
#include <QSet>
#include <QWidget>

#include <cstdint>
#include <vector>

namespace senn::ui {

// An image (grayscale, channels averaged) with the annotation mask drawn over it in red. Left
// drag paints a disk of `brush` pixels, right drag (or erase mode) erases; each finished
// stroke is reported once as flat H*W pixel indices.
class MaskPainter : public QWidget {
    Q_OBJECT
public:
    explicit MaskPainter(QWidget* parent = nullptr);
    void setImage(const std::vector<float>& values, const std::vector<int64_t>& shape);
    void setMask(const std::vector<float>& rowMask);
    void setBrush(int radius) { m_brush = radius; }
    void setEraseMode(bool erase) { m_eraseMode = erase; }
    const std::vector<float>& mask() const { return m_mask; } // H*W, 1 = marked
    int imageWidth() const { return m_w; }
    int imageHeight() const { return m_h; }
    // Widget position of the centre of image pixel (x, y) (for tests and tooltips).
    QPoint widgetPoint(int x, int y) const;
    QSize sizeHint() const override { return {280, 280}; }

signals:
    void stroked(const std::vector<int64_t>& pixels, bool erase);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;

private:
    QRectF imageRect() const;
    void dab(const QPointF& pos);

    std::vector<float> m_image, m_mask; // H*W each
    int m_w = 0, m_h = 0, m_brush = 1;
    bool m_eraseMode = false, m_stroking = false, m_strokeErase = false;
    QSet<qint64> m_stroke;
};

// Height and width of a sample shape: {C,H,W} images, {d} tabular rows as a 1 x d strip.
std::pair<int, int> samplePlane(const std::vector<int64_t>& shape);
// Mean over channels of a {C,H,W} row (the row itself otherwise).
std::vector<float> channelMean(const float* x, const std::vector<int64_t>& shape);

} // namespace senn::ui
