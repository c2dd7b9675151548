// Live training curves: one small plot per loss term (prediction CE, reconstruction,
// sparsity, robustness, RRR) with the raw per-batch values (faint), their EMA and per-epoch
// markers, plus train / validation accuracy per epoch. Repaints are throttled and queued.
#pragma once
#include "ui/plots/plot_frame.h"
#include "core/models/model.h"
#include "core/train/trainer.h"

#include <array>
#include <vector>

class QCPAxisRect;
class QCPLayoutGrid;
class QCPGraph;
class QTimer;

namespace senn::ui {

class TrainingCurves : public PlotFrame {
    Q_OBJECT
public:
    explicit TrainingCurves(QWidget* parent = nullptr);

    enum Term { Ce = 0, Reconstruction, Sparsity, Robustness, Rrr, TermCount };
    static QString termName(int term);

    // Appends one batch (x = epoch - 1 + batch / batches); epochEnd reports also add the
    // epoch record. Repaints at most every 100 ms.
    void addBatch(const senn::train::BatchReport& report);
    void clear();
    // Replaces everything by a finished history (per-epoch points only, e.g. a loaded model).
    void setHistory(const std::vector<senn::models::EpochRecord>& history);
    // EMA weight of the newest batch, default 0.05. The EMA starts at 0 and is bias-corrected
    // (divided by 1 - (1-alpha)^t after t batches, as Adam's moments), so it neither lags
    // behind from a high first batch nor starts near 0.
    void setSmoothing(double alpha);
    void setLogLoss(bool log);

    int batchCount() const { return m_batches; }
    int epochCount() const { return static_cast<int>(m_epochs.size()); }
    // Terms that had a non-zero value at least once (only those get a plot; CE always).
    std::vector<int> activeTerms() const;
    // EMA of term after the last batch (NaN when none).
    double smoothedValue(int term) const;

    void updateNow() override;

    QString dataCsv() const override;   // kind(batch|epoch),x,epoch,loss,ce,...,accuracies
    QString dataJson() const override;

private:
    struct TermPlot {
        QCPAxisRect* rect = nullptr;
        QCPGraph *raw = nullptr, *ema = nullptr, *epoch = nullptr;
        double emaValue = 0;   // bias-corrected: emaRaw / (1 - (1-alpha)^emaSteps)
        double emaRaw = 0;     // the plain EMA started at 0
        int emaSteps = 0;
        bool seen = false;
    };
    void rebuildLayout();
    void scheduleReplot();
    void addEpochRecord(const senn::models::EpochRecord& r);

    std::array<TermPlot, TermCount> m_terms;
    QCPLayoutGrid* m_grid = nullptr;
    QCPAxisRect* m_accRect = nullptr;
    QCPGraph *m_trainAcc = nullptr, *m_valAcc = nullptr, *m_batchAcc = nullptr;
    std::vector<senn::train::BatchReport> m_reports;
    std::vector<senn::models::EpochRecord> m_epochs;
    std::vector<int> m_layoutTerms;
    QTimer* m_replotTimer = nullptr;
    double m_alpha = 0.05;
    bool m_logLoss = false;
    int m_batches = 0;
    double m_batchAccEma = 0, m_batchAccEmaRaw = 0;
    int m_batchAccSteps = 0;
};

} // namespace senn::ui
