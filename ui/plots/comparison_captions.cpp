// The words around the comparison's plots: each method's label and its caption and tooltip.
#include "ui/plots/comparison_internal.h"
#include "ui/plots/comparison_panel.h"

#include "core/explain/explanation_label.h"
#include "core/explain/uncertainty.h"

#include <QObject>
#include <QStringList>

#include <cmath>

namespace senn::ui {

QString explanationLabel(const senn::explain::Explanation& e)
{
    return QString::fromStdString(senn::explain::explanationLabel(e));
}

static QString num(double v)
{
    return QString::number(v, 'g', 3);
}

QString captionFor(const senn::explain::Explanation& e)
{
    const auto& d = e.diagnostics;
    auto has = [&](const char* k) { return d.count(k) > 0 && std::isfinite(d.at(k)); };
    QStringList parts;
    const double ms = e.seconds * 1000.0;
    parts << (ms >= 1000 ? QObject::tr("%1 s").arg(e.seconds, 0, 'f', 2) : QObject::tr("%1 ms").arg(ms, 0, 'f', ms < 10 ? 1 : 0));
    if (has("r2"))
        parts << QStringLiteral("R² %1").arg(d.at("r2"), 0, 'f', 3);
    if (has("sum_phi")) {
        QString s = QStringLiteral("Σφ %1").arg(num(d.at("sum_phi")));
        if (has("fx") && has("expected_value"))
            s += QStringLiteral(" (f−E f %1)").arg(num(d.at("fx") - d.at("expected_value")));
        parts << s;
    } else if (has("sum_attributions")) {
        parts << QStringLiteral("Σφ %1").arg(num(d.at("sum_attributions")));
    }
    if (has("completeness_gap"))
        parts << QObject::tr("gap %1").arg(num(d.at("completeness_gap")));
    else if (has("efficiency_gap"))
        parts << QObject::tr("gap %1").arg(num(d.at("efficiency_gap")));
    if (e.modelRows > 0)
        parts << QObject::tr("%L1 model rows").arg(e.modelRows);
    // Repeated over seeds: the median interval width as a share of the largest |value|
    // (uncertainty.h), the one figure images get, whose heat maps draw no error bars.
    if (const double w = senn::explain::medianRelativeWidth(e); std::isfinite(w) && e.seedRuns > 1)
        parts << QObject::tr("%1 seeds: median interval %2% of max |value|").arg(e.seedRuns).arg(100 * w, 0, 'g', 2);
    // Which output the values explain: LIME and SHAP the probability (cli.md), the gradient
    // family the logit, so their magnitudes differ on the shared scale.
    if (e.method != "senn" && e.method != "flint")
        parts << (e.output == senn::explain::Output::Logit ? QObject::tr("explains the logit") : QObject::tr("explains the probability"));
    return parts.join(QStringLiteral(" · "));
}

QString diagnosticsTooltip(const senn::explain::Explanation& e)
{
    QStringList tip;
    for (const auto& [key, val] : e.diagnostics)
        tip << QStringLiteral("%1 = %2").arg(QString::fromStdString(key)).arg(val, 0, 'g', 6);
    return tip.join(QLatin1Char('\n'));
}

} // namespace senn::ui
