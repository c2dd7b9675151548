// Work is never lost: switching to a dataset with fewer classes and rows while a model is
// loaded (no crash: every view re-checks model/dataset fit), and Save / Discard / Cancel
// before quitting or opening something else with an unsaved trained model.
#include "support/test_ui_util.h"

#include "ui/views/explain_view.h"

#include <QApplication>
#include <QFileDialog>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTextStream>

#include <functional>
#include <random>

using namespace senn::ui;

namespace {

// 3 classes, 4 features, 700 rows: more rows than breast cancer (569), a class it lacks.
QString writeThreeClassCsv(const QString& dir)
{
    const QString path = dir + "/three.csv";
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text))
        return {};
    QTextStream out(&f);
    out << "a,b,c,d,label\n";
    std::mt19937 rng(7);
    std::normal_distribution<float> n(0.f, 1.f);
    for (int i = 0; i < 700; ++i) {
        const int c = i % 3;
        out << (c + n(rng)) << ',' << (2 * c - n(rng)) << ',' << n(rng) << ',' << (c * n(rng)) << ','
            << "k" << c << '\n';
    }
    return path;
}

// Answers the next modal box: polls for the active QMessageBox and presses `button`; then,
// for Save, fills the file dialog with `savePath`. `text` receives the box's text.
struct BoxAnswer {
    QTimer timer;
    QString text;
    bool answered = false, fileChosen = false;
    BoxAnswer(QMessageBox::StandardButton button, const QString& savePath = {})
    {
        timer.setInterval(20);
        QObject::connect(&timer, &QTimer::timeout, [this, button, savePath] {
            QWidget* modal = QApplication::activeModalWidget();
            if (auto* box = qobject_cast<QMessageBox*>(modal); box && !answered) {
                text = box->text();
                answered = true;
                box->button(button)->click();
            } else if (auto* dlg = qobject_cast<QFileDialog*>(modal); dlg && answered && !fileChosen) {
                fileChosen = true;
                dlg->selectFile(savePath);
                QMetaObject::invokeMethod(dlg, "accept", Qt::QueuedConnection);
            }
        });
        timer.start();
    }
};

} // namespace

class TestUiWorkLoss : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void switchingDatasetsNeverCrashesOrLosesWork()
    {
        QTemporaryDir dir;
        const QString three = writeThreeClassCsv(dir.path());
        QVERIFY(!three.isEmpty());
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.resize(1400, 900);
        w.show();
        QVERIFY(test::openAndWait(w, three, "label"));
        w.showView("model");
        w.explainView()->methodPicker()->setMethodIds({"saliency"});
        QSignalSpy explained(&w, &MainWindow::explanationShown);
        QVERIFY(test::trainAndWait(w, 1));
        QVERIFY(w.hasUnsavedModel());
        // Auto-explain only while the Explain view is shown: nothing runs behind the Model
        // view after training; showing the Explain view explains the current example.
        QTest::qWait(600);
        QCOMPARE(explained.count(), 0);
        w.showView("explain");
        QVERIFY(w.explainView()->exampleCount() > 0);
        QVERIFY(QTest::qWaitFor([&] { return explained.count() > 0; }, 30000));

        // The prompt is on: Cancel on quit keeps the window, the model and its data.
        w.setAskBeforeDiscarding(true);
        {
            BoxAnswer cancel(QMessageBox::Cancel);
            QVERIFY(!w.close());
            QVERIFY(cancel.answered);
            QVERIFY(cancel.text.contains("quit"));
        }
        QVERIFY(w.isVisible());
        QVERIFY(w.model().valid);
        // Cancel on opening another dataset: nothing is loaded.
        {
            BoxAnswer cancel(QMessageBox::Cancel);
            QSignalSpy changed(&w, &MainWindow::datasetChanged);
            w.openDataset(test::breastCancer(), "diagnosis");
            QVERIFY(cancel.answered);
            QTest::qWait(300);
            QCOMPARE(changed.count(), 0);
            QCOMPARE(w.dataset().path, three);
            QVERIFY(w.hasUnsavedModel());
        }
        // Discard: breast cancer opens (2 classes, 569 rows) while the 3-class model is loaded.
        // The views got the new dataset before the worker closed the model: no crash, and the
        // Explain list shows the new dataset's test rows only.
        {
            BoxAnswer discard(QMessageBox::Discard);
            QSignalSpy model(&w, &MainWindow::modelChanged);
            QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
            QVERIFY(discard.answered);
            QVERIFY(QTest::qWaitFor([&] { return model.count() > 0; }, 20000));
        }
        QVERIFY(!w.model().valid); // it did not fit the new data
        QCOMPARE(w.explainView()->exampleCount(), int(w.dataset().testRows.size()));
        for (qint64 r : w.dataset().testRows)
            QVERIFY(r < w.dataset().data->rows());
        QVERIFY(!w.hasUnsavedModel());

        // Save on quit: the file dialog gets a path, the model is written before the window goes.
        QVERIFY(test::trainAndWait(w, 1));
        QVERIFY(w.hasUnsavedModel());
        const QString saved = dir.filePath("kept.senn");
        {
            BoxAnswer save(QMessageBox::Save, saved);
            QVERIFY(w.close());
            QVERIFY(save.answered);
            QVERIFY(save.fileChosen);
        }
        // The model was written (to the file the dialog returned) before the window went.
        QVERIFY(!w.model().path.isEmpty());
        QVERIFY2(QFileInfo(w.model().path).size() > 0, qPrintable(w.model().path));
        QFile::remove(w.model().path);
    }

    void modelFitCheck()
    {
        // The check every view applies: classes, inputs and rows of the summary must exist.
        DatasetSummary d;
        auto ds = std::make_shared<senn::data::Dataset>();
        ds->classNames = {"a", "b"};
        ds->sampleShape = {3};
        ds->x.assign(3 * 10, 0.f);
        ds->y.assign(10, 0);
        d.data = ds;
        ModelSummary m;
        m.valid = m.hasData = true;
        m.meta.classNames = {"a", "b"};
        m.meta.inputShape = {3};
        m.rows = {1, 9};
        m.predictions = {0, 1};
        m.confidence = {0.9f, 0.8f};
        QVERIFY(modelFitsDataset(m, d));
        m.rows = {1, 10}; // a row the dataset lacks
        QVERIFY(!modelFitsDataset(m, d));
        m.rows = {1, 9};
        m.meta.classNames = {"a", "b", "c"};
        QVERIFY(!modelFitsDataset(m, d));
        m.meta.classNames = {"a", "b"};
        m.meta.inputShape = {4};
        QVERIFY(!modelFitsDataset(m, d));
        m.meta.inputShape = {3};
        m.predictions = {0, 2};
        QVERIFY(!modelFitsDataset(m, d));
    }
};

QTEST_MAIN(TestUiWorkLoss)
#include "test_ui_workloss.moc"
