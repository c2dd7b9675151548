// The strip under the sanity figure: the explanation of one example at every step, one row
// per method: heat maps for images (each scaled to its own largest |value|), bars for tables.
// Painted directly (one widget, not a plot per cell), so dozens of cells stay cheap.
#pragma once
#include "core/metrics/sanity.h"

#include <QWidget>

namespace senn::ui {

class SanityStrip : public QWidget {
    Q_OBJECT
public:
    explicit SanityStrip(QWidget* parent = nullptr);
    void setResult(const metrics::SanityResult& result);
    void clear();
    int rowCount() const { return int(m_rows.size()); }
    int columnCount() const { return int(m_columns.size()); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Row {
        std::string id;
        std::vector<std::vector<float>> cells; // per step; empty: not computed
        std::vector<int64_t> shape;
    };
    std::vector<Row> m_rows;
    QStringList m_columns;
};

} // namespace senn::ui
