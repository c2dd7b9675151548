#include "core/explain/explanation_label.h"

#include <cmath>
#include <cstdint>

namespace senn::explain {

namespace {
std::string displayName(const std::string& id)
{
    for (Method m : allMethods())
        if (methodId(m) == id)
            return methodDisplayName(m);
    return id;
}

std::string count(double v)
{
    return std::to_string(static_cast<long long>(v));
}
} // namespace

std::string explanationLabel(const Explanation& e)
{
    const auto get = [&e](const char* key) {
        const auto it = e.diagnostics.find(key);
        return it != e.diagnostics.end() && std::isfinite(it->second) ? it->second : -1.0;
    };
    // Shapley is enumerated only up to the exact limit; above it, permutations are sampled.
    if (e.method == "shapley") {
        if (get("exact") == 1.0)
            return "Shapley (exact)";
        if (get("exact") == 0.0)
            return get("permutations") > 0 ? "Shapley (sampled, " + count(get("permutations")) + " permutations)"
                                           : "Shapley (sampled)";
    }
    if (e.method == "kernel-shap" && get("coalitions") > 0)
        return get("full_enumeration") == 1.0 ? "KernelSHAP (all " + count(get("coalitions")) + " coalitions)"
                                              : "KernelSHAP (" + count(get("coalitions")) + " coalitions)";
    return displayName(e.method);
}

} // namespace senn::explain
