#include "ui/plots/export.h"
#include "ui/protected_inputs.h"

#include "ui/plots/plot_frame.h"
#include "ui/plots/plot_style.h"

#include <QApplication>
#include <QBuffer>
#include <QFileInfo>
#include <QImageWriter>
#include <QLayout>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace senn::ui {

ExportFormat exportFormatForPath(const QString& path)
{
    const QString s = QFileInfo(path).suffix().toLower();
    if (s == QLatin1String("png") || s == QLatin1String("jpg") || s == QLatin1String("jpeg"))
        return ExportFormat::Png;
    if (s == QLatin1String("svg"))
        return ExportFormat::Svg;
    if (s == QLatin1String("pdf"))
        return ExportFormat::Pdf;
    return ExportFormat::Unknown;
}

static bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

QString csvField(const QString& s)
{
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) || s.contains(QLatin1Char('\n'))) {
        QString q = s;
        q.replace(QLatin1String("\""), QLatin1String("\"\""));
        return QLatin1Char('"') + q + QLatin1Char('"');
    }
    return s;
}

bool writeTextFileAtomic(const QString& path, const QString& text, QString* error)
{
    if (const QString refusal = outputRefusal(path); !refusal.isEmpty())
        return fail(error, refusal);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return fail(error, QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
    file.write(text.toUtf8());
    if (!file.commit())
        return fail(error, QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

// Draws into a vector device (SVG/PDF) or a raster image; `paint` receives a painter whose
// logical size is width x height.
using PaintFn = std::function<void(QPainter&, int width, int height)>;

static bool writeFigure(const QString& path, int width, int height, double scale,
                        const PaintFn& paint, QString* error)
{
    const ExportFormat format = exportFormatForPath(path);
    if (format == ExportFormat::Unknown)
        return fail(error, QStringLiteral("%1: unknown figure format. Use a .png, .svg or .pdf "
                                          "file name.").arg(path));
    if (width <= 0 || height <= 0)
        return fail(error, QStringLiteral("%1: figure size %2 x %3 is empty").arg(path).arg(width).arg(height));
    if (!(scale > 0))
        scale = 1.0;
    if (const QString refusal = outputRefusal(path); !refusal.isEmpty())
        return fail(error, refusal);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(error, QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));

    if (format == ExportFormat::Png) {
        const int pw = static_cast<int>(std::lround(width * scale));
        const int ph = static_cast<int>(std::lround(height * scale));
        QImage image(pw, ph, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QCPPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setRenderHint(QPainter::TextAntialiasing);
            painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
            painter.scale(scale, scale);
            paint(painter, width, height);
        }
        const QString suffix = QFileInfo(path).suffix().toLower();
        const QByteArray fmt = suffix == QLatin1String("png") ? "PNG" : "JPG";
        if (!image.save(&file, fmt.constData()))
            return fail(error, file.error() != QFileDevice::NoError
                                   ? QStringLiteral("Cannot write %1: %2").arg(path, file.errorString())
                                   : QStringLiteral("Cannot encode %1").arg(path));
    } else if (format == ExportFormat::Svg) {
        QSvgGenerator gen;
        gen.setOutputDevice(&file);
        gen.setSize(QSize(width, height));
        gen.setViewBox(QRect(0, 0, width, height));
        gen.setResolution(96);
        gen.setTitle(QFileInfo(path).completeBaseName());
        gen.setDescription(QStringLiteral("SENN Studio figure"));
        QCPPainter painter;
        if (!painter.begin(&gen))
            return fail(error, QStringLiteral("Cannot start SVG output for %1").arg(path));
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        painter.fillRect(QRect(0, 0, width, height), Qt::white);
        paint(painter, width, height);
        painter.end();
    } else {
        QPdfWriter writer(&file);
        writer.setCreator(QStringLiteral("SENN Studio"));
        writer.setTitle(QFileInfo(path).completeBaseName());
        writer.setResolution(72); // one device unit per point, so the figure is width x height pt
        QPageLayout layout(QPageSize(QSizeF(width, height), QPageSize::Point, QString(),
                                     QPageSize::ExactMatch),
                           QPageLayout::Portrait, QMarginsF(0, 0, 0, 0));
        layout.setMode(QPageLayout::FullPageMode);
        writer.setPageLayout(layout);
        QCPPainter painter;
        if (!painter.begin(&writer))
            return fail(error, QStringLiteral("Cannot start PDF output for %1").arg(path));
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        painter.fillRect(QRect(0, 0, width, height), Qt::white);
        paint(painter, width, height);
        painter.end();
    }
    if (!file.commit())
        return fail(error, QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

// Temporarily puts every plot under root into the light theme (exports are always light).
class LightThemeGuard {
public:
    explicit LightThemeGuard(QWidget* root) : m_dark(paletteIsDark())
    {
        if (!m_dark)
            return;
        auto frames = root->findChildren<PlotFrame*>();
        if (auto* self = qobject_cast<PlotFrame*>(root))
            frames.append(self);
        for (PlotFrame* f : frames)
            m_frames.append(f);
        auto plots = root->findChildren<QCustomPlot*>();
        if (auto* self = qobject_cast<QCustomPlot*>(root))
            plots.append(self);
        for (QCustomPlot* p : plots)
            if (!qobject_cast<PlotFrame*>(p->parentWidget()))
                m_plain.append(p);
        setDark(false);
    }
    ~LightThemeGuard()
    {
        if (m_dark)
            setDark(true);
    }

private:
    void setDark(bool dark)
    {
        for (auto& f : m_frames)
            if (f)
                f->setProperty("senn_force_light", !dark), f->refreshTheme();
        for (auto& p : m_plain)
            if (p)
                applyPlotTheme(p, dark), p->replot();
    }
    bool m_dark;
    QList<QPointer<PlotFrame>> m_frames;
    QList<QPointer<QCustomPlot>> m_plain;
};

bool exportPlot(QCustomPlot* plot, const QString& path, int width, int height, double scale,
                QString* error)
{
    if (!plot)
        return fail(error, QStringLiteral("No plot to export"));
    if (width <= 0 || height <= 0) {
        width = plot->width() > 10 ? plot->width() : 800;
        height = plot->height() > 10 ? plot->height() : 600;
    }
    QWidget* themeRoot = plot->parentWidget() && qobject_cast<PlotFrame*>(plot->parentWidget())
                             ? plot->parentWidget()
                             : static_cast<QWidget*>(plot);
    if (auto* frame = qobject_cast<PlotFrame*>(themeRoot))
        frame->updateNow();
    LightThemeGuard guard(themeRoot);
    return writeFigure(path, width, height, scale,
                       [plot](QPainter& painter, int w, int h) {
                           plot->toPainter(static_cast<QCPPainter*>(&painter), w, h);
                       },
                       error);
}

// QCustomPlot children are drawn through toPainter so SVG/PDF keep vector lines and real
// text; every other widget (labels, frames) through QWidget::render without its children.
static void renderTree(QPainter& painter, QWidget* w, QPoint offset)
{
    if (auto* plot = qobject_cast<QCustomPlot*>(w)) {
        painter.save();
        painter.translate(offset);
        painter.setClipRect(QRect(0, 0, plot->width(), plot->height()));
        plot->toPainter(static_cast<QCPPainter*>(&painter), plot->width(), plot->height());
        painter.restore();
        return;
    }
    painter.save();
    w->render(&painter, offset, QRegion(), QWidget::RenderFlags());
    painter.restore();
    for (QObject* o : w->children()) {
        auto* child = qobject_cast<QWidget*>(o);
        if (child && !child->isWindow() && !child->isHidden())
            renderTree(painter, child, offset + child->pos());
    }
}

bool exportWidget(QWidget* widget, const QString& path, int width, int height, double scale,
                  QString* error)
{
    if (!widget)
        return fail(error, QStringLiteral("No view to export"));
    const QSize oldSize = widget->size();
    if (width <= 0 || height <= 0) {
        QSize s = widget->isVisible() ? widget->size() : widget->sizeHint();
        if (s.width() < 10 || s.height() < 10)
            s = QSize(1200, 800);
        width = s.width();
        height = s.height();
    }
    // A never-shown top-level widget has no geometry for its children yet: show it without
    // putting it on screen so its layouts run, and hide it again afterwards.
    const bool tempShown = !widget->isVisible() && widget->isWindow();
    if (tempShown) {
        widget->setAttribute(Qt::WA_DontShowOnScreen, true);
        widget->show();
    }
    for (PlotFrame* f : widget->findChildren<PlotFrame*>())
        f->updateNow();
    if (auto* self = qobject_cast<PlotFrame*>(widget))
        self->updateNow();
    LightThemeGuard guard(widget);
    QPalette oldPalette = widget->palette();
    const bool hadOwnPalette = widget->testAttribute(Qt::WA_SetPalette);
    QPalette light = QApplication::style() ? QApplication::style()->standardPalette() : QPalette();
    light.setColor(QPalette::Window, Qt::white);
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::WindowText, QColor(20, 20, 20));
    light.setColor(QPalette::Text, QColor(20, 20, 20));
    widget->setPalette(light);
    // Never cropped: a size below what the widget needs lays it out at its minimum size and
    // scales the drawing down (uniformly, centred) to the requested size.
    QSize need = widget->minimumSize().expandedTo(widget->layout() ? widget->layout()->minimumSize() : QSize());
    need = need.expandedTo(widget->minimumSizeHint());
    const int layoutW = std::max(width, need.width()), layoutH = std::max(height, need.height());
    widget->resize(layoutW, layoutH);
    if (widget->layout())
        widget->layout()->activate();
    for (QWidget* child : widget->findChildren<QWidget*>())
        if (child->layout())
            child->layout()->activate();
    // Plots must lay out for their new size before they are painted.
    for (QCustomPlot* p : widget->findChildren<QCustomPlot*>())
        p->replot(QCustomPlot::rpImmediateRefresh);

    const bool ok = writeFigure(
        path, width, height, scale,
        [widget, layoutW, layoutH](QPainter& painter, int w, int h) {
            const double k = std::min(double(w) / layoutW, double(h) / layoutH);
            painter.save();
            painter.translate((w - k * layoutW) / 2.0, (h - k * layoutH) / 2.0);
            painter.scale(k, k);
            renderTree(painter, widget, QPoint());
            painter.restore();
        },
        error);
    if (hadOwnPalette)
        widget->setPalette(oldPalette);
    else
        widget->setPalette(QPalette());
    widget->resize(oldSize);
    if (tempShown) {
        widget->hide();
        widget->setAttribute(Qt::WA_DontShowOnScreen, false);
    }
    return ok;
}

} // namespace senn::ui
