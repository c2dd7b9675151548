#include "core/common/error.h"
#include "core/explain/explanation.h"

#include <array>
#include <utility>

namespace senn::explain {
namespace {
struct MethodName {
    Method method;
    const char* id;
    const char* display;
};
constexpr std::array<MethodName, 10> kMethods{{
    {Method::Senn, "senn", "SENN"},
    {Method::Lime, "lime", "LIME"},
    {Method::KernelShap, "kernel-shap", "KernelSHAP"},
    {Method::Shapley, "shapley", "Shapley"}, // exact or sampled: the result's label says which
    {Method::Saliency, "saliency", "Saliency"},
    {Method::GradInput, "grad-input", "Gradient × input"},
    {Method::IntegratedGradients, "integrated-gradients", "Integrated gradients"},
    {Method::SmoothGrad, "smoothgrad", "SmoothGrad"},
    {Method::Occlusion, "occlusion", "Occlusion"},
    {Method::Flint, "flint", "FLINT"},
}};
} // namespace

std::string methodId(Method m)
{
    for (const auto& n : kMethods)
        if (n.method == m)
            return n.id;
    return "unknown";
}

std::string methodDisplayName(Method m)
{
    for (const auto& n : kMethods)
        if (n.method == m)
            return n.display;
    return "unknown";
}

Method methodFromId(const std::string& id)
{
    std::string valid;
    for (const auto& n : kMethods) {
        if (id == n.id)
            return n.method;
        valid += (valid.empty() ? "" : ", ") + std::string(n.id);
    }
    throw Error("unknown explanation method '" + id + "'; valid methods: " + valid);
}

std::vector<Method> allMethods()
{
    std::vector<Method> out;
    for (const auto& n : kMethods)
        out.push_back(n.method);
    return out;
}

std::string outputId(Output o)
{
    return o == Output::Probability ? "probability" : "logit";
}

Output outputFromId(const std::string& id)
{
    if (id == "logit")
        return Output::Logit;
    if (id == "probability")
        return Output::Probability;
    throw Error("unknown model output '" + id + "'; valid outputs: logit, probability");
}

bool isDifferentiable(Method m)
{
    switch (m) {
    case Method::Senn:
    case Method::Saliency:
    case Method::GradInput:
    case Method::IntegratedGradients:
    case Method::SmoothGrad:
        return true;
    default:
        return false;
    }
}

} // namespace senn::explain
