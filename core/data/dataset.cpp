#include "core/data/dataset.h"

namespace senn::data {

std::vector<int64_t> Dataset::classCounts() const
{
    std::vector<int64_t> counts(classNames.size(), 0);
    for (auto label : y)
        if (label >= 0 && label < static_cast<int64_t>(counts.size()))
            ++counts[static_cast<size_t>(label)];
    return counts;
}

Dataset Dataset::subset(const std::vector<int64_t>& indices) const
{
    Dataset out;
    out.kind = kind;
    out.sampleShape = sampleShape;
    out.classNames = classNames;
    out.featureNames = featureNames;
    out.source = source;
    out.targetName = targetName;
    out.transforms = transforms;
    const int64_t d = featureCount();
    out.x.reserve(indices.size() * static_cast<size_t>(d));
    out.y.reserve(indices.size());
    for (auto i : indices) {
        out.x.insert(out.x.end(), row(i), row(i) + d);
        out.y.push_back(y[static_cast<size_t>(i)]);
    }
    return out;
}

} // namespace senn::data
