// ExplainJob: one row (or its perturbed copy) through every requested explainer, repeated over
// the request's seeds where it samples, each method's failure kept apart so the others still
// show.
#include "ui/worker/explain_job.h"

#include "ui/worker/core_worker.h"

#include "core/common/error.h"
#include "core/explain/uncertainty.h"

#include <algorithm>
#include <random>

namespace senn::ui {

std::vector<float> ExplainJob::inputFor(const ExplainRequest& request) const
{
    const data::Dataset& d = *m_state.data;
    std::vector<float> input(d.row(request.row), d.row(request.row) + d.featureCount());
    if (request.noise <= 0)
        return input;
    std::mt19937_64 rng(request.noiseSeed);
    std::normal_distribution<float> n(0.f, 1.f);
    const auto& st = m_state.ctx->stats;
    for (size_t j = 0; j < input.size(); ++j) {
        const float scale = j < st.std.size() ? std::max(st.std[j], 1e-3f) : 1.f;
        float v = input[j] + float(request.noise) * scale * n(rng);
        if (j < st.min.size())
            v = std::clamp(v, st.min[j], st.max[j]);
        input[j] = v;
    }
    return input;
}

void ExplainJob::explain(const ExplainRequest& request, const jobs::CancelToken& cancel)
{
    const JobKind kind = request.noise > 0 ? JobKind::Perturb : JobKind::Explain;
    if (cancel.isCancelled()) // superseded while queued: skip without noise in the log
        return;
    if (!requireModel(kind))
        return;
    if (request.row < 0 || request.row >= m_state.data->rows()) {
        emit m_out.jobFailed(kind, QStringLiteral("Example %1 is not in the dataset.").arg(request.row));
        return;
    }
    m_runner.run(kind, QStringLiteral("Explaining row %1").arg(request.row), [&] {
        const models::Model& model = m_state.model;
        const explain::ExplainContext& ctx = *m_state.ctx;
        ExplainResult r;
        r.request = request;
        r.label = m_state.data->y[size_t(request.row)];
        r.input = inputFor(request);
        r.probabilities = model.probabilities(r.input.data(), 1);
        r.prediction = std::max_element(r.probabilities.begin(), r.probabilities.end())
                       - r.probabilities.begin();
        // The prediction is known: giving it as the target spares every explainer a forward
        // pass to find it again.
        explain::ExplainOptions options = request.options;
        if (options.target < 0)
            options.target = int(r.prediction);
        const size_t n = request.methods.size();
        auto progress = m_runner.progressFor(kind);
        for (size_t i = 0; i < n; ++i) {
            cancel.throwIfCancelled();
            const auto m = request.methods[i];
            const QString name = QString::fromStdString(explain::methodDisplayName(m));
            auto sub = [&, i](const jobs::Progress& p) {
                progress({(double(i) + p.fraction) / double(n), p.stage,
                          QStringLiteral("%1: %2").arg(name, QString::fromStdString(p.message)).toStdString()});
            };
            try {
                auto e = explain::explainWithSeeds(m, model, ctx, r.input.data(), options,
                                                   std::max(1, request.seedRuns), sub, cancel);
                emit m_out.log(QStringLiteral("  %1 on row %2: %3 s%4").arg(name).arg(request.row)
                                   .arg(e.seconds, 0, 'f', 3)
                                   .arg(e.seedRuns > 1 ? QStringLiteral(" (%1 seeds)").arg(e.seedRuns) : QString()));
                r.explanations.push_back(std::move(e));
            } catch (const senn::Error& ex) {
                r.failures << QStringLiteral("%1: %2").arg(name, ex.what());
            }
        }
        cancel.throwIfCancelled();
        emit m_out.explanationReady(r);
        for (const auto& f : r.failures)
            emit m_out.jobFailed(kind, f);
        return false;
    });
}

} // namespace senn::ui
