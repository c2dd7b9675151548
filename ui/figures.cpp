#include "ui/figures.h"

#include "ui/plots/box_plot.h"
#include "ui/plots/confusion_matrix_view.h"
#include "ui/plots/curve_plot.h"
#include "ui/plots/stability_series.h"
#include "ui/plots/export.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/prototype_grid.h"
#include "ui/plots/training_curves.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLayout>
#include <QWidget>

#include <algorithm>
#include <memory>

namespace senn::ui {

static bool needApp(QString* error)
{
    if (qobject_cast<QApplication*>(QCoreApplication::instance()))
        return true;
    if (error)
        *error = QStringLiteral("Figures need a QApplication (create one first; "
                                "QT_QPA_PLATFORM=offscreen works without a display)");
    return false;
}

static int orDefault(int v, int d) { return v > 0 ? v : d; }

ExplainInput explainInputFromRow(const senn::data::Dataset& data, int64_t row)
{
    ExplainInput in;
    if (row < 0 || row >= data.rows())
        return in;
    const int64_t d = data.featureCount();
    in.values.assign(data.row(row), data.row(row) + d);
    in.shape = data.sampleShape;
    in.isImage = data.isImage();
    in.featureNames = data.featureNames;
    in.row = row;
    const int64_t y = data.y[static_cast<size_t>(row)];
    const QString cls = y >= 0 && y < data.numClasses()
                            ? QString::fromStdString(data.classNames[static_cast<size_t>(y)])
                            : QString::number(y);
    in.title = QObject::tr("Row %1 (true class %2)").arg(row).arg(cls);
    return in;
}

bool renderComparisonFigure(const ExplainInput& input,
                            const std::vector<senn::explain::Explanation>& explanations,
                            const QString& path, QString* error, const FigureOptions& options)
{
    if (!needApp(error))
        return false;
    ComparisonPanel panel;
    ExplainInput in = input;
    if (!options.title.isEmpty())
        in.title = options.title;
    panel.setInput(in);
    panel.setExplanations(explanations);
    const int n = std::max<int>(1, static_cast<int>(explanations.size()));
    bool senn = false;
    for (const auto& e : explanations)
        senn |= e.method == "senn" && !e.h.empty();
    int w = std::clamp(n * 300, 420, 2600);
    int h = senn ? 720 : 380;
    if (!input.isImage) {
        // Tabular: the features × methods grid, the agreement table and the timings have a
        // natural size (the grid's columns stop widening at a readable width, the top K rows):
        // the page is that size, so no part of it stays empty. A width that is given keeps
        // the height the content needs at that width.
        if (QLayout* l = panel.layout())
            l->activate();
        const QSize hint = panel.sizeHint().expandedTo(panel.minimumSizeHint());
        w = std::clamp(hint.width(), 420, 2600);
        const int atWidth = options.width > 0 && panel.hasHeightForWidth() ? panel.heightForWidth(options.width) : -1;
        h = std::clamp(atWidth > 0 ? atWidth : hint.height(), 240, 4000);
    }
    return panel.exportAll(path, orDefault(options.width, w), orDefault(options.height, h), options.scale, error);
}

bool renderComparisonFigure(const senn::data::Dataset& data, int64_t row,
                            const std::vector<senn::explain::Explanation>& explanations,
                            const QString& path, QString* error, const FigureOptions& options)
{
    if (row < 0 || row >= data.rows()) {
        if (error)
            *error = QStringLiteral("Row %1 is outside the data (0..%2)").arg(row).arg(data.rows() - 1);
        return false;
    }
    return renderComparisonFigure(explainInputFromRow(data, row), explanations, path, error, options);
}

bool renderStabilityFigure(const senn::metrics::StabilityResult& result, const QString& path,
                           QString* error, const FigureOptions& options)
{
    if (!needApp(error))
        return false;
    QWidget host;
    auto* layout = new QHBoxLayout(&host);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* curves = new CurvePlot(&host);
    auto* moves = new CurvePlot(&host);
    auto* boxes = new BoxPlot(&host);
    layout->addWidget(curves, 3);
    if (!result.moves.empty())
        layout->addWidget(moves, 3);
    else
        moves->hide();
    layout->addWidget(boxes, 2);
    std::vector<BoxSeries> box;
    const bool logX = !result.eps.empty() &&
                      std::all_of(result.eps.begin(), result.eps.end(), [](double e) { return e > 0; });
    for (const auto& [id, curve] : result.methods)
        if (!curve.perPoint.empty())
            box.push_back({methodLabel(id), curve.perPoint.back(), methodColor(id)});
    curves->setTitle(options.title.isEmpty() ? QObject::tr("Local Lipschitz L̂ vs. ε (median, quartiles; %1 draws)")
                                                   .arg(QString::fromStdString(result.draws))
                                             : options.title);
    curves->setAxisLabels(QObject::tr("perturbation radius ε"), QObject::tr("estimated local Lipschitz L̂"));
    curves->setLogX(logX);
    curves->setSeries(lipschitzSeries(result));
    moves->setTitle(QObject::tr("Explanation moves under noise σ (median, quartiles)"));
    moves->setAxisLabels(QObject::tr("noise σ (training std)"), QObject::tr("‖e(x′) − e(x)‖ / ‖e(x)‖"));
    moves->setLogX(logX);
    moves->setSeries(movesSeries(result));
    const double lastEps = result.eps.empty() ? 0 : result.eps.back();
    boxes->setTitle(QObject::tr("L̂ over %1 points (ε = %2)").arg(result.points.size()).arg(lastEps, 0, 'g', 3));
    boxes->setValueLabel(QObject::tr("L̂"));
    boxes->setBoxes(box);
    const int defaultWidth = result.moves.empty() ? 1100 : 1500;
    return exportWidget(&host, path, orDefault(options.width, defaultWidth), orDefault(options.height, 450),
                        options.scale, error);
}

bool renderFaithfulnessFigure(const senn::metrics::FaithfulnessResult& result,
                              const QString& path, QString* error, const FigureOptions& options)
{
    if (!needApp(error))
        return false;
    QWidget host;
    auto* layout = new QHBoxLayout(&host);
    layout->setContentsMargins(0, 0, 0, 0);
    std::vector<BoxSeries> removal, fcorr, infid;
    for (const auto& [id, m] : result.methods) {
        removal.push_back({methodLabel(id), m.perPoint, methodColor(id)});
        if (!m.faithfulnessCorrelation.empty())
            fcorr.push_back({methodLabel(id), m.faithfulnessCorrelation, methodColor(id)});
        if (!m.infidelity.empty())
            infid.push_back({methodLabel(id), m.infidelity, methodColor(id)});
    }
    auto* a = new BoxPlot(&host);
    a->setTitle(options.title.isEmpty() ? QObject::tr("Removal correlation (%1 points)").arg(result.points.size())
                                        : options.title);
    a->setValueLabel(QObject::tr("Pearson r (higher is more faithful)"));
    a->setReferenceLine(0);
    a->setBoxes(removal);
    layout->addWidget(a, 1);
    int panels = 1;
    if (!fcorr.empty()) {
        auto* b = new BoxPlot(&host);
        b->setTitle(QObject::tr("Faithfulness correlation"));
        b->setValueLabel(QObject::tr("Pearson r"));
        b->setReferenceLine(0);
        b->setBoxes(fcorr);
        layout->addWidget(b, 1);
        ++panels;
    }
    if (!infid.empty()) {
        auto* c = new BoxPlot(&host);
        c->setTitle(QObject::tr("Infidelity (lower is better)"));
        c->setValueLabel(QObject::tr("infidelity"));
        bool positive = true;
        for (const auto& s : infid)
            for (double v : s.samples)
                positive &= v > 0;
        c->setLogY(positive);
        c->setBoxes(infid);
        layout->addWidget(c, 1);
        ++panels;
    }
    return exportWidget(&host, path, orDefault(options.width, 120 + 460 * panels),
                        orDefault(options.height, 450), options.scale, error);
}

bool renderPrototypesFigure(const senn::metrics::Prototypes& prototypes,
                            const senn::data::Dataset& data, const QString& path, QString* error,
                            const FigureOptions& options)
{
    if (!needApp(error))
        return false;
    PrototypeGrid grid;
    grid.setPrototypes(prototypes, data);
    if (!options.title.isEmpty())
        grid.setTitle(options.title);
    const int cols = std::max(1, grid.columnCount());
    const int rows = std::max(1, grid.rowCount());
    const int cell = data.isImage() ? 74 : 92;
    const int w = orDefault(options.width, std::clamp(130 + cols * cell, 500, 2600));
    const int h = orDefault(options.height, std::clamp(90 + rows * cell, 250, 2400));
    return grid.exportFigure(path, w, h, options.scale, error);
}

bool renderTrainingFigure(const std::vector<senn::models::EpochRecord>& history,
                          const QString& path, QString* error, const FigureOptions& options)
{
    if (!needApp(error))
        return false;
    TrainingCurves curves;
    curves.setTitle(options.title.isEmpty() ? QObject::tr("Training") : options.title);
    curves.setHistory(history);
    const int n = static_cast<int>(curves.activeTerms().size()) + 1;
    const int rows = n <= 3 ? 1 : 2;
    return curves.exportFigure(path, orDefault(options.width, n <= 3 ? 360 * n : 1080),
                               orDefault(options.height, 120 + 300 * rows), options.scale, error);
}

bool renderConfusionFigure(const senn::train::Evaluation& evaluation,
                           const std::vector<std::string>& classNames, const QString& path,
                           QString* error, const FigureOptions& options)
{
    if (!needApp(error))
        return false;
    ConfusionMatrixView view;
    view.setMatrix(evaluation.confusion, classNames);
    view.setTitle(options.title.isEmpty()
                      ? QObject::tr("Confusion matrix, %1 split (accuracy %2%, n = %3)")
                            .arg(QString::fromStdString(evaluation.split))
                            .arg(100.0 * evaluation.accuracy, 0, 'f', 1)
                            .arg(evaluation.n)
                      : options.title);
    const int n = static_cast<int>(evaluation.confusion.size());
    const int side = std::clamp(200 + 45 * n, 420, 1400);
    return view.exportFigure(path, orDefault(options.width, side + 90), orDefault(options.height, side),
                             options.scale, error);
}

} // namespace senn::ui
