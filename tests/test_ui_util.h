// Helpers shared by the test_ui_* executables: a MainWindow with dialogs off, and waiting
// (with the event loop running) for the worker's results.
#pragma once
#include "ui/main_window.h"
#include "ui/views/model_view.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

namespace senn::ui::test {

inline QString breastCancer() { return QStringLiteral(SENN_RESOURCE_DATA "/breast-cancer.csv"); }
inline QString mnist() { return QStringLiteral(SENN_RESOURCE_DATA "/mnist-10k"); }

inline void prepare()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("SENN Studio Tests");
    QCoreApplication::setApplicationName("senn-ui-test");
}

// Opens a dataset through the same call the File > Open dialog makes; waits for it.
inline bool openAndWait(MainWindow& w, const QString& path, const QString& target = {}, int ms = 60000)
{
    QSignalSpy spy(&w, &MainWindow::datasetChanged);
    QSignalSpy failed(&w, &MainWindow::errorShown);
    w.openDataset(path, target);
    return QTest::qWaitFor([&] { return spy.count() > 0 || failed.count() > 0; }, ms) && spy.count() > 0;
}

// Trains from the Model view's form (Train button) with `epochs`; waits for the result.
inline bool trainAndWait(MainWindow& w, int epochs, int ms = 120000)
{
    QSignalSpy done(&w, &MainWindow::trainingFinished);
    w.modelView()->setModelKind(models::ModelKind::Senn);
    w.modelView()->setEpochs(epochs);
    QTest::mouseClick(w.modelView()->trainButton(), Qt::LeftButton);
    // trainingFinished comes before the job's end (which re-enables the form): wait for both.
    return QTest::qWaitFor([&] { return done.count() > 0 && !w.isRunning(JobKind::Train); }, ms)
        && !done.first().at(1).toBool() && w.model().valid;
}

} // namespace senn::ui::test
