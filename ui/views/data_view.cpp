#include "ui/views/data_view.h"

#include "ui/plots/image_grid.h"

#include <QComboBox>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace senn::ui {

namespace {
constexpr int kPreviewRows = 200;
constexpr int kThumbRows = 4, kThumbCols = 12;
}

DataView::DataView(QWidget* parent) : ViewPage("data", tr("Data"), parent)
{
    auto* top = new QHBoxLayout;
    m_info = new QLabel(tr("No dataset. Use File > Open dataset… (Ctrl+O), File > Examples, or "
                           "drop a file or folder on the window."));
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* open = new QPushButton(tr("&Open dataset…"));
    connect(open, &QPushButton::clicked, this, &DataView::openRequested);
    m_target = new QComboBox;
    m_target->setObjectName("targetCombo");
    m_target->setToolTip(tr("The CSV column holding the class label; the other columns are the "
                            "numeric features. Changing it reloads the file."));
    m_target->setEnabled(false);
    connect(m_target, &QComboBox::activated, this, [this] {
        if (!m_summary.path.isEmpty() && m_target->currentText() != m_summary.target)
            emit reloadRequested(m_summary.path, m_target->currentText());
    });
    top->addWidget(m_info, 1);
    top->addWidget(new QLabel(tr("&Target:")));
    static_cast<QLabel*>(top->itemAt(1)->widget())->setBuddy(m_target);
    top->addWidget(m_target);
    top->addWidget(open);
    body()->addLayout(top);

    auto* split = new QSplitter(Qt::Horizontal);
    auto* previewBox = new QGroupBox(tr("Preview"));
    auto* pl = new QVBoxLayout(previewBox);
    m_previewStack = new QStackedWidget;
    m_table = new QTableView;
    m_table->setObjectName("previewTable");
    m_model = new QStandardItemModel(this);
    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setDefaultSectionSize(90);
    m_thumbs = new ImageGrid;
    m_thumbs->setTitle(tr("First images"));
    m_thumbs->setExportName("data-preview");
    m_previewStack->addWidget(m_table);
    m_previewStack->addWidget(m_thumbs);
    pl->addWidget(m_previewStack);
    split->addWidget(previewBox);

    auto* side = new QWidget;
    auto* sl = new QVBoxLayout(side);
    sl->setContentsMargins(0, 0, 0, 0);
    auto* countsBox = new QGroupBox(tr("Classes"));
    auto* cl = new QVBoxLayout(countsBox);
    m_counts = new QTableWidget(0, 3);
    m_counts->setObjectName("classCounts");
    m_counts->setHorizontalHeaderLabels({tr("Class"), tr("Rows"), tr("Share")});
    m_counts->verticalHeader()->hide();
    m_counts->horizontalHeader()->setStretchLastSection(true);
    m_counts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    cl->addWidget(m_counts);
    auto* probBox = new QGroupBox(tr("Problems"));
    auto* prl = new QVBoxLayout(probBox);
    m_problems = new QListWidget;
    m_problems->setObjectName("problems");
    m_problems->setWordWrap(true);
    prl->addWidget(m_problems);
    sl->addWidget(countsBox, 3);
    sl->addWidget(probBox, 2);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    body()->addWidget(split, 1);
}

int DataView::previewRowCount() const
{
    if (!m_summary.data)
        return 0;
    return m_summary.data->isImage() ? m_thumbs->rowCount() * kThumbCols : m_model->rowCount();
}

void DataView::setDataset(const DatasetSummary& s)
{
    m_summary = s;
    const auto& d = *s.data;
    QStringList shape;
    for (auto v : d.sampleShape)
        shape << QString::number(v);
    m_info->setText(tr("<b>%1</b> (%2)<br>%3 rows, %4 %5 (shape %6), %7 classes · split "
                       "train %8 / validation %9 / test %10%11 · loaded in %12 s")
                        .arg(QFileInfo(s.path).fileName().toHtmlEscaped(), s.format)
                        .arg(d.rows())
                        .arg(d.featureCount())
                        .arg(d.isImage() ? tr("pixels") : tr("features"))
                        .arg(shape.join(QStringLiteral("×")))
                        .arg(d.numClasses())
                        .arg(s.trainRows.size()).arg(s.valRows.size()).arg(s.testRows.size())
                        .arg(d.testBegin >= 0 ? tr(" (test part from the file)") : QString())
                        .arg(s.seconds, 0, 'f', 2));
    m_info->setToolTip(s.path);
    subtitle()->setText(s.path);

    {
        const QSignalBlocker block(m_target);
        m_target->clear();
        if (!d.isImage()) {
            QStringList cols;
            for (const auto& n : d.featureNames)
                cols << QString::fromStdString(n);
            cols << s.target;
            cols.sort(Qt::CaseInsensitive);
            m_target->addItems(cols);
            m_target->setCurrentText(s.target);
        }
        m_target->setEnabled(!d.isImage() && s.format == QLatin1String("CSV"));
    }

    if (d.isImage()) {
        std::vector<std::vector<GridCell>> cells;
        const int64_t n = std::min<int64_t>(d.rows(), kThumbRows * kThumbCols);
        const auto f = d.featureCount();
        for (int64_t i = 0; i < n; ++i) {
            if (i % kThumbCols == 0)
                cells.emplace_back();
            GridCell c;
            c.pixels.assign(d.row(i), d.row(i) + f);
            c.shape = d.sampleShape;
            c.caption = QString::fromStdString(d.classNames[size_t(d.y[size_t(i)])]);
            cells.back().push_back(std::move(c));
        }
        m_thumbs->setCells(cells);
        m_previewStack->setCurrentWidget(m_thumbs);
    } else {
        m_model->clear();
        QStringList headers;
        for (const auto& n : d.featureNames)
            headers << QString::fromStdString(n);
        headers.prepend(s.target.isEmpty() ? tr("class") : s.target);
        m_model->setHorizontalHeaderLabels(headers);
        const int64_t n = std::min<int64_t>(d.rows(), kPreviewRows);
        const auto f = d.featureCount();
        for (int64_t i = 0; i < n; ++i) {
            QList<QStandardItem*> items;
            items << new QStandardItem(QString::fromStdString(d.classNames[size_t(d.y[size_t(i)])]));
            for (int64_t j = 0; j < f; ++j)
                items << new QStandardItem(QString::number(d.row(i)[j], 'g', 5));
            m_model->appendRow(items);
        }
        m_previewStack->setCurrentWidget(m_table);
    }

    m_counts->setRowCount(int(s.classCounts.size()));
    for (size_t c = 0; c < s.classCounts.size(); ++c) {
        const double share = d.rows() ? 100.0 * double(s.classCounts[c]) / double(d.rows()) : 0;
        m_counts->setItem(int(c), 0, new QTableWidgetItem(QString::fromStdString(d.classNames[c])));
        m_counts->setItem(int(c), 1, new QTableWidgetItem(QString::number(s.classCounts[c])));
        m_counts->setItem(int(c), 2, new QTableWidgetItem(QStringLiteral("%1%").arg(share, 0, 'f', 1)));
    }
    m_problems->clear();
    if (s.problems.isEmpty())
        m_problems->addItem(tr("None detected."));
    else
        m_problems->addItems(s.problems);
}

} // namespace senn::ui
