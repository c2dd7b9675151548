#include "core/train/schedule.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>

namespace senn::train {

bool EarlyStopping::update(int epoch, double valAccuracy, double valLoss)
{
    m_lastEpoch = epoch;
    const bool first = m_bestEpoch < 0;
    const bool best = first ||
                      (m_byLoss ? (valLoss < m_bestLoss || (valLoss == m_bestLoss && valAccuracy > m_bestAcc))
                                : (valAccuracy > m_bestAcc || (valAccuracy == m_bestAcc && valLoss < m_bestLoss)));
    const bool lossDown = first || valLoss < m_minLoss - 1e-4 * std::abs(m_minLoss);
    if (best) {
        m_bestEpoch = epoch;
        m_bestAcc = valAccuracy;
        m_bestLoss = valLoss;
    }
    if (first || valLoss < m_minLoss)
        m_minLoss = valLoss;
    m_since = (best || lossDown) ? 0 : m_since + 1;
    return best;
}

bool EpochChoice::keep(bool lowest, double valLoss, double valLossSe, bool hasValidation)
{
    if (lowest) {
        m_lowest = valLoss;
        m_lowestSe = valLossSe;
    }
    if (m_last || lowest)
        return true;
    return m_withinSe && hasValidation && valLoss <= m_lowest + m_lowestSe;
}

std::string EarlyStopping::reason(bool cancelled) const
{
    const std::string best = m_bestEpoch >= 1 ? "best epoch " + std::to_string(m_bestEpoch)
                                              : std::string("no epoch finished");
    if (cancelled)
        return "cancelled after epoch " + std::to_string(m_lastEpoch) + "; " + best;
    if (shouldStop())
        return "no validation improvement for " + std::to_string(m_since) + " epochs; " + best;
    return "reached the maximum of " + std::to_string(m_maxEpochs) + " epochs; " + best;
}

bool LrSchedule::isValid(const std::string& kind)
{
    return kind == "none" || kind == "plateau" || kind == "cosine";
}

LrSchedule::LrSchedule(const std::string& kind, double lr, int maxEpochs, int patience)
    : m_lr0(lr), m_lr(lr), m_maxEpochs(std::max(1, maxEpochs)), m_plateau(std::max(2, patience / 4))
{
    if (kind == "none" || kind.empty())
        m_kind = Kind::None;
    else if (kind == "plateau")
        m_kind = Kind::Plateau;
    else if (kind == "cosine")
        m_kind = Kind::Cosine;
    else
        throw Error("unknown learning-rate schedule '" + kind + "'; valid: plateau, cosine, none");
}

double LrSchedule::lrFor(int epoch) const
{
    if (m_kind == Kind::Cosine) {
        const double pi = std::acos(-1.0);
        const double t = static_cast<double>(std::clamp(epoch, 1, m_maxEpochs) - 1) / m_maxEpochs;
        return m_lr0 * 0.5 * (1.0 + std::cos(pi * t));
    }
    return m_lr;
}

void LrSchedule::afterEpoch(bool improved)
{
    if (m_kind != Kind::Plateau)
        return;
    if (improved) {
        m_wait = 0;
        return;
    }
    if (++m_wait >= m_plateau) {
        m_lr = std::max(m_lr * 0.5, m_lr0 / 100.0);
        m_wait = 0;
    }
}

} // namespace senn::train
