// The worker's metric jobs: stability and faithfulness over the points of the split, run in
// parallel on a pool and streamed to the views as partial results while they go on.
#pragma once
#include "ui/worker/worker_job.h"

#include "core/metrics/external_attributions.h"

namespace senn::ui {

class MetricsJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    void stability(const StabilityRequest& request, const jobs::CancelToken& cancel);
    // measures: the groups of measures.h to compute; empty = the default three.
    void faithfulness(const std::vector<explain::Method>& methods, int points, uint64_t seed,
                      explain::ExplainOptions options, const jobs::CancelToken& cancel,
                      const std::vector<std::string>& measures = {},
                      const std::vector<metrics::AttributionSource>& attributions = {});

private:
    std::vector<int64_t> points(int n) const; // the points of a stability/faithfulness run
};

} // namespace senn::ui
