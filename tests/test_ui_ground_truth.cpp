// The ground-truth lab: File > Examples opens a unit model on its bundled data, and the
// Explain view scores each method against the model's known truth (the linear model's ignored
// columns get exactly nothing from the gradient family and occlusion).
#include "support/test_ui_util.h"

#include "ui/views/explain_view.h"
#include "ui/views/ground_truth_panel.h"
#include "ui/views/view_page.h"

#include <QMenuBar>
#include <QTableWidget>

using namespace senn;
using namespace senn::ui;

namespace {

QAction* exampleAction(MainWindow& w, const QString& contains)
{
    for (auto* top : w.menuBar()->actions())
        if (top->menu())
            for (auto* a : top->menu()->actions())
                if (a->menu())
                    for (auto* ex : a->menu()->actions())
                        if (QString(ex->text()).remove('&').contains(contains))
                            return ex;
    return nullptr;
}

} // namespace

class TestUiGroundTruth : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void linearUnitModelScoresInTheExplainView()
    {
        qputenv("SENN_DATA_DIR", SENN_RESOURCE_DATA);
        MainWindow w;
        QVERIFY(test::showAt(w, 1500, 950));
        auto* open = exampleAction(w, "Ground truth: linear in 5 of 30 columns");
        QVERIFY(open);
        QSignalSpy models(&w, &MainWindow::modelChanged);
        open->trigger();
        QVERIFY(QTest::qWaitFor([&] { return w.model().valid && w.model().hasData && !w.isRunning(JobKind::Load); }, 60000));
        QCOMPARE(int(w.model().truthMask.size()), 30);
        QCOMPARE(int(std::count(w.model().truthMask.begin(), w.model().truthMask.end(), uint8_t(1))), 5);
        QVERIFY(w.model().truthDescription.contains("5 of 30"));

        w.showView("explain");
        auto* view = w.explainView();
        QVERIFY(view->truthPanel()->isVisible());
        QSignalSpy shown(&w, &MainWindow::explanationShown);
        view->methodPicker()->setMethodIds({"saliency", "integrated-gradients", "occlusion"});
        const qint64 row = w.dataset().testRows.at(2);
        QVERIFY(view->setCurrentRow(row));
        // Occlusion is a perturbation method: auto-explain leaves it for the Explain button.
        auto* run = view->findChild<QPushButton*>("explainButton");
        QVERIFY(run);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] {
            return shown.count() > 0 && shown.last().first().value<ExplainResult>().request.row == row &&
                   shown.last().first().value<ExplainResult>().explanations.size() == 3; }, 60000));
        auto* table = view->truthPanel()->table();
        QCOMPARE(table->rowCount(), 3);
        for (int r = 0; r < 3; ++r) {
            // Irrelevant mass: exactly 0 for every method here (the 25 ignored columns).
            QCOMPARE(table->item(r, 1)->data(Qt::UserRole).toDouble(), 0.0);
            QCOMPARE(table->item(r, 1)->text(), QString("0.000"));
        }
        QCOMPARE(table->item(0, 0)->text(), QString("Saliency"));
        if (!qEnvironmentVariableIsEmpty("SENN_TEST_SHOT")) { // a look at the view (not a check)
            QTest::qWait(500);
            w.grab().save(qEnvironmentVariable("SENN_TEST_SHOT"));
        }

        // A model without a truth hides the known-truth table; the painted-mask check box stays.
        ModelSummary plain = w.model();
        plain.truthMask.clear();
        view->truthPanel()->setModel(plain);
        QVERIFY(!view->truthPanel()->hasKnownTruth());
        QVERIFY(!view->truthPanel()->table()->isVisible());
        QVERIFY(view->truthPanel()->isVisible());
    }

    // The MNIST patch model: gradient × input has all its mass in the centre patch.
    void patchUnitModelOnMnist()
    {
        qputenv("SENN_DATA_DIR", SENN_RESOURCE_DATA);
        MainWindow w;
        QVERIFY(test::showAt(w, 1500, 950));
        auto* open = exampleAction(w, "Ground truth: linear in the centre patch");
        QVERIFY(open);
        open->trigger();
        QVERIFY(QTest::qWaitFor([&] { return w.model().valid && w.model().hasData && !w.isRunning(JobKind::Load); }, 120000));
        QCOMPARE(int(std::count(w.model().truthMask.begin(), w.model().truthMask.end(), uint8_t(1))), 14 * 14);
        w.showView("explain");
        auto* view = w.explainView();
        QSignalSpy shown(&w, &MainWindow::explanationShown);
        view->methodPicker()->setMethodIds({"grad-input", "saliency"});
        const qint64 row = w.dataset().testRows.at(1);
        QVERIFY(view->setCurrentRow(row));
        QVERIFY(QTest::qWaitFor([&] {
            return shown.count() > 0 && shown.last().first().value<ExplainResult>().request.row == row &&
                   shown.last().first().value<ExplainResult>().explanations.size() == 2; }, 60000));
        auto* table = view->truthPanel()->table();
        QCOMPARE(table->rowCount(), 2);
        for (int r = 0; r < 2; ++r)
            QCOMPARE(table->item(r, 1)->data(Qt::UserRole).toDouble(), 0.0); // nothing outside the patch
        QCOMPARE(table->item(1, 0)->text(), QString("Gradient × input")); // in the methods' order
        QCOMPARE(table->item(1, 2)->data(Qt::UserRole).toDouble(), 1.0);
        if (!qEnvironmentVariableIsEmpty("SENN_TEST_SHOT")) {
            QTest::qWait(800);
            w.grab().save(qEnvironmentVariable("SENN_TEST_SHOT").replace(".png", "-mnist.png"));
        }
    }
};

QTEST_MAIN(TestUiGroundTruth)
#include "test_ui_ground_truth.moc"
