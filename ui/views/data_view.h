// Data view: what was loaded (file, format, shape, split sizes), a preview (first rows as a
// table, or thumbnails for images), class counts, detected problems, and the target column.
#pragma once
#include "ui/views/view_page.h"
#include "ui/worker/results.h"

class QComboBox;
class QLabel;
class QListWidget;
class QStackedWidget;
class QTableView;
class QTableWidget;
class QStandardItemModel;

namespace senn::ui {

class ImageGrid;

class DataView : public ViewPage {
    Q_OBJECT
public:
    explicit DataView(QWidget* parent = nullptr);
    void setDataset(const DatasetSummary& summary);
    const DatasetSummary& dataset() const { return m_summary; }
    int previewRowCount() const;

signals:
    void openRequested();
    // The user picked another target column of the current CSV.
    void reloadRequested(const QString& path, const QString& target);

private:
    DatasetSummary m_summary;
    QLabel* m_info = nullptr;
    QComboBox* m_target = nullptr;
    QStackedWidget* m_previewStack = nullptr;
    QTableView* m_table = nullptr;
    QStandardItemModel* m_model = nullptr;
    ImageGrid* m_thumbs = nullptr;
    QTableWidget* m_counts = nullptr;
    QListWidget* m_problems = nullptr;
};

} // namespace senn::ui
