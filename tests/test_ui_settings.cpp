// Settings a person chooses in the app reach the worker: the Model view's "Keep epoch" and
// "Bias concept" (in the TrainConfig / ModelConfig that trains, the card and sessions), the
// explainer settings' "Memory for one job" (a 1 MB budget refuses an explain, a stability
// and a faithfulness run with the core's message and where the app sets it; automatic runs),
// and File > Open dataset on a folder (Enter on a dataset folder opens it, on an ordinary
// folder enters it; Open with nothing typed opens the dataset folder shown).
#include "support/test_ui_util.h"

#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/stability_view.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListView>
#include <QSpinBox>
#include <QTextBrowser>

using namespace senn;
using namespace senn::ui;

namespace {

QString cardText(const MainWindow& w)
{
    auto* card = w.modelView()->findChild<QTextBrowser*>("modelCard");
    return card ? card->toPlainText() : QString();
}

QAction* action(MainWindow& w, const QString& textStart)
{
    for (QAction* a : w.findChildren<QAction*>())
        if (a->text().remove('&').startsWith(textStart))
            return a;
    return nullptr;
}

} // namespace

class TestUiSettings : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    void trainingChoicesReachTheTrainer()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.show();
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        ModelView* mv = w.modelView();
        mv->setModelKind(models::ModelKind::Senn);
        auto* keep = mv->findChild<QComboBox*>("keepEpoch");
        auto* bias = mv->findChild<QCheckBox*>("biasConcept");
        QVERIFY(keep && bias);
        // Defaults of a tabular SENN: the latest epoch within one standard error of the lowest
        // validation loss, no bias concept (as `senn train`).
        QCOMPARE(keep->currentData().toString(), QString("se"));
        QVERIFY(!bias->isChecked());
        QVERIFY(!keep->toolTip().isEmpty() && !bias->toolTip().isEmpty());
        // A SENN with identity concepts on a table takes a bias concept.
        QVERIFY(bias->isEnabled());
        keep->setCurrentIndex(keep->findData("last"));
        bias->setChecked(true);
        mv->setEpochs(3);
        QCOMPARE(mv->trainConfig().keep, std::string("last"));
        QVERIFY(mv->modelConfig().biasConcept);

        QSignalSpy done(&w, &MainWindow::trainingFinished);
        QTest::mouseClick(mv->trainButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return done.count() > 0 && !w.isRunning(JobKind::Train); }, 120000));
        // The model the worker trained was configured by the form.
        QCOMPARE(w.model().meta.train.keep, std::string("last"));
        QVERIFY(w.model().meta.config.biasConcept);
        QCOMPARE(w.model().meta.bestEpoch, 3);
        // The card says which epoch was kept and why.
        QVERIFY2(cardText(w).contains("Kept: epoch 3 of 3, the last (kept on request)"), qPrintable(cardText(w)));

        // Stored with the other training settings (and so in sessions).
        const QJsonObject settings = mv->settings();
        QCOMPARE(settings["keep"].toString(), QString("last"));
        QCOMPARE(settings["biasConcept"].toBool(), true);
        QCOMPARE(w.currentSession().settings["model"].toObject()["keep"].toString(), QString("last"));
        ModelView other;
        other.applySettings(settings);
        QCOMPARE(other.trainConfig().keep, std::string("last"));
        QVERIFY(other.modelConfig().biasConcept);

        // Learned concepts take no bias concept: the box is off and the config says no.
        QJsonObject ae = settings;
        ae["concepts"] = int(models::ConceptKind::Autoencoder);
        other.applySettings(ae);
        QVERIFY(!other.findChild<QCheckBox*>("biasConcept")->isEnabled());
        QVERIFY(!other.modelConfig().biasConcept);
        // Best is kept the default way again.
        keep->setCurrentIndex(keep->findData("best"));
        QCOMPARE(mv->trainConfig().keep, std::string("best"));
    }

    void memoryBudgetSetting()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.show();
        QVERIFY(test::openAndWait(w, test::mnist()));
        QSignalSpy trained(&w, &MainWindow::trainingFinished);
        w.modelView()->setModelKind(models::ModelKind::Mlp);
        w.modelView()->setEpochs(1);
        QTest::mouseClick(w.modelView()->trainButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return trained.count() > 0 && !w.isRunning(JobKind::Train); }, 240000));
        QVERIFY(w.model().valid);

        // The setting in the explainer settings dialog: automatic by default, with the figure.
        w.showExplainerSettings();
        auto* dialog = w.findChild<ExplainerSettingsDialog*>();
        QVERIFY(dialog);
        auto* memory = dialog->findChild<QSpinBox*>("memoryBudget");
        QVERIFY(memory);
        QCOMPARE(memory->value(), 0);
        QVERIFY2(memory->specialValueText().startsWith("Automatic (") && memory->specialValueText().contains("GB"),
                 qPrintable(memory->specialValueText()));
        QVERIFY(!memory->toolTip().isEmpty());
        memory->setValue(1);
        dialog->accept();
        QCOMPARE(w.explainOptions().memoryBudget, int64_t(1) << 20);
        // Remembered between runs.
        const QJsonObject stored = QJsonDocument::fromJson(QSettings().value("explainers").toByteArray()).object();
        QCOMPARE(stored["memory_mb"].toInt(), 1);
        QCOMPARE(explainOptionsFromJson(stored).memoryBudget, int64_t(1) << 20);
        // A machine's budget is not a session's.
        QVERIFY(!w.currentSession().settings["explainers"].toObject().contains("memory_mb"));

        // Explain: KernelSHAP on a digit cannot fit 1 MB; the view shows the core's refusal
        // and where the app sets the budget.
        const QString hint = QStringLiteral("Explain > Explainer settings… > Memory for one job");
        QSignalSpy shown(&w, &MainWindow::explanationShown);
        w.showView("explain");
        w.explainView()->methodPicker()->setMethodIds({"kernel-shap"});
        const qint64 row = w.dataset().testRows.at(0);
        QVERIFY(w.explainView()->setCurrentRow(row));
        auto* explainButton = w.explainView()->findChild<QPushButton*>("explainButton");
        QVERIFY(explainButton);
        // KernelSHAP is not cheap enough to run by itself on a new example: Explain asks for it.
        auto kernelShapShown = [&] {
            if (shown.isEmpty() || w.isRunning(JobKind::Explain))
                return false;
            const auto last = shown.last().first().value<ExplainResult>();
            return last.request.methods == std::vector<explain::Method>{explain::Method::KernelShap};
        };
        QTest::qWait(200);
        QTest::mouseClick(explainButton, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(kernelShapShown, 120000));
        auto r = shown.last().first().value<ExplainResult>();
        QCOMPARE(r.request.options.memoryBudget, int64_t(1) << 20);
        QVERIFY(r.explanations.empty());
        QCOMPARE(r.failures.size(), 1);
        QVERIFY2(r.failures[0].contains("the memory budget is 1 MB") && r.failures[0].contains(hint),
                 qPrintable(r.failures[0]));
        QVERIFY2(w.lastError().contains(hint), qPrintable(w.lastError()));

        // Stability and faithfulness runs carry the budget too.
        QSignalSpy ended(&w, &MainWindow::jobEnded);
        w.stabilityView()->applySettings(QJsonObject{{"methods", QJsonArray{"kernel-shap"}}, {"points", 2},
                                                     {"eps", "0.1"}, {"seed", 1}});
        QTest::mouseClick(w.stabilityView()->findChild<QPushButton*>("runStability"), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return ended.count() > 0 && !w.isRunning(JobKind::Stability); }, 120000));
        QVERIFY2(w.lastError().contains("memory budget") && w.lastError().contains(hint), qPrintable(w.lastError()));
        w.faithfulnessView()->applySettings(QJsonObject{{"methods", QJsonArray{"kernel-shap"}}, {"points", 2}});
        auto* runF = w.faithfulnessView()->findChild<QPushButton*>("runFaithfulness");
        QVERIFY(runF);
        const QString before = w.lastError();
        w.setErrorDialogsEnabled(false);
        QSignalSpy endedF(&w, &MainWindow::jobEnded);
        QTest::mouseClick(runF, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return endedF.count() > 0 && !w.isRunning(JobKind::Faithfulness); }, 120000));
        QVERIFY2(w.lastError().contains("memory budget") && w.lastError().contains(hint), qPrintable(w.lastError()));

        // Automatic: the same explanation runs.
        w.showExplainerSettings();
        memory->setValue(0);
        dialog->accept();
        QCOMPARE(w.explainOptions().memoryBudget, int64_t(0));
        shown.clear();
        QTest::mouseClick(explainButton, Qt::LeftButton);
        QVERIFY(QTest::qWaitFor(kernelShapShown, 240000));
        r = shown.last().first().value<ExplainResult>();
        QVERIFY2(r.failures.isEmpty(), qPrintable(r.failures.join("; ")));
        QCOMPARE(int(r.explanations.size()), 1);
    }

    void memoryHintOnlyForMemory()
    {
        const QString refusal = "KernelSHAP needs about 5 MB of memory (4 MB for its own tensors and 1 MB for one "
                                "model row at a time), but the memory budget is 1 MB. Free memory or raise the budget.";
        QVERIFY(withMemorySettingHint(refusal).startsWith(refusal));
        QVERIFY(withMemorySettingHint(refusal).endsWith("Explain > Explainer settings… > Memory for one job."));
        QCOMPARE(withMemorySettingHint("data.csv: line 3: not a number"), QString("data.csv: line 3: not a number"));
        // The JSON key: whole MB, 0 = automatic, out of range clamped.
        explain::ExplainOptions o;
        o.memoryBudget = int64_t(300) << 20;
        QCOMPARE(explainOptionsToJson(o)["memory_mb"].toInt(), 300);
        QCOMPARE(explainOptionsFromJson(explainOptionsToJson(o)).memoryBudget, int64_t(300) << 20);
        QCOMPARE(explainOptionsFromJson(QJsonObject{{"memory_mb", -5}}).memoryBudget, int64_t(0));
        QCOMPARE(explainOptionsFromJson(QJsonObject{}).memoryBudget, int64_t(0));
    }

    void openDatasetFolderFromTheDialog()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.show();
        QAction* open = action(w, "Open dataset");
        QVERIFY(open);
        const QString mnist = QFileInfo(test::mnist()).absoluteFilePath();
        const QString parent = QFileInfo(mnist).absolutePath(); // holds a CSV and folders: ordinary

        // 1. Type the MNIST folder's path, press Enter: it opens.
        QSignalSpy changed(&w, &MainWindow::datasetChanged);
        bool drove = false;
        QTimer::singleShot(0, &w, [&] {
            auto* dlg = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            QVERIFY(dlg);
            auto* edit = dlg->findChild<QLineEdit*>("fileNameEdit");
            QVERIFY(edit);
            edit->setText(mnist);
            QTest::keyClick(edit, Qt::Key_Return);
            drove = true;
            if (dlg->isVisible()) // not accepted: close it so the test can report the failure
                dlg->reject();
        });
        open->trigger();
        QVERIFY(drove);
        QVERIFY(QTest::qWaitFor([&] { return changed.count() > 0 && !w.isRunning(JobKind::Load); }, 60000));
        QCOMPARE(QFileInfo(w.dataset().path).absoluteFilePath(), mnist);

        // 2. Enter on an ordinary folder enters it; then the dataset folder's name and Enter opens
        //    it; 3. entering the dataset folder (double click) and pressing Open opens it.
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        changed.clear();
        QString entered;
        drove = false;
        QTimer::singleShot(0, &w, [&] {
            auto* dlg = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            QVERIFY(dlg);
            auto* edit = dlg->findChild<QLineEdit*>("fileNameEdit");
            edit->setText(parent);
            QTest::keyClick(edit, Qt::Key_Return);
            entered = dlg->directory().absolutePath();
            const bool stillOpen = dlg->isVisible();
            if (!stillOpen || entered != parent) {
                dlg->reject();
                return;
            }
            QVERIFY(edit->text().isEmpty());
            edit->setText(QFileInfo(mnist).fileName());
            QTest::keyClick(edit, Qt::Key_Return);
            drove = true;
            if (dlg->isVisible())
                dlg->reject();
        });
        open->trigger();
        QCOMPARE(entered, parent);
        QVERIFY(drove);
        QVERIFY(QTest::qWaitFor([&] { return changed.count() > 0 && !w.isRunning(JobKind::Load); }, 60000));
        QCOMPARE(QFileInfo(w.dataset().path).absoluteFilePath(), mnist);

        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        changed.clear();
        drove = false;
        QTimer::singleShot(0, &w, [&] {
            auto* dlg = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            QVERIFY(dlg);
            // Into the MNIST folder by a double click on it in the parent folder's list.
            dlg->setDirectory(parent);
            auto* list = dlg->findChild<QListView*>("listView");
            QVERIFY(list);
            QModelIndex folder;
            QVERIFY(QTest::qWaitFor([&] {
                const QModelIndex root = list->rootIndex();
                for (int i = 0; i < list->model()->rowCount(root); ++i)
                    if (list->model()->index(i, 0, root).data().toString() == QFileInfo(mnist).fileName())
                        folder = list->model()->index(i, 0, root);
                return folder.isValid();
            }, 10000));
            list->scrollTo(folder);
            const QRect cell = list->visualRect(folder);
            QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, cell.center());
            QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, cell.center());
            QVERIFY(QTest::qWaitFor([&] { return dlg->directory().absolutePath() == mnist; }, 5000));
            auto* edit = dlg->findChild<QLineEdit*>("fileNameEdit");
            edit->clear();
            auto* box = dlg->findChild<QDialogButtonBox*>("buttonBox");
            QPushButton* openButton = box ? box->button(QDialogButtonBox::Open) : nullptr;
            if (!openButton && box)
                for (QAbstractButton* b : box->buttons())
                    if (box->buttonRole(b) == QDialogButtonBox::AcceptRole)
                        openButton = qobject_cast<QPushButton*>(b);
            QVERIFY(openButton);
            QVERIFY(openButton->isEnabled());
            QTest::mouseClick(openButton, Qt::LeftButton);
            drove = true;
            if (dlg->isVisible())
                dlg->reject();
        });
        open->trigger();
        QVERIFY(drove);
        QVERIFY(QTest::qWaitFor([&] { return changed.count() > 0 && !w.isRunning(JobKind::Load); }, 60000));
        QCOMPARE(QFileInfo(w.dataset().path).absoluteFilePath(), mnist);
    }
};

QTEST_MAIN(TestUiSettings)
#include "test_ui_settings.moc"
