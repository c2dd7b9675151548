#include "ui/views/concepts_view.h"

#include "ui/plots/prototype_grid.h"

#include <QHBoxLayout>
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
}

void ConceptsView::setModel(const ModelSummary& s)
{
    m_isSenn = s.valid && s.isSenn && s.hasData;
    m_have = false;
    m_grid->clear();
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
    std::vector<std::string> names;
    for (int64_t i = 0; i < p.k; ++i)
        names.push_back("h" + std::to_string(i + 1));
    m_grid->setPrototypes(p, *m_data.data, names);
    m_have = true;
    m_all->setEnabled(true);
}

void ConceptsView::showConcept(int concept)
{
    m_grid->showConcept(concept);
    m_note->setText(concept >= 0 ? tr("Showing concept h%1 (from the Explain view).").arg(concept + 1)
                                 : tr("All concepts."));
}

} // namespace senn::ui
