// An image-shaped attribution map (H x W; {C,H,W} values are summed over channels) on the
// symmetric diverging scale: white at 0, blue negative, red positive, range ±R settable so
// several maps share one R. Optional input image under the map (in colour for 3 channels, grey
// for 1, never inverted) with the map as an overlay of settable opacity, and a colour bar
// as tall as the drawn map.
#pragma once
#include "ui/plots/plot_frame.h"

#include <QColor>
#include <QImage>

#include <cstdint>
#include <vector>

class QCPColorMap;
class QCPColorScale;
class QCPItemPixmap;
class QCPItemRect;
class QCPLayoutGrid;

namespace senn::ui {

class HeatmapView : public PlotFrame {
    Q_OBJECT
public:
    explicit HeatmapView(QWidget* parent = nullptr);
    ~HeatmapView() override;

    // shape {C,H,W} (summed over C), {H,W}, or {d} (shown as a 1 x d strip).
    void setValues(const std::vector<float>& values, const std::vector<int64_t>& shape);
    // The input under the map, values in [0,1]; {3,H,W} in colour, {1,H,W} / {H,W} in grey
    // (other channel counts: their mean), drawn as the data is.
    void setUnderlay(const std::vector<float>& image, const std::vector<int64_t>& shape);
    void clearUnderlay();
    void setUnderlayVisible(bool visible);
    bool hasUnderlay() const { return m_hasUnderlay; }
    const QImage& underlayImage() const { return m_underlayImage; }
    // Over an underlay: how opaque the strongest attributions are (0 = only the image,
    // 1 = opaque); weaker ones are drawn more transparent in proportion to |value|.
    void setOverlayOpacity(double opacity);
    double overlayOpacity() const { return m_opacity; }

    // Symmetric range ±r; r <= 0 returns to automatic (max |value| of this map).
    void setRange(double r);
    double range() const;        // the R in use
    double maxAbsValue() const;  // max |value| of the (channel-summed) map
    bool autoRange() const { return m_autoRange; }

    // Tick labels for the map's columns (bottom) and rows (left), e.g. attributes × classes;
    // empty lists hide them. Only every n-th label is shown when they would overlap.
    void setCellLabels(const QStringList& columns, const QStringList& rows);
    void setColorBarLabel(const QString& label);
    void setColorBarVisible(bool visible);
    // The colour the map gives value v under the current range (for tests and legends).
    QColor colorAt(double v) const;

    int mapWidth() const { return m_w; }
    int mapHeight() const { return m_h; }
    // Channel-summed map, row-major H x W.
    const std::vector<double>& mapValues() const { return m_map; }
    QCPColorMap* colorMap() const { return m_colorMap; }
    QCPColorScale* colorScale() const { return m_colorScale; }

    QString dataCsv() const override;
    QString dataJson() const override;

Q_SIGNALS:
    void pixelClicked(int x, int y, double value);

protected:
    void applyExtraTheme(bool dark) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuild();
    void onMousePress(QMouseEvent* event);

    QCPItemPixmap* m_underlayItem = nullptr;
    QCPColorMap* m_colorMap = nullptr;
    QCPColorScale* m_colorScale = nullptr;
    QCPItemRect* m_frame = nullptr;
    QCPLayoutGrid* m_inner = nullptr; // [map | colour scale]
    void applyCellLabels();
    QStringList m_columnLabels, m_rowLabels;
    std::vector<double> m_map;
    QImage m_underlayImage;
    int m_w = 0, m_h = 0;
    double m_opacity = 0.8;
    bool m_hasUnderlay = false, m_underlayVisible = true, m_autoRange = true;
    double m_range = 1.0;
};

// Wheel events over `widget` (a plot) go on to its parents, so the scroll area around it
// scrolls; with Ctrl held they stay with the widget.
void passWheelToParent(QWidget* widget);

} // namespace senn::ui
