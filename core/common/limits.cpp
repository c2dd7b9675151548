#include "core/common/limits.h"

#include <algorithm>
#include <thread>

#include <unistd.h>

namespace senn::limits {

int64_t physicalMemory()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? int64_t(pages) * int64_t(page) : 0;
}

int64_t archiveInflationBudget(int64_t archiveBytes)
{
    const int64_t bytes = std::max<int64_t>(archiveBytes, 0);
    int64_t budget = bytes > (int64_t(1) << 58) ? (int64_t(1) << 62) : bytes * kMaxArchiveInflation;
    budget = std::max(budget, kArchiveInflationFloor);
    const int64_t memory = physicalMemory();
    return memory > 0 ? std::min(budget, memory) : budget;
}

int hardwareThreads()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

int clampThreads(int requested, std::string* note)
{
    const int cores = hardwareThreads();
    if (requested <= 0)
        return cores;
    if (requested > cores) {
        if (note)
            *note = std::to_string(requested) + " threads requested but this machine has " +
                    std::to_string(cores) + " cores; using " + std::to_string(cores);
        return cores;
    }
    return requested;
}

} // namespace senn::limits
