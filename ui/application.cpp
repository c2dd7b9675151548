#include "ui/application.h"

#include "ui/main_window.h"
#include "ui/screenshot_tour.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

static void initSennResources()
{
    Q_INIT_RESOURCE(senn);
}

namespace senn::ui {

void initResources()
{
    static bool done = false;
    if (!done) {
        initSennResources();
        done = true;
    }
}

int runApplication(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName("SENN Studio");
    QApplication::setOrganizationName("SENN Studio");
    QApplication::setApplicationVersion("0.1.0");
    QApplication::setDesktopFileName("senn-studio");
    initResources();
    QApplication::setWindowIcon(QIcon(":/icons/senn-studio.svg"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Train self-explaining neural networks and compare their explanations."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file", QApplication::translate(
        "main", "A dataset (CSV, IDX folder, image folder, .npy), a model (.senn, TorchScript .pt) "
                "or a session (.sennsession) to open, as File > Open would."), "[FILE]");
    parser.process(app);

    MainWindow window;
    window.show();
    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty())
        QTimer::singleShot(0, &window, [&window, f = args.first()] { window.openPath(f); });
    // SENN_SCREENSHOT_DIR: scripted tour that saves a PNG of every view (docs, visual checks).
    const QString shots = qEnvironmentVariable("SENN_SCREENSHOT_DIR");
    if (!shots.isEmpty())
        startScreenshotTour(&window, shots, qEnvironmentVariable("SENN_SCREENSHOT_PREFIX"),
                            qEnvironmentVariableIntValue("SENN_SCREENSHOT_EPOCHS"));
    return app.exec();
}

} // namespace senn::ui
