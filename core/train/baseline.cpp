#include "core/train/baseline.h"

#include "core/common/error.h"
#include "core/data/split.h"
#include "core/torch_include.h"

#include <chrono>

namespace senn::train {

namespace {

// The rows, flattened and standardised as the models see them (split.h's Standardizer).
torch::Tensor standardRows(const data::Dataset& data, const std::vector<int64_t>& rows,
                           const data::Standardizer& st)
{
    const int64_t d = data.featureCount();
    auto x = torch::empty({static_cast<int64_t>(rows.size()), d}, torch::kFloat32);
    float* out = x.data_ptr<float>();
    std::vector<float> mean(static_cast<size_t>(d), 0.f), inv(static_cast<size_t>(d), 1.f);
    if (!st.mean.empty())
        for (int64_t j = 0; j < d; ++j) {
            mean[static_cast<size_t>(j)] = st.meanAt(j, data.sampleShape);
            const float s = st.stdAt(j, data.sampleShape);
            inv[static_cast<size_t>(j)] = s > 0 ? 1.f / s : 1.f;
        }
    for (size_t i = 0; i < rows.size(); ++i) {
        const float* src = data.x.data() + rows[i] * d;
        for (int64_t j = 0; j < d; ++j)
            out[static_cast<int64_t>(i) * d + j] = (src[j] - mean[static_cast<size_t>(j)]) * inv[static_cast<size_t>(j)];
    }
    return x;
}

torch::Tensor labels(const data::Dataset& data, const std::vector<int64_t>& rows)
{
    std::vector<int64_t> y;
    y.reserve(rows.size());
    for (auto r : rows)
        y.push_back(data.y[static_cast<size_t>(r)]);
    return torch::tensor(y, torch::kInt64);
}


struct Fit {
    torch::Tensor w, b;
    data::Standardizer st;
    int evaluations = 0;
};

Fit fit(const data::Dataset& data, const std::vector<int64_t>& trainRows, double c, int maxIterations,
        bool intercept)
{
    if (trainRows.empty())
        throw Error("the training split of " + data.source + " is empty; the baseline needs rows to fit");
    if (!(c > 0))
        throw Error("the baseline's inverse regularisation strength must be positive");
    torch::NoGradGuard outer;
    Fit f;
    f.st = data::Standardizer::fit(data, trainRows);
    // The rows stay float32, as every model sees them; the weights, the loss and L-BFGS's state
    // are float64. The two products per evaluation (X·W and Xᵀ·∂Z) read all of X, which is
    // what an evaluation costs on images: float32 rows are half the bytes to read, and the
    // evaluation is faster by more than that.
    const auto x = standardRows(data, trainRows, f.st);
    const auto y = labels(data, trainRows);
    const int64_t classes = std::max<int64_t>(data.numClasses(), 2);
    const int64_t d = x.size(1);
    const double n = static_cast<double>(trainRows.size());
    // Two classes: the softmax's two weight vectors split the one of a binary logistic
    // regression (w1 = -w0 = w/2 at the optimum), so twice the penalty gives scikit-learn's
    // binary model exactly; more classes: its multinomial model.
    const double penalty = (classes == 2 ? 2.0 : 1.0) / (2.0 * c * n);

    auto w = torch::zeros({d, classes}, torch::kFloat64).requires_grad_(true);
    auto b = torch::zeros({classes}, torch::kFloat64).requires_grad_(intercept);
    std::vector<torch::Tensor> params{w};
    if (intercept)
        params.push_back(b);
    torch::optim::LBFGS opt(params, torch::optim::LBFGSOptions(1.0)
                                        .max_iter(maxIterations)
                                        .max_eval(maxIterations * 5 / 4)
                                        .tolerance_grad(1e-6)
                                        .tolerance_change(1e-10)
                                        .history_size(20)
                                        .line_search_fn("strong_wolfe"));
    int evaluations = 0;
    auto closure = [&]() -> torch::Tensor {
        torch::AutoGradMode grad(true);
        opt.zero_grad();
        // Mean over rows, so the tolerances do not depend on the row count: Σ CE / n + ‖W‖²/(2cn).
        auto logits = torch::addmm(b.to(torch::kFloat32), x, w.to(torch::kFloat32)).to(torch::kFloat64);
        auto loss = torch::nn::functional::cross_entropy(logits, y) +
                    w.pow(2).sum() * penalty;
        loss.backward();
        ++evaluations;
        return loss;
    };
    opt.step(closure);
    f.w = w.detach();
    f.b = b.detach();
    f.evaluations = evaluations;
    return f;
}

} // namespace

LinearWeights logisticWeights(const data::Dataset& data, const std::vector<int64_t>& trainRows,
                              bool intercept, double c, int maxIterations)
{
    const auto f = fit(data, trainRows, c, maxIterations, intercept);
    auto w = f.w.to(torch::kFloat32).contiguous();
    auto b = f.b.to(torch::kFloat32).contiguous();
    LinearWeights out;
    out.w.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
    out.b.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
    return out;
}

BaselineResult logisticBaseline(const data::Dataset& data, const std::vector<int64_t>& trainRows,
                                const std::vector<int64_t>& evalRows, double c, int maxIterations)
{
    const auto start = std::chrono::steady_clock::now();
    const auto f = fit(data, trainRows, c, maxIterations, true);
    torch::NoGradGuard noGrad;
    BaselineResult r;
    r.evaluations = f.evaluations;
    if (!evalRows.empty()) {
        const auto xe = standardRows(data, evalRows, f.st);
        const auto ye = labels(data, evalRows);
        const auto pred = torch::addmm(f.b.to(torch::kFloat32), xe, f.w.to(torch::kFloat32)).argmax(1);
        r.accuracy = pred.eq(ye).to(torch::kFloat64).mean().item<double>();
        r.n = static_cast<int64_t>(evalRows.size());
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

} // namespace senn::train
