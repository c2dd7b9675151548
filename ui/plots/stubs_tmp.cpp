// Temporary minimal implementations; replaced file by file.
#include "ui/plots/heatmap_view.h"
#include "ui/plots/bar_chart.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/box_plot.h"
#include "ui/plots/training_curves.h"
#include "ui/plots/confusion_matrix_view.h"
#include "ui/plots/prototype_grid.h"
#include "ui/plots/comparison_panel.h"
#include "ui/figures.h"
#include <qcustomplot.h>
#include <cmath>

namespace senn::ui {




TrainingCurves::TrainingCurves(QWidget* p) : PlotFrame(p) {}
QString TrainingCurves::termName(int) { return {}; }
void TrainingCurves::addBatch(const senn::train::BatchReport&) {}
void TrainingCurves::clear() {}
void TrainingCurves::setHistory(const std::vector<senn::models::EpochRecord>&) {}
void TrainingCurves::setSmoothing(double a) { m_alpha = a; }
void TrainingCurves::setLogLoss(bool l) { m_logLoss = l; }
std::vector<int> TrainingCurves::activeTerms() const { return {}; }
double TrainingCurves::smoothedValue(int) const { return NAN; }
QString TrainingCurves::dataCsv() const { return {}; }
QString TrainingCurves::dataJson() const { return {}; }
void TrainingCurves::rebuildLayout() {}
void TrainingCurves::scheduleReplot() {}
void TrainingCurves::addEpochRecord(const senn::models::EpochRecord&) {}

ConfusionMatrixView::ConfusionMatrixView(QWidget* p) : PlotFrame(p) {}
void ConfusionMatrixView::setMatrix(const std::vector<std::vector<int64_t>>& m, const std::vector<std::string>&) { m_matrix = m; }
int64_t ConfusionMatrixView::total() const { return 0; }
double ConfusionMatrixView::accuracy() const { return 0; }
QString ConfusionMatrixView::dataCsv() const { return {}; }
QString ConfusionMatrixView::dataJson() const { return {}; }
void ConfusionMatrixView::rebuild() {}

QImage floatImageToQImage(const std::vector<float>&, const std::vector<int64_t>&) { return {}; }
ImageGrid::ImageGrid(QWidget* p) : PlotFrame(p) {}
void ImageGrid::setCells(const std::vector<std::vector<GridCell>>& c, const QStringList&, const QStringList&) { m_cells = c; }
void ImageGrid::setColumnGroups(const std::vector<std::pair<QString, int>>& g) { m_groups = g; }
void ImageGrid::clear() {}
void ImageGrid::setHighlightedRow(int r) { m_highlightedRow = r; }
int ImageGrid::columnCount() const { return 0; }
QString ImageGrid::dataCsv() const { return {}; }
QString ImageGrid::dataJson() const { return {}; }
void ImageGrid::rebuild() {}

PrototypeGrid::PrototypeGrid(QWidget* p) : ImageGrid(p) {}
void PrototypeGrid::setPrototypes(const senn::metrics::Prototypes& p, const senn::data::Dataset&, const std::vector<std::string>&) { m_protos = p; }
void PrototypeGrid::showConcept(int c) { m_only = c; }
QString PrototypeGrid::dataCsv() const { return {}; }
QString PrototypeGrid::dataJson() const { return {}; }
void PrototypeGrid::rebuildGrid() {}

ComparisonPanel::ComparisonPanel(QWidget* p) : QWidget(p) {}
void ComparisonPanel::setInput(const ExplainInput& i) { m_input = i; }
void ComparisonPanel::setExplanations(const std::vector<senn::explain::Explanation>& e) { m_explanations = e; }
void ComparisonPanel::clear() {}
void ComparisonPanel::setPerMethodNormalization(bool on) { m_perMethod = on; }
void ComparisonPanel::setTopN(int n) { m_topN = n; }
void ComparisonPanel::setShowUnderlay(bool on) { m_underlay = on; }
PlotFrame* ComparisonPanel::mainPlot(int) const { return nullptr; }
HeatmapView* ComparisonPanel::heatmap(int) const { return nullptr; }
BarChart* ComparisonPanel::bars(int) const { return nullptr; }
BarChart* ComparisonPanel::conceptBars(int) const { return nullptr; }
BarChart* ComparisonPanel::contributionBars(int) const { return nullptr; }
QString ComparisonPanel::columnTitle(int) const { return {}; }
QString ComparisonPanel::columnCaption(int) const { return {}; }
bool ComparisonPanel::exportAll(const QString&, int, int, double, QString*) { return false; }
QString ComparisonPanel::dataCsv() const { return {}; }
QString ComparisonPanel::dataJson() const { return {}; }
void ComparisonPanel::exportViewDialog() {}
void ComparisonPanel::contextMenuEvent(QContextMenuEvent*) {}
void ComparisonPanel::rebuild() {}
void ComparisonPanel::applyRanges() {}
QString ComparisonPanel::captionFor(const senn::explain::Explanation&) const { return {}; }

bool renderComparisonFigure(const ExplainInput&, const std::vector<senn::explain::Explanation>&, const QString&, QString*, const FigureOptions&) { return false; }
bool renderComparisonFigure(const senn::data::Dataset&, int64_t, const std::vector<senn::explain::Explanation>&, const QString&, QString*, const FigureOptions&) { return false; }
ExplainInput explainInputFromRow(const senn::data::Dataset&, int64_t) { return {}; }
bool renderStabilityFigure(const senn::metrics::StabilityResult&, const QString&, QString*, const FigureOptions&) { return false; }
bool renderFaithfulnessFigure(const senn::metrics::FaithfulnessResult&, const QString&, QString*, const FigureOptions&) { return false; }
bool renderPrototypesFigure(const senn::metrics::Prototypes&, const senn::data::Dataset&, const QString&, QString*, const FigureOptions&) { return false; }
bool renderTrainingFigure(const std::vector<senn::models::EpochRecord>&, const QString&, QString*, const FigureOptions&) { return false; }
bool renderConfusionFigure(const senn::train::Evaluation&, const std::vector<std::string>&, const QString&, QString*, const FigureOptions&) { return false; }
}
