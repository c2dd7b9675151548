// Offscreen figures for the CLI (`senn explain --figure`, stability, faithfulness, prototypes,
// training): they build the app's own plot widgets, lay them out and write PNG/SVG/PDF (by
// suffix), so CLI figures look like the app's. The CALLER must have created a QApplication
// (QT_QPA_PLATFORM=offscreen works) before calling any of these; they are GUI-thread only.
#pragma once
#include "core/data/dataset.h"
#include "core/explain/explanation.h"
#include "core/metrics/metrics.h"
#include "core/models/model.h"
#include "core/train/trainer.h"
#include "ui/plots/comparison_panel.h"

#include <QString>

#include <vector>

namespace senn::ui {

struct FigureOptions {
    int width = 0, height = 0;   // 0: a size suited to the figure
    double scale = 1.0;          // PNG only
    QString title;               // empty: a default title
};

// The comparison panel for one input.
bool renderComparisonFigure(const ExplainInput& input,
                            const std::vector<senn::explain::Explanation>& explanations,
                            const QString& path, QString* error = nullptr,
                            const FigureOptions& options = {});
// Same, taking the input from row `row` of data.
bool renderComparisonFigure(const senn::data::Dataset& data, int64_t row,
                            const std::vector<senn::explain::Explanation>& explanations,
                            const QString& path, QString* error = nullptr,
                            const FigureOptions& options = {});
ExplainInput explainInputFromRow(const senn::data::Dataset& data, int64_t row);

// Stability curves (median + IQR per method, log eps) beside box plots of the per-point
// values at the largest eps.
bool renderStabilityFigure(const senn::metrics::StabilityResult& result, const QString& path,
                           QString* error = nullptr, const FigureOptions& options = {});
// Box plots of removal correlation (and faithfulness correlation / infidelity when present).
bool renderFaithfulnessFigure(const senn::metrics::FaithfulnessResult& result,
                              const QString& path, QString* error = nullptr,
                              const FigureOptions& options = {});
bool renderPrototypesFigure(const senn::metrics::Prototypes& prototypes,
                            const senn::data::Dataset& data, const QString& path,
                            QString* error = nullptr, const FigureOptions& options = {});
bool renderTrainingFigure(const std::vector<senn::models::EpochRecord>& history,
                          const QString& path, QString* error = nullptr,
                          const FigureOptions& options = {});
bool renderConfusionFigure(const senn::train::Evaluation& evaluation,
                           const std::vector<std::string>& classNames, const QString& path,
                           QString* error = nullptr, const FigureOptions& options = {});

} // namespace senn::ui
