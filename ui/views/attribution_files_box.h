// "Attributions from files": the .npy files of attributions computed elsewhere that a metric
// run scores beside its methods (core/metrics/external_attributions.h), with the split each
// holds. The Scorecard and Faithfulness views show one; the worker opens the files.
#pragma once
#include "core/metrics/external_attributions.h"

#include <QGroupBox>

#include <vector>

class QComboBox;
class QListWidget;
class QPushButton;

namespace senn::ui {

class AttributionFilesBox : public QGroupBox {
    Q_OBJECT
public:
    explicit AttributionFilesBox(QWidget* parent = nullptr);
    // A file whose row is named `name`, holding the rows of `split` (train, val, test, all).
    // False with the reason (naming the file) when the name is not allowed or already taken.
    bool add(const QString& name, const QString& path, const QString& split, QString* error = nullptr);
    const std::vector<metrics::AttributionSource>& sources() const { return m_sources; }
    void setRunning(bool running);

private:
    void addDialog();
    void removeSelected();
    void refresh();

    QListWidget* m_list;
    QComboBox* m_split;
    QPushButton *m_add, *m_remove;
    std::vector<metrics::AttributionSource> m_sources;
};

} // namespace senn::ui
