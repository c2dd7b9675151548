// How the worker describes its dataset to the GUI (DatasetSummary): the format's name, the
// split's rows, the class counts and the problems worth a warning in the Data view.
#pragma once
#include "ui/worker/results.h"
#include "ui/worker/worker_state.h"

#include "core/data/loader.h"

namespace senn::ui {

QString formatName(data::SourceFormat format);
// Things worth a warning in the Data view; none of them stops loading.
QStringList detectProblems(const data::Dataset& data);
// The state's dataset and split as the GUI gets them (without problems: detectProblems).
DatasetSummary summarizeDataset(const WorkerState& state, const QString& path, const QString& format);

} // namespace senn::ui
