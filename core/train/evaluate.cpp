// Scoring a model on rows of a dataset (trainer.h's evaluate()): accuracy, mean cross-entropy
// and the confusion matrix, in cancellable chunks; and the row access the trainers share.
#include "core/train/trainer.h"

#include "core/common/error.h"
#include "core/models/model_impl.h"
#include "core/train/train_internal.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace senn::train {

namespace detail {

torch::Tensor wholeData(const data::Dataset& data)
{
    std::vector<int64_t> shape{data.rows()};
    shape.insert(shape.end(), data.sampleShape.begin(), data.sampleShape.end());
    return torch::from_blob(const_cast<float*>(data.x.data()), shape, torch::kFloat32);
}

torch::Tensor indexTensor(const std::vector<int64_t>& rows, size_t begin, size_t end)
{
    return torch::tensor(std::vector<int64_t>(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                                              rows.begin() + static_cast<std::ptrdiff_t>(end)),
                         torch::kInt64);
}

Evaluation evaluateWithLossSe(const models::Model& model, const data::Dataset& data,
                              const std::vector<int64_t>& rows, const std::string& splitName,
                              double& lossSe, const jobs::CancelToken& cancel)
{
    auto impl = model.impl();
    if (!impl)
        throw Error("no model to evaluate");
    const int64_t classes = model.numClasses();
    if (data.featureCount() != model.featureCount())
        throw Error("the data has " + std::to_string(data.featureCount()) +
                    " input values per row; the model expects " + std::to_string(model.featureCount()));
    Evaluation ev;
    ev.split = splitName;
    ev.n = static_cast<int64_t>(rows.size());
    ev.confusion.assign(static_cast<size_t>(classes), std::vector<int64_t>(static_cast<size_t>(classes), 0));
    torch::NoGradGuard noGrad;
    impl->setTraining(false);
    const auto xAll = detail::wholeData(data);
    constexpr size_t chunk = 512;
    int64_t correct = 0;
    double lossSum = 0, lossSqSum = 0;
    for (size_t begin = 0; begin < rows.size(); begin += chunk) {
        cancel.throwIfCancelled();
        const size_t end = std::min(rows.size(), begin + chunk);
        auto idx = detail::indexTensor(rows, begin, end);
        auto z = impl->logits(xAll.index_select(0, idx).to(impl->device()));
        std::vector<int64_t> labels;
        labels.reserve(end - begin);
        for (size_t i = begin; i < end; ++i)
            labels.push_back(data.y[static_cast<size_t>(rows[i])]);
        auto target = torch::tensor(labels, torch::kInt64).to(z.device());
        const auto rowLoss = torch::nn::functional::cross_entropy(
                                 z, target, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone))
                                 .to(torch::kFloat64);
        lossSum += rowLoss.sum().item<double>();
        lossSqSum += rowLoss.square().sum().item<double>();
        auto pred = z.argmax(1).to(torch::kCPU).contiguous();
        const int64_t* p = pred.data_ptr<int64_t>();
        for (size_t i = begin; i < end; ++i) {
            const int64_t t = data.y[static_cast<size_t>(rows[i])];
            const int64_t q = p[i - begin];
            if (t >= 0 && t < classes && q >= 0 && q < classes)
                ++ev.confusion[static_cast<size_t>(t)][static_cast<size_t>(q)];
            correct += (t == q);
        }
    }
    ev.accuracy = ev.n ? static_cast<double>(correct) / static_cast<double>(ev.n) : 0.0;
    ev.loss = ev.n ? lossSum / static_cast<double>(ev.n) : 0.0;
    lossSe = 0;
    if (ev.n > 1) {
        const double n = static_cast<double>(ev.n);
        const double var = std::max(0.0, (lossSqSum - n * ev.loss * ev.loss) / (n - 1));
        lossSe = std::sqrt(var / n);
    }
    for (int64_t c = 0; c < classes; ++c) {
        const auto& row = ev.confusion[static_cast<size_t>(c)];
        const int64_t total = std::accumulate(row.begin(), row.end(), int64_t{0});
        ev.perClassAccuracy.push_back(total ? static_cast<double>(row[static_cast<size_t>(c)]) /
                                                  static_cast<double>(total)
                                            : 0.0);
    }
    return ev;
}

} // namespace detail

Evaluation evaluate(const models::Model& model, const data::Dataset& data,
                    const std::vector<int64_t>& rows, const std::string& splitName,
                    const jobs::CancelToken& cancel)
{
    double se = 0;
    return detail::evaluateWithLossSe(model, data, rows, splitName, se, cancel);
}

} // namespace senn::train
