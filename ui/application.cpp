#include "ui/application.h"

#include <QApplication>
#include <QLabel>

namespace senn::ui {

int runApplication(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName("SENN Studio");
    QApplication::setOrganizationName("SENN Studio");
    QLabel placeholder("SENN Studio");
    placeholder.show();
    return app.exec();
}

} // namespace senn::ui
