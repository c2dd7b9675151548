// senn-studio: the desktop application. All the work is in ui/ (MainWindow, CoreWorker).
#include "ui/application.h"

int main(int argc, char** argv)
{
    return senn::ui::runApplication(argc, argv);
}
