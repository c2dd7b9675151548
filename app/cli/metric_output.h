// What the explain, stability, faithfulness and prototypes commands share: the --figure
// checks and the offscreen QApplication that draws it, JSON numbers with NaN as null, the
// points a metric run measures, and writing a result to a file or standard output.
#pragma once
#include "core/explain/explanation.h"
#include "core/io/workspace.h"

#include <QString>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace senn::cli {

// Figures are drawn by the app's own plot widgets, which need a QApplication; the CLI makes
// an offscreen one on first use (unless QT_QPA_PLATFORM says otherwise).
void ensureGuiApp();
int allCores();
// The heavy commands say so when LibTorch runs on the slow reference BLAS.
void warnIfReferenceBlas();
// Throws senn::Error unless `figure` is empty or ends in .png, .svg or .pdf.
void checkFigurePath(const std::string& figure);
// Throws senn::Error naming the figure when rendering failed; else says it was written.
void figureDone(bool ok, const QString& error, const std::string& path);
std::vector<explain::Method> parseMethods(const std::vector<std::string>& ids);

nlohmann::json finite(double v); // NaN and infinities become null
nlohmann::json finiteArray(const std::vector<double>& v);

// The app's rule (metrics::pickPoints over metrics::metricRows): `--points N` measures the rows
// the Stability and Faithfulness views measure with N points. requested: N, 0 = `fallback`,
// -1 = every row (--points all).
std::vector<int64_t> metricPoints(const io::Workspace& ws, int requested, int fallback);

// Writes `j` atomically to `path`, or prints it to standard output when `path` is empty.
void writeOrPrint(const std::string& path, const nlohmann::json& j);

} // namespace senn::cli
