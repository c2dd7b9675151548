// The worker's explanation job: one example (or a perturbed copy of it, for the stability
// view's slider) explained by each requested method; its removal curves are a separate job
// (removal_job.h), run only when the Faithfulness view shows them.
#pragma once
#include "ui/worker/worker_job.h"

namespace senn::ui {

class ExplainJob : public WorkerJob {
public:
    using WorkerJob::WorkerJob;
    void explain(const ExplainRequest& request, const jobs::CancelToken& cancel);

private:
    // The request's row, moved by noise·u with a seeded direction u and kept in the data's range.
    std::vector<float> inputFor(const ExplainRequest& request) const;
};

} // namespace senn::ui
