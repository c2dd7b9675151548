// Helpers for tests that check refusals: the message a call throws, and whether a message
// names every part it must (file, line, column, problem).
#pragma once
#include "core/common/error.h"

#include <QString>

#include <initializer_list>

namespace senn::testing {

// The senn::Error message f() throws, or "NO ERROR" when it returns.
template <typename F>
QString errorOf(F f)
{
    try {
        f();
    } catch (const senn::Error& e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("NO ERROR");
}

// Whether f() throws a senn::Error (any other exception escapes).
template <typename F>
bool throwsSennError(F f)
{
    try {
        f();
    } catch (const senn::Error&) {
        return true;
    }
    return false;
}

inline bool containsAll(const QString& s, std::initializer_list<const char*> parts)
{
    for (const char* p : parts)
        if (!s.contains(QString::fromUtf8(p)))
            return false;
    return true;
}

} // namespace senn::testing
