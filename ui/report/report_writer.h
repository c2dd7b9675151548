// File > Export report: a PDF with the model card on its first page and one page per figure
// (training curves, the explanation comparison, stability and faithfulness), drawn with the
// views' own plots. ReportLayout records what went on each page, for tests.
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
class StabilityView;
class TrainingCurves;

// One page after the first (the model card): its title, the page size and the rectangle its
// figure got, in the PDF's device units. rendered: the figure's size in pixels before scaling
// onto the page; content: what its widgets need to be drawn whole (never more than rendered);
// columns: the comparison's methods on this page (0 on other pages).
struct ReportPage { QString title; QSizeF page; QRectF figure; QSize rendered, content; int columns = 0; };
// trainingEpochs: epochs on the Training page's curves (-1: none). notes: what the first page
// says of the stability and faithfulness results (finished, cancelled after K of N points, or
// left out and why).
struct ReportLayout { QList<ReportPage> pages; int trainingEpochs = -1; QStringList notes; };

// What a report is drawn from. A running stability or faithfulness job leaves its result out.
struct ReportSources {
    const ModelSummary* model = nullptr; // valid
    bool imageData = false;
    TrainingCurves* trainingCurves = nullptr; // null: the curves are not the current model's
    ExplainView* explain = nullptr;
    StabilityView* stability = nullptr;
    FaithfulnessView* faithfulness = nullptr;
    bool stabilityRunning = false, faithfulnessRunning = false;
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
