// What the numerical libraries under LibTorch really are on this machine: the BLAS
// library that provides sgemm_ (resolved with dladdr, so it names the file the dynamic loader
// picked, whatever the alternatives say), LibTorch's intra-/inter-op threads and the CPU
// capability its kernels dispatch to. Torch-free, so the GUI's Help > About can show it.
#pragma once
#include <string>

namespace senn::common {

struct SystemInfo {
    std::string blasLibrary;   // path of the shared object providing sgemm_ ("" if none found)
    std::string blasName;      // "OpenBLAS (pthread)", "OpenBLAS (OpenMP)", "reference BLAS (netlib)", ...
    bool referenceBlas = false; // the slow netlib reference implementation is loaded
    int intraOpThreads = 0;     // at::get_num_threads()
    int interOpThreads = 0;     // at::get_num_interop_threads()
    int hardwareThreads = 0;    // std::thread::hardware_concurrency()
    std::string cpuCapability;  // "AVX2", "AVX512", "DEFAULT" (LibTorch's kernel dispatch)
    std::string parallelBackend; // "OpenMP", ...
};

SystemInfo systemInfo();
// Several lines, "BLAS: ...", "LibTorch threads: ...", "CPU capability: ..."; with a
// warning line when the reference BLAS is loaded.
std::string describe(const SystemInfo& info);
// The warning alone ("" when the BLAS is fine).
std::string blasWarning(const SystemInfo& info);

// Process start-up tuning for the explainers' allocation pattern (many short-lived, mid-sized
// tensors): glibc keeps freed memory for reuse instead of returning it to the kernel and
// faulting fresh zeroed pages in on the next call, which otherwise dominates perturbation
// methods such as LIME. Environment settings (MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_) win.
void tuneAllocator();

// LibTorch's OpenMP threads busy-wait for each other at every parallel region; on cores shared
// with other jobs a descheduled thread stalls the rest, and training slows many times over.
// OMP_WAIT_POLICY=passive makes them sleep instead, but libgomp reads it when it
// loads, before main: so when it is unset this sets it and re-executes the program (argv as
// given) once. Returns normally when nothing had to be done or the re-exec failed.
void preferPassiveOpenMpWait(char** argv);

} // namespace senn::common
