// senn-studio: the desktop application. Sets up QApplication (name, organisation, settings,
// icon), parses the command line, shows the main window (which starts its worker thread) and
// runs the event loop; the work is in ui/ (MainWindow, CoreWorker) and core/.
#include "core/common/system_info.h"
#include "ui/diagnostics/diagnostics.h"
#include "ui/main_window.h"
#include "ui/startup.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

int main(int argc, char** argv)
{
    senn::common::preferPassiveOpenMpWait(argv); // OpenMP threads sleep, not spin
    senn::common::tuneAllocator();                // freed tensor memory stays for reuse
    QApplication app(argc, argv);
    QApplication::setApplicationName("SENN Studio");
    QApplication::setOrganizationName("SENN Studio");
    QApplication::setApplicationVersion("0.1.0");
    QApplication::setDesktopFileName("senn-studio");
    senn::ui::initResources();
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

    senn::ui::MainWindow window;
    senn::ui::quitOnSignals(&window);
    window.show();
    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty())
        QTimer::singleShot(0, &window, [&window, f = args.first()] { window.openPath(f); });
    senn::ui::startDiagnostics(app, &window);
    return app.exec();
}
