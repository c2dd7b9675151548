// The `senn` command a view's "Run on a cluster…" plans: every setting the app's own run of that
// view uses (the view's, the explainer settings', the measures and files of attributions), as
// the options of `senn stability`, `senn faithfulness` or `senn sanity`. The explainer settings
// go through core's table (core/explain/explainer_args.h), the one the commands read back.
#pragma once
#include "core/explain/explanation.h"
#include "core/metrics/external_attributions.h"
#include "ui/worker/results.h"
#include "ui/worker/sanity_results.h"

#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace senn::ui {

struct ClusterCommand {
    QStringList args;       // after `senn COMMAND`: --model, --data, then the run's settings
    QStringList notCarried; // settings of the app's run that no option carries (names for a person)
};

// Paths are made absolute: the cluster's tasks run elsewhere. `options` are the explainer
// settings (MainWindow::explainOptions()); their seed is replaced by the view's, as in the app.
ClusterCommand stabilityClusterCommand(const QString& model, const QString& data, const StabilityRequest& request,
                                       const explain::ExplainOptions& options);
ClusterCommand faithfulnessClusterCommand(const QString& model, const QString& data,
                                          const std::vector<explain::Method>& methods, int points, uint64_t seed,
                                          const std::vector<std::string>& measureGroups,
                                          const std::vector<metrics::AttributionSource>& attributions,
                                          const explain::ExplainOptions& options);
ClusterCommand sanityClusterCommand(const QString& model, const QString& data, const SanityRequest& request,
                                    const explain::ExplainOptions& options);

} // namespace senn::ui
