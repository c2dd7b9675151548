#include "ui/plots/prototype_grid.h"

#include "ui/plots/export.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace senn::ui {

PrototypeGrid::PrototypeGrid(QWidget* parent) : ImageGrid(parent)
{
    setExportName(QStringLiteral("prototypes"));
    setTitle(tr("Concept prototypes"));
}

void PrototypeGrid::setPrototypes(const senn::metrics::Prototypes& prototypes,
                                  const senn::data::Dataset& data,
                                  const std::vector<std::string>& conceptNames)
{
    m_protos = prototypes;
    m_conceptNames = conceptNames;
    m_image = data.isImage();
    m_allCells.clear();
    m_cellLabels.clear();
    const int64_t d = data.featureCount();
    auto cellFor = [&](int64_t row, float h, QString* label) {
        GridCell cell;
        if (row < 0 || row >= data.rows())
            return cell;
        const QString cls = data.y[static_cast<size_t>(row)] < data.numClasses()
                                ? QString::fromStdString(data.classNames[static_cast<size_t>(data.y[static_cast<size_t>(row)])])
                                : QString::number(data.y[static_cast<size_t>(row)]);
        *label = cls;
        if (m_image) {
            cell.pixels.assign(data.row(row), data.row(row) + d);
            cell.shape = data.sampleShape;
            cell.caption = QStringLiteral("%1 · h=%2").arg(cls).arg(h, 0, 'f', 2);
        } else {
            cell.caption = QStringLiteral("row %1\n%2\nh=%3").arg(row).arg(cls).arg(h, 0, 'f', 2);
        }
        return cell;
    };
    for (int64_t i = 0; i < prototypes.k; ++i) {
        std::vector<GridCell> cells;
        std::vector<QString> labels;
        const auto& top = prototypes.top[static_cast<size_t>(i)];
        const auto& bottom = prototypes.bottom[static_cast<size_t>(i)];
        for (size_t r = 0; r < top.size(); ++r) {
            QString l;
            const float h = r < prototypes.topValue[static_cast<size_t>(i)].size() ? prototypes.topValue[static_cast<size_t>(i)][r] : 0.f;
            cells.push_back(cellFor(top[r], h, &l));
            labels.push_back(l);
        }
        for (size_t r = 0; r < bottom.size(); ++r) {
            QString l;
            const float h = r < prototypes.bottomValue[static_cast<size_t>(i)].size() ? prototypes.bottomValue[static_cast<size_t>(i)][r] : 0.f;
            cells.push_back(cellFor(bottom[r], h, &l));
            labels.push_back(l);
        }
        m_allCells.push_back(std::move(cells));
        m_cellLabels.push_back(std::move(labels));
    }
    m_only = -1;
    rebuildGrid();
}

void PrototypeGrid::showConcept(int concept)
{
    m_only = concept >= 0 && concept < static_cast<int>(m_allCells.size()) ? concept : -1;
    rebuildGrid();
}

void PrototypeGrid::rebuildGrid()
{
    std::vector<std::vector<GridCell>> cells;
    QStringList rowLabels;
    for (int i = 0; i < static_cast<int>(m_allCells.size()); ++i) {
        if (m_only >= 0 && i != m_only)
            continue;
        cells.push_back(m_allCells[static_cast<size_t>(i)]);
        rowLabels << (i < static_cast<int>(m_conceptNames.size())
                          ? QString::fromStdString(m_conceptNames[static_cast<size_t>(i)])
                          : tr("concept %1").arg(i + 1));
    }
    const int l = m_protos.k > 0 ? static_cast<int>(m_protos.top[0].size()) : 0;
    const int lb = m_protos.k > 0 ? static_cast<int>(m_protos.bottom[0].size()) : 0;
    setCells(cells, rowLabels);
    setColumnGroups({{tr("top %1 (highest h)").arg(l), l}, {tr("bottom %1 (lowest h)").arg(lb), lb}});
}

QString PrototypeGrid::dataCsv() const
{
    QString s = QStringLiteral("concept,half,rank,row,h,label\n");
    for (int64_t i = 0; i < m_protos.k; ++i) {
        const size_t ii = static_cast<size_t>(i);
        for (size_t r = 0; r < m_protos.top[ii].size(); ++r)
            s += QStringLiteral("%1,top,%2,%3,%4,%5\n").arg(i).arg(r + 1).arg(m_protos.top[ii][r])
                     .arg(m_protos.topValue[ii].size() > r ? m_protos.topValue[ii][r] : 0.f, 0, 'g', 9)
                     .arg(csvField(m_cellLabels[ii].size() > r ? m_cellLabels[ii][r] : QString()));
        const size_t off = m_protos.top[ii].size();
        for (size_t r = 0; r < m_protos.bottom[ii].size(); ++r)
            s += QStringLiteral("%1,bottom,%2,%3,%4,%5\n").arg(i).arg(r + 1).arg(m_protos.bottom[ii][r])
                     .arg(m_protos.bottomValue[ii].size() > r ? m_protos.bottomValue[ii][r] : 0.f, 0, 'g', 9)
                     .arg(csvField(m_cellLabels[ii].size() > off + r ? m_cellLabels[ii][off + r] : QString()));
    }
    return s;
}

QString PrototypeGrid::dataJson() const
{
    QJsonArray concepts;
    for (int64_t i = 0; i < m_protos.k; ++i) {
        const size_t ii = static_cast<size_t>(i);
        QJsonArray top, bottom;
        for (size_t r = 0; r < m_protos.top[ii].size(); ++r) {
            QJsonObject o;
            o[QStringLiteral("row")] = static_cast<qint64>(m_protos.top[ii][r]);
            o[QStringLiteral("h")] = m_protos.topValue[ii].size() > r ? m_protos.topValue[ii][r] : 0.0;
            top.append(o);
        }
        for (size_t r = 0; r < m_protos.bottom[ii].size(); ++r) {
            QJsonObject o;
            o[QStringLiteral("row")] = static_cast<qint64>(m_protos.bottom[ii][r]);
            o[QStringLiteral("h")] = m_protos.bottomValue[ii].size() > r ? m_protos.bottomValue[ii][r] : 0.0;
            bottom.append(o);
        }
        QJsonObject c;
        c[QStringLiteral("concept")] = static_cast<qint64>(i);
        c[QStringLiteral("top")] = top;
        c[QStringLiteral("bottom")] = bottom;
        concepts.append(c);
    }
    QJsonObject o;
    o[QStringLiteral("k")] = static_cast<qint64>(m_protos.k);
    o[QStringLiteral("concepts")] = concepts;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

} // namespace senn::ui
