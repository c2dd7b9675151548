// The job names the status bar shows, and the registration of the worker's result structs
// as Qt metatypes (queued signals need it).
#include "ui/worker/results.h"

#include "ui/worker/rrr_results.h"
#include "ui/worker/sanity_results.h"
#include "ui/worker/scorecard_results.h"

namespace senn::ui {

QString jobName(JobKind kind)
{
    switch (kind) {
    case JobKind::Load: return QStringLiteral("Load");
    case JobKind::Train: return QStringLiteral("Training");
    case JobKind::Save: return QStringLiteral("Save");
    case JobKind::Explain: return QStringLiteral("Explain");
    case JobKind::Perturb: return QStringLiteral("Perturb");
    case JobKind::Stability: return QStringLiteral("Stability");
    case JobKind::Faithfulness: return QStringLiteral("Faithfulness");
    case JobKind::Prototypes: return QStringLiteral("Prototypes");
    case JobKind::Flint: return QStringLiteral("FLINT");
    case JobKind::Removal: return QStringLiteral("Removal curves");
    case JobKind::Sanity: return QStringLiteral("Sanity checks");
    case JobKind::Scorecard: return QStringLiteral("Scorecard");
    }
    return {};
}

void registerWorkerTypes()
{
    qRegisterMetaType<senn::ui::DatasetSummary>();
    qRegisterMetaType<senn::ui::ModelSummary>();
    qRegisterMetaType<senn::ui::ExplainResult>();
    qRegisterMetaType<senn::ui::JobKind>();
    qRegisterMetaType<senn::train::BatchReport>();
    qRegisterMetaType<senn::metrics::StabilityResult>();
    qRegisterMetaType<senn::metrics::FaithfulnessResult>();
    qRegisterMetaType<senn::metrics::Prototypes>();
    qRegisterMetaType<senn::train::FlintInterpretation>();
    registerSanityTypes();
    registerScorecardTypes();
}

void registerRrrTypes()
{
    qRegisterMetaType<senn::ui::RrrMaskState>();
    qRegisterMetaType<senn::ui::RrrGradients>();
    qRegisterMetaType<senn::ui::RrrRound>();
    qRegisterMetaType<senn::train::LambdaGuidance>();
}

} // namespace senn::ui
