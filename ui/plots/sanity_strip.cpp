// SanityStrip (sanity_strip.h): a grid of small heat maps or bar glyphs painted with QPainter,
// method names on the left, step names on top.
#include "ui/plots/sanity_strip.h"

#include "ui/plots/plot_style.h"
#include "ui/plots/sanity_plot.h"

#include <QPainter>
#include <QPaintEvent>

#include <algorithm>
#include <cmath>

namespace senn::ui {

namespace {
constexpr int kCell = 72, kGap = 6, kLabelWidth = 130, kHeader = 34;

QColor diverging(double t) // t in [-1, 1]: blue - white - red
{
    const QColor hot = positiveColor(), cold = negativeColor();
    const QColor end = t >= 0 ? hot : cold;
    const double a = std::min(1.0, std::fabs(t));
    return QColor(int(255 + (end.red() - 255) * a), int(255 + (end.green() - 255) * a),
                  int(255 + (end.blue() - 255) * a));
}
} // namespace

SanityStrip::SanityStrip(QWidget* parent) : QWidget(parent)
{
    setObjectName("sanityStrip");
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void SanityStrip::setResult(const metrics::SanityResult& result)
{
    m_rows.clear();
    m_columns.clear();
    for (const auto& s : result.steps)
        m_columns << QString::fromStdString(s);
    for (const auto& id : result.methods) {
        auto it = result.results.find(id);
        if (it == result.results.end())
            continue;
        m_rows.push_back({id, it->second.example, it->second.shape});
    }
    updateGeometry();
    update();
}

void SanityStrip::clear()
{
    m_rows.clear();
    m_columns.clear();
    updateGeometry();
    update();
}

QSize SanityStrip::sizeHint() const
{
    return {kLabelWidth + int(std::max<qsizetype>(1, m_columns.size())) * (kCell + kGap),
            kHeader + int(m_rows.size()) * (kCell + kGap) + kGap};
}

QSize SanityStrip::minimumSizeHint() const { return {kLabelWidth + kCell, sizeHint().height()}; }

void SanityStrip::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.setPen(palette().color(QPalette::Text));
    QFont font = plotTickFont();
    p.setFont(font);
    if (m_rows.empty()) {
        p.drawText(rect(), Qt::AlignCenter, tr("Run the checks to see one example's explanation at every step"));
        return;
    }
    const int cols = int(m_columns.size());
    const int cell = std::clamp((width() - kLabelWidth) / std::max(1, cols) - kGap, 24, kCell);
    for (int c = 0; c < cols; ++c) {
        const QRect r(kLabelWidth + c * (cell + kGap), 0, cell + kGap, kHeader - 4);
        p.drawText(r, Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap,
                   p.fontMetrics().elidedText(m_columns[c], Qt::ElideMiddle, cell + kGap));
    }
    for (size_t ri = 0; ri < m_rows.size(); ++ri) {
        const Row& row = m_rows[ri];
        const int y = kHeader + int(ri) * (cell + kGap);
        p.setPen(sanityMethodColor(row.id));
        p.drawText(QRect(0, y, kLabelWidth - 8, cell), Qt::AlignRight | Qt::AlignVCenter | Qt::TextWordWrap,
                   QString::fromStdString(metrics::sanityMethodDisplayName(row.id)));
        for (int c = 0; c < cols && c < int(row.cells.size()); ++c) {
            const QRect box(kLabelWidth + c * (cell + kGap), y, cell, cell);
            p.setPen(QColor(200, 200, 200));
            p.drawRect(box.adjusted(0, 0, -1, -1));
            const auto& v = row.cells[size_t(c)];
            if (v.empty())
                continue;
            const double m = maxAbs(v);
            if (row.shape.size() == 3 && int64_t(v.size()) == row.shape[0] * row.shape[1] * row.shape[2]) {
                const int64_t ch = row.shape[0], h = row.shape[1], w = row.shape[2];
                QImage img(int(w), int(h), QImage::Format_RGB32);
                std::vector<double> sum(size_t(h * w), 0.0);
                for (int64_t k = 0; k < ch; ++k)
                    for (int64_t i = 0; i < h * w; ++i)
                        sum[size_t(i)] += v[size_t(k * h * w + i)];
                double bound = 1e-30;
                for (double t : sum)
                    bound = std::max(bound, std::fabs(t));
                for (int64_t yy = 0; yy < h; ++yy)
                    for (int64_t xx = 0; xx < w; ++xx)
                        img.setPixelColor(int(xx), int(yy), diverging(sum[size_t(yy * w + xx)] / bound));
                p.drawImage(box.adjusted(1, 1, -1, -1), img);
            } else {
                // Bars from the middle: up red (positive), down blue (negative).
                const int n = int(v.size());
                const double bw = double(cell - 4) / std::max(1, n);
                const int mid = box.center().y();
                for (int j = 0; j < n; ++j) {
                    const double t = m > 0 ? double(v[size_t(j)]) / m : 0.0;
                    const int hgt = int(std::round(std::fabs(t) * (cell / 2 - 3)));
                    const QRectF bar(box.left() + 2 + j * bw, t >= 0 ? mid - hgt : mid, std::max(1.0, bw - 0.5), hgt);
                    p.fillRect(bar, t >= 0 ? positiveColor() : negativeColor());
                }
                p.setPen(QColor(160, 160, 160));
                p.drawLine(box.left() + 1, mid, box.right() - 1, mid);
            }
        }
    }
}

} // namespace senn::ui
