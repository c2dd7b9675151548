// Signed bars per feature / concept with their labels: red positive, blue negative, on a
// fixed symmetric value range that several charts can share; optional "top N by |value|";
// a click on a bar emits barClicked(original index).
#pragma once
#include "ui/plots/plot_frame.h"

#include <QPointF>
#include <QStringList>

#include <string>
#include <vector>

class QCPBars;

namespace senn::ui {

class BarChart : public PlotFrame {
    Q_OBJECT
public:
    enum class Orientation { Horizontal, Vertical };

    explicit BarChart(QWidget* parent = nullptr);

    // labels may be empty (then "0", "1", ...) or shorter than values (rest numbered).
    void setData(const std::vector<float>& values, const std::vector<std::string>& labels = {});
    void setData(const std::vector<double>& values, const QStringList& labels);
    void clear();

    void setOrientation(Orientation orientation);  // default Horizontal (labels on the left)
    Orientation orientation() const { return m_orientation; }
    // Symmetric value range ±r; r <= 0 returns to automatic (max |value|).
    void setRange(double r);
    double range() const;
    double maxAbsValue() const;
    void setTopN(int n);                           // 0 = all bars, in their original order
    // Explicit bars and order (original indices), e.g. so that SENN's theta, h and theta*h
    // list the same concepts; overrides top N. Empty returns to the default order.
    void setDisplayOrder(const std::vector<int>& indices);
    int topN() const { return m_topN; }
    void setValueLabel(const QString& label);      // value axis title
    void setHighlighted(int index);                // outlines one bar; -1 none

    int barCount() const { return static_cast<int>(m_shown.size()); }
    // Original indices of the shown bars, in display order (top to bottom / left to right).
    const std::vector<int>& shownIndices() const { return m_shown; }
    const std::vector<double>& values() const { return m_values; }
    const QStringList& labels() const { return m_labels; }
    // Widget pixel position of the middle of bar `index` (original index); null if hidden.
    QPointF barCenterPixel(int index) const;

    QString dataCsv() const override;   // "index,label,value" + one row per bar
    QString dataJson() const override;

Q_SIGNALS:
    void barClicked(int index);

private:
    void rebuild();
    void onMousePress(QMouseEvent* event);
    int keyOfIndex(int index) const;

    QCPBars* m_pos = nullptr;
    QCPBars* m_neg = nullptr;
    QCPBars* m_highlight = nullptr;
    std::vector<double> m_values;
    QStringList m_labels;
    std::vector<int> m_shown, m_order;
    Orientation m_orientation = Orientation::Horizontal;
    int m_topN = 0, m_highlighted = -1;
    bool m_autoRange = true;
    double m_range = 1.0;
    QString m_valueLabel;
};

} // namespace senn::ui
