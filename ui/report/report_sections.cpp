// Sanity sentences and the scorecard table of the report (report_sections.h).
#include "ui/report/report_sections.h"

#include "core/metrics/scorecard_export.h"
#include "core/metrics/similarity.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace senn::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("ReportWriter", text); }

QString two(double v) { return std::isfinite(v) ? QString::number(v, 'f', 2) : QStringLiteral("–"); }

double medianOf(std::vector<double> v)
{
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.empty())
        return std::nan("");
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

QString html(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

} // namespace

QString sanitySentence(const metrics::SanityResult& r, const std::string& method, const std::string& measure)
{
    const QString name = QString::fromStdString(metrics::sanityMethodDisplayName(method));
    const QString measureName = QString::fromStdString(metrics::similarityDisplayName(measure));
    auto it = r.results.find(method);
    if (it == r.results.end())
        return tr("%1: no finished step.").arg(name);
    const auto& mr = it->second;
    QString text;
    const auto sit = mr.steps.find(measure);
    const int done = std::min(r.stepsDone, int(r.steps.size()));
    // Step 0 is the original model; the layers re-drawn are steps 1 to done - 1.
    int step = -1;
    double m = std::nan("");
    if (sit != mr.steps.end()) {
        const auto& med = sit->second.median;
        if (r.mode == "independent") {
            for (int k = 1; k < done && k < int(med.size()); ++k)
                if (std::isfinite(med[size_t(k)]) && (step < 0 || med[size_t(k)] > m)) {
                    step = k;
                    m = med[size_t(k)];
                }
        } else {
            for (int k = std::min(done, int(med.size())) - 1; k >= 1 && step < 0; --k)
                if (std::isfinite(med[size_t(k)])) {
                    step = k;
                    m = med[size_t(k)];
                }
        }
    }
    if (step < 0) {
        text = tr("%1: no layer re-drawn yet (%2).").arg(name, measureName);
    } else {
        const auto& s = sit->second;
        const QString quartiles = tr("quartiles %1 to %2").arg(two(s.q25[size_t(step)]), two(s.q75[size_t(step)]));
        if (r.mode == "independent")
            text = tr("%1: %2 with the original explanation is at most %3 (%4) when one layer alone is re-drawn "
                      "(%5)")
                       .arg(name, measureName, two(m), quartiles, QString::fromStdString(r.steps[size_t(step)]).toHtmlEscaped());
        else
            text = tr("%1: %2 with the original explanation is %3 (%4) after %5 of %6 layers are re-drawn")
                       .arg(name, measureName, two(m), quartiles)
                       .arg(step).arg(std::max<size_t>(1, r.steps.size()) - 1);
        if (m >= 0.7)
            text += tr(": the explanation hardly depends on the trained weights, so it fails the check.");
        else if (m < 0.3)
            text += tr(": the explanation depends on the trained weights, so it passes the check.");
        else
            text += tr(": part of the explanation survives without the trained weights.");
    }
    if (method == metrics::kEdgeDetectorId)
        text += tr(" This is the control, which ignores the model.");
    auto test = [&](const std::map<std::string, std::vector<double>>& values, const QString& what) {
        auto v = values.find(measure);
        if (v != values.end() && std::isfinite(medianOf(v->second)))
            text += QStringLiteral(" ") + tr("%1: %2.").arg(what, two(medianOf(v->second)));
    };
    if (r.randomLogit)
        test(mr.randomLogit, tr("Explaining another class"));
    if (r.dataRandomisation)
        test(mr.dataRandomisation, tr("The model trained on permuted labels"));
    return text;
}

QString sanityHtml(const metrics::SanityResult& r, const std::string& measure)
{
    QString out = tr("<p>%1 randomisation over %2 points, %3 of %4 steps, seed %5; similarity: %6 (median over "
                     "the points; 1 = unchanged).</p>")
                      .arg(r.mode == "independent" ? tr("Independent") : tr("Cascading"))
                      .arg(r.points.size()).arg(r.stepsDone).arg(r.steps.size()).arg(r.seed)
                      .arg(QString::fromStdString(metrics::similarityDisplayName(measure)).toHtmlEscaped());
    for (const auto& id : r.methods)
        out += QStringLiteral("<p>%1</p>").arg(sanitySentence(r, id, measure));
    return out;
}

QString scorecardHtml(const metrics::ScorecardResult& r)
{
    QString out = QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\"><tr><th>%1</th>")
                      .arg(tr("Method"));
    for (const auto& m : r.measures)
        out += QStringLiteral("<th>%1 %2</th>").arg(html(m.name), m.higherIsBetter ? QStringLiteral("↑") : QStringLiteral("↓"));
    out += QStringLiteral("</tr>");
    for (size_t m = 0; m < r.methods.size(); ++m) {
        // A row of attributions from a file is named as the Scorecard view names it.
        QString name;
        if (m < r.sources.size() && !r.sources[m].empty()) {
            name = tr("%1 (file)").arg(QString::fromStdString(r.methods[m]));
        } else {
            try {
                name = QString::fromStdString(explain::methodDisplayName(explain::methodFromId(r.methods[m])));
            } catch (...) {
                name = QString::fromStdString(r.methods[m]);
            }
        }
        out += QStringLiteral("<tr><td>%1</td>").arg(name.toHtmlEscaped());
        for (size_t k = 0; k < r.measures.size(); ++k) {
            if (m >= r.cells.size() || k >= r.cells[m].size() || m >= r.ranks.size() || k >= r.ranks[m].size()) {
                out += QStringLiteral("<td>–</td>");
                continue;
            }
            if (m < r.reasons.size() && k < r.reasons[m].size() && !r.reasons[m][k].empty()) {
                out += QStringLiteral("<td align=\"center\">n/a</td>");
                continue;
            }
            const auto& c = r.cells[m][k];
            QString cell = QStringLiteral("%1 [%2, %3] (%4)")
                               .arg(html(metrics::formatScore(c.median)), html(metrics::formatScore(c.lo)),
                                    html(metrics::formatScore(c.hi)), html(metrics::formatRank(r.ranks[m][k])));
            if (metrics::isBestInColumn(r, m, k))
                cell = QStringLiteral("<b>%1</b>").arg(cell);
            out += QStringLiteral("<td align=\"right\">%1</td>").arg(cell);
        }
        out += QStringLiteral("</tr>");
    }
    out += QStringLiteral("</table>");
    out += tr("<p>Each cell: the median over %1 points, its %2% bootstrap interval (%3 resamples) and the method's "
              "rank under the measure (1 = best, bold). ↑: higher is better; ↓: lower is better.")
               .arg(r.points.size()).arg(int(std::lround(r.level * 100))).arg(r.bootstrap);
    const bool anyNa = std::any_of(r.reasons.begin(), r.reasons.end(), [](const auto& row) {
        return std::any_of(row.begin(), row.end(), [](const std::string& why) { return !why.empty(); });
    });
    if (anyNa)
        out += QStringLiteral(" ") + tr("n/a: a measure that explains perturbed inputs again, which attributions "
                                         "from a file cannot do.");
    out += QStringLiteral("</p>");
    out += QStringLiteral("<p><b>%1</b></p>").arg(html(metrics::agreementSentence(r.kendallW)));
    return out;
}

} // namespace senn::ui
