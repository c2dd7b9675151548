// The worker's Right-for-the-Right-Reasons annotation mask (rrr.md): one value per input value
// of every row (1 = the model must not look there), generated from Decoy MNIST or painted by
// a person. Part of the worker's state; only the worker thread touches it.
#pragma once
#include "ui/worker/rrr_results.h"

#include "core/data/dataset.h"
#include "core/data/split.h"

#include <cstdint>
#include <vector>

namespace senn::ui {

class RrrMasks {
public:
    // A new dataset: no mask, or the decoy patches when its transforms include Decoy MNIST.
    void adopt(const data::Dataset* data);
    // The masks train() gets when rrrLambda > 0; throws senn::Error when there are none.
    const std::vector<float>* forTraining(const data::Dataset* data) const;
    // The mask as seen from one example of `data` (coverage over the training split).
    RrrMaskState state(const data::Dataset* data, const data::Split& split, int64_t row) const;
    // Sets (value 1) or erases (0) `pixels` (flat H*W indices, every channel) of `row`, of every
    // row of its class, or of every row (scope). Returns how many rows it touched.
    int64_t paint(const data::Dataset& data, int64_t row, const std::vector<int64_t>& pixels,
                  float value, RrrScope scope);
    void clear(const data::Dataset* data);

private:
    bool sizedFor(const data::Dataset& data) const;

    std::vector<float> m_values; // rows x featureCount() of the dataset, or empty
    bool m_decoy = false;
    uint64_t m_decoySeed = 0;
};

} // namespace senn::ui
