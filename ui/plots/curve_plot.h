// Several series, each a median line with a translucent inter-quartile band, optional log x
// axis and a legend: stability curves (explanation change vs. eps) and removal curves.
#pragma once
#include "ui/plots/plot_frame.h"

#include <QColor>

#include <vector>

namespace senn::ui {

struct CurveSeries {
    QString name;
    std::vector<double> x, median;
    std::vector<double> q25, q75;   // empty: no band
    QColor color;                   // invalid: palette colour by position
    bool dashed = false;            // a reference series (e.g. a share of points), drawn dashed
};

class CurvePlot : public PlotFrame {
    Q_OBJECT
public:
    explicit CurvePlot(QWidget* parent = nullptr);

    void setSeries(const std::vector<CurveSeries>& series);
    void addSeries(const CurveSeries& series);
    void clear();
    int seriesCount() const { return static_cast<int>(m_series.size()); }
    const std::vector<CurveSeries>& series() const { return m_series; }

    void setAxisLabels(const QString& x, const QString& y);
    void setLogX(bool log);
    bool logX() const { return m_logX; }
    void setLogY(bool log);
    // A vertical marker line at x (e.g. the perturbation slider); NaN hides it.
    void setMarker(double x);

    QString dataCsv() const override;   // series,x,median,q25,q75
    QString dataJson() const override;

private:
    void rebuild();

    std::vector<CurveSeries> m_series;
    bool m_logX = false, m_logY = false;
    double m_marker;
    QString m_xLabel, m_yLabel;
};

} // namespace senn::ui
