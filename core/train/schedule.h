// Early stopping and the learning-rate schedule of every trainer, as plain
// arithmetic without tensors so tests can script a validation sequence and check the answer.
#pragma once
#include <string>

namespace senn::train {

// Keeps the best epoch and counts the epochs since the last improvement. Best: by validation
// loss (ties: higher accuracy) when byLoss, which the trainer uses; else by validation accuracy
// (ties: lower loss, so a small, saturated validation set does not freeze an early epoch), as
// FLINT's trainer uses with its own score. An improvement is a new best epoch or a new lowest
// validation loss (relative 1e-4): while the loss still falls the model is still learning.
class EarlyStopping {
public:
    EarlyStopping(int patience, int maxEpochs, bool byLoss = false)
        : m_patience(patience), m_maxEpochs(maxEpochs), m_byLoss(byLoss) {}

    // Records one finished epoch; returns true when it is the new best (to be kept).
    bool update(int epoch, double valAccuracy, double valLoss);
    // True once patience > 0 epochs in a row brought no improvement.
    bool shouldStop() const { return m_patience > 0 && m_since >= m_patience; }
    bool improvedLast() const { return m_since == 0; }
    int bestEpoch() const { return m_bestEpoch; }
    double bestAccuracy() const { return m_bestAcc; }
    int sinceImprovement() const { return m_since; }
    int epochsRun() const { return m_lastEpoch; }
    // "no validation improvement for 20 epochs; best epoch 84", "reached the maximum of 30
    // epochs; best epoch 27", "cancelled after epoch 3; best epoch 2".
    std::string reason(bool cancelled) const;

private:
    int m_patience, m_maxEpochs;
    bool m_byLoss = false;
    int m_bestEpoch = -1, m_lastEpoch = 0, m_since = 0;
    double m_bestAcc = 0, m_bestLoss = 0, m_minLoss = 0;
};

// Which finished epoch a run keeps (TrainConfig::keep). "best": EarlyStopping's best, the
// lowest validation loss. "last": every epoch replaces the one before. "se": the latest epoch
// whose validation loss is within one standard error of the lowest (the one-standard-error
// rule): on a validation part of a few dozen rows, epochs that close are indistinguishable, and
// picking the lowest picked noise, most often the warm start of a tabular SENN, a linear model;
// the later epoch is the one trained further. Without a validation split "se" is "best".
class EpochChoice {
public:
    explicit EpochChoice(const std::string& keep) : m_last(keep == "last"), m_withinSe(keep == "se") {}
    // One finished epoch: lowest = EarlyStopping::update's answer; valLossSe = the standard
    // error of valLoss (0 without validation rows). True when this epoch is to be kept.
    bool keep(bool lowest, double valLoss, double valLossSe, bool hasValidation);

private:
    bool m_last, m_withinSe;
    double m_lowest = 0, m_lowestSe = 0;
};

// The learning rate of each epoch. "plateau": halve after max(2, patience / 4) epochs with no
// improvement (EarlyStopping's), never below lr / 100; "cosine": lr·½(1 + cos(π·(e-1)/E)) over
// the maximum E epochs; "none": constant. Throws senn::Error for another name.
class LrSchedule {
public:
    LrSchedule(const std::string& kind, double lr, int maxEpochs, int patience);
    double lrFor(int epoch) const; // 1-based; the rate to use during that epoch
    void afterEpoch(bool improved);
    static bool isValid(const std::string& kind);

private:
    enum class Kind { None, Plateau, Cosine } m_kind = Kind::None;
    double m_lr0, m_lr;
    int m_maxEpochs, m_plateau, m_wait = 0;
};

} // namespace senn::train
