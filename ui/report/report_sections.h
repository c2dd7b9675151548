// The report's text about the sanity checks and the scorecard (report_writer.h): one sentence
// per method on how much of its explanation survives re-drawing the model, and the scorecard
// as an HTML table with intervals, ranks and Kendall's W. Plain functions, for tests.
#pragma once
#include "core/metrics/sanity.h"
#include "core/metrics/scorecard.h"

#include <QString>

#include <string>

namespace senn::ui {

// How far a method's explanation survives model randomisation, judged on the median
// similarity (`measure`, a similarity id) after the last finished step of a cascading run, or
// the largest over the single-layer steps of an independent one: at least 0.7 the explanation
// hardly depends on the weights (the check fails), below 0.3 it does (passes), between, part of
// it survives. The random-logit and permuted-label tests follow with their medians.
QString sanitySentence(const metrics::SanityResult& result, const std::string& method, const std::string& measure);
// The sentences of every method as HTML paragraphs, with what was run.
QString sanityHtml(const metrics::SanityResult& result, const std::string& measure);
// Methods x measures, each cell "median [lo, hi] (rank)" with the best of each column in bold
// and ↑/↓ by the measure's direction ("n/a" where a file's row cannot have the measure), then W
// and agreementSentence.
QString scorecardHtml(const metrics::ScorecardResult& result);

} // namespace senn::ui
