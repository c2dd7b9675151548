// FLINT's interpretations and scores (flint.md) as plain structs the GUI and CLI can show:
// accuracy of f and g, fidelity, conciseness CNS(τ), local top attributes with relevances, the
// class x attribute map, maximum activating samples and AM+PI attribute visualisations.
#pragma once
#include "core/data/dataset.h"
#include "core/jobs/job.h"
#include "core/models/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace senn::train {

// τ values of the paper's conciseness curve.
std::vector<double> flintTaus(); // {1.5, 2, 2.5, 3, 4, 5}
// "conciseness_1.5", "conciseness_2", ... (ModelMeta::metrics keys).
std::string flintConcisenessKey(double tau);

struct FlintScores {
    int64_t n = 0;
    double accuracyF = 0, accuracyG = 0; // fractions in [0, 1]
    double fidelity = 0;                 // fraction of rows where argmax g == argmax f
    std::vector<double> taus, conciseness; // CNS(τ): mean count of |r_j| > max|r| / τ
};

struct FlintLocal {
    int64_t row = -1, label = -1, predictedF = -1, predictedG = -1;
    std::vector<float> phi;          // J attributes Φ(x)
    std::vector<float> relevance;    // J, r_j for ŷ = argmax g, max |r| = 1
    std::vector<int> top;            // attributes with the largest |r|, descending
};

struct FlintGlobalPair {
    int classIndex = 0, attribute = 0;
    float relevance = 0;
};

struct FlintInterpretation {
    int64_t attributes = 0, classes = 0;
    FlintScores scores;
    std::vector<float> weight;            // J x C, row-major (attribute, class): W of g
    std::vector<FlintLocal> local;        // one per requested row
    std::vector<float> globalRelevance;   // C x J (class, attribute): mean r over rows g predicts c
    std::vector<int64_t> classRows;       // C: rows g predicts as c
    std::vector<FlintGlobalPair> globalPairs; // relevance > threshold, descending
    // Per attribute j: dataset rows (of the classes j is relevant for, else of all rows) with
    // the largest Φ_j, and those Φ_j values.
    std::vector<std::vector<int64_t>> maxActivating;
    std::vector<std::vector<float>> maxActivation;
};

struct FlintInterpretOptions {
    int top = 3;                  // local attributes shown
    int samplesPerAttribute = 8;  // maximum activating samples
    double globalThreshold = 0.1; // flint.md: pairs with r > 0.1 on MNIST
    int64_t chunkRows = 512;      // rows per forward pass
};

bool isFlint(const models::Model& model);

// SENN's conciseness measured as FLINT's (flint.md "Metrics"): relevance r_j = θ_j,ŷ·h_j over
// the concepts for the predicted class ŷ, normalised by max |r|; CNS(τ) for flintTaus().
// Fills taus and conciseness (and n, accuracyF) of the result. Throws unless model is SENN.
FlintScores sennConciseness(const models::Model& model, const data::Dataset& data,
                            const std::vector<int64_t>& rows, const jobs::CancelToken& cancel = {});

// Scores of a FLINT model on dataset rows (raw). Throws senn::Error unless model is FLINT.
FlintScores scoreFlint(const models::Model& model, const data::Dataset& data,
                       const std::vector<int64_t>& rows, const jobs::CancelToken& cancel = {});

// Local interpretations of `rows`, and the global map and maximum activating samples over them.
FlintInterpretation interpretFlint(const models::Model& model, const data::Dataset& data,
                                   const std::vector<int64_t>& rows,
                                   const FlintInterpretOptions& options = {},
                                   const jobs::CancelToken& cancel = {});

// Activation maximisation with partial initialisation (AM+PI, flint.md): from 0.3·x_MAS,
// Adam ascent on 2·Φ_j(x) - 10·(out of range) - 6·TV(x) - mean|x| in raw space, `rounds` of
// `steps` with lr halved each round. Returns the raw sample (featureCount() floats).
struct AmOptions {
    int rounds = 12, steps = 50;
    double lr = 0.05, init = 0.3;
    float lo = 0.0f, hi = 1.0f; // the raw range (images: [0, 1])
    jobs::ProgressFn progress;  // fraction of the rounds × steps done ("step i of n")
};
std::vector<float> flintActivationMaximisation(const models::Model& model, const float* xMasRaw,
                                               int attribute, const AmOptions& options = {},
                                               const jobs::CancelToken& cancel = {});

} // namespace senn::train
