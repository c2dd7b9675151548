// File > Export report: a PDF with the model card on its first page and one page per figure
// (training curves, the explanation comparison, stability, faithfulness, the sanity checks
// with a sentence per method, the scorecard and its table), drawn with the views' own plots.
// ReportLayout records what went on each page, for tests.
#pragma once
#include "ui/worker/results.h"

#include <QCoreApplication>
#include <QList>
#include <QRectF>
#include <QSize>
#include <QSizeF>
#include <QStringList>

namespace senn::ui {

class ExplainView;
class FaithfulnessView;
class SanityView;
class ScorecardView;
class StabilityView;
class TrainingCurves;

// One page after the first (the model card): its title, the page size and the rectangle its
// figure got (its text's, on a page of text alone), in the PDF's device units. rendered: the
// figure's size in pixels before scaling onto the page; content: what its widgets need to be
// drawn whole (never more than rendered); columns: the comparison's methods on this page (0 on
// other pages); text: what the page says under its figure (or alone), as plain text.
struct ReportPage { QString title; QSizeF page; QRectF figure; QSize rendered, content; int columns = 0; QString text; };
// trainingEpochs: epochs on the Training page's curves (-1: none). notes: what the first page
// says of the stability, faithfulness, sanity and scorecard results (finished, cancelled after
// K of N points or steps, or left out and why).
struct ReportLayout { QList<ReportPage> pages; int trainingEpochs = -1; QStringList notes; };

// What a report is drawn from. A running job leaves its result out; a view left null (or
// without a result) adds no page.
struct ReportSources {
    const ModelSummary* model = nullptr; // valid
    bool imageData = false;
    TrainingCurves* trainingCurves = nullptr; // null: the curves are not the current model's
    ExplainView* explain = nullptr;
    StabilityView* stability = nullptr;
    FaithfulnessView* faithfulness = nullptr;
    SanityView* sanity = nullptr;
    ScorecardView* scorecard = nullptr;
    bool stabilityRunning = false, faithfulnessRunning = false, sanityRunning = false, scorecardRunning = false;
};

class ReportWriter {
    Q_DECLARE_TR_FUNCTIONS(ReportWriter)
public:
    explicit ReportWriter(const ReportSources& sources) : m_src(sources) {}
    // Writes the PDF atomically; false (with error() naming the file) when it cannot, or when
    // path is one of the files in use (ui/protected_inputs.h).
    bool write(const QString& path);
    const ReportLayout& layout() const { return m_layout; }
    QString error() const { return m_error; }
    int figureCount() const { return m_figureCount; }

private:
    ReportSources m_src;
    ReportLayout m_layout;
    QString m_error;
    int m_figureCount = 0;
};

} // namespace senn::ui
