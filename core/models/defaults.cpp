// The per-kind defaults that model.h declares (ModelConfig::defaultsFor, TrainConfig::defaultsFor):
// what a new model gets for image and tabular data, documented in docs/senn.md ("Defaults").
#include "core/models/model.h"

#include <algorithm>

namespace senn::models {

ModelConfig ModelConfig::defaultsFor(data::DataKind kind, ModelKind model, int64_t features)
{
    ModelConfig c;
    c.kind = model;
    c.lambda = 1e-4;
    c.xi = 1.0;
    c.zeta = 2e-5;
    if (kind == data::DataKind::Image) {
        c.concepts = ConceptKind::Autoencoder;
        c.k = 5;
    } else {
        // Tabular: one concept per feature, so θ is a per-feature relevance (the paper's UCI setup).
        c.concepts = ConceptKind::Identity;
        c.k = static_cast<int>(std::max<int64_t>(features, 1));
        // The parametrizer as wide as the app's MLP (64, 32), θ started at the logistic
        // regression's weights (trainer), and the MLP with a linear skip started the same way:
        // over seeds 0-4 on five public tables both then match logistic regression
        // (tests/bench/accuracy_table.sh). Files without these settings keep their old networks.
        if (model == ModelKind::Senn)
            c.hidden = {64, 32};
        if (model == ModelKind::Mlp)
            c.linearSkip = true;
    }
    return c;
}

// Training runs until it is done. `epochs` is a maximum; early stopping on the
// validation split (patience) ends it and keeps the best epoch; the learning rate halves on a
// plateau. The fixed 30 tabular epochs stopped SENN well before it matched a plain model.
TrainConfig TrainConfig::defaultsFor(data::DataKind kind)
{
    TrainConfig t;
    t.lr = 1e-3;
    t.schedule = "plateau";
    if (kind == data::DataKind::Image) {
        t.batch = 128;
        t.epochs = 30;
        t.patience = 5;
    } else {
        t.batch = 64;
        t.epochs = 300;
        t.patience = 30;
    }
    return t;
}

TrainConfig TrainConfig::defaultsFor(data::DataKind kind, ModelKind model)
{
    TrainConfig t = defaultsFor(kind);
    // The tabular MLP (with its linear skip started at the logistic regression) minimises the
    // baseline's own penalised objective, cross-entropy + ‖W‖²/(2·C·n) with C = 1, over
    // networks that include the baseline: unpenalised, its hidden layers bent the decision
    // boundary through single borderline test rows (iris: 0.867 where every linear model
    // with C ≥ 0.3 scores 0.933). Over seeds 0-9 on five tables it then meets the baseline
    // goal (tests/bench/accuracy_table.sh; README "Training defaults").
    if (kind != data::DataKind::Image && model == ModelKind::Mlp)
        t.l2 = 1.0;
    // A tabular SENN keeps the latest epoch within one standard error of the lowest validation
    // loss (EpochChoice): by the lowest alone it kept its linear warm start on most splits of
    // small tables, and over 12 tables "se" meets θ variation ≥ 0.10 on every seed
    // (docs/benchmarks.md, "Accuracy against logistic regression").
    if (kind != data::DataKind::Image && model == ModelKind::Senn)
        t.keep = "se";
    if (model == ModelKind::Flint) {
        // FLINT's loss terms switch on at fixed fractions of the run (flint.md's 12-epoch
        // schedule), so it trains for a fixed count; batch 32 reaches fidelity 0.974 on the
        // bundled MNIST digits (tests/bench/flint_table.sh).
        t.patience = 0;
        t.schedule = "none";
        if (kind == data::DataKind::Image) {
            t.batch = 32;
            t.epochs = 12;
        } else {
            t.epochs = 30;
        }
    }
    return t;
}

} // namespace senn::models
