// senn::Error: the one exception type core throws for anything a person can fix (bad file,
// bad option, incompatible model). Its message says what went wrong, where, and what to do.
#pragma once
#include <stdexcept>
#include <string>

namespace senn {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}

    // "FILE: line L: WHAT. HINT" with the parts that are known.
    static Error inFile(const std::string& file, const std::string& what,
                        const std::string& hint = {}, long line = -1)
    {
        std::string m = file;
        if (line >= 0)
            m += ": line " + std::to_string(line);
        m += ": " + what;
        if (!hint.empty())
            m += ". " + hint;
        return Error(m);
    }
};

} // namespace senn
