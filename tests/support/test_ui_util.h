// Helpers shared by the test_ui_* executables: a MainWindow with dialogs off, and waiting
// (with the event loop running) for the worker's results.
#pragma once
#include "ui/main_window.h"
#include "ui/views/model_view.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTimer>
#include <QtTest>

#include <algorithm>

namespace senn::ui::test {

inline QString breastCancer() { return QStringLiteral(SENN_RESOURCE_DATA "/breast-cancer.csv"); }
inline QString mnist() { return QStringLiteral(SENN_RESOURCE_DATA "/mnist-10k"); }

inline void prepare()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("SENN Studio Tests");
    // One settings store per test program (CTest runs them in parallel), cleared: every test
    // starts from the defaults, and nothing one remembers (explainer settings, recent files,
    // window layout) reaches another.
    QCoreApplication::setApplicationName(QStringLiteral("senn-ui-test-") +
                                         QFileInfo(QCoreApplication::applicationFilePath()).baseName());
    QSettings().clear();
}

// Opens a dataset through the same call the File > Open dialog makes; waits for it.
// A window on screen at a given size, without error dialogs (messages still reach errorShown).
inline bool showAt(MainWindow& w, int width, int height)
{
    w.setErrorDialogsEnabled(false);
    w.resize(width, height);
    w.show();
    return QTest::qWaitForWindowExposed(&w);
}

inline bool openAndWait(MainWindow& w, const QString& path, const QString& target = {}, int ms = 60000)
{
    QSignalSpy spy(&w, &MainWindow::datasetChanged);
    QSignalSpy failed(&w, &MainWindow::errorShown);
    w.openDataset(path, target);
    // datasetChanged comes before the load job's end; requests that need an idle loader
    // (e.g. Generate Decoy MNIST) are refused until then, so wait for both.
    return QTest::qWaitFor([&] { return (spy.count() > 0 || failed.count() > 0) && !w.isRunning(JobKind::Load); }, ms)
        && spy.count() > 0;
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

// A shown window with the breast-cancer data open and a SENN trained on it for `epochs`.
inline bool showWithTrainedBreastCancer(MainWindow& w, int epochs = 2)
{
    w.setErrorDialogsEnabled(false);
    w.resize(1500, 950);
    w.show();
    return openAndWait(w, breastCancer(), "diagnosis") && trainAndWait(w, epochs);
}

// A 10 ms timer on the GUI thread that records the longest wait between two ticks: the
// measure of "the GUI thread never blocks" (the issue asks for at most 100 ms).
struct GuiTicks {
    QElapsedTimer clock;
    QTimer timer;
    qint64 last = -1, maxGap = 0;
    int ticks = 0;
    GuiTicks()
    {
        timer.setInterval(10);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            const qint64 now = clock.elapsed();
            if (last >= 0)
                maxGap = std::max(maxGap, now - last);
            last = now;
            ++ticks;
        });
    }
    void start()
    {
        clock.start();
        timer.start();
    }
    void stop() { timer.stop(); }
    // The GUI thread did not wait on the job: one that waited would show a gap about as long as
    // the job itself. A quarter of the job, or a quarter of a second for short jobs, tells a
    // wait from a busy machine's scheduling; how long the GUI thread stalls in milliseconds is
    // measured by tests/bench/gui_stall.sh, not asserted here.
    bool stayedResponsive() const { return ticks > 10 && (maxGap * 4 < clock.elapsed() || maxGap < 250); }
};

} // namespace senn::ui::test
