// Concepts view: SENN concept prototypes, one row per concept with its top-l and bottom-l
// activating training examples; clicking a concept in the Explain view focuses its row here.
// Images: thumbnails (PrototypeGrid). Tabular data: a table, one row per concept; identity
// concepts are the features, so they are named by feature and their examples listed by that
// feature's value (the only value that concept reads) and class.
#pragma once
#include "ui/views/view_page.h"
#include "ui/worker/results.h"

class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

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
    QTableWidget* table() const { return m_table; } // tabular prototypes

signals:
    void computeRequested(int l);

private:
    void fillTable(const metrics::Prototypes& prototypes);

    DatasetSummary m_data;
    ModelSummary m_model;
    bool m_isSenn = false, m_have = false;
    QSpinBox* m_l;
    QPushButton *m_compute, *m_all;
    QLabel* m_note;
    PrototypeGrid* m_grid;
    QTableWidget* m_table;
};

} // namespace senn::ui
