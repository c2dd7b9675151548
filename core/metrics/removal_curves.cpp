// Deletion, insertion and ROAD curves (removal_curves.h): every row of every curve goes
// through one series of batched model calls; a SENN explanation is re-aggregated over its
// concepts instead (θ fixed, h_i set to 0), as removalCorrelation does.
#include "core/metrics/removal_curves.h"

#include "core/common/error.h"
#include "core/metrics/metrics_internal.h"
#include "core/metrics/perturbation_internal.h"
#include "core/metrics/road.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace senn::metrics {

namespace ed = explain::detail;

namespace {

constexpr uint64_t kRoadTag = 0x524f4144; // "ROAD": the stream of ROAD's noise

// Curves in the order rows are laid out: deletion MoRF, LeRF, insertion MoRF, LeRF, ROAD MoRF, LeRF.
const char* const kCurveNames[6] = {"deletion_morf", "deletion_lerf", "insertion_morf",
                                    "insertion_lerf", "road_morf", "road_lerf"};

std::vector<int64_t> descendingOrder(const std::vector<double>& a)
{
    std::vector<int64_t> order(a.size());
    std::iota(order.begin(), order.end(), int64_t(0));
    std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return a[size_t(x)] > a[size_t(y)]; });
    return order;
}

void addScores(PerturbationCurves& res)
{
    auto has = [&](const char* c) { return res.curves.count(c) > 0; };
    if (has("deletion_morf")) {
        const double morf = aopc(res.curves["deletion_morf"]), lerf = aopc(res.curves["deletion_lerf"]);
        res.scores["deletion_aopc"] = morf;
        res.scores["deletion_lerf_aopc"] = lerf;
        res.scores["deletion_aopc_diff"] = morf - lerf;
    }
    if (has("insertion_morf"))
        res.scores["insertion_auc"] = areaUnder(res.fractions, res.curves["insertion_morf"]);
    if (has("road_morf")) {
        res.scores["road_morf_aopc"] = aopc(res.curves["road_morf"]);
        res.scores["road_lerf_aopc"] = aopc(res.curves["road_lerf"]);
    }
}

// SENN: concepts removed (deletion) or restored (insertion) with θ(x) fixed.
void sennCurves(PerturbationCurves& res, const models::Model& model, const float* xRaw, const explain::Explanation& e,
                const CurveOptions& options)
{
    auto& impl = *model.impl();
    torch::NoGradGuard noGrad;
    impl.setTraining(false);
    auto out = impl.senn(ed::sampleTensor(impl, xRaw, 1).to(impl.device()));
    auto theta = out.theta[0].to(torch::kCPU, torch::kFloat64); // [k, C]
    auto h = out.h[0].to(torch::kCPU, torch::kFloat64);         // [k]
    const int64_t k = h.numel();
    if (int64_t(e.values.size()) != k)
        throw Error("the SENN explanation has " + std::to_string(e.values.size()) + " values but the model has " +
                    std::to_string(k) + " concepts");
    const int64_t target = res.target;
    // θ·h of the target: the contributions that sum to its logit.
    auto contrib = (theta.select(1, target) * h).contiguous();
    const std::vector<double> a(contrib.data_ptr<double>(), contrib.data_ptr<double>() + k);
    const auto morf = descendingOrder(a);
    const auto counts = removalCounts(k, options.steps);
    const int64_t S = int64_t(counts.size());
    std::vector<int> kinds;
    if (options.deletion)
        kinds.insert(kinds.end(), {0, 1});
    if (options.insertion)
        kinds.insert(kinds.end(), {2, 3});
    if (kinds.empty())
        return;
    auto H = torch::empty({int64_t(kinds.size()) * S, k}, torch::kFloat64);
    const double* ph = h.data_ptr<double>();
    for (size_t c = 0; c < kinds.size(); ++c)
        for (int64_t s = 0; s < S; ++s) {
            const bool insertion = kinds[c] >= 2, lerf = kinds[c] % 2 == 1;
            auto row = H[int64_t(c) * S + s];
            double* pr = row.data_ptr<double>();
            for (int64_t i = 0; i < k; ++i)
                pr[i] = insertion ? 0.0 : ph[i];
            for (int64_t r = 0; r < counts[size_t(s)]; ++r) {
                const int64_t i = morf[size_t(lerf ? k - 1 - r : r)];
                pr[i] = insertion ? ph[i] : 0.0;
            }
        }
    auto logits = ed::sennLogitsWithConcepts(theta, H);
    auto y = (e.output == explain::Output::Probability ? torch::softmax(logits, 1) : logits).select(1, target).contiguous();
    const double* py = y.data_ptr<double>();
    for (size_t c = 0; c < kinds.size(); ++c)
        res.curves[kCurveNames[kinds[c]]] = std::vector<double>(py + int64_t(c) * S, py + int64_t(c + 1) * S);
}

void featureCurves(PerturbationCurves& res, const models::Model& model, const explain::ExplainContext& ctx,
                   const float* xRaw, const explain::Explanation& e, const std::vector<float>& baseline,
                   const CurveOptions& options, const jobs::CancelToken& cancel)
{
    const int64_t d = model.featureCount();
    if (int64_t(e.values.size()) != d)
        throw Error("the explanation has " + std::to_string(e.values.size()) + " values but the input has " +
                    std::to_string(d) + " features");
    const std::vector<float>& base = baseline.empty() ? ctx.stats.mean : baseline;
    if (int64_t(base.size()) != d)
        throw Error("the curves need a baseline of " + std::to_string(d) + " values");
    int64_t G = 0, patch = 0;
    const auto group = detail::removalGroupsOf(*model.impl(), d, G, patch);
    std::vector<std::vector<int64_t>> members(static_cast<size_t>(G));
    std::vector<double> a(static_cast<size_t>(G), 0.0);
    for (int64_t j = 0; j < d; ++j) {
        members[size_t(group[size_t(j)])].push_back(j);
        a[size_t(group[size_t(j)])] += double(e.values[size_t(j)]);
    }
    const auto morf = descendingOrder(a);
    const auto counts = removalCounts(G, options.steps);
    const int64_t S = int64_t(counts.size());
    std::vector<int> kinds;
    if (options.deletion)
        kinds.insert(kinds.end(), {0, 1});
    if (options.insertion)
        kinds.insert(kinds.end(), {2, 3});
    if (options.road)
        kinds.insert(kinds.end(), {4, 5});
    if (kinds.empty())
        return;
    const auto& shape = model.impl()->meta().inputShape;
    const bool image = shape.size() == 3 && shape[0] * shape[1] * shape[2] == d;
    if (options.road)
        res.roadImputation = image ? "neighbours" : "training mean";
    std::vector<float> noise(static_cast<size_t>(d));
    for (int64_t j = 0; j < d; ++j) {
        const double sd = j < int64_t(ctx.stats.std.size()) ? double(ctx.stats.std[size_t(j)]) : 1.0;
        noise[size_t(j)] = float(options.roadNoise * std::max(sd, 1e-3));
    }
    const float* mean = int64_t(ctx.stats.mean.size()) == d ? ctx.stats.mean.data() : base.data();
    std::vector<uint8_t> removed(static_cast<size_t>(d));
    // ROAD's previous row (the step before, same order): its fill starts the next solve.
    std::vector<float> solved(static_cast<size_t>(d)), prevSolved(static_cast<size_t>(d));
    std::vector<uint8_t> prevRemoved(static_cast<size_t>(d));
    int64_t prevRow = -2;
    auto y = detail::outputsOfRows(model, int64_t(kinds.size()) * S, [&](int64_t i, float* row) {
        const int kind = kinds[size_t(i / S)];
        const int64_t s = i % S;
        const bool insertion = kind == 2 || kind == 3, lerf = kind % 2 == 1;
        const float* start = insertion ? base.data() : xRaw;
        const float* put = insertion ? xRaw : base.data();
        std::copy(start, start + d, row);
        std::fill(removed.begin(), removed.end(), uint8_t(0));
        for (int64_t r = 0; r < counts[size_t(s)]; ++r)
            for (auto j : members[size_t(morf[size_t(lerf ? G - 1 - r : r)])]) {
                row[j] = put[j];
                removed[size_t(j)] = 1;
            }
        if (kind < 4 || counts[size_t(s)] == 0)
            return;
        const uint64_t seed = detail::deriveSeed(options.seed, uint64_t(options.row), kRoadTag, uint64_t(kind * S + s));
        if (!image) {
            imputeTableMean(row, d, removed.data(), mean, noise.data(), seed);
            return;
        }
        const bool warm = prevRow == i - 1 && s > 0;
        imputeNoisyLinear(row, shape[0], shape[1], shape[2], removed.data(), mean, noise.data(), seed,
                          warm ? prevSolved.data() : nullptr, warm ? prevRemoved.data() : nullptr, solved.data());
        std::swap(solved, prevSolved);
        prevRemoved = removed;
        prevRow = i;
    }, e.output, res.target, options.memoryBudget, cancel).contiguous();
    const double* py = y.data_ptr<double>();
    for (size_t c = 0; c < kinds.size(); ++c)
        res.curves[kCurveNames[kinds[c]]] = std::vector<double>(py + int64_t(c) * S, py + int64_t(c + 1) * S);
}

} // namespace

std::vector<int64_t> removalCounts(int64_t count, int steps)
{
    std::vector<int64_t> counts;
    if (count <= 0)
        return {0};
    if (steps <= 0 || count <= steps) {
        for (int64_t k = 0; k <= count; ++k)
            counts.push_back(k);
        return counts;
    }
    for (int k = 0; k <= steps; ++k)
        counts.push_back(std::llround(double(k) * double(count) / double(steps)));
    return counts;
}

double aopc(const std::vector<double>& curve)
{
    if (curve.empty())
        return std::nan("");
    double sum = 0;
    for (double v : curve)
        sum += curve.front() - v;
    return sum / double(curve.size());
}

double areaUnder(const std::vector<double>& fractions, const std::vector<double>& curve)
{
    if (fractions.size() < 2 || fractions.size() != curve.size())
        return std::nan("");
    double area = 0;
    for (size_t i = 1; i < curve.size(); ++i)
        area += 0.5 * (curve[i] + curve[i - 1]) * (fractions[i] - fractions[i - 1]);
    return area;
}

PerturbationCurves perturbationCurves(const models::Model& model, const explain::ExplainContext& ctx,
                                      const float* xRaw, const explain::Explanation& e,
                                      const std::vector<float>& baseline, const CurveOptions& options,
                                      const jobs::CancelToken& cancel)
{
    if (!model.impl())
        throw Error("no model to measure");
    return detail::plainErrors("deletion and insertion curves", [&] {
        PerturbationCurves res;
        res.output = explain::outputId(e.output);
        res.target = e.target >= 0 ? e.target : detail::predictedClass(model, xRaw);
        const bool senn = e.method == "senn" && model.isSenn();
        int64_t count = 0;
        if (senn) {
            count = int64_t(e.values.size());
            sennCurves(res, model, xRaw, e, options);
        } else {
            int64_t patch = 0;
            detail::removalGroupsOf(*model.impl(), model.featureCount(), count, patch);
            featureCurves(res, model, ctx, xRaw, e, baseline, options, cancel);
        }
        for (auto c : removalCounts(count, options.steps))
            res.fractions.push_back(count > 0 ? double(c) / double(count) : 0.0);
        addScores(res);
        return res;
    });
}

} // namespace senn::metrics
