// `senn train`, `senn eval`, `senn info` and `senn demo` (cli.md): progress on stderr, results
// to files, one summary line on stdout.
#include "cli/cli_util.h"
#include "cli/options.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"
#include "core/data/decoy.h"
#include "core/data/loader.h"
#include "core/io/model_file.h"
#include "core/io/workspace.h"
#include "core/common/system_info.h"
#include "core/train/flint_interpret.h"
#include "core/train/baseline.h"
#include "core/train/flint_trainer.h"
#include "core/train/trainer.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <unistd.h>

namespace fs = std::filesystem;

namespace senn::cli {

namespace {

// First Ctrl-C cancels training gracefully (the best finished epoch is still saved); a second
// one ends the process as usual. The first says so at once: a model call that is slow (or never
// returns, as a TorchScript predictor's may) delays the cancellation until it returns, and a
// silent terminal reads as a hang.
jobs::CancelToken* g_cancel = nullptr;
extern "C" void onInterrupt(int)
{
    if (g_cancel)
        g_cancel->cancel();
    static const char note[] =
        "\nsenn: stopping after the current model call (the best finished epoch is saved); "
        "press Ctrl-C again to quit at once\n";
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, note, sizeof note - 1);
    std::signal(SIGINT, SIG_DFL);
}

struct InterruptScope {
    explicit InterruptScope(jobs::CancelToken& t)
    {
        g_cancel = &t;
        std::signal(SIGINT, onInterrupt);
    }
    ~InterruptScope()
    {
        std::signal(SIGINT, SIG_DFL);
        g_cancel = nullptr;
    }
};

std::string fixed(double v, int digits = 3)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string sci(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

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

nlohmann::json evaluationJson(const train::Evaluation& ev, const models::Model& model)
{
    return nlohmann::json{{"split", ev.split},
                          {"n", ev.n},
                          {"accuracy", ev.accuracy},
                          {"confusion", ev.confusion},
                          {"classes", model.meta().classNames},
                          {"per_class_accuracy", ev.perClassAccuracy}};
}

nlohmann::json historyJson(const models::ModelMeta& meta)
{
    nlohmann::json meta_ = nlohmann::json::parse(io::metaToJson(meta, -1));
    return meta_.at("history");
}

// Trains with progress on stderr; the interrupt handler cancels it gracefully.
train::TrainResult runTraining(const data::Dataset& data, const data::Split& split,
                               const models::ModelConfig& cfg, const models::TrainConfig& tc,
                               const std::vector<float>* masks,
                               const models::Model& flintPostHoc = models::Model())
{
    jobs::CancelToken cancel;
    InterruptScope interrupt(cancel);
    ProgressPrinter progress("train");
    train::TrainOptions options;
    options.cancel = cancel;
    options.masks = masks;
    options.flintPostHoc = flintPostHoc;
    options.onBatch = [&](const train::BatchReport& r) {
        if (r.epochEnd) {
            const auto& e = r.epochRecord;
            std::string line = "epoch " + std::to_string(r.epoch) + "/" + std::to_string(r.epochs) +
                               "  loss " + fixed(e.loss, 4) + "  ce " + fixed(e.ce, 4);
            if (cfg.kind == models::ModelKind::Senn && cfg.lambda > 0)
                line += "  robustness " + sci(e.robustness);
            if (cfg.kind == models::ModelKind::Senn && cfg.concepts == models::ConceptKind::Autoencoder)
                line += "  recon " + fixed(e.reconstruction, 4);
            if (cfg.rrrLambda > 0)
                line += "  rrr " + sci(e.rrr);
            line += "  train acc " + fixed(e.trainAccuracy) + "  val acc " + fixed(e.valAccuracy);
            if (tc.schedule != "none")
                line += "  lr " + sci(e.lr);
            line += "  (" + formatSeconds(e.seconds) + ")";
            progress.line(line);
            return;
        }
        const double done = (static_cast<double>(r.epoch - 1) * static_cast<double>(r.batches) +
                             static_cast<double>(r.batch)) /
                            (static_cast<double>(r.epochs) * static_cast<double>(r.batches));
        progress.update(done, "epoch " + std::to_string(r.epoch) + "/" + std::to_string(r.epochs) +
                                  " batch " + std::to_string(r.batch) + "/" + std::to_string(r.batches) +
                                  "  loss " + fixed(r.loss, 4) + "  acc " + fixed(r.batchAccuracy) +
                                  "  ETA " + formatSeconds(r.etaSeconds));
    };
    auto result = train::train(data, split, cfg, tc, options);
    progress.finish();
    return result;
}

std::string accuracyLine(const std::string& split, double accuracy, size_t n)
{
    return split + " accuracy " + fixed(accuracy) + " (n=" + std::to_string(n) + ")";
}

// cli.md's JSON shape of CNS(τ): {"1.5": ..., "2": ...}.
nlohmann::json concisenessJson(const train::FlintScores& s)
{
    nlohmann::json cns = nlohmann::json::object();
    for (size_t k = 0; k < s.taus.size() && k < s.conciseness.size(); ++k) {
        std::ostringstream tau;
        tau << s.taus[k];
        cns[tau.str()] = s.conciseness[k];
    }
    return cns;
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
    if (useMask) {
        cfg.rrrMask = a.rrrMask;
        cfg.rrrLambda = a.rrrLambda ? *a.rrrLambda : 1.0;
    }
    auto tc = models::TrainConfig::defaultsFor(data.kind, kind);
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
        std::cerr << "trained with " << result.intraOpThreads << " LibTorch thread"
                  << (result.intraOpThreads == 1 ? "" : "s") << " (measured on one batch)\n";
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

int cmdEval(const EvalArgs& a)
{
    auto ws = openModelAndData(a.model, a.data);
    const auto rows = rowsForSplit(ws, a.split);
    auto ev = train::evaluate(ws.model, ws.data, rows, a.split);
    nlohmann::json out = evaluationJson(ev, ws.model);
    std::cout << accuracyLine(a.split, ev.accuracy, rows.size()) << "\n";
    // The logistic-regression baseline on the model's own training rows and these rows (a
    // second or so; deterministic, so it matches the model card's figure on the test split).
    if (!ws.split.train.empty() && !rows.empty()) {
        const auto base = train::logisticBaseline(ws.data, ws.split.train, rows);
        out["baseline_accuracy"] = base.accuracy;
        std::cout << "baseline (logistic regression) accuracy " << fixed(base.accuracy) << "\n";
    }
    if (a.rows) {
        // Each row of the split with its label, prediction and probabilities (index within the
        // split, and the row of the data file), so another tool can be compared on the same rows.
        nlohmann::json list = nlohmann::json::array();
        const int64_t d = ws.data.featureCount();
        const int64_t classes = ws.model.numClasses();
        constexpr size_t chunk = 512;
        std::vector<float> x;
        for (size_t begin = 0; begin < rows.size(); begin += chunk) {
            const size_t end = std::min(rows.size(), begin + chunk);
            x.clear();
            for (size_t i = begin; i < end; ++i) {
                const float* src = ws.data.x.data() + rows[i] * d;
                x.insert(x.end(), src, src + d);
            }
            const auto probs = ws.model.probabilities(x.data(), static_cast<int64_t>(end - begin));
            for (size_t i = begin; i < end; ++i) {
                const auto* p = probs.data() + static_cast<int64_t>(i - begin) * classes;
                std::vector<double> pv(p, p + classes);
                const int64_t pred = static_cast<int64_t>(std::max_element(pv.begin(), pv.end()) - pv.begin());
                list.push_back({{"index", static_cast<int64_t>(i)},
                                {"row", rows[i]},
                                {"label", ws.data.y[static_cast<size_t>(rows[i])]},
                                {"prediction", pred},
                                {"probabilities", pv}});
            }
        }
        out["rows"] = std::move(list);
    }
    if (train::isFlint(ws.model)) {
        // cli.md: a FLINT model adds its interpreter's accuracy, fidelity and conciseness.
        const auto s = train::scoreFlint(ws.model, ws.data, rows);
        out["interpreter_accuracy"] = s.accuracyG;
        out["fidelity"] = s.fidelity;
        out["conciseness"] = concisenessJson(s);
        std::cout << "interpreter accuracy " << std::fixed << std::setprecision(4) << s.accuracyG
                  << ", fidelity " << s.fidelity << "\n";
    } else if (ws.model.isSenn()) {
        // SENN's relevances θ·h measured with FLINT's CNS(τ), for the FLINT table.
        const auto s = train::sennConciseness(ws.model, ws.data, rows);
        out["conciseness"] = concisenessJson(s);
        std::cout << "conciseness CNS(2) " << std::fixed << std::setprecision(3)
                  << (s.conciseness.size() > 1 ? s.conciseness[1] : 0.0) << "\n";
    }
    if (!a.json.empty())
        writeJsonFile(a.json, out);
    return 0;
}

int cmdInfo(const InfoArgs& a)
{
    if (a.system) {
        std::cout << common::describe(common::systemInfo());
        if (a.model.empty())
            return 0;
    } else if (a.model.empty()) {
        throw Error("senn info needs --model MODEL (or --system for the BLAS and threads in use)");
    }
    if (io::detectModelFile(a.model) == io::ModelFileKind::TorchScript)
        throw Error::inFile(a.model, "a TorchScript file carries no SENN Studio metadata",
                            "`senn info` reads .senn files; TorchScript models are described when opened with data");
    auto model = io::loadModel(a.model);
    const auto& m = model.meta();
    if (!a.json.empty()) {
        auto j = nlohmann::json::parse(io::metaToJson(m, -1));
        j["description"] = model.describe();
        j["file"] = a.model;
        writeJsonFile(a.json, j);
    }
    // Every string below comes from the file: shown escaped and cut, so a class name holding
    // terminal escape sequences or NUL bytes cannot act on the terminal or hide the rest.
    auto shown = [](const std::string& text, size_t maxChars = 200) {
        return files::echo(text, maxChars);
    };
    std::ostringstream s;
    s << shown(a.model, 1000) << "\n  " << shown(model.describe(), 1000) << "\n";
    s << "  classes: ";
    constexpr size_t kListedClasses = 50;
    for (size_t i = 0; i < m.classNames.size() && i < kListedClasses; ++i)
        s << (i ? ", " : "") << shown(m.classNames[i], 60);
    if (m.classNames.size() > kListedClasses)
        s << ", ... (" << m.classNames.size() << " classes)";
    s << "\n  data: " << (m.dataSource.empty() ? "?" : shown(m.dataSource, 1000));
    if (!m.targetName.empty())
        s << " (target " << shown(m.targetName) << ")";
    for (const auto& t : m.transforms)
        s << " [" << shown(t) << "]";
    s << "\n  split: seed " << m.splitSeed << ", " << m.trainFraction << "/" << m.valFraction;
    if (m.limit >= 0)
        s << ", first " << m.limit << " training rows";
    s << "\n  training: " << m.train.epochs << " epochs, batch " << m.train.batch << ", lr " << m.train.lr
      << ", seed " << m.train.seed;
    if (m.config.kind == models::ModelKind::Senn)
        s << ", lambda " << m.config.lambda << " (" << models::toString(m.config.penalty) << " penalty)";
    if (m.config.rrrLambda > 0)
        s << ", RRR lambda " << m.config.rrrLambda << " (mask " << shown(m.config.rrrMask) << ")";
    if (m.train.patience > 0)
        s << ", patience " << m.train.patience;
    if (m.train.schedule != "none")
        s << ", " << shown(m.train.schedule) << " lr schedule";
    if (const auto kept = train::keptEpochText(m); !kept.empty())
        s << "\n  kept " << kept;
    else
        s << "\n  no training history (an imported or untrained model)";
    if (!m.stopReason.empty())
        s << "\n  stopped: " << shown(m.stopReason);
    for (const auto& [k, v] : m.metrics)
        s << "\n  " << shown(k) << ": " << v;
    if (const auto warning = train::thetaVariationWarning(m); !warning.empty())
        s << "\n  warning: " << warning;
    s << "\n  created " << shown(m.createdAt) << ", format " << m.formatVersion << "\n";
    std::cout << s.str();
    return 0;
}

namespace {
// The bundled MNIST digits: $SENN_DATA_DIR, the build tree, or the installed share folder.
std::string findDemoData()
{
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("SENN_DATA_DIR"))
        candidates.emplace_back(env);
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path dir = exe.parent_path();
        candidates.push_back(dir / "../../../resources/data"); // build/<preset>/app/senn
        candidates.push_back(dir / "../../resources/data");
        candidates.push_back(dir / "../share/senn-studio/data"); // installed
    }
    for (const auto& c : candidates) {
        const fs::path mnist = c / "mnist-10k";
        if (fs::is_directory(mnist, ec))
            return fs::weakly_canonical(mnist, ec).string();
    }
    throw Error("cannot find the bundled MNIST digits (resources/data/mnist-10k); set SENN_DATA_DIR "
                "to the folder holding mnist-10k");
}
} // namespace

int cmdDemo(const DemoArgs& a)
{
    const std::string mnist = findDemoData();
    std::error_code ec;
    fs::create_directories(a.out, ec);
    if (ec)
        throw Error::inFile(a.out, "cannot create the output folder (" + ec.message() + ")");
    data::Dataset data;
    {
        ProgressPrinter progress("loading");
        data = data::loadIdxFolder(mnist);
        progress.finish();
    }
    auto split = data::makeSplit(data, 0);
    auto cfg = models::ModelConfig::defaultsFor(data.kind, models::ModelKind::Senn, data.featureCount());
    cfg.concepts = models::ConceptKind::Autoencoder;
    cfg.k = 5;
    // The fast penalty keeps the demo to a few minutes on two cores.
    cfg.penalty = models::PenaltyMode::Fast;
    auto tc = models::TrainConfig::defaultsFor(data.kind);
    tc.epochs = 3;
    tc.patience = 0;
    tc.threads = 0; // measured: one thread unless every core is clearly faster (trainer.cpp)
    std::cerr << "demo: training a SENN with 5 learned concepts on " << split.train.size()
              << " MNIST digits (" << tc.epochs << " epochs)\n";
    auto result = runTraining(data, split, cfg, tc, nullptr);
    std::cerr << "demo: trained with " << result.intraOpThreads << " LibTorch thread"
              << (result.intraOpThreads == 1 ? "" : "s") << " (measured on one batch)\n";
    const std::string modelPath = (fs::path(a.out) / "model.senn").string();
    io::saveModel(result.model, modelPath);
    auto ev = train::evaluate(result.model, data, split.test, "test");
    nlohmann::json metrics = evaluationJson(ev, result.model);
    metrics["model"] = modelPath;
    metrics["history"] = historyJson(result.model.meta());
    metrics["best_epoch"] = result.bestEpoch;
    writeJsonFile((fs::path(a.out) / "metrics.json").string(), metrics);
    std::cerr << "demo: wrote " << modelPath << " and " << (fs::path(a.out) / "metrics.json").string() << "\n";
    std::cout << accuracyLine("test", ev.accuracy, split.test.size()) << "\n";
    return result.cancelled ? 1 : 0;
}

} // namespace senn::cli
