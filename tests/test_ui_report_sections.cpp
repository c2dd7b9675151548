// The report's sanity and scorecard pages: a sentence per method with its verdict (known
// medians give known verdicts), the scorecard table with intervals and ranks and W's sentence,
// and a window's report carrying both pages only when the user has run them.
#include "support/test_ui_util.h"

#include "ui/report/report_sections.h"
#include "ui/views/sanity_view.h"
#include "ui/views/scorecard_view.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>

using namespace senn;
using namespace senn::ui;

namespace {

// Cascading over two layers: saliency ends at 0.1, integrated gradients at 0.5, the edge
// detector at 1; random logit 0.2 for every method.
metrics::SanityResult sanity(bool independent = false)
{
    metrics::SanityResult r;
    r.mode = independent ? "independent" : "cascading";
    r.points = {0, 1, 2, 3, 4};
    r.steps = {"original", "fc2", "fc1"};
    r.layers = {"fc2", "fc1"};
    r.methods = {"saliency", "integrated-gradients", metrics::kEdgeDetectorId};
    r.stepsDone = 3;
    r.randomLogit = true;
    const double last[] = {0.1, 0.5, 1.0}, middle[] = {0.4, 0.8, 1.0};
    for (size_t m = 0; m < 3; ++m) {
        metrics::SanityMethodResult mr;
        metrics::SimilaritySeries s;
        s.median = {1.0, middle[m], last[m]};
        s.q25 = {1.0, middle[m] - 0.05, last[m] - 0.05};
        s.q75 = {1.0, middle[m] + 0.05, last[m]};
        s.perPoint.assign(3, std::vector<double>(5, 0.5));
        mr.steps["spearman_abs"] = s;
        mr.randomLogit["spearman_abs"] = {0.1, 0.2, 0.2, 0.3, std::nan("")};
        mr.shape = {30};
        mr.example.assign(3, std::vector<float>(30, 0.5f));
        r.results[r.methods[m]] = mr;
    }
    return r;
}

metrics::ScorecardResult scorecard()
{
    metrics::ScorecardResult r;
    r.points = {0, 1, 2, 3};
    r.methods = {"saliency", "grad-input"};
    for (const char* id : {"removal_correlation", "infidelity"})
        r.measures.push_back(metrics::scorecardMeasure(id));
    r.values = {{{0.1, 0.2, 0.3, 0.4}, {1.0, 2.0, 3.0, 4.0}}, {{0.5, 0.6, 0.7, 0.8}, {0.5, 0.5, 0.5, 0.5}}};
    r.pointsDone = {4, 4};
    r.bootstrap = 100;
    metrics::summarizeScorecard(r);
    return r;
}

} // namespace

class TestUiReportSections : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void sanitySentences()
    {
        const auto r = sanity();
        const QString sal = sanitySentence(r, "saliency", "spearman_abs");
        QVERIFY2(sal.startsWith("Saliency: Spearman |attribution| with the original explanation is 0.10 (quartiles "
                                "0.05 to 0.10) after 2 of 2 layers are re-drawn: the explanation depends on the "
                                "trained weights, so it passes the check."), qPrintable(sal));
        QVERIFY2(sal.endsWith("Explaining another class: 0.20."), qPrintable(sal));
        QVERIFY(sanitySentence(r, "integrated-gradients", "spearman_abs").contains("0.50 (quartiles 0.45 to 0.50)"));
        QVERIFY(sanitySentence(r, "integrated-gradients", "spearman_abs").contains("part of the explanation survives"));
        const QString edge = sanitySentence(r, metrics::kEdgeDetectorId, "spearman_abs");
        QVERIFY2(edge.contains("1.00") && edge.contains("so it fails the check") && edge.contains("the control"),
                 qPrintable(edge));
        // Independent: the largest similarity over the single-layer steps, and its layer.
        const QString ind = sanitySentence(sanity(true), "saliency", "spearman_abs");
        QVERIFY2(ind.contains("at most 0.40") && ind.contains("(fc2)"), qPrintable(ind));
        // A measure the run did not compute, and a run stopped before the first layer.
        QVERIFY(sanitySentence(r, "saliency", "cosine").contains("no layer re-drawn yet"));
        auto early = r;
        early.stepsDone = 1;
        QVERIFY(sanitySentence(early, "saliency", "spearman_abs").contains("no layer re-drawn yet"));
        QVERIFY(sanityHtml(r, "spearman_abs").contains("Cascading randomisation over 5 points, 3 of 3 steps"));
    }

    void scorecardTable()
    {
        const auto r = scorecard();
        const QString html = scorecardHtml(r);
        // grad-input: removal correlation median 0.65 [..] rank 1, in bold; infidelity 0.5, rank 1.
        QVERIFY2(html.contains("<b>0.65 ["), qPrintable(html));
        QVERIFY(html.contains("(1)</b>"));
        QVERIFY(html.contains("(2)"));
        QVERIFY(html.contains("Infidelity") && html.contains("↓"));
        QVERIFY(html.contains("95% bootstrap interval (100 resamples)"));
        QVERIFY(html.contains(QString::fromStdString(metrics::agreementSentence(r.kendallW)).toHtmlEscaped()));
        // A row from a file: its name marked, n/a where it cannot have the measure.
        auto withFile = r;
        withFile.methods.push_back("shap_export");
        withFile.sources = {"", "", "/data/shap.npy"};
        withFile.reasons = {{"", ""}, {"", ""}, {"", "needs the method"}};
        withFile.values.push_back({{0.9, 0.9, 0.9, 0.9}, std::vector<double>(4, std::nan(""))});
        withFile.pointsDone.push_back(4);
        metrics::summarizeScorecard(withFile);
        const QString files = scorecardHtml(withFile);
        QVERIFY2(files.contains("<td>shap_export (file)</td><td align=\"right\"><b>0.9 ["), qPrintable(files));
        QVERIFY(files.contains("<td align=\"center\">n/a</td></tr>"));
        QVERIFY(files.contains("n/a: a measure that explains perturbed inputs again"));
        QVERIFY(!html.contains("n/a"));
    }

    // A window's report: the sanity page (figure and sentences) and the scorecard pages
    // (figure with W, then the table), after the other pages.
    void reportPages()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        QVERIFY(test::trainAndWait(w, 1));
        QTemporaryDir dir;
        const QString path = dir.filePath("report.pdf");
        QVERIFY(w.exportReport(path));
        for (const auto& p : w.lastReport().pages)
            QVERIFY(!p.title.startsWith("Sanity") && !p.title.startsWith("Scorecard"));
        w.sanityView()->setMeasure("spearman_abs");
        w.sanityView()->setResult(sanity());
        w.scorecardView()->setResult(scorecard());
        QVERIFY(w.exportReport(path));
        const auto& pages = w.lastReport().pages;
        QStringList titles;
        for (const auto& p : pages)
            titles << p.title;
        const int s = int(titles.indexOf("Sanity checks"));
        QVERIFY2(s >= 0, qPrintable(titles.join(" | ")));
        QVERIFY(!pages[s].figure.isEmpty());
        QVERIFY2(pages[s].text.contains("Saliency: Spearman |attribution| with the original explanation is 0.10"),
                 qPrintable(pages[s].text));
        QVERIFY(pages[s].text.contains("Edge detector"));
        QCOMPARE(titles.value(s + 1), QString("Scorecard"));
        QVERIFY(pages[s + 1].text.contains("W = "));
        QCOMPARE(titles.value(s + 2), QString("Scorecard: medians, intervals and ranks"));
        QVERIFY(pages[s + 2].text.contains("Gradient × input"));
        QVERIFY(w.lastReport().notes.contains("Sanity checks: 5 points, 3 steps."));
        QVERIFY(w.lastReport().notes.contains("Scorecard: 4 points."));
        // The text is in the PDF (searchable), when poppler's pdftotext is there to read it.
        const QString pdftotext = QStandardPaths::findExecutable("pdftotext");
        if (!pdftotext.isEmpty()) {
            QProcess p;
            p.start(pdftotext, {path, "-"});
            QVERIFY(p.waitForFinished(30000));
            const QString text = QString::fromUtf8(p.readAllStandardOutput());
            QVERIFY2(text.contains("passes the check"), qPrintable(text.left(2000)));
            QVERIFY(text.contains("Scorecard: medians, intervals and ranks"));
        }
        if (!qEnvironmentVariableIsEmpty("SENN_TEST_REPORT"))
            QFile::copy(path, qEnvironmentVariable("SENN_TEST_REPORT"));
    }
};

QTEST_MAIN(TestUiReportSections)
#include "test_ui_report_sections.moc"
