#include "core/common/error.h"
#include "core/common/remedy.h"
#include "core/explain/explain_internal.h"
#include "core/models/flint_net.h"

namespace senn::explain {

ExplainContext ExplainContext::make(const data::Dataset& data, const data::Split& split)
{
    ExplainContext ctx;
    ctx.data = &data;
    ctx.trainRows = split.train;
    if (ctx.trainRows.empty())
        throw Error("the training split is empty: explainers need training statistics "
                    "(mean, std, quartiles, backgrounds)");
    ctx.stats = data::FeatureStats::fit(data, ctx.trainRows);
    ctx.backgroundCache = std::make_shared<BackgroundCache>();
    return ctx;
}

namespace {
bool isImageModel(const models::ModelImpl& impl)
{
    return impl.meta().dataKind == data::DataKind::Image || impl.meta().inputShape.size() == 3;
}

// FLINT's local interpretation (flint.md): the interpreter g is linear on the attributes Φ(x),
// so the contribution of attribute j to g's logit for the target is Φ_j(x)·W[j, target]. values
// are those contributions (additive, like SENN's θ·h), h holds Φ(x) and contribution repeats
// values; diagnostics give both predictions and the relevance normalisation max |Φ_j W_j|.
Explanation explainFlint(detail::Run& run, const torch::Tensor& x, int target)
{
    auto* flint = dynamic_cast<models::FlintModel*>(&run.impl);
    if (!flint)
        throw ErrorWithRemedy("FLINT explanations need a FLINT model; this model is " +
                                  models::toString(run.impl.meta().config.kind) +
                                  ". Train a FLINT model first",
                              Remedy::TrainFlint);
    torch::NoGradGuard noGrad;
    const auto t = flint->forward(x);
    run.rows += 1;
    const auto phi = t.phi[0].to(torch::kCPU).contiguous();
    const auto w = flint->interpreterWeight().to(torch::kCPU).select(1, target).contiguous();
    const auto contribution = (phi * w).contiguous();
    Explanation e;
    const int64_t J = phi.size(0);
    e.values.assign(contribution.data_ptr<float>(), contribution.data_ptr<float>() + J);
    e.h.assign(phi.data_ptr<float>(), phi.data_ptr<float>() + J);
    e.contribution = e.values;
    e.shape = {J};
    for (int64_t j = 0; j < J; ++j)
        e.labels.push_back("attribute " + std::to_string(j + 1));
    e.diagnostics["f_prediction"] = static_cast<double>(t.logits.argmax(1).item<int64_t>());
    e.diagnostics["g_prediction"] = static_cast<double>(t.gLogits.argmax(1).item<int64_t>());
    e.diagnostics["g_logit"] = t.gLogits[0][target].item<double>();
    e.diagnostics["max_abs_contribution"] = contribution.abs().max().item<double>();
    return e;
}
} // namespace

Explanation explain(Method method, const models::Model& model, const ExplainContext& ctx,
                    const float* xRaw, const ExplainOptions& options,
                    const jobs::ProgressFn& progress, const jobs::CancelToken& cancel)
{
    auto implPtr = model.impl();
    if (!implPtr)
        throw Error("no model: train one or open a model file before explaining");
    if (!xRaw)
        throw Error("no input to explain");
    const auto t0 = std::chrono::steady_clock::now();
    detail::Run run{*implPtr, progress, cancel, methodId(method)};
    detail::configureRun(run, options);
    detail::requireMemory(run, 0, methodDisplayName(method));
    Explanation e;
    try {
        auto x = detail::sampleTensor(*implPtr, xRaw, 1);
        const int target = detail::resolveTarget(run, x, options.target);
        jobs::report(progress, 0.0, run.stage, methodDisplayName(method) + ": starting");

        switch (method) {
        case Method::Senn:
            e = detail::explainSenn(run, ctx, x, target, options);
            break;
        case Method::Lime:
            e = isImageModel(*implPtr) ? detail::explainLimeImage(run, ctx, x, target, options)
                                       : detail::explainLimeTabular(run, ctx, x, target, options);
            break;
        case Method::KernelShap:
            e = detail::explainKernelShap(run, ctx, x, target, options);
            break;
        case Method::Shapley:
            e = detail::explainShapley(run, ctx, x, target, options);
            break;
        case Method::Saliency:
        case Method::GradInput:
        case Method::IntegratedGradients:
        case Method::SmoothGrad:
            e = detail::explainGradient(method, run, ctx, x, target, options);
            break;
        case Method::Occlusion:
            e = detail::explainOcclusion(run, ctx, x, target, options);
            break;
        case Method::Flint:
            e = explainFlint(run, x, target);
            break;
        }
        e.target = target;
    } catch (const c10::Error& err) {
        // LibTorch's message carries a C++ backtrace; a person needs the first line.
        throw Error(methodDisplayName(method) + " failed in LibTorch: " + err.what_without_backtrace());
    } catch (const std::bad_alloc&) {
        throw Error(methodDisplayName(method) + " ran out of memory (budget " + detail::megabytes(run.budget) +
                    "): lower the samples or the chunk rows, or free memory");
    }
    e.method = methodId(method);
    e.modelRows = run.rows;
    e.seconds = detail::secondsSince(t0);
    // Which output the values explain, so metrics compare them with the same quantity.
    // SENN (θ) and FLINT always explain the logit; every other method the chosen output.
    const bool fixedLogit = method == Method::Senn || method == Method::Flint;
    e.output = fixedLogit ? Output::Logit : options.output;
    if (e.labels.empty() && !isImageModel(*implPtr) && method != Method::Senn)
        e.labels = implPtr->meta().featureNames;
    jobs::report(progress, 1.0, run.stage, methodDisplayName(method) + ": done");
    return e;
}

} // namespace senn::explain
