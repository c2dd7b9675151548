// The baseline trained beside every model: a multinomial logistic regression (one
// linear layer, L2 as scikit-learn's default C = 1, full-batch L-BFGS to convergence) on the
// same training rows and the same standardisation, so the model card always tells whether a
// model is competitive with a plain linear one.
#pragma once
#include "core/data/dataset.h"

#include <cstdint>
#include <vector>

namespace senn::train {

struct BaselineResult {
    double accuracy = -1;  // on evalRows; -1 when there are none
    int64_t n = 0;
    int evaluations = 0;   // loss evaluations L-BFGS used
    double seconds = 0;
};

// Fits on trainRows and scores on evalRows. Deterministic (no random initialisation: the
// weights start at zero and the problem is convex). c is the inverse L2 strength, as
// scikit-learn's: loss = Σ CE + ‖W‖² / (2c) (no penalty on the intercept). Throws senn::Error
// when trainRows is empty.
// The fitted weights w [d, C] (row-major) and intercept b [C] of the same regression on the
// standardised training rows (b all 0 without an intercept): the linear model a SENN with
// identity concepts (no intercept) or an MLP with a linear skip starts from.
struct LinearWeights {
    std::vector<float> w, b;
};
LinearWeights logisticWeights(const data::Dataset& data, const std::vector<int64_t>& trainRows,
                              bool intercept, double c = 1.0, int maxIterations = 300);

BaselineResult logisticBaseline(const data::Dataset& data, const std::vector<int64_t>& trainRows,
                                const std::vector<int64_t>& evalRows, double c = 1.0,
                                int maxIterations = 300);

} // namespace senn::train
