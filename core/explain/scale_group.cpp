#include "core/explain/scale_group.h"

namespace senn::explain {

std::string scaleGroup(Method method, Output output)
{
    switch (method) {
    case Method::Lime:
    case Method::KernelShap:
    case Method::Shapley:
    case Method::GradInput:
    case Method::IntegratedGradients:
    case Method::Occlusion:
        return "additive:" + outputId(output);
    case Method::Saliency:
    case Method::SmoothGrad:
        return "gradient:" + outputId(output);
    case Method::Senn:
    case Method::Flint:
        break;
    }
    return {};
}

std::string scaleGroup(const Explanation& e)
{
    for (Method m : allMethods())
        if (methodId(m) == e.method)
            return scaleGroup(m, e.output);
    return {};
}

std::string contributionScaleGroup(const Explanation& e)
{
    return "additive:" + outputId(e.output);
}

} // namespace senn::explain
