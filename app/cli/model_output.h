// What the model sub-commands (train, eval, info, demo) print and write about a model: number
// formats, the evaluation and history JSON of cli.md, and training with progress on stderr that
// the first Ctrl-C ends gracefully.
#pragma once
#include "core/models/model.h"
#include "core/train/flint_interpret.h"
#include "core/train/trainer.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace senn::cli {

// "0.982" (fixed digits) and "1.5e-05" (three significant digits), for progress lines.
std::string fixed(double v, int digits = 3);
std::string sci(double v);

// "trained with 1 LibTorch thread (measured on one batch)": what --threads auto chose.
std::string measuredThreadsLine(int threads);

// "test accuracy 0.982 (n=1000)": the one summary line on stdout.
std::string accuracyLine(const std::string& split, double accuracy, size_t n);

// cli.md's JSON of an evaluation: split, n, accuracy, confusion, classes, per-class accuracy.
nlohmann::json evaluationJson(const train::Evaluation& ev, const models::Model& model);
// The model card's per-epoch history, as the model file stores it.
nlohmann::json historyJson(const models::ModelMeta& meta);
// cli.md's JSON of CNS(τ): {"1.5": ..., "2": ...}.
nlohmann::json concisenessJson(const train::FlintScores& s);

// Trains with a progress bar and a line per epoch on stderr. The first Ctrl-C cancels
// gracefully (the best finished epoch is kept); a second ends the process.
train::TrainResult runTraining(const data::Dataset& data, const data::Split& split,
                               const models::ModelConfig& cfg, const models::TrainConfig& tc,
                               const std::vector<float>* masks,
                               const models::Model& flintPostHoc = models::Model());

} // namespace senn::cli
