// The sanity and scorecard results as a session keeps them (in its settings, under
// "sanity_result" and "scorecard_result"), so that reopening it shows the Sanity figure and
// the Scorecard table as they were. Kept apart from session.h, which the main window includes.
#pragma once
#include "core/metrics/sanity.h"
#include "core/metrics/scorecard.h"

#include <QJsonObject>
#include <QString>

#include <string>
#include <vector>

namespace senn::ui {

// Session files are hostile input (session.h): every list is bounded, every number range-checked
// and the result made consistent (series as long as the steps, cells as many as methods x
// measures) before a view indexes it. FromJson returns false for a malformed object, and why
// says what is wrong. NaN is stored as null.

// `measure`: the similarity the Sanity figure showed (a metrics::similarityMeasures() id);
// read back as "" when the file names none or one this build does not know.
QJsonObject sanityResultToJson(const metrics::SanityResult& r, const std::string& measure = {});
bool sanityResultFromJson(const QJsonObject& json, metrics::SanityResult* out, std::string* measure = nullptr,
                          QString* why = nullptr);

QJsonObject scorecardResultToJson(const metrics::ScorecardResult& r);
// `known`: the measures a stored table may name, with their names and directions (the file's
// own are not trusted). The default is evaluated where it is called, so a caller that passes
// its own list (the session fuzzer, which links no LibTorch) does not link the scorecard.
bool scorecardResultFromJson(const QJsonObject& json, metrics::ScorecardResult* out, QString* why = nullptr,
                             const std::vector<metrics::ScorecardMeasure>& known = metrics::scorecardMeasures());

} // namespace senn::ui
