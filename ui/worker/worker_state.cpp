// WorkerState: adopting data, splits and models together, and the ModelSummary (card and
// test predictions) the GUI gets.
#include "ui/worker/worker_state.h"

#include "core/common/error.h"
#include "core/io/ground_truth.h"
#include "core/train/flint_interpret.h"
#include "core/train/flint_trainer.h"
#include "core/train/trainer.h"

#include <algorithm>

namespace senn::ui {

void WorkerState::adoptData(std::shared_ptr<const data::Dataset> newData, data::Split newSplit)
{
    data = std::move(newData);
    rrr.adopt(data.get());
    adoptSplit(std::move(newSplit));
}

void WorkerState::adoptSplit(data::Split newSplit)
{
    split = std::move(newSplit);
    ctx = std::make_unique<explain::ExplainContext>(explain::ExplainContext::make(*data, split));
}

void WorkerState::adoptModel(models::Model newModel, const QString& path)
{
    model = std::move(newModel);
    modelPath = path;
    previous = models::Model();
    replaced = models::Model();
}

ModelSummary WorkerState::summarize() const
{
    ModelSummary s;
    s.valid = model.isValid();
    if (!s.valid)
        return s;
    s.meta = model.meta();
    s.path = modelPath;
    s.description = QString::fromStdString(model.describe());
    s.isSenn = model.isSenn();
    s.isFlint = train::isFlint(model);
    s.torchScript = s.meta.config.kind == models::ModelKind::TorchScript;
    s.hasData = modelHasData && data;
    try {
        if (const auto truth = io::groundTruthOf(model)) {
            s.truthMask = truth->mask();
            s.truthDescription = QString::fromStdString(truth->description);
        }
    } catch (const Error&) { // a damaged truth is no truth: the model itself still works
    }
    if (s.torchScript && s.hasData) {
        try {
            s.flintLayers = train::flintHiddenLayers(model, *data, split.train.empty() ? 0 : split.train.front());
        } catch (const Error& e) {
            s.flintLayersProblem = QString::fromStdString(e.what());
        }
    }
    if (!s.hasData || split.test.empty())
        return s;
    s.test = train::evaluate(model, *data, split.test, "test");
    s.rows = split.test;
    const int64_t c = model.numClasses();
    const int64_t f = data->featureCount();
    constexpr size_t chunk = 512;
    std::vector<float> buf;
    for (size_t b = 0; b < s.rows.size(); b += chunk) {
        const size_t e = std::min(s.rows.size(), b + chunk);
        buf.resize((e - b) * size_t(f));
        for (size_t i = b; i < e; ++i)
            std::copy(data->row(s.rows[i]), data->row(s.rows[i]) + f, buf.begin() + (i - b) * f);
        const auto p = model.probabilities(buf.data(), int64_t(e - b));
        for (size_t i = 0; i < e - b; ++i) {
            const float* pi = p.data() + i * size_t(c);
            const auto best = std::max_element(pi, pi + c) - pi;
            s.predictions.push_back(best);
            s.confidence.push_back(pi[best]);
        }
    }
    return s;
}

} // namespace senn::ui
