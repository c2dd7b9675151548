// Cancellation tokens and progress reports shared by every long core job (load, train,
// explain, evaluate). Core never prints: it reports through a ProgressFn and stops when the
// token says so, by throwing jobs::Cancelled at a safe point.
#pragma once
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <string>

namespace senn::jobs {

class Cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "cancelled"; }
};

// Cheap to copy; all copies share one flag, so the GUI thread keeps one and the worker another.
class CancelToken {
public:
    CancelToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() const { m_flag->store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_flag->load(std::memory_order_relaxed); }
    void throwIfCancelled() const
    {
        if (isCancelled())
            throw Cancelled();
    }

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

struct Progress {
    double fraction = 0.0; // 0..1 of the whole job
    std::string stage;     // short machine-friendly stage name, e.g. "lime", "epoch"
    std::string message;   // one line for a person
};

using ProgressFn = std::function<void(const Progress&)>;

inline void report(const ProgressFn& fn, double fraction, const std::string& stage,
                   const std::string& message = {})
{
    if (fn)
        fn(Progress{fraction, stage, message});
}

} // namespace senn::jobs
