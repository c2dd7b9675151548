// `senn info` (cli.md): a model file's card on stdout (every string from the file escaped and
// cut) or as JSON, and with --system the BLAS and threads LibTorch runs on.
#include "cli/cli_util.h"
#include "cli/model_output.h"
#include "cli/options.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/system_info.h"
#include "core/io/model_file.h"
#include "core/train/trainer.h"

#include <iostream>
#include <sstream>

namespace senn::cli {

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

} // namespace senn::cli
