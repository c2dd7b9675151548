// renderSanityFigure (sanity_figure.h): a detached plot and strip laid out in one widget and
// exported through exportWidget, on a light background like every figure.
#include "ui/plots/sanity_figure.h"

#include "ui/plots/export.h"
#include "ui/plots/sanity_plot.h"
#include "ui/plots/sanity_strip.h"

#include "core/metrics/similarity.h"

#include <QApplication>
#include <QVBoxLayout>

namespace senn::ui {

bool renderSanityFigure(const metrics::SanityResult& result, const std::string& measure, const QString& path,
                        QString* error, int width, int height, double scale)
{
    if (!qobject_cast<QApplication*>(QCoreApplication::instance())) {
        if (error)
            *error = QStringLiteral("Figures need a QApplication");
        return false;
    }
    QWidget host;
    auto* layout = new QVBoxLayout(&host);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* plot = new SanityPlot(&host);
    auto* strip = new SanityStrip(&host);
    plot->setTitle(QObject::tr("Sanity checks: %1 randomisation, %2 points (median, quartiles)")
                       .arg(QString::fromStdString(result.mode))
                       .arg(result.points.size()));
    plot->setResult(result, measure);
    strip->setResult(result);
    layout->addWidget(plot, 1);
    layout->addWidget(strip, 0);
    const int w = width > 0 ? width : std::max(1000, strip->sizeHint().width() + 40);
    const int h = height > 0 ? height : 480 + strip->sizeHint().height();
    return exportWidget(&host, path, w, h, scale, error);
}

} // namespace senn::ui
