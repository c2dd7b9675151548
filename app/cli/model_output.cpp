// The model sub-commands' shared output (model_output.h): number formats, evaluation and
// history JSON, and training with progress and a graceful first Ctrl-C.
#include "cli/model_output.h"

#include "cli/cli_util.h"
#include "core/io/model_file.h"

#include <csignal>
#include <cstdio>
#include <sstream>

#include <unistd.h>

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

} // namespace

std::string fixed(double v, int digits)
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

std::string measuredThreadsLine(int threads)
{
    return "trained with " + std::to_string(threads) + " LibTorch thread" + (threads == 1 ? "" : "s") +
           " (measured on one batch)";
}

std::string accuracyLine(const std::string& split, double accuracy, size_t n)
{
    return split + " accuracy " + fixed(accuracy) + " (n=" + std::to_string(n) + ")";
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

train::TrainResult runTraining(const data::Dataset& data, const data::Split& split,
                               const models::ModelConfig& cfg, const models::TrainConfig& tc,
                               const std::vector<float>* masks, const models::Model& flintPostHoc)
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

} // namespace senn::cli
