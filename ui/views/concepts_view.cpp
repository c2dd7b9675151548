#include "ui/views/concepts_view.h"

#include "ui/plots/prototype_grid.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QTableWidget>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace senn::ui {

ConceptsView::ConceptsView(QWidget* parent) : ViewPage("concepts", tr("Concepts"), parent)
{
    auto* bar = new QHBoxLayout;
    m_l = new QSpinBox;
    m_l->setRange(1, 32);
    m_l->setValue(8);
    m_l->setToolTip(tr("How many top and bottom activating training examples per concept"));
    m_compute = new QPushButton(tr("&Compute prototypes"));
    m_compute->setObjectName("computePrototypes");
    m_all = new QPushButton(tr("Show &all concepts"));
    m_note = new QLabel;
    m_note->setWordWrap(true);
    bar->addWidget(new QLabel(tr("Examples per side:")));
    bar->addWidget(m_l);
    bar->addWidget(m_compute);
    bar->addWidget(m_all);
    bar->addWidget(m_note, 1);
    body()->addLayout(bar);
    m_grid = new PrototypeGrid;
    m_grid->setTitle(tr("Concept prototypes"));
    m_grid->setExportName("prototypes");
    body()->addWidget(m_grid, 1);
    m_table = new QTableWidget;
    m_table->setObjectName("prototypeTable");
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    m_table->setVisible(false);
    body()->addWidget(m_table, 1);
    connect(m_compute, &QPushButton::clicked, this, [this] { emit computeRequested(m_l->value()); });
    connect(m_all, &QPushButton::clicked, this, [this] { showConcept(-1); });
    setModel({});
}

int ConceptsView::topL() const { return m_l->value(); }

void ConceptsView::setDataset(const DatasetSummary& s)
{
    m_data = s;
    m_have = false;
    m_grid->clear();
    m_table->setRowCount(0);
    m_grid->setVisible(!s.data || s.data->isImage());
    m_table->setVisible(s.data && !s.data->isImage());
}

void ConceptsView::setModel(const ModelSummary& s)
{
    m_model = s;
    m_isSenn = s.valid && s.isSenn && s.hasData;
    m_have = false;
    m_grid->clear();
    m_table->setRowCount(0);
    m_compute->setEnabled(m_isSenn);
    m_all->setEnabled(false);
    m_note->setText(m_isSenn ? tr("Each row is one concept hᵢ: the training examples where it is "
                                  "highest (top) and lowest (bottom).")
                             : tr("Prototypes need a SENN model with its dataset."));
}

void ConceptsView::setPrototypes(const metrics::Prototypes& p)
{
    if (!m_data.data)
        return;
    const auto& d = *m_data.data;
    // Identity concepts (tabular SENN without a concept encoder): concept i is feature i.
    const bool identity = !d.isImage() && p.k == d.featureCount() && size_t(p.k) == d.featureNames.size();
    std::vector<std::string> names;
    for (int64_t i = 0; i < p.k; ++i)
        names.push_back(identity ? d.featureNames[size_t(i)] : "h" + std::to_string(i + 1));
    m_grid->setPrototypes(p, d, names);
    m_grid->setVisible(d.isImage());
    m_table->setVisible(!d.isImage());
    if (!d.isImage())
        fillTable(p);
    m_have = true;
    m_all->setEnabled(true);
}

void ConceptsView::fillTable(const metrics::Prototypes& p)
{
    const auto& d = *m_data.data;
    const bool identity = p.k == d.featureCount() && size_t(p.k) == d.featureNames.size();
    const int l = p.k > 0 ? int(p.top[0].size()) : 0;
    m_table->clear();
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels(
        {tr("Concept"),
         identity ? tr("Highest h: the feature's value (class) in the top %1 training rows").arg(l)
                  : tr("Highest h: training row (class, h) — top %1").arg(l),
         identity ? tr("Lowest h: the feature's value (class)") : tr("Lowest h: training row (class, h)")});
    m_table->setRowCount(int(p.k));
    auto cls = [&](int64_t row) {
        const int64_t y = d.y[size_t(row)];
        return y >= 0 && y < d.numClasses() ? QString::fromStdString(d.classNames[size_t(y)]) : QString::number(y);
    };
    auto list = [&](const std::vector<int64_t>& rows, const std::vector<float>& h, int64_t concept) {
        QStringList parts;
        for (size_t r = 0; r < rows.size(); ++r) {
            if (rows[r] < 0 || rows[r] >= d.rows())
                continue;
            if (identity)
                parts << QStringLiteral("%1 (%2)").arg(double(d.row(rows[r])[concept]), 0, 'g', 4).arg(cls(rows[r]));
            else
                parts << QStringLiteral("#%1 (%2, h=%3)").arg(rows[r]).arg(cls(rows[r]))
                             .arg(r < h.size() ? double(h[r]) : 0.0, 0, 'f', 2);
        }
        return parts.join(QStringLiteral(",  "));
    };
    for (int64_t i = 0; i < p.k; ++i) {
        auto* name = new QTableWidgetItem(identity ? QString::fromStdString(d.featureNames[size_t(i)])
                                                   : QStringLiteral("h%1").arg(i + 1));
        QFont f = name->font();
        f.setBold(true);
        name->setFont(f);
        m_table->setItem(int(i), 0, name);
        m_table->setItem(int(i), 1, new QTableWidgetItem(list(p.top[size_t(i)], p.topValue[size_t(i)], i)));
        m_table->setItem(int(i), 2, new QTableWidgetItem(list(p.bottom[size_t(i)], p.bottomValue[size_t(i)], i)));
    }
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->resizeRowsToContents();
}

void ConceptsView::showConcept(int concept)
{
    m_grid->showConcept(concept);
    for (int r = 0; r < m_table->rowCount(); ++r)
        m_table->setRowHidden(r, concept >= 0 && r != concept);
    const QString name = concept >= 0 && concept < m_table->rowCount() && m_table->item(concept, 0)
                             ? m_table->item(concept, 0)->text() : QStringLiteral("h%1").arg(concept + 1);
    m_note->setText(concept >= 0 ? tr("Showing concept %1 (from the Explain view).").arg(name)
                                 : tr("All concepts."));
}

} // namespace senn::ui
