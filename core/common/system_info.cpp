#include "core/common/system_info.h"
#include "core/torch_include.h"

#include <ATen/Parallel.h>
#include <ATen/Version.h>

#include <dlfcn.h>
#include <unistd.h>
#include <malloc.h>

#include <climits>
#include <cstdlib>
#include <sstream>
#include <thread>

namespace senn::common {

namespace {

std::string realPath(const std::string& p)
{
    char buf[PATH_MAX];
    if (::realpath(p.c_str(), buf))
        return buf;
    return p;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// The value after `key` up to the end of its line in one of LibTorch's summaries, "unknown"
// when the summary has no such line.
std::string summaryValue(const std::string& summary, const std::string& key)
{
    const auto at = summary.find(key);
    if (at == std::string::npos)
        return "unknown";
    const auto end = summary.find_first_of("\r\n", at);
    return summary.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
}

} // namespace

SystemInfo systemInfo()
{
    SystemInfo s;
    // The symbol LibTorch's BLAS calls go to: the first sgemm_ in the global lookup order.
    void* sym = ::dlsym(RTLD_DEFAULT, "sgemm_");
    Dl_info dl{};
    if (sym && ::dladdr(sym, &dl) && dl.dli_fname)
        s.blasLibrary = realPath(dl.dli_fname);
    const std::string& lib = s.blasLibrary;
    if (lib.empty())
        s.blasName = "not found";
    else if (contains(lib, "openblas") && contains(lib, "openmp"))
        s.blasName = "OpenBLAS (OpenMP)";
    else if (contains(lib, "openblas") && contains(lib, "pthread"))
        s.blasName = "OpenBLAS (pthread)";
    else if (contains(lib, "openblas"))
        s.blasName = "OpenBLAS";
    else if (contains(lib, "blis"))
        s.blasName = "BLIS";
    else if (contains(lib, "mkl"))
        s.blasName = "Intel MKL";
    else if (contains(lib, "atlas"))
        s.blasName = "ATLAS";
    else if (contains(lib, "/blas/") || contains(lib, "libblas.so")) {
        s.blasName = "reference BLAS (netlib)";
        s.referenceBlas = true;
    } else
        s.blasName = "unknown";
    s.intraOpThreads = at::get_num_threads();
    s.interOpThreads = at::get_num_interop_threads();
    s.hardwareThreads = int(std::thread::hardware_concurrency());
    // LibTorch's build summary, because get_cpu_capability() itself is not exported by Debian's
    // libtorch.
    s.cpuCapability = summaryValue(at::show_config(), "CPU capability usage: ");
    s.parallelBackend = summaryValue(at::get_parallel_info(), "ATen parallel backend: ");
    return s;
}

std::string blasWarning(const SystemInfo& info)
{
    if (!info.referenceBlas)
        return "";
    return "warning: LibTorch runs on the reference (netlib) BLAS " + info.blasLibrary +
           ", 5-20x slower than OpenBLAS; install libopenblas0-openmp (packaging/install-deps.sh "
           "does) or select it with update-alternatives --config libblas.so.3-x86_64-linux-gnu";
}

void tuneAllocator()
{
#if defined(__GLIBC__)
    if (!std::getenv("MALLOC_MMAP_THRESHOLD_"))
        mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024); // big tensors from the heap, not fresh mmaps
    if (!std::getenv("MALLOC_TRIM_THRESHOLD_"))
        mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024); // keep freed heap for the next call
#endif
}

void preferPassiveOpenMpWait(char** argv)
{
    if (!argv || !argv[0] || std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT"))
        return; // the user chose (or we already re-executed)
    ::setenv("OMP_WAIT_POLICY", "passive", 1);
    ::execv("/proc/self/exe", argv); // only returns on failure: run on with the default policy
}

std::string describe(const SystemInfo& info)
{
    std::ostringstream o;
    o << "BLAS: " << info.blasName << " (" << (info.blasLibrary.empty() ? "?" : info.blasLibrary) << ")\n";
    o << "LibTorch threads: " << info.intraOpThreads << " intra-op, " << info.interOpThreads
      << " inter-op (" << info.parallelBackend << "), " << info.hardwareThreads << " hardware threads\n";
    o << "CPU capability: " << info.cpuCapability << "\n";
    const char* wait = std::getenv("OMP_WAIT_POLICY");
    o << "OpenMP wait policy: " << (wait ? wait : "default (active spinning)") << "\n";
    const auto w = blasWarning(info);
    if (!w.empty())
        o << w << "\n";
    return o.str();
}

} // namespace senn::common
