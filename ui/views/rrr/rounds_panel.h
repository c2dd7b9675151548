// "Find another explanation" (rrr.md) in the Right reasons view: step 4's controls (how many
// rounds, Run) and the output grid, one column per round with its accuracies, mask coverage
// and the input-gradient map of each shown example.
#pragma once
#include "core/data/dataset.h"
#include "ui/worker/rrr_results.h"

#include <QGroupBox>

#include <vector>

class QGridLayout;
class QPushButton;
class QSpinBox;

namespace senn::ui {

class HeatmapView;

class RrrRoundsPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit RrrRoundsPanel(QWidget* parent = nullptr);
    int rounds() const;
    void setRounds(int rounds);
    QPushButton* runButton() const { return m_run; }

signals:
    void runRequested();

private:
    QSpinBox* m_rounds;
    QPushButton* m_run;
};

class RrrRoundsGrid : public QGroupBox {
    Q_OBJECT
public:
    explicit RrrRoundsGrid(QWidget* parent = nullptr);
    void clear();
    // data: the open dataset, for the row labels and the images under the maps (may be null).
    void addRound(const RrrRound& round, const data::Dataset* data);
    int roundCount() const { return m_count; }

private:
    QWidget* m_box;
    QGridLayout* m_grid;
    int m_count = 0;
};

} // namespace senn::ui
