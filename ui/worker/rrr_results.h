// Plain structs the CoreWorker's Right-for-the-Right-Reasons slots (rrr_job.cpp) send
// to the GUI thread: the annotation mask of one example, input-gradient maps, and one round
// of "find another explanation". Registered as metatypes by registerRrrTypes().
#pragma once
#include "core/train/rrr.h"
#include "core/train/trainer.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <vector>

namespace senn::ui {

// Where a painted stroke applies (rrr.md "Masks from a person").
enum class RrrScope { Example = 0, Class = 1, All = 2 };

// The worker's mask as seen from one example.
struct RrrMaskState {
    int64_t row = -1;
    std::vector<float> rowMask;   // featureCount() values of that row (1 = must not look)
    std::vector<int64_t> shape;   // sample shape
    double coverage = 0;          // fraction of the training split's input values masked
    int64_t maskedRows = 0;       // rows with at least one masked value
    bool decoy = false;           // the dataset is the Decoy-MNIST transform of the loaded one
    uint64_t decoySeed = 0;
};

// ∂ Σ_k log p_k / ∂x of the current model for some rows (raw input space).
struct RrrGradients {
    std::vector<int64_t> rows;
    std::vector<float> gradients; // rows.size() x featureCount()
    std::vector<int64_t> shape;
    double trainAccuracy = -1, testAccuracy = -1;
};

// One finished round of "find another explanation".
struct RrrRound {
    int round = 0, rounds = 0;
    bool cancelled = false;
    double trainAccuracy = 0, testAccuracy = -1, maskCoverage = 0;
    std::vector<int64_t> rows;
    std::vector<float> gradients, mask; // rows.size() x featureCount() each
    std::vector<int64_t> shape;
};

void registerRrrTypes();

} // namespace senn::ui

Q_DECLARE_METATYPE(senn::ui::RrrMaskState)
Q_DECLARE_METATYPE(senn::ui::RrrGradients)
Q_DECLARE_METATYPE(senn::ui::RrrRound)
Q_DECLARE_METATYPE(senn::train::LambdaGuidance)
