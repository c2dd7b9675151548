// Writing figures and the numbers behind them: PNG (w x h at a scale), SVG and PDF of one
// QCustomPlot or of any widget (a whole panel), and text files, always atomically (QSaveFile)
// and always on a light background. Usable without a dialog (CLI figures, tests).
#pragma once
#include <QString>

class QCustomPlot;
class QWidget;

namespace senn::ui {

enum class ExportFormat { Png, Svg, Pdf, Unknown };
// From the file suffix (case-insensitive): .png/.jpg -> Png, .svg, .pdf.
ExportFormat exportFormatForPath(const QString& path);

// width/height <= 0 use the plot's current size (or 800x600 when it has none).
// PNG: the image is round(width*scale) x round(height*scale) pixels. SVG/PDF: width x height
// in points; scale is ignored. Returns false and fills error on failure (nothing is left at
// path then).
bool exportPlot(QCustomPlot* plot, const QString& path, int width, int height, double scale,
                QString* error = nullptr);
// Renders any widget (e.g. the comparison panel) with a light palette; the widget is resized
// to width x height for the duration of the export.
bool exportWidget(QWidget* widget, const QString& path, int width = 0, int height = 0,
                  double scale = 1.0, QString* error = nullptr);

bool writeTextFileAtomic(const QString& path, const QString& text, QString* error = nullptr);
// RFC 4180 quoting for one CSV field.
QString csvField(const QString& s);

} // namespace senn::ui
