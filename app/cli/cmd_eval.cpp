// `senn eval` (cli.md): a model's accuracy on a split with the baseline's, per-row predictions
// on request, and FLINT's or SENN's interpretability scores.
#include "cli/cli_util.h"
#include "cli/model_output.h"
#include "cli/options.h"

#include "core/train/baseline.h"
#include "core/train/flint_interpret.h"
#include "core/train/trainer.h"

#include <algorithm>
#include <iomanip>
#include <iostream>

namespace senn::cli {

int cmdEval(const EvalArgs& a)
{
    auto ws = openModelAndData(a.model, a.data);
    const auto rows = rowsForSplit(ws, a.split);
    auto ev = train::evaluate(ws.model, ws.data, rows, a.split);
    nlohmann::json out = evaluationJson(ev, ws.model);
    std::cout << accuracyLine(a.split, ev.accuracy, rows.size()) << "\n";
    // The logistic-regression baseline on the model's own training rows and these rows (cheap
    // beside the model; deterministic, so it matches the model card's figure on the test split).
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

} // namespace senn::cli
