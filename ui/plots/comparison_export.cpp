// The comparison's exports: the numbers as CSV or JSON (one explanation object each, as
// `senn explain --json` writes them), the whole panel as a figure, and the context menu.
#include "ui/plots/comparison_panel.h"

#include "core/io/explanation_json.h"
#include "ui/plots/export.h"
#include "ui/plots/plot_frame.h"

#include <QContextMenuEvent>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>

#include <cmath>

namespace senn::ui {

QString ComparisonPanel::dataCsv() const
{
    // The row first, so that a figure's numbers lead back to the input they explain.
    const QString row = m_input.row >= 0 ? QString::number(m_input.row) : QString();
    // The spread over seeds and the sampled Shapley standard error come last (empty where the
    // method has none), so readers of the first eight columns are unaffected.
    QString s = QStringLiteral("row,method,method_label,index,label,value,h,contribution,"
                               "interval_low,interval_high,order_agreement,standard_error\n");
    const auto at = [](const std::vector<float>& v, size_t i) {
        return i < v.size() && std::isfinite(v[i]) ? QString::number(v[i], 'g', 9) : QString();
    };
    for (const auto& e : m_explanations) {
        const QString method = csvField(explanationLabel(e));
        for (size_t i = 0; i < e.values.size(); ++i) {
            QString label = i < e.labels.size() ? QString::fromStdString(e.labels[i])
                            : (i < m_input.featureNames.size() && m_input.featureNames.size() == e.values.size()
                                   ? QString::fromStdString(m_input.featureNames[i]) : QString());
            s += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12\n")
                     .arg(row, QString::fromStdString(e.method), method)
                     .arg(i)
                     .arg(csvField(label))
                     .arg(e.values[i], 0, 'g', 9)
                     .arg(at(e.h, i), at(e.contribution, i), at(e.intervalLow, i), at(e.intervalHigh, i),
                          at(e.orderAgreement, i), at(e.standardError, i));
        }
    }
    return s;
}

QString ComparisonPanel::dataJson() const
{
    // Each method as `senn explain --json` writes an explanation (core's one writer), inside
    // the panel's own record of the input and the scale it showed.
    QJsonArray methods;
    for (const auto& e : m_explanations)
        methods.append(QJsonDocument::fromJson(QByteArray::fromStdString(io::explanationToJsonText(e))).object());
    QJsonObject o;
    o[QStringLiteral("input")] = m_input.title;
    if (m_input.row >= 0)
        o[QStringLiteral("row")] = m_input.row;
    else
        o[QStringLiteral("row")] = QJsonValue::Null;
    o[QStringLiteral("shared_range")] = m_sharedRange;
    o[QStringLiteral("per_method_normalization")] = m_perMethod;
    o[QStringLiteral("methods")] = methods;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

bool ComparisonPanel::exportData(const QString& path, QString* error) const
{
    const bool json = path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive);
    return writeTextFileAtomic(path, json ? dataJson() : dataCsv(), error);
}

void ComparisonPanel::exportViewDialog()
{
    FigureExportChoice choice;
    if (!askFigureExport(this, QStringLiteral("comparison"), size(), &choice))
        return;
    QString error;
    if (exportAll(choice.path, choice.width, choice.height, choice.scale, &error))
        Q_EMIT exported(choice.path);
    else
        Q_EMIT exportFailed(error);
}

void ComparisonPanel::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.addAction(tr("Export view…"), this, &ComparisonPanel::exportViewDialog);
    auto saveText = [this](const QString& what, const QString& suffix, const QString& text) {
        const QString path = QFileDialog::getSaveFileName(
            this, what, QStringLiteral("comparison.") + suffix,
            QStringLiteral("%1 (*.%2)").arg(suffix.toUpper(), suffix));
        if (path.isEmpty())
            return;
        QString error;
        if (writeTextFileAtomic(path, text, &error))
            Q_EMIT exported(path);
        else
            Q_EMIT exportFailed(error);
    };
    menu.addAction(tr("Export data as CSV…"), this,
                   [=] { saveText(tr("Export data as CSV"), QStringLiteral("csv"), dataCsv()); });
    menu.addAction(tr("Export data as JSON…"), this,
                   [=] { saveText(tr("Export data as JSON"), QStringLiteral("json"), dataJson()); });
    menu.exec(event->globalPos());
}

} // namespace senn::ui

