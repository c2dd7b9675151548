// Explaining from the Explain view with three methods, then exporting what is shown:
// PNG at the requested pixel size, SVG that parses as XML, PDF with its header; the report.
#include "support/test_ui_util.h"

#include "ui/plots/attribution_grid.h"
#include "ui/plots/bar_chart.h"
#include "ui/plots/export.h"
#include "ui/plots/comparison_panel.h"
#include "ui/views/explain_view.h"

#include <QFile>
#include <QImage>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QXmlStreamReader>

using namespace senn::ui;

class TestUiExplain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void explainsAndExports()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w));
        w.showView("explain");
        auto* view = w.explainView();
        QVERIFY(view->exampleCount() > 0);

        QSignalSpy shown(&w, &MainWindow::explanationShown);
        view->methodPicker()->setMethodIds({"senn", "saliency", "integrated-gradients"});
        const qint64 row = w.dataset().testRows.at(3);
        QVERIFY(view->setCurrentRow(row));
        // Changing the example while it runs restarts it: only the last example is shown.
        QVERIFY(QTest::qWaitFor([&] {
            return shown.count() > 0 && shown.last().first().value<ExplainResult>().request.row == row; }, 60000));
        const auto r = shown.last().first().value<ExplainResult>();
        QCOMPARE(int(r.explanations.size()), 3);
        QCOMPARE(QString::fromStdString(r.explanations[0].method), QString("senn"));
        // Identity concepts on 30 features: one θ per feature (plus a bias concept if enabled).
        QVERIFY(r.explanations[0].values.size() == 30 || r.explanations[0].values.size() == 31);
        QCOMPARE(int(r.explanations[1].values.size()), 30);
        QCOMPARE(r.label, w.dataset().data->y[size_t(row)]);
        QCOMPARE(view->panel()->columnCount(), 3);
        // SENN: θ·h sums to the predicted class's logit, so the contribution exists per concept.
        QCOMPARE(r.explanations[0].contribution.size(), r.explanations[0].values.size());

        QTemporaryDir dir;
        const QString png = dir.filePath("cmp.png"), svg = dir.filePath("cmp.svg"), pdf = dir.filePath("cmp.pdf");
        QString err;
        QVERIFY2(view->panel()->exportAll(png, 1200, 500, 1.0, &err), qPrintable(err));
        QVERIFY2(view->panel()->exportAll(svg, 1200, 500, 1.0, &err), qPrintable(err));
        QVERIFY2(view->panel()->exportAll(pdf, 1200, 500, 1.0, &err), qPrintable(err));
        const QImage img(png);
        QCOMPARE(img.size(), QSize(1200, 500));
        QFile s(svg);
        QVERIFY(s.open(QIODevice::ReadOnly));
        QVERIFY(s.size() > 0);
        QXmlStreamReader xml(&s);
        bool sawSvg = false;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("svg"))
                sawSvg = true;
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(sawSvg);
        QFile p(pdf);
        QVERIFY(p.open(QIODevice::ReadOnly));
        QVERIFY(p.size() > 0);
        QCOMPARE(p.read(5), QByteArray("%PDF-"));

        // Tabular data: one features × methods grid (θ, h, θ·h, saliency, IG) and the agreement
        // table; the grid alone exports at 2x scale (PNG pixel size is size x scale).
        auto* grid = view->panel()->featureGrid();
        QVERIFY(grid);
        QCOMPARE(grid->columnCount(), 5);
        QCOMPARE(int(grid->shownRows().size()), 15);
        QVERIFY(view->panel()->agreementTable());
        QCOMPARE(view->panel()->agreementTable()->rowCount(), 3);
        const QString one = dir.filePath("grid.png");
        QVERIFY2(exportWidget(grid, one, 400, 300, 2.0, &err), qPrintable(err));
        QCOMPARE(QImage(one).size(), QSize(800, 600));
        // The explained output is the logit by default, and the captions say so.
        QCOMPARE(senn::explain::outputId(r.request.options.output), std::string("logit"));
        QVERIFY(r.explanations[1].output == senn::explain::Output::Logit);

        // The report puts the model card and the comparison into one PDF.
        const QString report = dir.filePath("report.pdf");
        QVERIFY(w.exportReport(report));
        QFile rep(report);
        QVERIFY(rep.open(QIODevice::ReadOnly));
        QCOMPARE(rep.read(5), QByteArray("%PDF-"));
        QVERIFY(rep.size() > 10000);
    }
};

QTEST_MAIN(TestUiExplain)
#include "test_ui_explain.moc"
