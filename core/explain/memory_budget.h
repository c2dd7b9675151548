// The memory budget's automatic value, for front ends that show it (torch-free).
#pragma once
#include <cstdint>

namespace senn::explain {

// What ExplainOptions::memoryBudget = 0 stands for now: half of the memory available to this
// process (MemAvailable, or less under RLIMIT_AS or the cgroup's memory.max).
int64_t automaticMemoryBudget();

} // namespace senn::explain
