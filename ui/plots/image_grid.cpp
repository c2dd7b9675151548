#include "ui/plots/image_grid.h"

#include "ui/plots/export.h"
#include "ui/plots/plot_style.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace senn::ui {

QImage floatImageToQImage(const std::vector<float>& pixels, const std::vector<int64_t>& shape)
{
    int64_t C = 1, H = 0, W = 0;
    if (shape.size() == 3)
        C = shape[0], H = shape[1], W = shape[2];
    else if (shape.size() == 2)
        H = shape[0], W = shape[1];
    if (H <= 0 || W <= 0 || C * H * W != static_cast<int64_t>(pixels.size()))
        return {};
    QImage img(static_cast<int>(W), static_cast<int>(H), QImage::Format_RGB32);
    auto at = [&](int64_t c, int64_t y, int64_t x) {
        const float v = pixels[static_cast<size_t>((c * H + y) * W + x)];
        return static_cast<int>(std::lround(255.0 * std::clamp(std::isfinite(v) ? v : 0.0f, 0.0f, 1.0f)));
    };
    for (int64_t y = 0; y < H; ++y) {
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(static_cast<int>(y)));
        for (int64_t x = 0; x < W; ++x) {
            if (C >= 3)
                line[x] = qRgb(at(0, y, x), at(1, y, x), at(2, y, x));
            else {
                int g = 0;
                for (int64_t c = 0; c < C; ++c)
                    g += at(c, y, x);
                g /= static_cast<int>(C);
                line[x] = qRgb(g, g, g);
            }
        }
    }
    return img;
}

ImageGrid::ImageGrid(QWidget* parent) : PlotFrame(parent)
{
    setExportName(QStringLiteral("grid"));
    QCustomPlot* p = plot();
    p->axisRect()->setupFullAxesBox(false);
    p->yAxis->setRangeReversed(true);
    p->yAxis2->setRangeReversed(true);
    connect(p, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        const double c = plot()->xAxis->pixelToCoord(e->position().x());
        const double r = plot()->yAxis->pixelToCoord(e->position().y());
        const int ci = static_cast<int>(std::lround(c)), ri = static_cast<int>(std::lround(r));
        if (e->button() == Qt::LeftButton && ri >= 0 && ri < rowCount() && ci >= 0 &&
            ci < static_cast<int>(m_cells[static_cast<size_t>(ri)].size()))
            Q_EMIT cellClicked(ri, ci);
    });
    rebuild();
}

void ImageGrid::setCells(const std::vector<std::vector<GridCell>>& cells,
                         const QStringList& rowLabels, const QStringList& columnLabels)
{
    m_cells = cells;
    m_rowLabels = rowLabels;
    m_columnLabels = columnLabels;
    if (m_highlightedRow >= rowCount())
        m_highlightedRow = -1;
    rebuild();
}

void ImageGrid::setColumnGroups(const std::vector<std::pair<QString, int>>& groups)
{
    m_groups = groups;
    rebuild();
}

void ImageGrid::clear()
{
    m_cells.clear();
    m_rowLabels.clear();
    m_columnLabels.clear();
    m_groups.clear();
    rebuild();
}

void ImageGrid::setHighlightedRow(int row)
{
    m_highlightedRow = row;
    rebuild();
}

int ImageGrid::columnCount() const
{
    size_t n = 0;
    for (const auto& row : m_cells)
        n = std::max(n, row.size());
    return static_cast<int>(n);
}

void ImageGrid::rebuild()
{
    QCustomPlot* p = plot();
    p->clearItems();
    const int rows = rowCount(), cols = columnCount();
    bool anyCaption = false;
    for (const auto& row : m_cells)
        for (const auto& c : row)
            anyCaption |= !c.caption.isEmpty() && !c.pixels.empty();
    // Thumbnail area inside the unit cell; captions take the lower part when present.
    const double imgTop = -0.46, imgBottom = anyCaption ? 0.22 : 0.46;
    for (int r = 0; r < rows; ++r) {
        const auto& row = m_cells[static_cast<size_t>(r)];
        for (int c = 0; c < static_cast<int>(row.size()); ++c) {
            const GridCell& cell = row[static_cast<size_t>(c)];
            if (!cell.pixels.empty()) {
                const QImage img = floatImageToQImage(cell.pixels, cell.shape);
                if (!img.isNull()) {
                    auto* pix = new QCPItemPixmap(p);
                    pix->setPixmap(QPixmap::fromImage(img));
                    pix->setScaled(true, Qt::KeepAspectRatio, Qt::FastTransformation);
                    pix->topLeft->setCoords(c - 0.46, r + imgTop);
                    pix->bottomRight->setCoords(c + 0.46, r + imgBottom);
                }
                if (!cell.caption.isEmpty()) {
                    auto* t = new QCPItemText(p);
                    t->position->setCoords(c, r + 0.36);
                    t->setPositionAlignment(Qt::AlignCenter);
                    t->setText(cell.caption);
                    QFont f = plotTickFont();
                    f.setPointSizeF(cols > 12 ? 7.5 : 8.5);
                    t->setFont(f);
                }
            } else if (!cell.caption.isEmpty()) {
                auto* t = new QCPItemText(p);
                t->position->setCoords(c, r);
                t->setPositionAlignment(Qt::AlignCenter);
                t->setTextAlignment(Qt::AlignCenter);
                t->setText(cell.caption);
                QFont f = plotTickFont();
                f.setPointSizeF(cols > 12 ? 7.5 : 8.5);
                t->setFont(f);
                auto* frame = new QCPItemRect(p);
                frame->topLeft->setCoords(c - 0.47, r - 0.47);
                frame->bottomRight->setCoords(c + 0.47, r + 0.47);
                frame->setPen(QPen(QColor(200, 200, 200), 0.8));
            }
        }
    }
    // Separators between column groups and their headers on the top axis.
    QSharedPointer<QCPAxisTickerText> topTicker(new QCPAxisTickerText);
    if (!m_groups.empty()) {
        int start = 0;
        for (size_t g = 0; g < m_groups.size(); ++g) {
            const int n = m_groups[g].second;
            topTicker->addTick(start + (n - 1) / 2.0, m_groups[g].first);
            if (g > 0) {
                auto* sep = new QCPItemLine(p);
                sep->start->setCoords(start - 0.5, -0.5);
                sep->end->setCoords(start - 0.5, rows - 0.5);
                sep->setPen(QPen(QColor(90, 90, 90), 1.5));
            }
            start += n;
        }
    } else {
        for (int c = 0; c < m_columnLabels.size(); ++c)
            topTicker->addTick(c, m_columnLabels[c]);
    }
    QSharedPointer<QCPAxisTickerText> leftTicker(new QCPAxisTickerText);
    for (int r = 0; r < rows; ++r)
        leftTicker->addTick(r, m_rowLabels.value(r, QString::number(r + 1)));
    if (m_highlightedRow >= 0 && m_highlightedRow < rows) {
        auto* box = new QCPItemRect(p);
        box->topLeft->setCoords(-0.5, m_highlightedRow - 0.5);
        box->bottomRight->setCoords(cols - 0.5, m_highlightedRow + 0.5);
        box->setPen(QPen(QColor(255, 170, 0), 2.5));
    }
    QCPAxis* left = p->yAxis;
    QCPAxis* topAxis = p->xAxis2;
    left->setTicker(leftTicker);
    topAxis->setTicker(topTicker);
    for (QCPAxis* a : p->axisRect()->axes()) {
        a->setSubTicks(false);
        a->setTickLength(0, 0);
        a->grid()->setVisible(false);
        a->setTickLabels(false);
    }
    for (QCPAxis* a : p->axisRect()->axes())
        a->setTicks(a == left || a == topAxis);
    left->setTickLabels(true);
    topAxis->setTickLabels(true);
    p->xAxis->setRange(-0.5, std::max(cols, 1) - 0.5);
    p->xAxis2->setRange(p->xAxis->range());
    p->yAxis->setRange(-0.5, std::max(rows, 1) - 0.5);
    p->yAxis2->setRange(p->yAxis->range());
    refreshTheme();
    QFont bold = plotLabelFont();
    bold.setBold(true);
    topAxis->setTickLabelFont(bold);
    left->setTickLabelFont(plotLabelFont());
}

QString ImageGrid::dataCsv() const
{
    QString s = QStringLiteral("row,col,row_label,caption\n");
    for (size_t r = 0; r < m_cells.size(); ++r)
        for (size_t c = 0; c < m_cells[r].size(); ++c) {
            QString cap = m_cells[r][c].caption;
            cap.replace(QLatin1Char('\n'), QLatin1Char(' '));
            s += QStringLiteral("%1,%2,%3,%4\n").arg(r).arg(c)
                     .arg(csvField(m_rowLabels.value(static_cast<int>(r))), csvField(cap));
        }
    return s;
}

QString ImageGrid::dataJson() const
{
    QJsonArray rows;
    for (size_t r = 0; r < m_cells.size(); ++r) {
        QJsonArray cells;
        for (const auto& c : m_cells[r])
            cells.append(c.caption);
        QJsonObject o;
        o[QStringLiteral("label")] = m_rowLabels.value(static_cast<int>(r));
        o[QStringLiteral("cells")] = cells;
        rows.append(o);
    }
    QJsonObject o;
    o[QStringLiteral("title")] = title();
    o[QStringLiteral("rows")] = rows;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
