// libFuzzer harness: one .sennsession file through the session reader (ui/session.cpp, QtCore
// only): any JSON, or not JSON at all, must give false and a message, never a crash.
#include "ui/session.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzz::put("s.sennsession", data, size);
    senn::ui::Session s;
    QString error;
    if (!senn::ui::Session::load(QString::fromStdString(path), &s, &error) && error.isEmpty())
        __builtin_trap(); // a refusal must say why
    return 0;
}
