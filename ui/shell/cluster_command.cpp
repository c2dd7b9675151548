// The commands of cluster runs (cluster_command.h): each view's settings as options, then the
// explainer settings that differ from the defaults, then the memory budget when one is set.
#include "ui/shell/cluster_command.h"

#include "core/explain/explainer_args.h"
#include "core/metrics/measures.h"
#include "core/metrics/metrics.h"
#include "core/metrics/sanity.h"

#include <QFileInfo>
#include <QLocale>
#include <QObject>

namespace senn::ui {

namespace {

QString joinIds(const std::vector<explain::Method>& methods)
{
    QStringList ids;
    for (auto m : methods)
        ids << QString::fromStdString(explain::methodId(m));
    return ids.join(',');
}

QString joinStd(const std::vector<std::string>& list)
{
    QStringList out;
    for (const auto& s : list)
        out << QString::fromStdString(s);
    return out.join(',');
}

// The shortest text that reads back as v: the ε the view shows, not 0.10000000000000001.
QString number(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }

QString absolute(const QString& path) { return QFileInfo(path).absoluteFilePath(); }

ClusterCommand start(const QString& model, const QString& data)
{
    ClusterCommand c;
    c.args << "--model" << absolute(model) << "--data" << absolute(data);
    return c;
}

// The explainer settings and the memory budget (the tasks take 2 GB when none is set:
// core/jobs/slurm_script.h).
void addExplainer(ClusterCommand& c, const explain::ExplainOptions& options)
{
    for (const auto& a : explain::explainerArgs(options))
        c.args << QString::fromStdString(a);
    if (options.memoryBudget > 0)
        c.args << "--memory" << QString::number(options.memoryBudget >> 20);
    for (const auto& s : explain::uncarriedExplainerSettings(options))
        c.notCarried << QString::fromStdString(s);
}

} // namespace

ClusterCommand stabilityClusterCommand(const QString& model, const QString& data, const StabilityRequest& r,
                                       const explain::ExplainOptions& options)
{
    auto c = start(model, data);
    QStringList eps;
    for (double e : r.eps)
        eps << number(e);
    c.args << "--methods" << joinIds(r.methods) << "--points" << QString::number(r.points) << "--eps" << eps.join(',')
           << "--seed" << QString::number(r.seed) << "--draws" << QString::fromStdString(metrics::toString(r.draws));
    addExplainer(c, options);
    return c;
}

ClusterCommand faithfulnessClusterCommand(const QString& model, const QString& data,
                                          const std::vector<explain::Method>& methods, int points, uint64_t seed,
                                          const std::vector<std::string>& measureGroups,
                                          const std::vector<metrics::AttributionSource>& attributions,
                                          const explain::ExplainOptions& options)
{
    auto c = start(model, data);
    c.args << "--methods" << joinIds(methods) << "--points" << QString::number(points) << "--seed"
           << QString::number(seed);
    // The command's default is the default set; naming it would change the run's settings.
    if (!measureGroups.empty() && measureGroups != metrics::defaultMeasureGroups())
        c.args << "--measure" << joinStd(measureGroups);
    for (const auto& a : attributions)
        c.args << "--attributions" << QString::fromStdString(a.name) + "=" + absolute(QString::fromStdString(a.path));
    if (!attributions.empty()) {
        const std::string split = attributions.front().split;
        bool oneSplit = true;
        for (const auto& a : attributions)
            oneSplit = oneSplit && a.split == split;
        if (!oneSplit)
            c.notCarried << QObject::tr("files of attributions from different splits (the tasks read every "
                                        "file as rows of the %1 split)").arg(QString::fromStdString(split));
        if (split != "test")
            c.args << "--attributions-split" << QString::fromStdString(split);
    }
    addExplainer(c, options);
    return c;
}

ClusterCommand sanityClusterCommand(const QString& model, const QString& data, const SanityRequest& r,
                                    const explain::ExplainOptions& options)
{
    auto c = start(model, data);
    c.args << "--methods" << joinStd(r.methods) << "--points" << QString::number(r.points) << "--seed"
           << QString::number(r.seed) << "--mode" << QString::fromStdString(metrics::toString(r.mode));
    if (r.randomLogit)
        c.args << "--random-logit";
    if (r.dataRandomisation)
        c.args << "--data-randomisation" << "--epochs" << QString::number(r.epochs);
    addExplainer(c, options);
    return c;
}

} // namespace senn::ui
