// One box per method (median, quartiles, 1.5 IQR whiskers, outliers as dots) with the method
// names on the x axis: L-hat over test points, removal correlation per method.
#pragma once
#include "ui/plots/plot_frame.h"

#include <QColor>
#include <QList>
#include <QPolygonF>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace senn::ui {

struct BoxSeries {
    QString name;
    std::vector<double> samples;    // NaN samples are ignored
    QColor color = QColor();        // invalid: palette colour by position
    // The data row of each sample (same length as samples), or empty. The exports carry them,
    // so a value in a CSV or JSON file leads back to the point it was measured on.
    std::vector<int64_t> rows;
};

struct BoxStats {
    double lowerWhisker = 0, q1 = 0, median = 0, q3 = 0, upperWhisker = 0;
    std::vector<double> outliers;
    int n = 0;
    // Quartiles by linear interpolation (numpy's default); whiskers at the furthest sample
    // within 1.5 IQR of the box.
    static BoxStats compute(std::vector<double> samples);
};

class BoxPlot : public PlotFrame {
    Q_OBJECT
public:
    explicit BoxPlot(QWidget* parent = nullptr);

    void setBoxes(const std::vector<BoxSeries>& boxes);
    void clear();
    int boxCount() const { return static_cast<int>(m_boxes.size()); }
    const std::vector<BoxStats>& stats() const { return m_stats; }
    const std::vector<BoxSeries>& boxes() const { return m_boxes; }

    void setValueLabel(const QString& label);
    void setLogY(bool log);
    // Dashed horizontal reference line (e.g. 0 for correlations); NaN hides it.
    void setReferenceLine(double y);

    // method,n,whisker_low,q1,median,q3,whisker_high,outliers, then (boxes with rows) one
    // column row_<id> per data row holding each box's sample there.
    QString dataCsv() const override;
    QString dataJson() const override;  // per box: samples and, with rows, "rows"

    // The method names under the boxes never overlap: horizontal when each fits its slot,
    // else rotated (45° or 90°) and elided to at most about a third of the plot's height.
    // The widget's minimum width leaves every box a slot as wide as a vertical name is tall,
    // so every method is named; only a plot squeezed below that labels every k-th. Elided
    // names are whole in the tooltip over the axis. For tests: the labels as drawn (elided;
    // empty = skipped), their rotation in degrees, and each label's outline in widget pixels
    // (QCustomPlot's placement of rotated bottom-axis labels).
    QStringList tickLabels() const { return m_shownLabels; }
    double tickLabelRotation() const { return m_rotation; }
    QList<QPolygonF> tickLabelOutlines() const;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuild();
    void layoutLabels();

    std::vector<BoxSeries> m_boxes;
    std::vector<BoxStats> m_stats;
    QString m_valueLabel;
    bool m_logY = false;
    double m_reference;
    QStringList m_shownLabels;
    double m_rotation = 0;
};

} // namespace senn::ui
