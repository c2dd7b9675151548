// "Right reasons" view (rrr.md): generate Decoy MNIST, paint the annotation mask over an
// example (apply to it, its class or all), train plain or with the RRR penalty (λ₁ with its
// guidance, both loss terms live), and run "find another explanation" with each round's
// input-gradient maps side by side with its accuracy. Each step and output is a panel in
// ui/views/rrr/; this class keeps the state between them (mask, training, rounds).
#pragma once
#include "ui/views/mask_painter.h"
#include "ui/views/view_page.h"
#include "ui/worker/results.h"
#include "ui/worker/rrr_results.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace senn::ui {

class RrrDecoyPanel;
class RrrExamplePanel;
class RrrMaskPanel;
class RrrRoundsGrid;
class RrrRoundsPanel;
class RrrTrainPanel;
class RrrTrainingPanel;
class TrainingCurves;

class RrrView : public ViewPage {
    Q_OBJECT
public:
    explicit RrrView(QWidget* parent = nullptr);

    void setDataset(const DatasetSummary& summary);
    void setModel(const ModelSummary& summary);
    void setMaskState(const RrrMaskState& state);
    void setGuidance(const train::LambdaGuidance& guidance);
    void setGradients(const RrrGradients& gradients);
    void addProgress(const train::BatchReport& report);
    void addRoundProgress(int round, const train::BatchReport& report);
    void addRound(const RrrRound& round);
    void setTraining(bool running);
    // A dataset is being opened or transformed: no new Decoy request until it is in.
    void setLoading(bool loading);
    // After a training this view started: one line of the runs table.
    void trainingFinished(const ModelSummary& summary, bool cancelled);

    int64_t currentRow() const;              // dataset row of the shown example (-1 none)
    void setExampleIndex(int index);         // index into the chosen split
    models::ModelConfig modelConfig(bool rrr) const;
    models::TrainConfig trainConfig() const;
    void setLambda(double lambda);
    void setEpochs(int epochs);
    void setScope(RrrScope scope);
    void setRounds(int rounds);

    MaskPainter* painter() const;
    TrainingCurves* curves() const;
    QPushButton* decoyButton() const;
    QPushButton* trainPlainButton() const;
    QPushButton* trainRrrButton() const;
    QPushButton* roundsButton() const;
    QLabel* guidanceLabel() const;
    QTableWidget* runsTable() const;
    int roundCount() const;
    // The worker's mask as last received (its row is the example shown then).
    const RrrMaskState& maskState() const { return m_maskState; }

signals:
    void decoyRequested(quint64 seed, qint64 showRow);
    void paintRequested(qint64 row, const std::vector<int64_t>& pixels, float value, int scope);
    void clearRequested(qint64 showRow);
    void maskRowRequested(qint64 row);
    void guidanceRequested(const senn::models::ModelConfig& config,
                           const senn::models::TrainConfig& trainConfig);
    void gradientsRequested(const std::vector<int64_t>& rows);
    void trainRequested(const senn::models::ModelConfig& config,
                        const senn::models::TrainConfig& trainConfig);
    void roundsRequested(const senn::models::ModelConfig& config,
                         const senn::models::TrainConfig& trainConfig, int rounds,
                         const std::vector<int64_t>& showRows);
    void cancelRequested();
    void maskStateShown(const senn::ui::RrrMaskState& state);
    void roundShown(int round);

private:
    void requestGuidance();
    void startTraining(bool rrr);
    void startRounds();
    void updateEnabled();

    DatasetSummary m_data;
    RrrMaskState m_maskState;
    bool m_hasModel = false, m_training = false, m_loading = false, m_pendingRun = false, m_roundsRunning = false;
    QString m_pendingLabel;
    double m_pendingLambda = 0;
    int m_curvesRound = 0;
    bool m_hasMask = false;
    double m_lastSuggested = 0, m_guidedCoverage = -1;

    RrrDecoyPanel* m_decoy;
    RrrMaskPanel* m_mask;
    RrrTrainPanel* m_train;
    RrrRoundsPanel* m_rounds;
    RrrExamplePanel* m_example;
    RrrTrainingPanel* m_record;
    RrrRoundsGrid* m_roundsGrid;
};

} // namespace senn::ui
