// Core-internal helpers of the removal measures (deletion, insertion, ROAD, relative
// stability): batched model outputs of rows written in place, and the removal groups
// (single values, or patches on large images) the curves remove.
#pragma once
#include "core/common/error.h"
#include "core/explain/explain_internal.h"

#include <functional>
#include <string>
#include <vector>

namespace senn::metrics::detail {

// Outputs of n rows that fill(i, row) writes ([d] raw values each), a chunk at a time within
// the memory budget (bytes; 0 = the default budget). target >= 0: [n] float64, the target's
// output; target < 0: [n, C] float64, every class. Checks the token between chunks.
torch::Tensor outputsOfRows(const models::Model& model, int64_t n,
                            const std::function<void(int64_t, float*)>& fill, explain::Output output,
                            int target, int64_t budget, const jobs::CancelToken& cancel = {});

// The group each of the d values belongs to and the group count: single values, or on
// images above explain::kMaxPixelPlayers values square patches through all channels (side:
// the shorter side / 7, at least 2), as removalCorrelation removes them.
std::vector<int64_t> removalGroupsOf(const models::ModelImpl& impl, int64_t d, int64_t& count, int64_t& patch);

// Runs f, turning LibTorch's errors (whose text carries a backtrace) into senn::Error.
template <class F>
auto plainErrors(const std::string& what, F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const c10::Error& err) {
        throw Error(what + " failed: " + err.what_without_backtrace());
    } catch (const std::bad_alloc&) {
        throw Error(what + " ran out of memory");
    }
}

} // namespace senn::metrics::detail
