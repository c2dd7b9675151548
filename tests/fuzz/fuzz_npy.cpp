// libFuzzer harness: a NumPy pair (x.npy + y.npy) through the .npy loader. The input is split in
// two (x, y) at a 2-byte length prefix.
#include "core/common/error.h"
#include "core/data/loader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const uint8_t *a, *b;
    size_t na, nb;
    fuzz::split(data, size, a, na, b, nb);
    fuzz::clear();
    fuzz::put("npy/x.npy", a, na);
    fuzz::put("npy/y.npy", b, nb);
    try {
        senn::data::loadNpy((fuzz::scratch() / "npy").string());
    } catch (const senn::Error&) {
    }
    return 0;
}
