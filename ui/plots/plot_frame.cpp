#include "ui/plots/plot_frame.h"

#include "ui/plots/export.h"
#include "ui/plots/plot_style.h"

#include <algorithm>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QMenu>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace senn::ui {

PlotFrame::PlotFrame(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot(this);
    connect(m_plot, &QCustomPlot::afterLayout, this, &PlotFrame::fitAxisLabels);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    m_plot->setAntialiasedElements(QCP::aeAll);
    m_plot->setNoAntialiasingOnDrag(true);
    layout->addWidget(m_plot);
    connect(m_plot, &QWidget::customContextMenuRequested, this, &PlotFrame::showContextMenu);
    refreshTheme();
}

PlotFrame::~PlotFrame() = default;

QString PlotFrame::wrappedTitle() const
{
    const QFontMetrics fm(plotTitleFont());
    const int avail = std::max(80, width() - 16);
    if (fm.horizontalAdvance(m_fullTitle) <= avail)
        return m_fullTitle;
    QStringList lines;
    QString line;
    for (const QString& word : m_fullTitle.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
        if (!line.isEmpty() && fm.horizontalAdvance(candidate) > avail) {
            lines << line;
            line = word;
        } else {
            line = candidate;
        }
    }
    if (!line.isEmpty())
        lines << line;
    return lines.join(QLatin1Char('\n'));
}

void PlotFrame::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_title) {
        const QString t = wrappedTitle();
        if (t != m_title->text()) {
            m_title->setText(t);
            m_plot->replot(QCustomPlot::rpQueuedReplot);
        }
    }
}

void PlotFrame::setTitle(const QString& title)
{
    m_fullTitle = title;
    QCPLayoutGrid* layout = m_plot->plotLayout();
    if (title.isEmpty()) {
        if (m_title) {
            layout->remove(m_title);
            m_title = nullptr;
            layout->simplify();
        }
    } else if (!m_title) {
        layout->insertRow(0);
        m_title = new QCPTextElement(m_plot, wrappedTitle(), plotTitleFont());
        layout->addElement(0, 0, m_title);
        if (layout->columnCount() > 1)
            ; // concrete plots with several columns span the title themselves (see setTitle use)
    } else {
        m_title->setText(wrappedTitle());
    }
    refreshTheme();
}

QString PlotFrame::title() const { return m_title ? m_fullTitle : QString(); }

void PlotFrame::setExportName(const QString& name) { m_exportName = name; }

QString PlotFrame::dataCsv() const { return QString(); }
QString PlotFrame::dataJson() const { return QStringLiteral("{}"); }

bool PlotFrame::exportFigure(const QString& path, int width, int height, double scale,
                             QString* error)
{
    updateNow();
    return exportPlot(m_plot, path, width, height, scale, error);
}

bool PlotFrame::exportCsv(const QString& path, QString* error) const
{
    return writeTextFileAtomic(path, dataCsv(), error);
}

bool PlotFrame::exportJson(const QString& path, QString* error) const
{
    return writeTextFileAtomic(path, dataJson(), error);
}

void PlotFrame::refreshTheme()
{
    const bool dark = !property("senn_force_light").toBool() && paletteIsDark();
    applyPlotTheme(m_plot, dark);
    if (m_title)
        m_title->setFont(plotTitleFont());
    applyExtraTheme(dark);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void PlotFrame::applyExtraTheme(bool) {}

void PlotFrame::fitAxisLabels()
{
    for (QCPAxisRect* rect : m_plot->axisRects())
        for (QCPAxis* axis : rect->axes()) {
            // The full text: what the plot set last (a label that differs from the fitted
            // one we left is a new one).
            QString full = axis->label();
            if (axis->property("senn_shown_label").toString() == full && axis->property("senn_full_label").isValid())
                full = axis->property("senn_full_label").toString();
            const bool vertical = axis->orientation() == Qt::Vertical;
            const int avail = vertical ? rect->height() : rect->width();
            QFont font = axis->property("senn_label_font").isValid() ? axis->property("senn_label_font").value<QFont>()
                                                                     : axis->labelFont();
            axis->setProperty("senn_label_font", font);
            QString shown = full;
            if (!full.isEmpty() && avail > 10) {
                QFont f = font;
                for (int k = 0; k < 2 && QFontMetrics(f).horizontalAdvance(shown) > avail; ++k)
                    f.setPointSizeF(font.pointSizeF() * (k == 0 ? 0.9 : 0.8));
                if (QFontMetrics(f).horizontalAdvance(shown) > avail)
                    shown = QFontMetrics(f).elidedText(full, Qt::ElideRight, avail);
                font = f;
            }
            axis->setLabelFont(font);
            axis->setLabel(shown);
            axis->setProperty("senn_full_label", full);
            axis->setProperty("senn_shown_label", shown);
        }
}

void PlotFrame::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        refreshTheme();
    QWidget::changeEvent(event);
}

QSize PlotFrame::sizeHint() const { return QSize(480, 360); }
QSize PlotFrame::minimumSizeHint() const { return QSize(160, 120); }

void PlotFrame::addExportActions(QMenu* menu)
{
    menu->addAction(tr("Export figure…"), this, &PlotFrame::exportFigureDialog);
    menu->addAction(tr("Export data as CSV…"), this, &PlotFrame::exportCsvDialog);
    menu->addAction(tr("Export data as JSON…"), this, &PlotFrame::exportJsonDialog);
    menu->addAction(tr("Copy image"), this, &PlotFrame::copyImage);
}

void PlotFrame::showContextMenu(const QPoint& pos)
{
    QMenu menu(this);
    addExportActions(&menu);
    menu.exec(m_plot->mapToGlobal(pos));
}

static QString lastDir()
{
    QSettings s;
    QString dir = s.value(QStringLiteral("export/dir")).toString();
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    return dir;
}

static void rememberDir(const QString& path)
{
    QSettings().setValue(QStringLiteral("export/dir"), QFileInfo(path).absolutePath());
}

bool askFigureExport(QWidget* parent, const QString& baseName, QSize currentSize,
                     FigureExportChoice* choice)
{
    QSettings settings;
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Export figure"));
    auto* form = new QFormLayout(&dialog);
    auto* format = new QComboBox(&dialog);
    format->addItem(QStringLiteral("PNG"), QStringLiteral("png"));
    format->addItem(QStringLiteral("SVG"), QStringLiteral("svg"));
    format->addItem(QStringLiteral("PDF"), QStringLiteral("pdf"));
    format->setCurrentIndex(std::max(0, format->findData(
        settings.value(QStringLiteral("export/format"), QStringLiteral("png")).toString())));
    auto* width = new QSpinBox(&dialog);
    auto* height = new QSpinBox(&dialog);
    width->setRange(100, 10000);
    height->setRange(100, 10000);
    width->setSuffix(QStringLiteral(" px"));
    height->setSuffix(QStringLiteral(" px"));
    width->setValue(settings.value(QStringLiteral("export/width"),
                                   std::max(400, currentSize.width())).toInt());
    height->setValue(settings.value(QStringLiteral("export/height"),
                                    std::max(300, currentSize.height())).toInt());
    auto* scale = new QDoubleSpinBox(&dialog);
    scale->setRange(0.25, 8);
    scale->setSingleStep(0.5);
    scale->setValue(settings.value(QStringLiteral("export/scale"), 2.0).toDouble());
    scale->setToolTip(QObject::tr("PNG only: pixels per point, e.g. 2 for high-DPI screens"));
    form->addRow(QObject::tr("&Format:"), format);
    form->addRow(QObject::tr("&Width:"), width);
    form->addRow(QObject::tr("&Height:"), height);
    form->addRow(QObject::tr("&Scale (PNG):"), scale);
    auto updateScale = [&] { scale->setEnabled(format->currentData().toString() == QLatin1String("png")); };
    QObject::connect(format, &QComboBox::currentIndexChanged, &dialog, updateScale);
    updateScale();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    const QString suffix = format->currentData().toString();
    const QString path = QFileDialog::getSaveFileName(
        parent, QObject::tr("Export figure"), lastDir() + QLatin1Char('/') + baseName + QLatin1Char('.') + suffix,
        QStringLiteral("%1 (*.%2)").arg(format->currentText(), suffix));
    if (path.isEmpty())
        return false;
    settings.setValue(QStringLiteral("export/format"), suffix);
    settings.setValue(QStringLiteral("export/width"), width->value());
    settings.setValue(QStringLiteral("export/height"), height->value());
    settings.setValue(QStringLiteral("export/scale"), scale->value());
    rememberDir(path);
    choice->path = QFileInfo(path).suffix().isEmpty() ? path + QLatin1Char('.') + suffix : path;
    choice->width = width->value();
    choice->height = height->value();
    choice->scale = scale->value();
    return true;
}

void PlotFrame::exportFigureDialog()
{
    FigureExportChoice choice;
    if (!askFigureExport(this, m_exportName, m_plot->size(), &choice))
        return;
    QString error;
    if (exportFigure(choice.path, choice.width, choice.height, choice.scale, &error))
        Q_EMIT exported(choice.path);
    else
        Q_EMIT exportFailed(error);
}

void PlotFrame::exportCsvDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export data as CSV"), lastDir() + QLatin1Char('/') + m_exportName + QStringLiteral(".csv"),
        tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    rememberDir(path);
    QString error;
    if (exportCsv(path, &error))
        Q_EMIT exported(path);
    else
        Q_EMIT exportFailed(error);
}

void PlotFrame::exportJsonDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export data as JSON"), lastDir() + QLatin1Char('/') + m_exportName + QStringLiteral(".json"),
        tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    rememberDir(path);
    QString error;
    if (exportJson(path, &error))
        Q_EMIT exported(path);
    else
        Q_EMIT exportFailed(error);
}

void PlotFrame::copyImage()
{
    updateNow();
    setProperty("senn_force_light", true);
    refreshTheme();
    const double dpr = devicePixelRatioF();
    QPixmap pix = m_plot->toPixmap(m_plot->width(), m_plot->height(), dpr);
    pix.setDevicePixelRatio(dpr);
    setProperty("senn_force_light", false);
    refreshTheme();
    if (QClipboard* cb = QApplication::clipboard())
        cb->setPixmap(pix);
}

} // namespace senn::ui
