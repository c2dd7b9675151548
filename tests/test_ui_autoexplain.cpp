// Auto-explain runs only cheap methods: perturbation methods (LIME, KernelSHAP, Shapley,
// occlusion) wait for Explain, with a note saying so and their estimated time beside their
// names once a time per model row is measured. The method choice is kept per kind of data, so
// a slow tabular choice never starts by itself on images. The window opens at a size that
// fits its screen.
#include "support/test_ui_util.h"

#include "ui/plots/comparison_panel.h"
#include "ui/views/explain_view.h"

#include <QCheckBox>
#include <QLabel>
#include <QScreen>
#include <QTemporaryDir>
#include <QTextBrowser>

using namespace senn::ui;

class TestUiAutoExplain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void windowFitsTheScreen()
    {
        QSettings().remove("window/geometry");
        MainWindow w;
        const QRect avail = w.screen()->availableGeometry();
        QVERIFY2(w.width() <= avail.width() && w.height() <= avail.height(),
                 qPrintable(QStringLiteral("%1x%2 on a %3x%4 screen").arg(w.width()).arg(w.height())
                                .arg(avail.width()).arg(avail.height())));
        QCOMPARE(w.defaultWindowSize(), QSize(std::min(int(avail.width() * 0.85), 1920),
                                              std::min(int(avail.height() * 0.85), 1200))
                                            .expandedTo(QSize(640, 480)).boundedTo(avail.size()));
    }

    void slowMethodsWaitForExplain()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w));
        w.showView("explain");
        ExplainView* view = w.explainView();
        QSignalSpy shown(&w, &MainWindow::explanationShown);
        view->methodPicker()->setMethodIds({"senn", "saliency", "lime", "occlusion"});
        const qint64 row = w.dataset().testRows.at(4);
        QVERIFY(view->setCurrentRow(row));
        // Automatic: SENN and saliency only.
        QVERIFY(QTest::qWaitFor([&] {
            return !shown.isEmpty() && shown.last().first().value<ExplainResult>().request.row == row; }, 60000));
        auto r = shown.last().first().value<ExplainResult>();
        QStringList ran;
        for (const auto& e : r.explanations)
            ran << QString::fromStdString(e.method);
        QCOMPARE(ran, QStringList({"senn", "saliency"}));
        auto* status = view->findChild<QLabel*>("explainStatus");
        QVERIFY(status);
        QVERIFY2(status->text().contains(" · 2 methods in "), qPrintable(status->text()));
        auto* note = view->findChild<QLabel*>("autoNote");
        QVERIFY(note && note->isVisibleTo(view));
        QVERIFY2(note->text().contains("LIME") && note->text().contains("Occlusion"), qPrintable(note->text()));
        QVERIFY(!note->text().contains("Saliency"));
        // Explain runs every checked method.
        shown.clear();
        QTest::mouseClick(view->findChild<QPushButton*>("explainButton"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !shown.isEmpty(); }, 60000));
        r = shown.last().first().value<ExplainResult>();
        QCOMPARE(int(r.explanations.size()), 4);
        QVERIFY2(status->text().contains(" · 4 methods in "), qPrintable(status->text()));
        // Now measured: an estimate beside each method's name, LIME's from its own time.
        auto* lime = view->methodPicker()->findChild<QCheckBox*>("lime");
        QVERIFY(lime);
        QVERIFY2(lime->text().contains("~"), qPrintable(lime->text()));
        QVERIFY(view->estimateSeconds(senn::explain::Method::Lime) >= 0);
        QVERIFY(view->estimateSeconds(senn::explain::Method::KernelShap) > 0); // from the per-row time
        // Still never automatic, however fast it was.
        const auto autoMethods = view->autoMethods();
        QVERIFY(std::find(autoMethods.begin(), autoMethods.end(), senn::explain::Method::Lime) == autoMethods.end());
        QVERIFY(std::find(autoMethods.begin(), autoMethods.end(), senn::explain::Method::Saliency) != autoMethods.end());

        // One method: the status says "1 method".
        view->methodPicker()->setMethodIds({"saliency"});
        shown.clear();
        QVERIFY(view->setCurrentRow(w.dataset().testRows.at(5)));
        QVERIFY(QTest::qWaitFor([&] { return !shown.isEmpty(); }, 60000));
        QVERIFY2(status->text().contains(" · 1 method in "), qPrintable(status->text()));

        // Only slow methods checked: a new example runs nothing by itself, and the previous
        // example's columns do not stay on screen as if they were its.
        view->methodPicker()->setMethodIds({"lime", "occlusion"});
        QTest::qWait(300);
        shown.clear();
        QVERIFY(view->setCurrentRow(w.dataset().testRows.at(6)));
        QTest::qWait(500);
        QCOMPARE(shown.count(), 0);
        QCOMPARE(view->panel()->columnCount(), 0);
        view->methodPicker()->setMethodIds({"senn", "lime", "saliency", "occlusion"});

        // The choice belongs to tables: images start from their own (here the default), and
        // the tabular choice comes back with tabular data.
        QVERIFY(test::openAndWait(w, test::mnist()));
        QCOMPARE(view->methodPicker()->checkedIds(), QStringList({"senn", "saliency", "integrated-gradients"}));
        view->methodPicker()->setMethodIds({"saliency", "smoothgrad"});
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        QCOMPARE(view->methodPicker()->checkedIds(), QStringList({"senn", "lime", "saliency", "occlusion"}));
        QVERIFY(test::openAndWait(w, test::mnist()));
        QCOMPARE(view->methodPicker()->checkedIds(), QStringList({"saliency", "smoothgrad"}));
    }

    // The rows behind each estimate are core's plan: breast cancer's 30 features and MNIST's
    // 784 pixels, with the default 10-centre background (core's test checks the plan against
    // the rows each explainer reports).
    void estimatesCountCoreRows()
    {
        using senn::explain::Method;
        auto table = std::make_shared<senn::data::Dataset>();
        table->kind = senn::data::DataKind::Tabular;
        table->sampleShape = {30};
        table->y.assign(569, 0);
        table->x.assign(569 * 30, 0.0f);
        MethodEstimates est;
        QCOMPARE(est.rows(Method::Lime), int64_t(-1)); // no data
        est.setData(table);
        QCOMPARE(est.rows(Method::Saliency), int64_t(1));
        QCOMPARE(est.rows(Method::IntegratedGradients), int64_t(52));
        QCOMPARE(est.rows(Method::SmoothGrad), int64_t(51));
        QCOMPARE(est.rows(Method::Lime), int64_t(5000));
        QCOMPARE(est.rows(Method::KernelShap), int64_t(11 + (2 * 30 + 2048) * 10));
        QCOMPARE(est.rows(Method::Shapley), int64_t(11 + 100 * 31 * 10)); // sampled: 30 > 16 players
        QCOMPARE(est.rows(Method::Occlusion), int64_t(31));
        senn::explain::ExplainOptions o;
        o.exactShapleyMaxFeatures = 40; // exact stops at 24 players whatever the setting
        o.background = "mean";
        est.setOptions(o);
        QCOMPARE(est.rows(Method::Shapley), int64_t(2 + 100 * 31));
        auto digits = std::make_shared<senn::data::Dataset>();
        digits->kind = senn::data::DataKind::Image;
        digits->sampleShape = {1, 28, 28};
        digits->y.assign(100, 0);
        digits->x.assign(100 * 784, 0.0f);
        est.setOptions({});
        est.setData(digits);
        QCOMPARE(est.rows(Method::Lime), int64_t(1000));
        QCOMPARE(est.rows(Method::KernelShap), int64_t(11 + (2 * 784 + 2048) * 10));
        QCOMPARE(est.rows(Method::Occlusion), int64_t(13 * 13 + 1));
    }

    // The model card names the file once the model is saved (it said "(not saved)" still).
    void cardSaysSaved()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w, 1));
        auto* card = w.modelView()->findChild<QTextBrowser*>("modelCard");
        QVERIFY(card);
        QVERIFY(card->toPlainText().contains("(not saved)"));
        QTemporaryDir dir;
        QSignalSpy saved(&w, &MainWindow::modelSaved);
        w.saveModelTo(dir.filePath("card.senn"));
        QVERIFY(QTest::qWaitFor([&] { return saved.count() > 0; }, 30000));
        QVERIFY2(!card->toPlainText().contains("(not saved)"), qPrintable(card->toPlainText().left(200)));
        QVERIFY(card->toPlainText().contains("card.senn"));
    }
};

QTEST_MAIN(TestUiAutoExplain)
#include "test_ui_autoexplain.moc"
