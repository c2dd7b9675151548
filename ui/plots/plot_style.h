// Shared look of every plot in SENN Studio: fonts, the symmetric diverging colour scale
// (blue - white - red), series colours and the light/dark theme switch, so that the app's
// plots and the CLI's figures look the same and exports are always light.
#pragma once
#include <QColor>
#include <QFont>
#include <QString>

#include <string>
#include <vector>

class QCustomPlot;
class QCPColorGradient;

namespace senn::ui {

// Point sizes, so they scale with the screen's DPI and with the export scale.
QFont plotTitleFont();   // 12 pt bold
QFont plotLabelFont();   // 10 pt
QFont plotTickFont();    // 9 pt

// White at the centre (value 0 on a symmetric range), blue below, red above.
QCPColorGradient divergingGradient();
// White to dark blue, for counts (confusion matrix).
QCPColorGradient sequentialGradient();
QColor positiveColor();  // red used for positive bars
QColor negativeColor();  // blue used for negative bars
// Distinct colours for series i (colour-blind friendly palette, cycles).
QColor seriesColor(int i);
// A fixed colour per explanation method id ("lime", "senn", ...), so a method has the same
// colour in every figure; unknown ids get a colour from their hash.
QColor methodColor(const std::string& methodId);

// Moves plot's legend from inside the axes to a row of its own under them, `perLine` entries
// per line, so it never hides a curve when several methods' curves and bands fill the plot.
void placeLegendBelow(QCustomPlot* plot, int perLine);

// Applies the light (exports, light palette) or dark theme to every axis, legend and text
// element of plot. Concrete plots call it after building their layout.
void applyPlotTheme(QCustomPlot* plot, bool dark);
// True when the application palette is dark (window colour lightness < 128).
bool paletteIsDark();

// "KernelSHAP" for "kernel-shap"; unknown ids are returned unchanged.
QString methodLabel(const std::string& methodId);

// max |v| over values (0 when empty); ignores NaN.
double maxAbs(const std::vector<float>& values);
// A "nice" symmetric bound >= r used when the caller asks for rounding (0 stays 0).
double niceBound(double r);

} // namespace senn::ui
