#include "cli/commands.h"

#include "cli/cli_numbers.h"
#include "cli/command.h"
#include "cli/options.h"
#include "core/common/system_info.h"
#include "core/common/error.h"
#include "core/common/remedy.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/jobs/job.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <limits>
#include <new>

namespace senn::cli {

namespace {

// A result that never reached its reader is a failure: `senn info > /dev/full` must not exit 0.
// std::cout is synchronised with stdio, so its text sits in stdout's buffer until this flush.
int checkedStdout(int code)
{
    errno = 0; // before the first flush: std::cout's own flush is stdout's fflush
    std::cout.flush();
    const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout;
    if (!failed)
        return code;
    const int err = errno ? errno : EIO;
    std::cerr << "senn: cannot write to standard output (" << std::strerror(err) << ")\n";
    return code == 0 ? 1 : code;
}

int runCommand(int argc, char** argv);

} // namespace

int run(int argc, char** argv)
{
    return checkedStdout(runCommand(argc, argv));
}

namespace {

// The command-line way to do what a core error asks (core/common/remedy.h names the remedy and
// says it in words; the option is the CLI's to add).
std::string cliRemedy(Remedy remedy)
{
    switch (remedy) {
    case Remedy::None: return {};
    case Remedy::ChooseTarget: return " (--target NAME)";
    case Remedy::MoreRows: return " (a larger --limit, or more rows in the data)";
    case Remedy::TrainFlint: return " (senn train --model flint)";
    case Remedy::HiddenLayer: return " (--hidden-layer NAME)";
    case Remedy::RrrMask: return " (--rrr-mask decoy or --rrr-mask FILE)";
    case Remedy::TabularModel: return " (--model mlp or --model senn)";
    }
    return {};
}

int runCommand(int argc, char** argv)
{
    common::tuneAllocator(); // freed tensor memory stays for reuse
    CLI::App app{"senn: train, evaluate and explain self-explaining neural networks"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "senn 0.1.0");
    std::vector<Command> commands;

    TrainArgs train;
    auto* t = app.add_subcommand("train", "Train a model and write it to --out");
    t->add_option("--data", train.data, "Dataset path")->required();
    t->add_option("--target", train.target, "CSV target column (default: the last column)");
    t->add_option("--out", train.out, "Model file to write (.senn)")->required();
    t->add_option("--model", train.model, "senn|mlp|cnn|flint")
        ->check(CLI::IsMember({"senn", "mlp", "cnn", "flint"}));
    t->add_option("--concepts", train.concepts, "identity|autoencoder")
        ->check(CLI::IsMember({"identity", "autoencoder"}));
    t->add_flag("--bias-concept", train.biasConcept,
                "SENN with identity concepts: add a constant concept, whose θ is an input-dependent intercept");
    t->add_option("-k", train.k, "Number of learned concepts")
        ->check(whole(1, limits::kMaxConcepts));
    t->add_option("--lambda", train.lambda, "Robustness penalty weight")
        ->check(real(0, 1e6));
    t->add_option("--penalty", train.penalty, "exact|fast")->check(CLI::IsMember({"exact", "fast"}));
    t->add_option("--epochs", train.epochs, "Maximum epochs (early stopping may end sooner)")
        ->check(whole(1, limits::kMaxEpochs));
    t->add_option("--patience", train.patience,
                  "Stop after this many epochs with no validation improvement (0 = run every epoch)")
        ->check(whole(0, limits::kMaxEpochs));
    t->add_option("--lr-schedule", train.lrSchedule, "plateau|cosine|none")
        ->check(CLI::IsMember({"plateau", "cosine", "none"}));
    t->add_option("--keep", train.keep,
                  "Which epoch the model keeps: best (lowest validation loss), se (the latest epoch within "
                  "one standard error of the lowest validation loss) or last; default: se for a "
                  "tabular SENN, else best")
        ->check(CLI::IsMember({"best", "se", "last"}));
    t->add_option("--batch", train.batch, "Batch size")
        ->check(whole(1, limits::kMaxBatch));
    t->add_option("--lr", train.lr, "Adam learning rate")
        ->check(real(0, 10, true));
    t->add_option("--l2", train.l2,
                  "L2 penalty on the weights as a logistic regression's 1/C (default: 1 for a tabular MLP, else 0)")
        ->check(real(0, 1e6));
    t->add_option("--seed", train.seed, "Seed for split, initialisation and batches")
        ->check(whole(0, std::numeric_limits<int64_t>::max()));
    t->add_option("--threads", train.threads, "Intra-op threads (0 = measured: one, or all cores when that is faster on one batch)")
        ->check(whole(0, limits::kMaxThreadsOption));
    t->add_option("--limit", train.limit, "Train on the first N training rows")
        ->check(whole(1, limits::kMaxLimitRows));
    t->add_flag("--decoy", train.decoy, "Apply the Decoy-MNIST transform (images)");
    t->add_option("--rrr-mask", train.rrrMask, "Annotation mask: 'decoy' or a mask file");
    t->add_option("--rrr-lambda", train.rrrLambda, "Weight of the RRR input-gradient penalty")
        ->check(real(0, 1e7));
    t->add_option("--hidden", train.hidden, "Hidden layer sizes of an MLP (tabular SENN: its parametrizer), e.g. 50,30")
        ->delimiter(',')
        ->check(whole(1, limits::kMaxHidden));
    t->add_option("--report", train.report, "Write a JSON training report here");
    t->add_option("--posthoc", train.posthoc,
                  "--model flint: freeze this predictor (.senn MLP/CNN or TorchScript .pt) and "
                  "train only FLINT's interpreter on it");
    t->add_option("--hidden-layer", train.hiddenLayer,
                  "--posthoc: the layer FLINT reads (a TorchScript child's name; 'hidden' or "
                  "'logits' for a .senn MLP/CNN; default 'hidden')");

    EvalArgs eval;
    auto* e = app.add_subcommand("eval", "Accuracy and confusion matrix of a model on a split");
    addModelData(e, eval.model, eval.data);
    e->add_option("--split", eval.split, "test|val|train|all")
        ->check(CLI::IsMember({"test", "val", "train", "all"}));
    e->add_option("--json", eval.json, "Write the result as JSON");
    e->add_flag("--rows", eval.rows, "--json: list every row of the split with its label, "
                "prediction and probabilities");

    // The explaining and measuring commands (cmd_explain/stability/faithfulness/prototypes.cpp),
    // listed here so that --help keeps them after eval.
    commands.push_back(addExplainCommand(app));
    commands.push_back(addStabilityCommand(app));
    commands.push_back(addFaithfulnessCommand(app));
    commands.push_back(addPrototypesCommand(app));
    commands.push_back(addSlurmCommand(app));
    commands.push_back(addSanityCommand(app));
    commands.push_back(addScorecardCommand(app));

    InfoArgs info;
    auto* i = app.add_subcommand("info", "Show a model file's metadata (--system: the BLAS and threads in use)");
    i->add_option("--model", info.model, "Model file");
    i->add_flag("--system", info.system, "Show the BLAS library loaded, LibTorch's threads and CPU capability");
    i->add_option("--json", info.json, "Write the metadata as JSON");

    DemoArgs demo;
    auto* d = app.add_subcommand("demo", "Train a small SENN on the bundled MNIST digits");
    d->add_option("--out", demo.out, "Output folder");

    // Commands declared in their own files (command.h), one line each.
    commands.push_back(addMergeCommand(app));
    commands.push_back(addGroundTruthCommand(app));

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& err) {
        const int code = app.exit(err);
        return code == 0 ? 0 : 2;
    }

    try {
        // Outputs checked before any work: none may be an input (that would destroy it), a
        // folder, or in a missing folder. Each command's outputs and inputs:
        using files::checkOutputs;
        if (*t) {
            if (train.hidden.size() > size_t(limits::kMaxHiddenLayers))
                throw Error("--hidden: at most " + std::to_string(limits::kMaxHiddenLayers) +
                            " layers");
            checkOutputs({{"--out", train.out}, {"--report", train.report}},
                         {train.data, train.posthoc, train.rrrMask == "decoy" ? "" : train.rrrMask});
        }
        if (*e)
            checkOutputs({{"--json", eval.json}}, {eval.model, eval.data});
        if (*i)
            checkOutputs({{"--json", info.json}}, {info.model});
        for (const auto& c : commands)
            if (*c.sub && c.check)
                c.check();

        if (*t)
            return cmdTrain(train);
        if (*e)
            return cmdEval(eval);
        if (*i)
            return cmdInfo(info);
        if (*d)
            return cmdDemo(demo);
        for (const auto& c : commands)
            if (*c.sub)
                return c.run();
    } catch (const jobs::Cancelled&) {
        std::cerr << "senn: cancelled\n";
        return 1;
    } catch (const Error& err) {
        // User data in messages is escaped where it is quoted; this is the last line of defence
        // for the terminal (control characters) and for LibTorch text (backtraces).
        std::cerr << "senn: " << files::cleanMessage(err.what(), 1000) << cliRemedy(remedyOf(err)) << "\n";
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "senn: not enough memory for this command. Use a smaller dataset, fewer "
                     "samples or points\n";
        return 1;
    } catch (const std::exception& err) {
        // Anything else (LibTorch's c10::Error, the TorchScript interpreter): its first line,
        // without the C++ backtrace.
        std::cerr << "senn: unexpected error: " << files::cleanMessage(err.what()) << "\n";
        return 1;
    }
    return 2;
}

} // namespace

} // namespace senn::cli
