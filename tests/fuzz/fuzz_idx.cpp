// libFuzzer harness: an IDX folder (images + labels, each plain or gzip) through the IDX loader.
// The input is split in two (images, labels) at a 2-byte length prefix.
#include "core/common/error.h"
#include "core/data/loader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const uint8_t *a, *b;
    size_t na, nb;
    fuzz::split(data, size, a, na, b, nb);
    fuzz::clear();
    fuzz::put("idx/train-images-idx3-ubyte", a, na);
    fuzz::put("idx/train-labels-idx1-ubyte", b, nb);
    try {
        senn::data::loadIdxFolder((fuzz::scratch() / "idx").string());
    } catch (const senn::Error&) {
    }
    return 0;
}
