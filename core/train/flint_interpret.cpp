#include "core/train/flint_interpret.h"

#include "core/common/error.h"
#include "core/common/remedy.h"
#include "core/models/flint_net.h"
#include "core/train/flint_metrics.h"

#include <algorithm>
#include <numeric>

namespace senn::train {

using models::FlintModel;

namespace {

FlintModel& needFlint(const models::Model& model)
{
    auto fl = model.isValid() ? std::dynamic_pointer_cast<FlintModel>(model.impl()) : nullptr;
    if (!fl)
        throw ErrorWithRemedy("this model is not a FLINT model: it has no attributes or "
                              "interpreter to show. Train a FLINT model first",
                              Remedy::TrainFlint);
    return *fl;
}

// `kind` names the model in the message ("FLINT", "SENN").
void checkData(const models::ModelImpl& m, const char* kind, const data::Dataset& data,
               const std::vector<int64_t>& rows)
{
    if (data.sampleShape != m.meta().inputShape)
        throw Error(std::string("the data's sample shape does not match the ") + kind +
                    " model's input; open the data it was trained on");
    for (auto r : rows)
        if (r < 0 || r >= data.rows())
            throw Error("row " + std::to_string(r) + " is outside the dataset (" +
                        std::to_string(data.rows()) + " rows)");
}

} // namespace

bool isFlint(const models::Model& model)
{
    return model.isValid() && std::dynamic_pointer_cast<FlintModel>(model.impl()) != nullptr;
}

FlintScores scoreFlint(const models::Model& model, const data::Dataset& data,
                       const std::vector<int64_t>& rows, const jobs::CancelToken& cancel)
{
    auto& m = needFlint(model);
    checkData(m, "FLINT", data, rows);
    return scoreFlint(m, data, rows, cancel);
}

FlintScores sennConciseness(const models::Model& model, const data::Dataset& data,
                            const std::vector<int64_t>& rows, const jobs::CancelToken& cancel)
{
    if (!model.isValid() || !model.isSenn())
        throw Error("SENN conciseness needs a SENN model (its relevances are θ·h over concepts)");
    auto impl = model.impl();
    checkData(*impl, "SENN", data, rows);
    FlintScores s = emptyScores(rows.size());
    if (rows.empty())
        return s;
    torch::NoGradGuard noGrad;
    impl->setTraining(false);
    double ok = 0;
    const size_t chunk = 512;
    for (size_t b = 0; b < rows.size(); b += chunk) {
        cancel.throwIfCancelled();
        const size_t e = std::min(rows.size(), b + chunk);
        const auto t = impl->senn(gatherRows(data, rows, b, e, impl->device()));
        const auto pred = t.logits.argmax(1);
        // θ of the predicted class for every concept: [N, k, C] -> [N, k]
        const auto thetaY = t.theta.gather(2, pred.view({-1, 1, 1}).expand({t.theta.size(0), t.theta.size(1), 1}))
                                .squeeze(2);
        const auto r = normaliseRelevance(thetaY * t.h);
        for (size_t k = 0; k < s.taus.size(); ++k)
            s.conciseness[k] += flintConcisenessCounts(r, s.taus[k]).sum().item<double>();
        ok += pred.cpu().eq(gatherLabels(data, rows, b, e)).sum().item<double>();
    }
    const double n = static_cast<double>(rows.size());
    s.accuracyF = ok / n;
    for (auto& c : s.conciseness)
        c /= n;
    return s;
}

FlintInterpretation interpretFlint(const models::Model& model, const data::Dataset& data,
                                   const std::vector<int64_t>& rows,
                                   const FlintInterpretOptions& options,
                                   const jobs::CancelToken& cancel)
{
    auto& m = needFlint(model);
    checkData(m, "FLINT", data, rows);
    torch::NoGradGuard noGrad;
    m.setTraining(false);
    const int64_t J = m.attributeCount();
    const int64_t C = static_cast<int64_t>(m.meta().classNames.size());
    const auto weight = m.interpreterWeight();

    FlintInterpretation out;
    out.attributes = J;
    out.classes = C;
    out.weight = models::toVector(weight);
    out.scores = scoreFlint(m, data, rows, cancel, options.chunkRows);

    // One pass: Φ, relevances and predictions of every row.
    std::vector<torch::Tensor> phis, rels, pfs, pgs;
    const size_t chunk = static_cast<size_t>(std::max<int64_t>(1, options.chunkRows));
    for (size_t b = 0; b < rows.size(); b += chunk) {
        cancel.throwIfCancelled();
        const size_t e = std::min(rows.size(), b + chunk);
        auto t = m.forward(gatherRows(data, rows, b, e, m.device()));
        auto pg = t.gLogits.argmax(1);
        phis.push_back(t.phi.cpu());
        rels.push_back(flintRelevance(t.phi, weight, pg).cpu());
        pfs.push_back(t.logits.argmax(1).cpu());
        pgs.push_back(pg.cpu());
    }
    if (rows.empty())
        return out;
    const auto phi = torch::cat(phis).contiguous();
    const auto rel = torch::cat(rels).contiguous();
    const auto pf = torch::cat(pfs).contiguous();
    const auto pg = torch::cat(pgs).contiguous();
    const int64_t n = phi.size(0);

    const int top = static_cast<int>(std::min<int64_t>(std::max(options.top, 0), J));
    out.local.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        auto& l = out.local[static_cast<size_t>(i)];
        l.row = rows[static_cast<size_t>(i)];
        l.label = data.y[static_cast<size_t>(l.row)];
        l.predictedF = pf[i].item<int64_t>();
        l.predictedG = pg[i].item<int64_t>();
        l.phi = models::toVector(phi[i]);
        l.relevance = models::toVector(rel[i]);
        std::vector<int> idx(static_cast<size_t>(J));
        std::iota(idx.begin(), idx.end(), 0);
        std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
            return std::abs(l.relevance[static_cast<size_t>(a)]) > std::abs(l.relevance[static_cast<size_t>(b)]);
        });
        l.top.assign(idx.begin(), idx.begin() + top);
    }

    // Global: mean r over the rows g assigns to each class.
    out.globalRelevance.assign(static_cast<size_t>(C * J), 0.0f);
    out.classRows.assign(static_cast<size_t>(C), 0);
    for (int64_t c = 0; c < C; ++c) {
        auto mask = pg.eq(c);
        const int64_t k = mask.sum().item<int64_t>();
        out.classRows[static_cast<size_t>(c)] = k;
        if (k == 0)
            continue;
        auto mean = rel.index({mask}).mean(0).contiguous();
        std::copy(mean.data_ptr<float>(), mean.data_ptr<float>() + J,
                  out.globalRelevance.begin() + c * J);
    }
    for (int64_t c = 0; c < C; ++c)
        for (int64_t j = 0; j < J; ++j) {
            const float r = out.globalRelevance[static_cast<size_t>(c * J + j)];
            if (r > options.globalThreshold)
                out.globalPairs.push_back({static_cast<int>(c), static_cast<int>(j), r});
        }
    std::stable_sort(out.globalPairs.begin(), out.globalPairs.end(),
                     [](const FlintGlobalPair& a, const FlintGlobalPair& b) { return a.relevance > b.relevance; });

    // Maximum activating samples: among rows of the classes attribute j is relevant for.
    const int l = std::max(options.samplesPerAttribute, 0);
    out.maxActivating.resize(static_cast<size_t>(J));
    out.maxActivation.resize(static_cast<size_t>(J));
    const float* ph = phi.data_ptr<float>();
    const int64_t* pgp = pg.data_ptr<int64_t>();
    for (int64_t j = 0; j < J; ++j) {
        std::vector<bool> relevantClass(static_cast<size_t>(C), false);
        bool any = false;
        for (const auto& p : out.globalPairs)
            if (p.attribute == j) {
                relevantClass[static_cast<size_t>(p.classIndex)] = true;
                any = true;
            }
        std::vector<int64_t> cand;
        for (int64_t i = 0; i < n; ++i)
            if (!any || relevantClass[static_cast<size_t>(pgp[i])])
                cand.push_back(i);
        const size_t keep = std::min(cand.size(), static_cast<size_t>(l));
        std::partial_sort(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(keep), cand.end(),
                          [&](int64_t a, int64_t b) {
                              const float va = ph[a * J + j], vb = ph[b * J + j];
                              return va > vb || (va == vb && a < b);
                          });
        for (size_t q = 0; q < keep; ++q) {
            out.maxActivating[static_cast<size_t>(j)].push_back(rows[static_cast<size_t>(cand[q])]);
            out.maxActivation[static_cast<size_t>(j)].push_back(ph[cand[q] * J + j]);
        }
    }
    return out;
}

std::vector<float> flintActivationMaximisation(const models::Model& model, const float* xMasRaw,
                                               int attribute, const AmOptions& o,
                                               const jobs::CancelToken& cancel)
{
    auto& m = needFlint(model);
    if (attribute < 0 || attribute >= m.attributeCount())
        throw Error("attribute " + std::to_string(attribute) + " does not exist; the model has " +
                    std::to_string(m.attributeCount()));
    m.setTraining(false);
    auto x0 = models::toTensor(xMasRaw, 1, m.meta().inputShape, m.device());
    auto x = (o.init * x0).detach().requires_grad_(true);
    torch::optim::Adam opt({x}, torch::optim::AdamOptions(o.lr));
    const bool image = m.meta().inputShape.size() == 3;
    double lr = o.lr;
    for (int round = 0; round < o.rounds; ++round) {
        for (auto& g : opt.param_groups())
            static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
        for (int s = 0; s < o.steps; ++s) {
            cancel.throwIfCancelled();
            if (o.progress && s % 5 == 0) {
                const int done = round * o.steps + s, total = o.rounds * o.steps;
                jobs::report(o.progress, double(done) / total, "AM+PI",
                             "AM+PI step " + std::to_string(done) + " of " + std::to_string(total));
            }
            opt.zero_grad();
            auto phi = m.attributes(x).select(1, attribute).sum();
            auto range = (torch::relu(x - o.hi) + torch::relu(o.lo - x)).pow(2).mean();
            torch::Tensor tv = torch::zeros({}, x.options());
            if (image)
                tv = (x.narrow(2, 1, x.size(2) - 1) - x.narrow(2, 0, x.size(2) - 1)).abs().mean() +
                     (x.narrow(3, 1, x.size(3) - 1) - x.narrow(3, 0, x.size(3) - 1)).abs().mean();
            auto objective = 2.0 * phi - 10.0 * range - 6.0 * tv - x.abs().mean();
            (-objective).backward();
            opt.step();
        }
        lr *= 0.5;
    }
    return models::toVector(x.detach().clamp(o.lo, o.hi));
}

} // namespace senn::train
