// The Right reasons view's training record: live loss curves (cross-entropy and the RRR term)
// and one table line per finished run or round with its λ₁ and accuracies.
#pragma once
#include <QGroupBox>

class QTableWidget;

namespace senn::ui {

class TrainingCurves;

// An accuracy in [0, 1] as a percentage; "–" for a negative value (unknown, or cancelled).
QString accuracyText(double value);

class RrrTrainingPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit RrrTrainingPanel(QWidget* parent = nullptr);
    void addRun(const QString& name, double lambda, double trainAccuracy, double testAccuracy);
    TrainingCurves* curves() const { return m_curves; }
    QTableWidget* runsTable() const { return m_runs; }

private:
    TrainingCurves* m_curves;
    QTableWidget* m_runs;
};

} // namespace senn::ui
