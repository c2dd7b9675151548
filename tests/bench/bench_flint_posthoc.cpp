// Post-hoc FLINT on a separately trained model (flint.md): freezes the predictor of a
// .senn file (an MLP or CNN trained with `senn train`), trains Ψ, g and the decoder on its last
// hidden layer, and prints f's accuracy, g's accuracy, fidelity and CNS(τ) on the test split.
//   bench_flint_posthoc MODEL.senn DATA [--epochs E] [--batch B] [--attributes J] [--threads T]
#include "core/torch_include.h"

#include "core/io/workspace.h"
#include "core/train/flint_interpret.h"
#include "core/train/flint_trainer.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace senn;

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::cerr << "usage: bench_flint_posthoc MODEL.senn DATA [--epochs E] [--batch B] "
                     "[--attributes J] [--threads T]\n";
        return 2;
    }
    models::TrainConfig tc;
    tc.epochs = 3;
    tc.batch = 32;
    models::ModelConfig cfg;
    cfg.kind = models::ModelKind::Flint;
    cfg.attributes = 25;
    for (int i = 3; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const int v = std::atoi(argv[i + 1]);
        if (a == "--epochs") tc.epochs = v;
        else if (a == "--batch") tc.batch = v;
        else if (a == "--attributes") cfg.attributes = v;
        else if (a == "--threads") tc.threads = v;
        else {
            std::cerr << "unknown option " << a << "\n";
            return 2;
        }
    }
    try {
        auto ws = io::openWithModel(argv[1], argv[2]);
        auto res = train::trainFlint(ws.data, ws.split, cfg, tc, [](const train::BatchReport& r) {
            if (r.epochEnd)
                std::fprintf(stderr, "epoch %d/%d loss %.4f val(g) %.4f %.0f s\n", r.epoch, r.epochs,
                             r.loss, r.epochRecord.valAccuracy, r.elapsedSeconds);
        }, {}, ws.model.impl());
        const auto s = train::scoreFlint(res.model, ws.data, ws.split.test);
        std::printf("{\"predictor\": \"%s\", \"epochs\": %d, \"batch\": %d, \"attributes\": %d, "
                    "\"n\": %lld, \"accuracy_f\": %.4f, \"accuracy_g\": %.4f, \"fidelity\": %.4f",
                    argv[1], tc.epochs, tc.batch, cfg.attributes, static_cast<long long>(s.n),
                    s.accuracyF, s.accuracyG, s.fidelity);
        for (size_t k = 0; k < s.taus.size(); ++k)
            std::printf(", \"cns_%g\": %.3f", s.taus[k], s.conciseness[k]);
        std::printf("}\n");
    } catch (const std::exception& e) {
        std::cerr << "bench_flint_posthoc: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
