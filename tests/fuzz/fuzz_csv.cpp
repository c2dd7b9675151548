// libFuzzer harness: one CSV file through the CSV loader (header, quotes, cells, classes).
#include "core/common/error.h"
#include "core/data/loader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = fuzz::put("d.csv", data, size);
    try {
        senn::data::loadCsv(path);
    } catch (const senn::Error&) {
    }
    return 0;
}
