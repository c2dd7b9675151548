// AttributionFilesBox (attribution_files_box.h): a list, the split of the next file, Add and
// Remove. Names are checked here; the files are read by the worker when a run starts.
#include "ui/views/attribution_files_box.h"

#include "ui/views/metric_controls.h"

#include "core/common/error.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace senn::ui {

AttributionFilesBox::AttributionFilesBox(QWidget* parent) : QGroupBox(tr("Attributions from files"), parent)
{
    auto* layout = new QHBoxLayout(this);
    m_list = new QListWidget;
    m_list->setObjectName("attributionFiles");
    m_list->setMaximumHeight(64);
    m_list->setToolTip(tr("Each file is a row beside the methods: the measures that need only the explanation "
                          "at a point are computed as for the methods; those that explain perturbed inputs "
                          "again are n/a"));
    layout->addWidget(m_list, 1);
    auto* buttons = new QVBoxLayout;
    m_split = new QComboBox;
    m_split->setObjectName("attributionSplit");
    m_split->addItems({QStringLiteral("test"), QStringLiteral("val"), QStringLiteral("train"), QStringLiteral("all")});
    m_split->setToolTip(tr("The split whose rows the next file holds, one row per row in the split's order, "
                           "as `senn explain --split S --all --npy OUT` writes them"));
    m_add = metricButton(tr("Add attributions…"), "addAttributions",
                         tr("A .npy of attributions computed elsewhere (shap, Captum, your own code), "
                            "[rows of the split, input shape], float32 or float64"));
    m_remove = metricButton(tr("Remove"), "removeAttributions", tr("Remove the selected file"));
    auto* splitRow = new QHBoxLayout;
    splitRow->addWidget(new QLabel(tr("Split:")));
    splitRow->addWidget(m_split);
    buttons->addLayout(splitRow);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    layout->addLayout(buttons);
    connect(m_add, &QPushButton::clicked, this, &AttributionFilesBox::addDialog);
    connect(m_remove, &QPushButton::clicked, this, &AttributionFilesBox::removeSelected);
    refresh();
}

bool AttributionFilesBox::add(const QString& name, const QString& path, const QString& split, QString* error)
{
    metrics::AttributionSource s{name.toStdString(), path.toStdString(), split.toStdString()};
    try {
        metrics::checkAttributionName(s.name, s.path);
        for (const auto& other : m_sources)
            if (other.name == s.name)
                throw Error::inFile(s.path, "the name '" + s.name + "' is already given to " + other.path,
                                    "Give each file its own name");
    } catch (const Error& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    m_sources.push_back(s);
    refresh();
    return true;
}

void AttributionFilesBox::setRunning(bool running)
{
    m_add->setEnabled(!running);
    m_remove->setEnabled(!running && !m_sources.empty());
}

void AttributionFilesBox::addDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Add attributions"), QString(), tr("NumPy arrays (*.npy)"));
    if (path.isEmpty())
        return;
    // The file's base name, in the characters a row name may hold.
    QString name = QFileInfo(path).completeBaseName();
    for (QChar& c : name)
        if ((!c.isLetterOrNumber() || c.unicode() > 127) && c != QLatin1Char('-') && c != QLatin1Char('_') &&
            c != QLatin1Char('.'))
            c = QLatin1Char('-');
    bool ok = false;
    name = QInputDialog::getText(this, tr("Add attributions"), tr("Name of the row for %1:").arg(QFileInfo(path).fileName()),
                                 QLineEdit::Normal, name.left(64), &ok);
    if (!ok)
        return;
    QString error;
    if (!add(name.trimmed(), path, m_split->currentText(), &error))
        QMessageBox::warning(this, tr("Add attributions"), error);
}

void AttributionFilesBox::removeSelected()
{
    const int row = m_list->currentRow();
    if (row < 0 || size_t(row) >= m_sources.size())
        return;
    m_sources.erase(m_sources.begin() + row);
    refresh();
}

void AttributionFilesBox::refresh()
{
    m_list->clear();
    for (const auto& s : m_sources)
        m_list->addItem(tr("%1 = %2 (%3 split)")
                            .arg(QString::fromStdString(s.name), QFileInfo(QString::fromStdString(s.path)).fileName(),
                                 QString::fromStdString(s.split)));
    m_remove->setEnabled(!m_sources.empty());
}

} // namespace senn::ui
