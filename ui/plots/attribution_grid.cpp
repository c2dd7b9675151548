#include "ui/plots/attribution_grid.h"

#include "ui/plots/plot_style.h"

#include "core/explain/uncertainty.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace senn::ui {

namespace {
constexpr int kMargin = 4;
constexpr int kMinColumn = 58, kMaxColumn = 150;

QFont titleFont()
{
    QFont f = plotLabelFont();
    f.setBold(true);
    return f;
}

std::vector<double> averageRanks(const std::vector<double>& v)
{
    std::vector<int> idx(v.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return v[size_t(a)] < v[size_t(b)]; });
    std::vector<double> rank(v.size());
    for (size_t i = 0; i < idx.size();) {
        size_t j = i;
        while (j + 1 < idx.size() && v[size_t(idx[j + 1])] == v[size_t(idx[i])])
            ++j;
        const double r = 0.5 * double(i + j) + 1.0;
        for (size_t k = i; k <= j; ++k)
            rank[size_t(idx[k])] = r;
        i = j + 1;
    }
    return rank;
}
} // namespace

double spearmanAbs(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size() || a.size() < 2)
        return std::nan("");
    std::vector<double> x(a.size()), y(b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        x[i] = std::fabs(double(a[i]));
        y[i] = std::fabs(double(b[i]));
    }
    const auto rx = averageRanks(x), ry = averageRanks(y);
    const double n = double(rx.size());
    const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n;
    const double my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < rx.size(); ++i) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    if (!(sxx > 0) || !(syy > 0))
        return std::nan("");
    return sxy / std::sqrt(sxx * syy);
}

double topKOverlap(const std::vector<float>& a, const std::vector<float>& b, int k)
{
    if (a.size() != b.size() || a.empty() || k <= 0)
        return std::nan("");
    k = std::min<int>(k, int(a.size()));
    auto top = [k](const std::vector<float>& v) {
        std::vector<int> idx(v.size());
        std::iota(idx.begin(), idx.end(), 0);
        std::stable_sort(idx.begin(), idx.end(),
                         [&](int p, int q) { return std::fabs(v[size_t(p)]) > std::fabs(v[size_t(q)]); });
        idx.resize(size_t(k));
        std::sort(idx.begin(), idx.end());
        return idx;
    };
    const auto ta = top(a), tb = top(b);
    std::vector<int> both;
    std::set_intersection(ta.begin(), ta.end(), tb.begin(), tb.end(), std::back_inserter(both));
    return double(both.size()) / double(k);
}

AttributionGrid::AttributionGrid(QWidget* parent) : QWidget(parent)
{
    setObjectName("attributionGrid");
    setMouseTracking(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
}

void AttributionGrid::setData(const QStringList& rowNames, const std::vector<GridColumn>& columns)
{
    m_rowNames = rowNames;
    m_columns = columns;
    const size_t rows = size_t(m_rowNames.size());
    for (auto& c : m_columns) {
        c.values.resize(rows, 0.0f);
        // Intervals and order agreement only with one entry per row; anything else is dropped.
        if (c.low.size() != rows || c.high.size() != rows)
            c.low.clear(), c.high.clear();
        if (c.orderAgreement.size() != rows)
            c.orderAgreement.clear();
    }
    relayout();
}

void AttributionGrid::setSharedScale(bool on)
{
    m_shared = on;
    relayout();
}

void AttributionGrid::setTopK(int k)
{
    m_topK = std::max(0, k);
    relayout();
}

void AttributionGrid::relayout()
{
    const size_t n = m_columns.size();
    m_ownMax.assign(n, 0.0);
    for (size_t c = 0; c < n; ++c)
        m_ownMax[c] = maxAbs(m_columns[c].values);
    // Sorted by the mean |value| normalised per column, so that the order does not depend on
    // units (or on the scale setting).
    const int rows = rowCount();
    std::vector<double> key(size_t(rows), 0.0);
    for (int r = 0; r < rows; ++r) {
        double s = 0;
        int used = 0;
        for (size_t c = 0; c < n; ++c)
            if (m_ownMax[c] > 0) {
                const float v = m_columns[c].values[size_t(r)];
                s += std::isfinite(v) ? std::fabs(double(v)) / m_ownMax[c] : 0.0;
                ++used;
            }
        key[size_t(r)] = used ? s / used : 0.0;
    }
    m_shown.resize(size_t(rows));
    std::iota(m_shown.begin(), m_shown.end(), 0);
    std::stable_sort(m_shown.begin(), m_shown.end(), [&](int a, int b) { return key[size_t(a)] > key[size_t(b)]; });
    if (m_topK > 0 && m_topK < rows)
        m_shown.resize(size_t(m_topK));
    // Each column's scale is its max |value| over the rows shown: a column whose largest value
    // lies on a feature outside the top K would otherwise look blank.
    std::vector<double> shownMax(n, 0.0);
    for (size_t c = 0; c < n; ++c)
        for (int r : m_shown) {
            const float v = m_columns[c].values[size_t(r)];
            if (std::isfinite(v))
                shownMax[c] = std::max(shownMax[c], std::fabs(double(v)));
        }
    m_range = shownMax;
    if (m_shared)
        for (size_t c = 0; c < n; ++c) {
            if (m_columns[c].group.isEmpty())
                continue;
            for (size_t o = 0; o < n; ++o)
                if (m_columns[o].group == m_columns[c].group)
                    m_range[c] = std::max(m_range[c], shownMax[o]);
        }
    // A hard minimum, so that layouts (also height-for-width ones in a scroll area) give the
    // grid all its rows and columns: the scroll area scrolls instead of cutting.
    setMinimumSize(minimumSizeHint());
    updateGeometry();
    update();
}

QStringList AttributionGrid::shownRowNames() const
{
    QStringList out;
    for (int r : m_shown)
        out << m_rowNames.value(r);
    return out;
}

double AttributionGrid::columnRange(int c) const
{
    return c >= 0 && c < int(m_range.size()) ? m_range[size_t(c)] : 0.0;
}

QString AttributionGrid::columnTitle(int c) const
{
    return c >= 0 && c < columnCount() ? m_columns[size_t(c)].title : QString();
}

int AttributionGrid::nameWidth() const
{
    const QFontMetrics fm(plotTickFont());
    int w = 40;
    for (int r : m_shown)
        w = std::max(w, fm.horizontalAdvance(m_rowNames.value(r)));
    return std::clamp(w + 12, 60, 260);
}

int AttributionGrid::columnWidth() const
{
    if (m_columns.empty())
        return kMinColumn;
    const int avail = width() - nameWidth() - 2 * kMargin;
    return std::clamp(avail / int(m_columns.size()), kMinColumn, kMaxColumn);
}

int AttributionGrid::headerHeight() const
{
    const QFontMetrics tf(titleFont()), sf(plotTickFont());
    return 2 * tf.height() + sf.height() + 10;
}

int AttributionGrid::rowHeight() const
{
    return QFontMetrics(plotTickFont()).height() + 5;
}

QSize AttributionGrid::minimumSizeHint() const
{
    const int n = std::max<int>(1, columnCount());
    return QSize(nameWidth() + n * kMinColumn + 2 * kMargin,
                 headerHeight() + int(m_shown.size()) * rowHeight() + 2 * kMargin);
}

QSize AttributionGrid::sizeHint() const
{
    const int n = std::max<int>(1, columnCount());
    return QSize(nameWidth() + n * 110 + 2 * kMargin, minimumSizeHint().height());
}

QRect AttributionGrid::headerRect(int column) const
{
    const int cw = columnWidth();
    return QRect(kMargin + nameWidth() + column * cw, kMargin, cw, headerHeight());
}

QRect AttributionGrid::cellRect(int shownRow, int column) const
{
    const int cw = columnWidth();
    return QRect(kMargin + nameWidth() + column * cw, kMargin + headerHeight() + shownRow * rowHeight(), cw,
                 rowHeight());
}

QRect AttributionGrid::nameRect(int shownRow) const
{
    return QRect(kMargin, kMargin + headerHeight() + shownRow * rowHeight(), nameWidth() - 6, rowHeight());
}

// Two significant digits without exponents where possible: 130, 1.3, 0.0034.
static QString bound(double r)
{
    if (!(r > 0) || !std::isfinite(r))
        return QStringLiteral("0");
    if (r < 1e-4 || r >= 1e5)
        return QString::number(r, 'g', 2);
    const int digits = std::max(0, 1 - int(std::floor(std::log10(r))));
    return QString::number(r, 'f', digits);
}

QString AttributionGrid::scaleText(double r, bool both, bool left) const
{
    const QString v = bound(r);
    if (!both)
        return QStringLiteral("±") + v;
    return (left ? QStringLiteral("−") : QStringLiteral("+")) + v;
}

QList<QRect> AttributionGrid::scaleLabelRects(int column) const
{
    const QFontMetrics fm(plotTickFont());
    const QRect h = headerRect(column).adjusted(4, 0, -4, 0);
    const int y = h.bottom() - fm.height() - 2;
    const double r = columnRange(column);
    const int wl = fm.horizontalAdvance(scaleText(r, true, true));
    const int wr = fm.horizontalAdvance(scaleText(r, true, false));
    if (wl + wr + 8 <= h.width())
        return {QRect(h.left(), y, wl, fm.height()), QRect(h.right() - wr + 1, y, wr, fm.height())};
    const int w = std::min(h.width(), fm.horizontalAdvance(scaleText(r, false, false)));
    return {QRect(h.center().x() - w / 2, y, w, fm.height())};
}

bool AttributionGrid::hasIntervals(int column) const
{
    return column >= 0 && column < columnCount() && !m_columns[size_t(column)].low.empty();
}

int AttributionGrid::nextRanked(int column, int row) const
{
    if (column < 0 || column >= columnCount() || row < 0 || row >= rowCount())
        return -1;
    // The ranking core used (uncertainty.h): |value| descending, ties by index.
    const auto& v = m_columns[size_t(column)].values;
    auto magnitude = [&](int i) { return std::isfinite(v[size_t(i)]) ? std::fabs(v[size_t(i)]) : -1.0f; };
    int best = -1;
    for (int i = 0; i < rowCount(); ++i) {
        if (i == row)
            continue;
        const bool below = magnitude(i) < magnitude(row) || (magnitude(i) == magnitude(row) && i > row);
        const bool higher = best < 0 || magnitude(i) > magnitude(best) || (magnitude(i) == magnitude(best) && i < best);
        if (below && higher)
            best = i;
    }
    return best;
}

QRect AttributionGrid::orderMarkRect(int shownRow, int column) const
{
    if (column < 0 || column >= columnCount() || shownRow < 0 || shownRow >= int(m_shown.size()))
        return {};
    const auto& agree = m_columns[size_t(column)].orderAgreement;
    const int row = m_shown[size_t(shownRow)];
    if (agree.empty() || !(agree[size_t(row)] < float(explain::kOrderSignificance)))
        return {};
    // At the cell's right end, over the last pixels of a long positive bar.
    const QRect cell = cellRect(shownRow, column);
    const int w = QFontMetrics(plotTickFont()).horizontalAdvance(QStringLiteral("≈")) + 2;
    return QRect(cell.right() - w, cell.top(), w, cell.height());
}

int AttributionGrid::barHalfWidth(int column) const
{
    // A column with order marks keeps room for the ≈ at its right end, so it never covers a bar.
    const bool marks = column >= 0 && column < columnCount() && !m_columns[size_t(column)].orderAgreement.empty();
    const int mark = marks ? QFontMetrics(plotTickFont()).horizontalAdvance(QStringLiteral("≈")) + 2 : 0;
    return std::max(4, columnWidth() / 2 - 5 - mark);
}

int AttributionGrid::orderMarkCount() const
{
    int n = 0;
    for (int i = 0; i < int(m_shown.size()); ++i)
        for (int c = 0; c < columnCount(); ++c)
            n += orderMarkRect(i, c).isEmpty() ? 0 : 1;
    return n;
}

void AttributionGrid::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const QColor fg = palette().color(QPalette::WindowText);
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QColor stripe = dark ? QColor(255, 255, 255, 14) : QColor(0, 0, 0, 10);
    const QColor zero = dark ? QColor(150, 150, 150) : QColor(120, 120, 120);
    const QFont tickFont = plotTickFont();
    const QFontMetrics tfm(tickFont);
    const int cw = columnWidth();
    // Header: title (up to two lines), a strip in the method's colour, the scale bounds.
    for (int c = 0; c < columnCount(); ++c) {
        const QRect h = headerRect(c);
        // The title in up to two lines; a word wider than the column gets a smaller font, and
        // is elided only if even that does not fit (never cut by the neighbour).
        QFont tf = titleFont();
        const QRect titleRect(h.left() + 2, h.top(), h.width() - 4, 2 * QFontMetrics(titleFont()).height());
        QString title = m_columns[size_t(c)].title;
        auto widest = [&](const QFont& f) {
            int w = 0;
            for (const QString& word : title.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                w = std::max(w, QFontMetrics(f).horizontalAdvance(word));
            return w;
        };
        // Two lines at most: a long name ("Shapley (sampled, 100 permutations)") is set
        // smaller rather than run over the top of the header.
        auto tooTall = [&](const QFont& f) {
            return QFontMetrics(f).boundingRect(titleRect, Qt::AlignHCenter | Qt::TextWordWrap, title).height()
                > titleRect.height();
        };
        for (int k = 0; k < 4 && (widest(tf) > titleRect.width() || tooTall(tf)); ++k)
            tf.setPointSizeF(tf.pointSizeF() * 0.88);
        if (widest(tf) > titleRect.width())
            title = QFontMetrics(tf).elidedText(title, Qt::ElideRight, titleRect.width());
        p.setFont(tf);
        p.setPen(fg);
        p.drawText(titleRect, Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap, title);
        p.fillRect(QRect(h.left() + 6, titleRect.bottom() + 2, h.width() - 12, 3),
                   methodColor(m_columns[size_t(c)].method));
        p.setFont(tickFont);
        const QList<QRect> rects = scaleLabelRects(c);
        const double r = columnRange(c);
        if (rects.size() == 2) {
            p.drawText(rects[0], Qt::AlignLeft | Qt::AlignVCenter, scaleText(r, true, true));
            p.drawText(rects[1], Qt::AlignRight | Qt::AlignVCenter, scaleText(r, true, false));
        } else if (!rects.isEmpty()) {
            p.drawText(rects[0], Qt::AlignCenter, scaleText(r, false, false));
        }
    }
    // Rows.
    const int left = kMargin, right = kMargin + nameWidth() + columnCount() * cw;
    for (int i = 0; i < int(m_shown.size()); ++i) {
        const int row = m_shown[size_t(i)];
        const QRect nr = nameRect(i);
        if (i % 2 == 1)
            p.fillRect(QRect(left, nr.top(), right - left, nr.height()), stripe);
        p.setFont(tickFont);
        p.setPen(fg);
        p.drawText(nr, Qt::AlignRight | Qt::AlignVCenter,
                   tfm.elidedText(m_rowNames.value(row), Qt::ElideMiddle, nr.width()));
        for (int c = 0; c < columnCount(); ++c) {
            const QRect cell = cellRect(i, c);
            const int cx = cell.center().x();
            const int half = barHalfWidth(c);
            p.setPen(QPen(zero, 1));
            p.drawLine(cx, cell.top(), cx, cell.bottom());
            const double R = columnRange(c);
            const float v = m_columns[size_t(c)].values[size_t(row)];
            if (!(R > 0) || !std::isfinite(v) || v == 0.0f)
                continue;
            const int len = int(std::lround(std::min(1.0, std::fabs(double(v)) / R) * half));
            const QRect bar = v > 0 ? QRect(cx + 1, cell.top() + 3, std::max(1, len), cell.height() - 6)
                                    : QRect(cx - std::max(1, len), cell.top() + 3, std::max(1, len), cell.height() - 6);
            p.fillRect(bar, v > 0 ? positiveColor() : negativeColor());
        }
        // Over the bars: each repeated column's interval as an error bar (clipped to the
        // column's scale) and the ≈ of an order that is not significant.
        for (int c = 0; c < columnCount(); ++c) {
            const auto& col = m_columns[size_t(c)];
            const double R = columnRange(c);
            if (col.low.empty() || !(R > 0))
                continue;
            const float lo = col.low[size_t(row)], hi = col.high[size_t(row)];
            if (!std::isfinite(lo) || !std::isfinite(hi))
                continue;
            const QRect cell = cellRect(i, c);
            const int cx = cell.center().x(), half = barHalfWidth(c), cy = cell.center().y();
            auto xOf = [&](double v) { return cx + int(std::lround(std::clamp(v / R, -1.0, 1.0) * half)); };
            const int x0 = xOf(lo), x1 = xOf(hi);
            p.setPen(QPen(fg, 1));
            p.drawLine(x0, cy, x1, cy);
            p.drawLine(x0, cy - 3, x0, cy + 3);
            p.drawLine(x1, cy - 3, x1, cy + 3);
        }
        for (int c = 0; c < columnCount(); ++c) {
            const QRect mark = orderMarkRect(i, c);
            if (mark.isEmpty())
                continue;
            QFont mf = tickFont;
            mf.setBold(true);
            p.setFont(mf);
            p.setPen(fg);
            p.drawText(mark, Qt::AlignCenter, QStringLiteral("≈"));
        }
    }
    // Column separators.
    p.setPen(QPen(dark ? QColor(90, 90, 90) : QColor(215, 215, 215), 1));
    const int top = kMargin + headerHeight(), bottom = top + int(m_shown.size()) * rowHeight();
    for (int c = 1; c < columnCount(); ++c) {
        const int x = kMargin + nameWidth() + c * cw;
        p.drawLine(x, kMargin, x, bottom);
    }
}

void AttributionGrid::mousePressEvent(QMouseEvent* event)
{
    for (int i = 0; i < int(m_shown.size()); ++i) {
        const QRect r(kMargin, nameRect(i).top(), width(), rowHeight());
        if (r.contains(event->position().toPoint())) {
            Q_EMIT rowClicked(m_shown[size_t(i)]);
            return;
        }
    }
    QWidget::mousePressEvent(event);
}

bool AttributionGrid::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        for (int i = 0; i < int(m_shown.size()); ++i)
            for (int c = 0; c < columnCount(); ++c)
                if (cellRect(i, c).contains(help->pos())) {
                    const int row = m_shown[size_t(i)];
                    const auto& col = m_columns[size_t(c)];
                    QString tip = QStringLiteral("%1 · %2: %3 (scale ±%4)")
                                      .arg(m_rowNames.value(row), col.title)
                                      .arg(double(col.values[size_t(row)]), 0, 'g', 4)
                                      .arg(columnRange(c), 0, 'g', 3);
                    if (!col.low.empty())
                        tip += tr("\n2.5%–97.5% over %1 seeds: [%2, %3]")
                                   .arg(col.seedRuns)
                                   .arg(double(col.low[size_t(row)]), 0, 'g', 3)
                                   .arg(double(col.high[size_t(row)]), 0, 'g', 3);
                    const int next = nextRanked(c, row);
                    if (!col.orderAgreement.empty() && next >= 0 && std::isfinite(col.orderAgreement[size_t(row)]))
                        tip += tr("\n%1above %2 (next by |value|) in %3% of the seeds%4")
                                   .arg(orderMarkRect(i, c).isEmpty() ? QString() : QStringLiteral("≈ "))
                                   .arg(m_rowNames.value(next))
                                   .arg(std::lround(100.0 * col.orderAgreement[size_t(row)]))
                                   .arg(orderMarkRect(i, c).isEmpty()
                                            ? QString()
                                            : tr(": order not significant over %1 seeds").arg(col.seedRuns));
                    QToolTip::showText(help->globalPos(), tip, this);
                    return true;
                }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

} // namespace senn::ui
