#include "core/train/flint_metrics.h"

#include "core/common/error.h"

#include <cmath>
#include <cstdio>

namespace senn::train {

std::vector<double> flintTaus() { return {1.5, 2.0, 2.5, 3.0, 4.0, 5.0}; }

std::string flintConcisenessKey(double tau)
{
    char buf[32];
    if (std::fabs(tau - std::round(tau)) < 1e-9)
        std::snprintf(buf, sizeof buf, "conciseness_%d", static_cast<int>(std::round(tau)));
    else
        std::snprintf(buf, sizeof buf, "conciseness_%g", tau);
    return buf;
}

FlintLossWeights FlintLossWeights::at(double progress) const
{
    FlintLossWeights w = *this;
    // A tiny tolerance so the first batch of "epoch 3 of 12" counts as switched on.
    if (progress + 1e-9 < betaFrom) {
        w.beta = 0;
        w.lambda1 = 0;
    }
    if (progress + 1e-9 < deltaFrom)
        w.delta = 0;
    return w;
}

namespace {
torch::Tensor entropyRows(const torch::Tensor& v)
{
    return -(torch::softmax(v, 1) * torch::log_softmax(v, 1)).sum(1);
}
} // namespace

FlintEntropies flintEntropies(const torch::Tensor& phi)
{
    auto a = phi.abs();
    FlintEntropies e;
    e.mean = entropyRows(a).mean();
    e.diversity = entropyRows(a.mean(0, /*keepdim=*/true)).squeeze(0);
    return e;
}

FlintLoss flintLoss(const models::FlintTensors& t, const torch::Tensor& y,
                    const FlintLossWeights& w, bool withCe)
{
    FlintLoss out;
    auto total = torch::zeros({}, t.phi.options());
    if (withCe) {
        auto ce = torch::nn::functional::cross_entropy(t.logits, y);
        out.ce = ce.item<double>();
        total = total + ce;
    }
    if (w.gamma > 0) {
        if (!t.recon.defined())
            throw Error("internal: FLINT loss needs the decoder output when gamma > 0");
        auto mse = torch::mse_loss(t.recon, t.xStd.detach());
        out.mse = mse.item<double>();
        total = total + w.gamma * mse;
    }
    // f teaches g: f's distribution is a fixed target here.
    auto pf = torch::softmax(t.logits, 1).detach();
    auto lof = -(pf * torch::log_softmax(t.gLogits, 1)).sum(1).mean();
    out.outputFidelity = lof.item<double>();
    if (w.beta > 0)
        total = total + w.beta * lof;
    auto l1 = t.phi.abs().mean();
    out.l1 = l1.item<double>();
    if (w.lambda1 > 0)
        total = total + w.lambda1 * l1;
    auto e = flintEntropies(t.phi);
    out.entropyMean = e.mean.item<double>();
    out.entropyDiv = e.diversity.item<double>();
    if (w.delta > 0)
        total = total + w.delta * (e.mean - e.diversity);
    out.total = total;
    return out;
}

torch::Tensor flintRelevance(const torch::Tensor& phi, const torch::Tensor& weight,
                             const torch::Tensor& predicted)
{
    // weight [J, C] -> columns of the predicted classes, [N, J]
    auto w = weight.t().index_select(0, predicted.to(torch::kLong));
    return normaliseRelevance(phi * w);
}

torch::Tensor normaliseRelevance(const torch::Tensor& contrib)
{
    auto m = contrib.abs().amax(1, /*keepdim=*/true);
    return torch::where(m > 0, contrib / m.clamp_min(1e-30), torch::zeros_like(contrib));
}

torch::Tensor flintConcisenessCounts(const torch::Tensor& relevance, double tau)
{
    auto a = relevance.abs();
    auto m = a.amax(1, /*keepdim=*/true);
    return (a > m / tau).to(torch::kFloat32).sum(1);
}

torch::Tensor gatherRows(const data::Dataset& data, const std::vector<int64_t>& rows,
                         size_t begin, size_t end, torch::Device device)
{
    const int64_t d = data.featureCount();
    const int64_t n = static_cast<int64_t>(end - begin);
    std::vector<int64_t> shape{n};
    shape.insert(shape.end(), data.sampleShape.begin(), data.sampleShape.end());
    auto x = torch::empty(shape, torch::kFloat32);
    float* dst = x.data_ptr<float>();
    for (size_t i = begin; i < end; ++i) {
        const float* src = data.row(rows[i]);
        std::copy(src, src + d, dst + static_cast<int64_t>(i - begin) * d);
    }
    return device.is_cpu() ? x : x.to(device);
}

torch::Tensor gatherLabels(const data::Dataset& data, const std::vector<int64_t>& rows, size_t begin, size_t end)
{
    std::vector<int64_t> labels;
    labels.reserve(end - begin);
    for (size_t i = begin; i < end; ++i)
        labels.push_back(data.y[static_cast<size_t>(rows[i])]);
    return torch::tensor(labels, torch::kLong);
}

FlintScores emptyScores(size_t n)
{
    FlintScores s;
    s.taus = flintTaus();
    s.conciseness.assign(s.taus.size(), 0.0);
    s.n = static_cast<int64_t>(n);
    return s;
}

FlintScores scoreFlint(models::FlintModel& model, const data::Dataset& data,
                       const std::vector<int64_t>& rows, const jobs::CancelToken& cancel,
                       int64_t chunkRows)
{
    FlintScores s = emptyScores(rows.size());
    if (rows.empty())
        return s;
    torch::NoGradGuard noGrad;
    model.setTraining(false);
    const auto weight = model.interpreterWeight();
    double okF = 0, okG = 0, agree = 0;
    for (size_t b = 0; b < rows.size(); b += static_cast<size_t>(chunkRows)) {
        cancel.throwIfCancelled();
        const size_t e = std::min(rows.size(), b + static_cast<size_t>(chunkRows));
        auto t = model.forward(gatherRows(data, rows, b, e, model.device()));
        auto pf = t.logits.argmax(1).cpu();
        auto pg = t.gLogits.argmax(1).cpu();
        auto y = gatherLabels(data, rows, b, e);
        okF += pf.eq(y).sum().item<double>();
        okG += pg.eq(y).sum().item<double>();
        agree += pf.eq(pg).sum().item<double>();
        auto r = flintRelevance(t.phi, weight, pg.to(t.phi.device()));
        for (size_t k = 0; k < s.taus.size(); ++k)
            s.conciseness[k] += flintConcisenessCounts(r, s.taus[k]).sum().item<double>();
    }
    const double n = static_cast<double>(rows.size());
    s.accuracyF = okF / n;
    s.accuracyG = okG / n;
    s.fidelity = agree / n;
    for (auto& c : s.conciseness)
        c /= n;
    return s;
}

} // namespace senn::train
