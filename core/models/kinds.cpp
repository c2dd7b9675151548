#include "core/common/error.h"
#include "core/common/files.h"
#include "core/models/model.h"

namespace senn::models {

std::string toString(ModelKind k)
{
    switch (k) {
    case ModelKind::Senn: return "senn";
    case ModelKind::Mlp: return "mlp";
    case ModelKind::Cnn: return "cnn";
    case ModelKind::Flint: return "flint";
    case ModelKind::TorchScript: return "torchscript";
    }
    return "unknown";
}

std::string toString(ConceptKind k)
{
    return k == ConceptKind::Identity ? "identity" : "autoencoder";
}

std::string toString(PenaltyMode p)
{
    return p == PenaltyMode::Exact ? "exact" : "fast";
}

ModelKind modelKindFromString(const std::string& s)
{
    for (auto k : {ModelKind::Senn, ModelKind::Mlp, ModelKind::Cnn, ModelKind::Flint,
                   ModelKind::TorchScript})
        if (toString(k) == s)
            return k;
    throw Error("unknown model '" + files::echo(s) + "'; valid models: senn, mlp, cnn, flint");
}

ConceptKind conceptKindFromString(const std::string& s)
{
    if (s == "identity")
        return ConceptKind::Identity;
    if (s == "autoencoder")
        return ConceptKind::Autoencoder;
    throw Error("unknown conceptizer '" + files::echo(s) + "'; valid: identity, autoencoder");
}

PenaltyMode penaltyModeFromString(const std::string& s)
{
    if (s == "exact")
        return PenaltyMode::Exact;
    if (s == "fast")
        return PenaltyMode::Fast;
    throw Error("unknown penalty mode '" + files::echo(s) + "'; valid: exact, fast");
}

} // namespace senn::models
