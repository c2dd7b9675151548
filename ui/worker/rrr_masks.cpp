// RrrMasks: the per-row annotation mask, recomputed from a Decoy-MNIST transform or painted,
// and its summary for one example.
#include "ui/worker/rrr_masks.h"

#include "core/common/error.h"
#include "core/data/decoy.h"
#include "core/train/rrr.h"

#include <algorithm>

namespace senn::ui {

bool RrrMasks::sizedFor(const data::Dataset& data) const
{
    return m_values.size() == static_cast<size_t>(data.rows() * data.featureCount());
}

void RrrMasks::adopt(const data::Dataset* data)
{
    m_values.clear();
    m_decoy = false;
    if (!data)
        return;
    for (const auto& t : data->transforms)
        if (const auto seed = data::parseDecoyTransform(t)) {
            m_values = data::decoyMasks(*data, *seed);
            m_decoy = true;
            m_decoySeed = *seed;
        }
}

const std::vector<float>* RrrMasks::forTraining(const data::Dataset* data) const
{
    const bool any = data && sizedFor(*data) &&
                     std::any_of(m_values.begin(), m_values.end(), [](float v) { return v != 0.0f; });
    if (!any)
        throw senn::Error("Training with λ₁ > 0 needs an annotation mask: generate Decoy MNIST or "
                          "paint a mask in the Right reasons view (or set λ₁ to 0).");
    return &m_values;
}

RrrMaskState RrrMasks::state(const data::Dataset* data, const data::Split& split, int64_t row) const
{
    RrrMaskState s;
    s.decoy = m_decoy;
    s.decoySeed = m_decoySeed;
    if (!data)
        return s;
    s.shape = data->sampleShape;
    const size_t d = static_cast<size_t>(data->featureCount());
    const bool sized = sizedFor(*data);
    if (row >= 0 && row < data->rows()) {
        s.row = row;
        if (sized)
            s.rowMask.assign(m_values.begin() + static_cast<std::ptrdiff_t>(row * d),
                             m_values.begin() + static_cast<std::ptrdiff_t>((row + 1) * d));
        else
            s.rowMask.assign(d, 0.0f);
    }
    if (sized) {
        s.coverage = train::maskCoverage(m_values, *data, split.train);
        for (int64_t r = 0; r < data->rows(); ++r) {
            const auto* m = m_values.data() + static_cast<size_t>(r) * d;
            s.maskedRows += std::any_of(m, m + d, [](float v) { return v != 0.0f; });
        }
    }
    return s;
}

int64_t RrrMasks::paint(const data::Dataset& data, int64_t row, const std::vector<int64_t>& pixels,
                        float value, RrrScope scope)
{
    const auto& shape = data.sampleShape;
    const int64_t d = data.featureCount();
    // Images {C,H,W}: a pixel covers every channel; tabular {d}: a pixel is a feature.
    const int64_t channels = shape.size() == 3 ? shape[0] : 1;
    const int64_t plane = d / channels;
    if (!sizedFor(data))
        m_values.assign(static_cast<size_t>(d * data.rows()), 0.0f);
    const int64_t label = data.y[static_cast<size_t>(row)];
    const auto apply = [&](int64_t r) {
        float* m = m_values.data() + r * d;
        for (int64_t p : pixels)
            if (p >= 0 && p < plane)
                for (int64_t c = 0; c < channels; ++c)
                    m[c * plane + p] = value;
    };
    int64_t rows = 0;
    for (int64_t r = 0; r < data.rows(); ++r) {
        const bool hit = scope == RrrScope::All ||
                         (scope == RrrScope::Class && data.y[static_cast<size_t>(r)] == label) ||
                         r == row;
        if (hit) {
            apply(r);
            ++rows;
        }
    }
    return rows;
}

void RrrMasks::clear(const data::Dataset* data)
{
    if (data)
        m_values.assign(static_cast<size_t>(data->rows() * data->featureCount()), 0.0f);
}

} // namespace senn::ui
