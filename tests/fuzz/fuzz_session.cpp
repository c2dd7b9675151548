// libFuzzer harness: one .sennsession file through the session reader (ui/session.cpp, QtCore
// only): any JSON, or not JSON at all, must give false and a message, never a crash. A file
// that opens has its stored results read as the window reads them (session_results.h), each
// refused with a reason or read into a result whose lists fit each other.
#include "ui/session.h"
#include "ui/session_results.h"
#include "fuzz_util.h"

#include "core/metrics/measures.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzz::put("s.sennsession", data, size);
    senn::ui::Session s;
    QString error;
    if (!senn::ui::Session::load(QString::fromStdString(path), &s, &error)) {
        if (error.isEmpty())
            __builtin_trap(); // a refusal must say why
        return 0;
    }
    QString why;
    senn::metrics::StabilityResult stability;
    if (!senn::ui::stabilityResultFromJson(s.settings["stability_result"].toObject(), &stability, &why) && why.isEmpty())
        __builtin_trap();
    why.clear();
    senn::metrics::FaithfulnessResult faithfulness;
    if (!senn::ui::faithfulnessResultFromJson(s.settings["faithfulness_result"].toObject(), &faithfulness, &why)
        && why.isEmpty())
        __builtin_trap();
    why.clear();
    senn::metrics::SanityResult sanity;
    std::string measure;
    if (senn::ui::sanityResultFromJson(s.settings["sanity_result"].toObject(), &sanity, &measure, &why)) {
        // What the plot and the strip index: series no longer than the steps, examples of their shape.
        for (const auto& [id, m] : sanity.results) {
            for (const auto& [mid, series] : m.steps)
                if (series.median.size() > sanity.steps.size() || series.q25.size() != series.median.size()
                    || series.q75.size() != series.median.size() || series.perPoint.size() > sanity.steps.size())
                    __builtin_trap();
            for (const auto& e : m.example)
                if (e.size() > size_t(1) << 28)
                    __builtin_trap();
        }
    } else if (why.isEmpty()) {
        __builtin_trap();
    }
    why.clear();
    // The measure catalogue stands in for the scorecard's (which links LibTorch).
    std::vector<senn::metrics::ScorecardMeasure> known(senn::metrics::measureCatalogue().begin(),
                                                       senn::metrics::measureCatalogue().end());
    senn::metrics::ScorecardResult scorecard;
    if (senn::ui::scorecardResultFromJson(s.settings["scorecard_result"].toObject(), &scorecard, &why, known)) {
        const size_t M = scorecard.methods.size(), K = scorecard.measures.size();
        if (scorecard.cells.size() != M || scorecard.ranks.size() != M || scorecard.values.size() != M
            || scorecard.tau.size() != K || scorecard.pointsDone.size() != M)
            __builtin_trap();
        for (size_t m = 0; m < M; ++m)
            if (scorecard.cells[m].size() != K || scorecard.ranks[m].size() != K || scorecard.values[m].size() != K)
                __builtin_trap();
    } else if (why.isEmpty()) {
        __builtin_trap();
    }
    return 0;
}
