// Every view shows the current dataset and model only, and the status bar says so:
// the model card and training curves after a cancelled training and after "Restore the
// previous model"; the PDF report's pages (training curves only of the current model, the
// faithfulness page titled by its measure, the comparison on a full page); "queued behind …"
// and the post-training evaluation named in the status bar; the Explain view's "Top K" box
// hidden for images; explainer settings stored before the logit default migrated once.
#include "support/test_ui_util.h"

#include "ui/plots/training_curves.h"
#include "ui/views/explain_view.h"
#include "ui/views/explainer_settings.h"
#include "ui/views/faithfulness_view.h"
#include "ui/views/stability_view.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QProcess>
#include <QProgressBar>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTextBrowser>

using namespace senn::ui;

namespace {

QString cardText(MainWindow& w)
{
    auto* card = w.modelView()->findChild<QTextBrowser*>("modelCard");
    return card ? card->toPlainText() : QString();
}

// A faithfulness result with known values for two methods and three points, every measure.
senn::metrics::FaithfulnessResult knownFaithfulness()
{
    senn::metrics::FaithfulnessResult r;
    r.points = {1, 2, 3};
    for (const char* m : {"senn", "saliency"}) {
        auto& pm = r.methods[m];
        pm.perPoint = {0.5, 0.6, 0.7};
        pm.faithfulnessCorrelation = {0.1, 0.2, 0.3};
        pm.infidelity = {2.0, 3.0, 4.0};
        pm.infidelityNormalized = {1.0, 1.5, 2.0};
        pm.seconds = {0.1, 0.1, 0.1};
        pm.pointsDone = 3;
        pm.median = 0.6;
    }
    return r;
}

QStringList pageTitles(const MainWindow& w)
{
    QStringList t;
    for (const auto& p : w.lastReport().pages)
        t << p.title;
    return t;
}

} // namespace

class TestUiCurrent : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::prepare(); }

    // Model A (4 epochs); a cancelled run keeps A: the card compares nothing and the curves
    // are A's own history, not the cancelled run's. Model B (2 epochs) replaces A: the card
    // compares them; "Restore the previous model" brings A back with its card and curves.
    // The report follows: training page = current model's curves, faithfulness page titled
    // by its measure, the comparison on a full page.
    void cardCurvesAndReportShowTheCurrentModel()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w, 4));
        const ModelSummary a = w.model();
        const int aEpochs = int(a.meta.history.size());
        QCOMPARE(aEpochs, 4);
        QVERIFY(!cardText(w).contains("Previous model"));
        QCOMPARE(w.modelView()->curves()->epochCount(), 4);

        // Cancel a long run once it is under way.
        QSignalSpy finished(&w, &MainWindow::trainingFinished);
        w.modelView()->setEpochs(500);
        QTest::mouseClick(w.modelView()->trainButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return w.modelView()->curves()->epochCount() >= 1; }, 60000));
        QTest::mouseClick(w.modelView()->cancelButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return finished.count() > 0 && !w.isRunning(JobKind::Train); }, 30000));
        QVERIFY(finished.first().at(1).toBool()); // cancelled
        QCOMPARE(w.model().meta.createdAt, a.meta.createdAt);
        QVERIFY2(!cardText(w).contains("Previous model"), qPrintable(cardText(w)));
        QCOMPARE(w.modelView()->curves()->epochCount(), aEpochs); // A's history ...
        QCOMPARE(w.modelView()->curves()->batchCount(), 0);       // ... not the cancelled run

        QTemporaryDir dir;
        QVERIFY(w.exportReport(dir.filePath("after-cancel.pdf")));
        QCOMPARE(w.lastReport().trainingEpochs, aEpochs);
        QVERIFY(pageTitles(w).contains("Training"));

        // B replaces A: the card compares the two accuracies.
        QSignalSpy replaced(&w, &MainWindow::previousModelReplaced);
        QVERIFY(test::trainAndWait(w, 2));
        QVERIFY(QTest::qWaitFor([&] { return replaced.count() > 0; }, 30000));
        const ModelSummary b = w.model();
        QCOMPARE(int(b.meta.history.size()), 2);
        const QString compare = QStringLiteral("Previous model: %1% test accuracy; this one: %2%.")
                                    .arg(a.test.accuracy * 100, 0, 'f', 2).arg(b.test.accuracy * 100, 0, 'f', 2);
        QVERIFY2(cardText(w).contains(compare), qPrintable(cardText(w)));
        QCOMPARE(w.modelView()->curves()->epochCount(), 2);
        QVERIFY(w.modelView()->curves()->batchCount() > 0); // B's live curves
        QVERIFY(w.exportReport(dir.filePath("b.pdf")));
        QCOMPARE(w.lastReport().trainingEpochs, 2);

        // Restore A: its card (nothing to compare) and its own curves.
        QSignalSpy changed(&w, &MainWindow::modelChanged);
        w.restorePreviousModel();
        QVERIFY(QTest::qWaitFor([&] { return changed.count() > 0; }, 30000));
        QCOMPARE(w.model().meta.createdAt, a.meta.createdAt);
        QVERIFY2(!cardText(w).contains("Previous model"), qPrintable(cardText(w)));
        QVERIFY(cardText(w).contains(QStringLiteral("%1%").arg(a.test.accuracy * 100, 0, 'f', 2)));
        QCOMPARE(w.modelView()->curves()->epochCount(), aEpochs);
        QCOMPARE(w.modelView()->curves()->batchCount(), 0);

        // The report of A: an explanation, a faithfulness result shown as infidelity.
        QSignalSpy shown(&w, &MainWindow::explanationShown);
        w.showView("explain");
        QVERIFY(QTest::qWaitFor([&] { return shown.count() > 0 && !w.isRunning(JobKind::Explain); }, 120000));
        w.faithfulnessView()->setResult(knownFaithfulness());
        w.faithfulnessView()->setMeasure(2);
        const QString pdf = dir.filePath("report.pdf");
        QVERIFY(w.exportReport(pdf));
        const QStringList titles = pageTitles(w);
        qInfo("report pages: %s", qPrintable(titles.join(" | ")));
        QCOMPARE(w.lastReport().trainingEpochs, aEpochs);
        QCOMPARE(titles.size(), 3);
        QCOMPARE(titles[0], QStringLiteral("Training"));
        QVERIFY(titles[1].startsWith("Comparison: Row "));
        QCOMPARE(titles[2], QStringLiteral("Faithfulness: infidelity"));
        // The comparison figure fills its page (below the title row): at least 90% of each side.
        const auto& cmp = w.lastReport().pages[1];
        QVERIFY2(cmp.figure.width() >= 0.9 * cmp.page.width() && cmp.figure.height() >= 0.9 * cmp.page.height(),
                 qPrintable(QString("%1x%2 on %3x%4").arg(cmp.figure.width()).arg(cmp.figure.height())
                                .arg(cmp.page.width()).arg(cmp.page.height())));
        // Another measure, another title.
        w.faithfulnessView()->setMeasure(1);
        QVERIFY(w.exportReport(dir.filePath("report2.pdf")));
        QCOMPARE(pageTitles(w).last(), QStringLiteral("Faithfulness: faithfulness correlation (20% subsets)"));
        // The PDF's own text says the same (poppler-utils' pdftotext, where installed).
        const QString pdftotext = QStandardPaths::findExecutable("pdftotext");
        if (pdftotext.isEmpty()) {
            qInfo("pdftotext not installed: the PDF text is not checked");
            return;
        }
        QProcess p;
        p.start(pdftotext, {pdf, "-"});
        QVERIFY(p.waitForFinished(30000));
        // The PDF's font sets "fi" as one ligature glyph (U+FB01): compare without it.
        const QString text = QString::fromUtf8(p.readAllStandardOutput()).replace(QChar(0xFB01), QStringLiteral("fi"));
        QVERIFY2(text.contains("Faithfulness: infidelity"), qPrintable(text.left(2000)));
        QVERIFY(text.contains("Comparison: Row "));
        QVERIFY(!text.contains("Faithfulness: removal correlation"));
    }

    // While a training runs, an explanation waits: the status bar and the Explain view say
    // "queued behind Training". The work after the last epoch is named, not "ETA 0 s".
    void statusNamesQueueAndEvaluation()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w, 2));
        auto* eta = w.findChild<QLabel*>("eta");
        QVERIFY(eta);
        // When the trained model arrives the job is still on: the phase is named.
        QStringList etaAtModel;
        connect(&w, &MainWindow::modelChanged, this, [&] { etaAtModel << eta->text(); });
        QVERIFY(test::trainAndWait(w, 2));
        QCOMPARE(etaAtModel.size(), 1);
        QCOMPARE(etaAtModel.first(), QStringLiteral("evaluating on the test split…"));

        // Queued behind a running training.
        QSignalSpy finished(&w, &MainWindow::trainingFinished);
        w.modelView()->setEpochs(500);
        QTest::mouseClick(w.modelView()->trainButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return w.modelView()->curves()->epochCount() >= 1; }, 60000));
        w.showView("explain");
        QApplication::processEvents();
        QSignalSpy shown(&w, &MainWindow::explanationShown);
        QTest::mouseClick(w.explainView()->findChild<QPushButton*>("explainButton"), Qt::LeftButton);
        QVERIFY2(w.statusBar()->currentMessage().contains("queued behind Training"),
                 qPrintable(w.statusBar()->currentMessage()));
        auto* status = w.explainView()->findChild<QLabel*>("explainStatus");
        QVERIFY(status && status->text().contains("queued behind Training"));
        QVERIFY(shown.isEmpty());
        QTest::mouseClick(w.modelView()->cancelButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return finished.count() > 0; }, 30000));
        // Then it runs.
        QVERIFY(QTest::qWaitFor([&] { return shown.count() > 0; }, 120000));
    }

    void statusEtaTextKnownAnswers()
    {
        QCOMPARE(MainWindow::etaText(JobKind::Train, 1.0, 12), QStringLiteral("evaluating on the test split…"));
        QCOMPARE(MainWindow::etaText(JobKind::Stability, 1.0, 12), QStringLiteral("finishing…"));
        QCOMPARE(MainWindow::etaText(JobKind::Train, 0.5, 10), QStringLiteral("ETA 10 s"));
        QCOMPARE(MainWindow::etaText(JobKind::Train, 0.25, 40), QStringLiteral("ETA 2 min 0 s"));
        QCOMPARE(MainWindow::etaText(JobKind::Train, 0.0, 3.4), QStringLiteral("3 s"));
        // Measured from the first progress report: 9 s of set-up before 10% was reported at
        // 10 s, then 10% a second: 8 s left (from the job's start it would say 44 s).
        QCOMPARE(MainWindow::etaText(JobKind::Explain, 0.2, 11, 0.1, 10), QStringLiteral("ETA 8 s"));
        QCOMPARE(MainWindow::etaText(JobKind::Explain, 0.2, 11), QStringLiteral("ETA 44 s"));
        // No estimate until the job has moved on from its first report.
        QCOMPARE(MainWindow::etaText(JobKind::Explain, 0.1, 10.5, 0.1, 10), QStringLiteral("10 s"));
    }

    // "Top K" orders the tabular grid's rows: hidden for images, back for tables.
    void topKOnlyForTables()
    {
        MainWindow w;
        w.setErrorDialogsEnabled(false);
        w.show();
        auto* topK = w.explainView()->findChild<QComboBox*>("topK");
        QVERIFY(topK);
        QVERIFY(test::openAndWait(w, test::mnist()));
        QVERIFY(topK->isHidden());
        QVERIFY(test::openAndWait(w, test::breastCancer(), "diagnosis"));
        QVERIFY(!topK->isHidden());
        w.showView("explain");
        QApplication::processEvents();
        QVERIFY(topK->isVisible());
    }

    // A default SENN on breast cancer keeps its linear start (θ variation about 0.02): the card,
    // the Explain and the Stability views say so; a SENN whose θ varies gets no such line.
    void linearSennIsFlagged()
    {
        MainWindow w;
        QVERIFY(test::showWithTrainedBreastCancer(w, 2));
        const QString linear = QStringLiteral("acts as a linear model");
        QVERIFY2(cardText(w).contains(linear), qPrintable(cardText(w)));
        QVERIFY2(cardText(w).contains(QStringLiteral("Kept: epoch ")), qPrintable(cardText(w)));
        QVERIFY(w.explainView()->modelWarning().contains(linear));
        QVERIFY(w.stabilityView()->modelWarning().contains(linear));
        ModelSummary varied = w.model();
        varied.meta.metrics["theta_variation"] = 0.3;
        w.explainView()->setModel(varied);
        w.stabilityView()->setModel(varied);
        QVERIFY(w.explainView()->modelWarning().isEmpty());
        QVERIFY(w.stabilityView()->modelWarning().isEmpty());
    }

    // Settings stored before the logit default (no version, "probability") become logit once;
    // a probability chosen after that stays.
    void storedExplainerSettingsMigrateOnce()
    {
        QJsonObject none;
        QVERIFY(!migrateStoredExplainerSettings(none));
        QJsonObject current{{"model_output", "probability"}, {"settings_version", kExplainerSettingsVersion}};
        QVERIFY(!migrateStoredExplainerSettings(current));
        QCOMPARE(current.value("model_output").toString(), QStringLiteral("probability"));
        QJsonObject old{{"model_output", "probability"}, {"samples", 321}};
        QVERIFY(migrateStoredExplainerSettings(old));
        QCOMPARE(old.value("model_output").toString(), QStringLiteral("logit"));
        QCOMPARE(old.value("settings_version").toInt(), kExplainerSettingsVersion);
        QCOMPARE(old.value("samples").toInt(), 321);
        // Version 2 kept a probability the user chose; only occlusion's old fixed 4/2 pixels
        // become automatic (0), a size the user chose stays.
        QJsonObject v2{{"model_output", "probability"}, {"settings_version", 2},
                       {"occlusion_window", 4}, {"occlusion_stride", 2}};
        QVERIFY(migrateStoredExplainerSettings(v2));
        QCOMPARE(v2.value("model_output").toString(), QStringLiteral("probability"));
        QCOMPARE(v2.value("occlusion_window").toInt(), 0);
        QCOMPARE(v2.value("occlusion_stride").toInt(), 0);
        QCOMPARE(explainOptionsFromJson(v2).occlusionWindow, 0); // auto survives the reading
        QJsonObject chosen{{"settings_version", 2}, {"occlusion_window", 8}, {"occlusion_stride", 2}};
        QVERIFY(migrateStoredExplainerSettings(chosen));
        QCOMPARE(explainOptionsFromJson(chosen).occlusionWindow, 8);

        QSettings().setValue("explainers", QByteArray(R"({"model_output":"probability","samples":321})"));
        {
            MainWindow w;
            w.setErrorDialogsEnabled(false);
            QCOMPARE(senn::explain::outputId(w.explainOptions().output), std::string("logit"));
            QCOMPARE(w.explainOptions().samples, 321);
            const QJsonObject stored = QJsonDocument::fromJson(QSettings().value("explainers").toByteArray()).object();
            QCOMPARE(stored.value("model_output").toString(), QStringLiteral("logit"));
            QCOMPARE(stored.value("settings_version").toInt(), kExplainerSettingsVersion);
            QVERIFY(w.logText().contains("logit by default"));
            // The user picks the probability after the update.
            auto o = w.explainOptions();
            o.output = senn::explain::Output::Probability;
            w.setExplainOptions(o);
        }
        {
            MainWindow w;
            w.setErrorDialogsEnabled(false);
            QCOMPARE(senn::explain::outputId(w.explainOptions().output), std::string("probability"));
            QCOMPARE(w.explainOptions().samples, 321);
            QVERIFY(!w.logText().contains("logit by default"));
        }
        QSettings().remove("explainers");
    }
};

QTEST_MAIN(TestUiCurrent)
#include "test_ui_current.moc"
