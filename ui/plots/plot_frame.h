// Base of every plot widget: a QCustomPlot with a title, the app's theme and the right-click
// menu "Export figure…", "Export data as CSV…", "Export data as JSON…", "Copy image".
// Concrete plots fill plot() and override dataCsv()/dataJson() with the numbers they show.
#pragma once
#include <QString>
#include <QWidget>

class QCustomPlot;
class QCPTextElement;
class QMenu;

namespace senn::ui {

class PlotFrame : public QWidget {
    Q_OBJECT
public:
    explicit PlotFrame(QWidget* parent = nullptr);
    ~PlotFrame() override;

    QCustomPlot* plot() const { return m_plot; }

    void setTitle(const QString& title);   // empty hides the title row
    QString title() const;
    // Base file name proposed by the export dialogs ("comparison", "stability", ...).
    void setExportName(const QString& name);
    QString exportName() const { return m_exportName; }

    // The numbers behind the plot. Base implementation: empty CSV header / "{}".
    virtual QString dataCsv() const;
    virtual QString dataJson() const;

    // Without dialogs (see export.h for sizes). Returns false and fills error on failure.
    bool exportFigure(const QString& path, int width = 0, int height = 0, double scale = 1.0,
                      QString* error = nullptr);
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    bool exportJson(const QString& path, QString* error = nullptr) const;

    // Applies pending throttled updates at once (exports and copies call it first).
    virtual void updateNow() {}

    // Re-applies light/dark theme (called on palette changes) and replots.
    void refreshTheme();

    // Adds the export actions to menu (used by containers that build their own menu).
    void addExportActions(QMenu* menu);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    void exportFigureDialog();
    void exportCsvDialog();
    void exportJsonDialog();
    void copyImage();

Q_SIGNALS:
    void exported(const QString& path);
    void exportFailed(const QString& message);

protected:
    void changeEvent(QEvent* event) override;
    // The title wraps onto more lines instead of being cut when the plot is narrow.
    void resizeEvent(QResizeEvent* event) override;
    // Called by refreshTheme() after the common theme is applied, for plot-specific colours.
    virtual void applyExtraTheme(bool dark);
    // After every layout (QCustomPlot::afterLayout): an axis title longer than its axis is
    // drawn smaller (down to 80%), then elided, so it is never cut by the widget's edge. The
    // full text is kept as the axis' "senn_full_label" property.
    void fitAxisLabels();
    void showContextMenu(const QPoint& pos);

private:
    QCustomPlot* m_plot = nullptr;
    QCPTextElement* m_title = nullptr;
    QString m_fullTitle;
    QString wrappedTitle() const;
    QString m_exportName = QStringLiteral("figure");
};

// Asks for format, size and scale (remembered in QSettings under "export/…") and a file name;
// returns false when cancelled. Shared by PlotFrame and ComparisonPanel.
struct FigureExportChoice {
    QString path;
    int width = 0, height = 0;
    double scale = 1.0;
};
bool askFigureExport(QWidget* parent, const QString& baseName, QSize currentSize,
                     FigureExportChoice* choice);

} // namespace senn::ui
