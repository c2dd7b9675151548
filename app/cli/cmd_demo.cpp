// `senn demo` (cli.md): trains a small SENN on the bundled MNIST digits and writes the model and
// its test metrics, as a first run that needs no data of one's own.
#include "cli/cli_util.h"
#include "cli/model_output.h"
#include "cli/options.h"

#include "core/common/error.h"
#include "core/data/loader.h"
#include "core/io/model_file.h"
#include "core/train/trainer.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace senn::cli {

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
    // The fast penalty keeps the demo short on a small machine.
    cfg.penalty = models::PenaltyMode::Fast;
    auto tc = models::TrainConfig::defaultsFor(data.kind);
    tc.epochs = 3;
    tc.patience = 0;
    tc.threads = 0; // measured: one thread unless every core is clearly faster (intra_op_threads.cpp)
    std::cerr << "demo: training a SENN with 5 learned concepts on " << split.train.size()
              << " MNIST digits (" << tc.epochs << " epochs)\n";
    auto result = runTraining(data, split, cfg, tc, nullptr);
    std::cerr << "demo: " << measuredThreadsLine(result.intraOpThreads) << "\n";
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
