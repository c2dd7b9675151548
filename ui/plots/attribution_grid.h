// The features × methods grid of the comparison panel for tabular data: the feature names
// once, on the left, and one narrow bar column per method beside them; rows sorted by the
// mean normalised |attribution| over the columns, top K (0 = all). Each column has its own
// symmetric scale ±max|value| over the rows shown by default, its bounds printed under its
// title; with the
// shared scale, columns of the same scale group (e.g. additive attributions of the same
// output) share one bound. Painted directly, so exports (QWidget::render) look the same.
// Columns repeated over seeds carry error bars (2.5% to 97.5% over the seeds) and a ≈ beside
// a row whose order above the next-ranked row of that column is not significant. Also the
// agreement measures shown under the grid: Spearman rank correlation of |values| and the
// overlap of the top-k features by |value|.
#pragma once
#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <string>
#include <vector>

namespace senn::ui {

struct GridColumn {
    QString title;              // "KernelSHAP", "SENN θ"
    std::string method;         // method id (its colour)
    std::vector<float> values;  // one per row
    QString group;              // scale group for the shared scale ("" = its own)
    // Repeated over seeds (core/explain/uncertainty.h), one per row: the interval drawn as an
    // error bar, and the share of runs in which the row keeps its rank above the row ranked
    // next by |value| in this column (≈ where below kOrderSignificance). Empty: not repeated.
    std::vector<float> low = {}, high = {}, orderAgreement = {};
    int seedRuns = 0;
};

class AttributionGrid : public QWidget {
    Q_OBJECT
public:
    explicit AttributionGrid(QWidget* parent = nullptr);

    void setData(const QStringList& rowNames, const std::vector<GridColumn>& columns);
    void setSharedScale(bool on);
    bool sharedScale() const { return m_shared; }
    void setTopK(int k); // 0 = all rows
    int topK() const { return m_topK; }

    int columnCount() const { return int(m_columns.size()); }
    int rowCount() const { return int(m_rowNames.size()); }
    // Original row indices in display order (sorted, top K).
    const std::vector<int>& shownRows() const { return m_shown; }
    QStringList shownRowNames() const;
    // The symmetric bound of column c's axis (±range): max |value| over the rows shown (the
    // top K), or with the shared scale the largest such bound of its scale group.
    double columnRange(int c) const;
    QString columnTitle(int c) const;
    // Layout facts a test can check: rectangles in widget pixels.
    QRect nameRect(int shownRow) const;
    QRect cellRect(int shownRow, int column) const;
    QRect headerRect(int column) const;
    // Pixels from a cell's zero line to ±columnRange (less where the column has order marks).
    int barHalfWidth(int column) const;
    // The two bound labels of column c (left "−R", right "+R"), or one centred "±R" when two
    // would not fit; never overlapping each other or a neighbour's.
    QList<QRect> scaleLabelRects(int column) const;
    // Seeds: whether column c has error bars; where row `shownRow` of column c has its ≈ (an
    // empty rect when its order is significant); how many ≈ the shown rows carry.
    bool hasIntervals(int column) const;
    QRect orderMarkRect(int shownRow, int column) const;
    int orderMarkCount() const;
    // The original index of the row ranked just below `row` by |value| in column c; -1 if none.
    int nextRanked(int column, int row) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void rowClicked(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override; // tooltips: feature, method, value

private:
    void relayout();
    int nameWidth() const;
    int columnWidth() const;
    int headerHeight() const;
    int rowHeight() const;
    QString scaleText(double r, bool both, bool left) const;

    QStringList m_rowNames;
    std::vector<GridColumn> m_columns;
    std::vector<double> m_ownMax, m_range;
    std::vector<int> m_shown;
    bool m_shared = false;
    int m_topK = 15;
};

// Spearman rank correlation of |a| and |b| (average ranks for ties); NaN when undefined.
double spearmanAbs(const std::vector<float>& a, const std::vector<float>& b);
// |top-k of |a| ∩ top-k of |b|| / k, k clipped to the size.
double topKOverlap(const std::vector<float>& a, const std::vector<float>& b, int k);

} // namespace senn::ui
