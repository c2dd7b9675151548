// senn-studio: the desktop application. All the work is in ui/ (MainWindow, CoreWorker).
#include "ui/application.h"

#include "core/common/system_info.h"

int main(int argc, char** argv)
{
    senn::metrics::preferPassiveOpenMpWait(argv); // OpenMP threads sleep, not spin
    return senn::ui::runApplication(argc, argv);
}
