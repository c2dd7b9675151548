// "Right reasons" view (rrr.md): generate Decoy MNIST, paint the annotation mask over an
// example (apply to it, its class or all), train plain or with the RRR penalty (λ₁ with its
// guidance, both loss terms live), and run "find another explanation" with each round's
// input-gradient maps side by side with its accuracy.
#pragma once
#include "ui/views/mask_painter.h"
#include "ui/views/view_page.h"
#include "ui/worker/results.h"
#include "ui/worker/rrr_results.h"

class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace senn::ui {

class HeatmapView;
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

    MaskPainter* painter() const { return m_painter; }
    TrainingCurves* curves() const { return m_curves; }
    QPushButton* decoyButton() const { return m_decoy; }
    QPushButton* trainPlainButton() const { return m_trainPlain; }
    QPushButton* trainRrrButton() const { return m_trainRrr; }
    QPushButton* roundsButton() const { return m_runRounds; }
    QLabel* guidanceLabel() const { return m_guidance; }
    QTableWidget* runsTable() const { return m_runs; }
    int roundCount() const { return m_roundCount; }
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
    const std::vector<int64_t>& splitRows() const;
    void showExample();
    void requestGuidance();
    void startTraining(bool rrr);
    void updateEnabled();

    DatasetSummary m_data;
    RrrMaskState m_maskState;
    bool m_hasModel = false, m_training = false, m_loading = false, m_pendingRun = false, m_roundsRunning = false;
    QString m_pendingLabel;
    double m_pendingLambda = 0;
    int m_roundCount = 0, m_curvesRound = 0;
    bool m_hasMask = false;
    double m_lastSuggested = 0, m_guidedCoverage = -1;

    QSpinBox *m_seed, *m_brush, *m_example, *m_epochs, *m_rounds;
    QComboBox *m_scope, *m_split, *m_model;
    QDoubleSpinBox* m_lambda;
    QPushButton *m_decoy, *m_clear, *m_erase, *m_suggest, *m_trainPlain, *m_trainRrr, *m_runRounds,
        *m_cancel;
    QLabel *m_dataStatus, *m_maskStatus, *m_guidance, *m_exampleLabel, *m_gradientLabel;
    MaskPainter* m_painter;
    HeatmapView* m_gradient;
    TrainingCurves* m_curves;
    QTableWidget* m_runs;
    QWidget* m_roundsBox;
    QGridLayout* m_roundsGrid;
    std::vector<HeatmapView*> m_roundMaps;
};

} // namespace senn::ui
