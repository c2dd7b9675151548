// `senn train` (cli.md): loads the data (or a post-hoc predictor with its data), builds the
// model and training configurations from the options, trains with progress on stderr and
// writes the model and its report.
#include "cli/cli_util.h"
#include "cli/model_output.h"
#include "cli/options.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/data/decoy.h"
#include "core/data/loader.h"
#include "core/io/model_file.h"
#include "core/io/workspace.h"
#include "core/train/flint_trainer.h"
#include "core/train/trainer.h"

#include <cctype>
#include <fstream>
#include <iostream>

namespace senn::cli {

namespace {

// A mask file: whitespace/comma-separated numbers, either one per input value of every row
// (rows x features) or one row of features applied to every example.
std::vector<float> readMaskFile(const std::string& path, const data::Dataset& data)
{
    files::requireRegularFile(path, "mask file"); // a FIFO or device would block or never end
    std::ifstream in(path);
    if (!in)
        throw Error::inFile(path, "cannot open the mask file", "Check the path given to --rrr-mask");
    std::vector<float> values;
    std::string token;
    char c;
    auto flush = [&] {
        if (token.empty())
            return;
        try {
            size_t used = 0;
            values.push_back(std::stof(token, &used));
            if (used != token.size())
                throw std::invalid_argument(token);
        } catch (const std::exception&) {
            throw Error::inFile(path, "'" + token + "' is not a number", "A mask holds 0s and 1s");
        }
        token.clear();
    };
    while (in.get(c)) {
        if (c == ',' || std::isspace(static_cast<unsigned char>(c)))
            flush();
        else
            token += c;
    }
    flush();
    const size_t d = static_cast<size_t>(data.featureCount());
    const size_t all = d * static_cast<size_t>(data.rows());
    if (values.size() == all)
        return values;
    if (values.size() == d) {
        std::vector<float> out;
        out.reserve(all);
        for (int64_t i = 0; i < data.rows(); ++i)
            out.insert(out.end(), values.begin(), values.end());
        return out;
    }
    throw Error::inFile(path, "the mask has " + std::to_string(values.size()) + " values",
                        "Give one per input value (" + std::to_string(d) + ") or one per value of every row (" +
                            std::to_string(all) + ")");
}

// `--posthoc` with a .senn predictor: its recorded target, transforms and split (the test
// rows must be rows it never trained on).
void openPostHocSenn(const TrainArgs& a, data::Dataset& data, data::Split& split, models::Model& predictor)
{
    if (a.decoy || !a.target.empty())
        throw Error("--posthoc " + a.posthoc + " records its data's target column and transforms; "
                    "drop --target and --decoy");
    io::Workspace ws;
    {
        ProgressPrinter progress("loading");
        ws = io::openWithModel(a.posthoc, a.data, progress.callback());
        progress.finish();
    }
    data = std::move(ws.data);
    split = ws.split;
    predictor = ws.model;
    if (a.limit > 0 && static_cast<int64_t>(split.train.size()) > a.limit)
        split.train.resize(static_cast<size_t>(a.limit));
}

// The model's configuration: the defaults for the data and kind, and the options given.
models::ModelConfig modelConfigFrom(const TrainArgs& a, const data::Dataset& data)
{
    const auto kind = models::modelKindFromString(a.model);
    auto cfg = models::ModelConfig::defaultsFor(data.kind, kind, data.featureCount());
    if (!a.concepts.empty())
        cfg.concepts = models::conceptKindFromString(a.concepts);
    if (a.biasConcept) {
        if (kind != models::ModelKind::Senn || cfg.concepts != models::ConceptKind::Identity)
            throw Error("--bias-concept applies to a SENN with identity concepts (--model senn on a table)");
        cfg.biasConcept = true;
    }
    if (a.k > 0)
        cfg.k = a.k;
    else if (cfg.concepts == models::ConceptKind::Autoencoder && !a.concepts.empty() && !data.isImage())
        cfg.k = 5;
    if (kind == models::ModelKind::Flint && a.k > 0)
        cfg.attributes = a.k; // README: `--model flint -k J`
    if (a.lambda)
        cfg.lambda = *a.lambda;
    cfg.penalty = models::penaltyModeFromString(a.penalty);
    if (!a.hidden.empty())
        cfg.hidden = a.hidden;
    if (!a.rrrMask.empty()) {
        cfg.rrrMask = a.rrrMask;
        cfg.rrrLambda = a.rrrLambda ? *a.rrrLambda : 1.0;
    }
    return cfg;
}

// The training configuration: the defaults for the data and kind, and the options given.
models::TrainConfig trainConfigFrom(const TrainArgs& a, const data::Dataset& data)
{
    auto tc = models::TrainConfig::defaultsFor(data.kind, models::modelKindFromString(a.model));
    if (a.epochs)
        tc.epochs = *a.epochs;
    if (a.patience)
        tc.patience = *a.patience;
    if (!a.lrSchedule.empty())
        tc.schedule = a.lrSchedule;
    if (!a.keep.empty())
        tc.keep = a.keep;
    if (a.batch)
        tc.batch = *a.batch;
    if (a.lr)
        tc.lr = *a.lr;
    if (a.l2)
        tc.l2 = *a.l2;
    tc.seed = a.seed;
    {
        std::string note; // more threads than cores never helps (and 1000 never finish)
        tc.threads = a.threads > 0 ? limits::clampThreads(a.threads, &note) : 0; // 0: measured
        if (!note.empty())
            std::cerr << "senn: note: --threads: " << note << "\n";
    }
    return tc;
}

} // namespace

int cmdTrain(const TrainArgs& a)
{
    if (!a.hiddenLayer.empty() && a.posthoc.empty())
        throw Error("--hidden-layer names the layer of the --posthoc predictor that FLINT reads: "
                    "add --posthoc MODEL");
    if (!a.posthoc.empty() && a.model != "flint")
        throw Error("--posthoc trains a FLINT interpreter on a frozen predictor: add --model flint");
    data::Dataset data;
    data::Split split;
    models::Model predictor;
    std::vector<float> masks;
    if (!a.posthoc.empty() && io::detectModelFile(a.posthoc) == io::ModelFileKind::Senn) {
        openPostHocSenn(a, data, split, predictor);
    } else {
        data::LoadOptions lo;
        lo.target = a.target;
        {
            ProgressPrinter progress("loading");
            data = data::loadDataset(a.data, lo, progress.callback());
            progress.finish();
        }
        split = data::makeSplit(data, a.seed, a.limit);
        if (a.decoy)
            data::applyDecoy(data, split.test, a.seed, &masks);
        if (!a.posthoc.empty()) {
            if (io::detectModelFile(a.posthoc) == io::ModelFileKind::NotAModel)
                io::loadModel(a.posthoc); // throws the precise error (missing file, not a model)
            predictor = io::loadTorchScript(a.posthoc, data);
        }
    }
    const bool useMask = !a.rrrMask.empty();
    if (a.rrrMask == "decoy") {
        if (!a.decoy)
            throw Error("--rrr-mask decoy takes the Decoy-MNIST patches as the mask: add --decoy");
    } else if (useMask) {
        masks = readMaskFile(a.rrrMask, data);
    }
    if (a.rrrLambda && *a.rrrLambda > 0 && !useMask)
        throw Error("--rrr-lambda needs an annotation mask: add --rrr-mask decoy (with --decoy) or --rrr-mask FILE");

    const auto cfg = modelConfigFrom(a, data);
    const auto tc = trainConfigFrom(a, data);

    models::Model postHoc;
    if (predictor.isValid()) {
        postHoc = train::attachFlint(predictor, a.hiddenLayer, data, split, cfg.attributes, a.posthoc,
                                      static_cast<uint64_t>(tc.seed));
        std::cerr << "post-hoc FLINT on " << a.posthoc << " (frozen), reading its layer '"
                  << postHoc.meta().flintHiddenLayer << "'\n";
    }
    std::cerr << "training " << a.model << " on " << data.source << ": " << split.train.size()
              << " train / " << split.val.size() << " val / " << split.test.size() << " test rows, "
              << data.numClasses() << " classes, "
              << (tc.patience > 0 ? "up to " + std::to_string(tc.epochs) + " epochs (patience " +
                                        std::to_string(tc.patience) + ")"
                                  : std::to_string(tc.epochs) + " epochs")
              << ", lr " << sci(tc.lr) << " (" << tc.schedule << " schedule), "
              << (tc.threads > 0 ? std::to_string(tc.threads) : std::string("measured")) << " threads\n";
    auto result = runTraining(data, split, cfg, tc, useMask ? &masks : nullptr, postHoc);
    if (tc.threads <= 0 && result.intraOpThreads > 0)
        std::cerr << measuredThreadsLine(result.intraOpThreads) << "\n";
    if (result.cancelled && result.bestEpoch < 0) {
        // Nothing finished, nothing written: an existing --out stays as it was.
        std::cerr << "cancelled before the first epoch finished; nothing written (" << a.out
                  << " left unchanged)\n";
        return 1;
    }
    io::saveModel(result.model, a.out);
    std::cerr << "stopped: " << result.stopReason << "\n";
    std::cerr << (result.cancelled ? "cancelled; saved the best finished epoch to " : "saved ") << a.out
              << " (best epoch " << result.bestEpoch << ")\n";
    if (result.baselineAccuracy >= 0)
        std::cerr << "baseline (logistic regression, same split): "
                  << (split.test.empty() ? "validation" : "test") << " accuracy "
                  << fixed(result.baselineAccuracy) << "\n";
    if (const auto warning = train::thetaVariationWarning(result.model.meta()); !warning.empty())
        std::cerr << "warning: " << warning << "\n";

    if (!a.report.empty()) {
        const auto& meta = result.model.meta();
        nlohmann::json report{{"model", a.out},
                              {"data", a.data},
                              {"cancelled", result.cancelled},
                              {"best_epoch", result.bestEpoch},
                              {"best_val_accuracy", result.bestValAccuracy},
                              {"epochs_run", result.epochsRun},
                              {"stop_reason", result.stopReason},
                              {"baseline_accuracy", result.baselineAccuracy},
                              {"metrics", meta.metrics},
                              {"history", historyJson(meta)},
                              {"description", result.model.describe()}};
        if (postHoc.isValid())
            report["posthoc"] = {{"predictor", a.posthoc},
                                 {"hidden_layer", meta.flintHiddenLayer}};
        if (!split.test.empty())
            report["test"] = evaluationJson(train::evaluate(result.model, data, split.test, "test"),
                                            result.model);
        writeJsonFile(a.report, report);
    }
    if (!split.test.empty())
        std::cout << accuracyLine("test", result.testAccuracy, split.test.size()) << "\n";
    else
        std::cout << accuracyLine("validation", result.bestValAccuracy, split.val.size()) << "\n";
    return result.cancelled ? 1 : 0;
}

} // namespace senn::cli
