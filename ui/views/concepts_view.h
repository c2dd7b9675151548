// Concepts view: SENN concept prototypes, one row per concept with its top-l and bottom-l
// activating training examples; clicking a concept in the Explain view focuses its row here.
#pragma once
#include "ui/views/view_page.h"
#include "ui/worker/results.h"

class QLabel;
class QPushButton;
class QSpinBox;

namespace senn::ui {

class PrototypeGrid;

class ConceptsView : public ViewPage {
    Q_OBJECT
public:
    explicit ConceptsView(QWidget* parent = nullptr);
    void setDataset(const DatasetSummary& summary);
    void setModel(const ModelSummary& summary);
    void setPrototypes(const metrics::Prototypes& prototypes);
    void showConcept(int concept);   // -1: all
    bool hasPrototypes() const { return m_have; }
    int topL() const;
    PrototypeGrid* grid() const { return m_grid; }

signals:
    void computeRequested(int l);

private:
    DatasetSummary m_data;
    bool m_isSenn = false, m_have = false;
    QSpinBox* m_l;
    QPushButton *m_compute, *m_all;
    QLabel* m_note;
    PrototypeGrid* m_grid;
};

} // namespace senn::ui
