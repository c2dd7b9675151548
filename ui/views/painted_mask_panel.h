// The Explain view's own mask: the user paints (or loads) where the relevant features of the
// explained example are, and a table scores each method's explanation against it with the
// localisation measures: relevance mass inside the mask, pointing game, top-k intersection.
// Scoring needs no model, only the explanations already shown (one sort of each method's
// values), so it runs in place on the GUI thread at the end of each stroke.
#pragma once
#include "ui/worker/results.h"

#include "core/metrics/localisation.h"

#include <QWidget>

#include <cstdint>
#include <string>
#include <vector>

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace senn::ui {

class MaskPainter;

// A painted H x W mask over an input of `shape` ({d} or {C, H, W}): the same pixels on every
// channel. Empty when the sizes do not fit.
std::vector<uint8_t> inputMaskFromPlane(const std::vector<float>& plane, const std::vector<int64_t>& shape);

// One row of the table: a method on the input (concept-space methods have none).
struct PaintedMaskScore {
    std::string method;
    metrics::LocalisationScores scores;
};
std::vector<PaintedMaskScore> scorePaintedMask(const std::vector<explain::Explanation>& explanations,
                                               const std::vector<uint8_t>& mask,
                                               const metrics::LocalisationOptions& options);

class PaintedMaskPanel : public QWidget {
    Q_OBJECT
public:
    explicit PaintedMaskPanel(QWidget* parent = nullptr);
    // The explained example and its explanations; `shape` is the data's sample shape.
    void setResult(const ExplainResult& result, const std::vector<int64_t>& shape);
    void clearResult();
    // Scores |attribution| instead of the positive part (the truth panel's check box).
    void setAbsolute(bool absolute);
    // The mask as {C,H,W} or {d} (nonzero = relevant); replaces the painted one.
    void setMask(const std::vector<float>& rowMask);
    void clearMask();
    bool loadMask(const QString& path, QString* error = nullptr);
    // The mask over the input, empty when nothing is painted.
    std::vector<uint8_t> mask() const;

    MaskPainter* painter() const { return m_painter; }
    QTableWidget* table() const { return m_table; }
    QLabel* hint() const { return m_hint; }
    QSpinBox* topK() const { return m_topK; }

signals:
    void maskChanged();

private:
    void rescore();
    ExplainResult m_last;
    std::vector<int64_t> m_shape;
    bool m_absolute = false;
    MaskPainter* m_painter;
    QPushButton *m_load, *m_clear, *m_erase;
    QSpinBox *m_brush, *m_topK;
    QLabel* m_hint;
    QTableWidget* m_table;
};

} // namespace senn::ui
