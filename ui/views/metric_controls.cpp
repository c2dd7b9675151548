// The controls and settings the Stability and Faithfulness views share, built one way so the
// two views read alike and store their runs alike in sessions.
#include "ui/views/metric_controls.h"

#include "ui/views/view_page.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QPushButton>
#include <QSpinBox>

namespace senn::ui {

QPushButton* metricButton(const QString& text, const QString& objectName, const QString& tip)
{
    auto* b = new QPushButton(text);
    b->setObjectName(objectName);
    b->setToolTip(tip);
    return b;
}

QSpinBox* runSeedBox(const QString& objectName, const QString& draws, const QString& command)
{
    auto* seed = new QSpinBox;
    seed->setObjectName(objectName);
    seed->setRange(0, 1 << 30);
    // The run's seed replaces the explainer settings' seed: a measurement is repeated, or its
    // spread over seeds checked, without changing what the Explain view shows.
    seed->setToolTip(QCoreApplication::translate("senn::ui::MetricControls",
                                                 "The run's one seed: %1 come from it, in place of the explainer "
                                                 "settings' seed. The same seed gives the same results as "
                                                 "`senn %2 --seed`.")
                         .arg(draws, command));
    return seed;
}

QJsonObject runSettings(const MethodPicker* methods, const QSpinBox* points, const QSpinBox* seed)
{
    QJsonObject o;
    o["methods"] = QJsonArray::fromStringList(methods->methodIds());
    o["points"] = points->value();
    o["seed"] = seed->value();
    return o;
}

void applyRunSettings(const QJsonObject& o, MethodPicker* methods, QSpinBox* points, QSpinBox* seed)
{
    QStringList ids;
    for (const auto& v : o["methods"].toArray())
        ids << v.toString();
    if (!ids.isEmpty())
        methods->setMethodIds(ids);
    points->setValue(o["points"].toInt(points->value()));
    seed->setValue(o["seed"].toInt(seed->value()));
}

bool isImageModel(const ModelSummary& s)
{
    return s.meta.dataKind == data::DataKind::Image || s.meta.inputShape.size() == 3;
}

} // namespace senn::ui
