#include "core/common/limits.h"

#include <algorithm>
#include <thread>

namespace senn::limits {

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
