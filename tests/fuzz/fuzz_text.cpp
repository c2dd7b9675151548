// libFuzzer harness: the text helpers every message uses on user data (echo, cleanMessage,
// UTF-8 validation). Checks their promises: the result is bounded and free of control bytes.
#include "core/common/files.h"

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string e = senn::files::echo(text, 60);
    const std::string c = senn::files::cleanMessage(text, 400);
    if (e.size() > 60 + 8 + 3 || c.size() > 400 + 8 + 3)
        std::abort(); // longer than promised (one escape may straddle the limit)
    for (const std::string* s : {&e, &c})
        for (unsigned char ch : *s)
            if (ch < 0x20 || ch == 0x7f)
                std::abort(); // a control byte got through
    if (senn::files::invalidUtf8At(e) != std::string_view::npos)
        std::abort(); // escaped text must be valid UTF-8
    senn::files::invalidUtf8At(text);
    return 0;
}
